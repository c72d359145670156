/** Request keys (internal, unique per node) and correlation ids (for callers that bring none). */
import { randomBytes } from "node:crypto";

export class RequestIds {
  #next = 0;
  #made = 0;
  readonly #prefix: string;
  /**
   * The random part of the correlation ids this router makes (12 base64url characters, 72 bits):
   * with the counter after it, an id is unique within the process, and across processes and restarts
   * but for a chance of 2^-72 per pair of routers. A UUID per request (crypto's buffered randomUUID)
   * cost about 1 µs of a relayed request's CPU in the relay benchmark's profile; this costs a
   * string concatenation.
   */
  readonly #madeIdPrefix = `${randomBytes(9).toString("base64url")}-`;

  constructor(nodeId: string) {
    this.#prefix = `${nodeId}:`;
  }

  /** The pending-registry key of a request forwarded to another node: unique across the cluster because it names this node. */
  key(): string {
    return this.#prefix + this.localKey().toString(36);
  }

  /** The pending-registry key of a request sent to a unit on this node: never leaves the node, so a number will do. */
  localKey(): number {
    this.#next = (this.#next + 1) % Number.MAX_SAFE_INTEGER;
    return this.#next;
  }

  /** An id for a request that came without one: opaque, valid as a caller's own id (`[A-Za-z0-9_-]`, 14+ characters). */
  correlationId(): string {
    this.#made = (this.#made + 1) % Number.MAX_SAFE_INTEGER;
    return this.#madeIdPrefix + this.#made.toString(36);
  }
}
