/** Request keys (internal, unique per node) and correlation ids (for callers that bring none). */
import { randomUUID } from "node:crypto";

export class RequestIds {
  #next = 0;
  readonly #prefix: string;

  constructor(nodeId: string) {
    this.#prefix = `${nodeId}:`;
  }

  /** The pending-registry key: unique across the cluster because it names this node. */
  key(): string {
    this.#next = (this.#next + 1) % Number.MAX_SAFE_INTEGER;
    return this.#prefix + this.#next.toString(36);
  }

  correlationId(): string {
    return randomUUID();
  }
}
