/** Request keys (internal, unique per node) and correlation ids (for callers that bring none). */
import { randomUUID } from "node:crypto";

export class RequestIds {
  #next = 0;
  readonly #prefix: string;

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

  correlationId(): string {
    return randomUUID();
  }
}
