/** Every Redis key and channel name of the gateway, under one configurable prefix. */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** Hash: unitId → JSON UnitLocation. */
  get units(): string {
    return `${this.prefix}units`;
  }
  /** Set of node ids that have held a lease. */
  get nodes(): string {
    return `${this.prefix}nodes`;
  }
  /** A node's lease (TTL key), holding its connection counts. */
  lease(nodeId: string): string {
    return `${this.prefix}lease:${nodeId}`;
  }
  /** A node's inbox channel: requests to its units, replies to its callers, delivery wake-ups. */
  inbox(nodeId: string): string {
    return `${this.prefix}inbox:${nodeId}`;
  }
  /** Where a node's direct-link listener is (JSON LinkAddress); absent: the node takes inbox messages by pub/sub only. */
  link(nodeId: string): string {
    return `${this.prefix}link:${nodeId}`;
  }
  /** Channel every node listens on: presence changed somewhere. */
  get clusterChannel(): string {
    return `${this.prefix}cluster`;
  }
  /** The Socket.IO Redis adapter's channel prefix. */
  get adapter(): string {
    return `${this.prefix}sio`;
  }
  outboxStream(unitId: string): string {
    return `${this.prefix}outbox:{${unitId}}`;
  }
  outboxMeta(unitId: string): string {
    return `${this.prefix}outbox:{${unitId}}:meta`;
  }
  /** When a principal was revoked (TTL key). */
  revoked(sub: string): string {
    return `${this.prefix}revoked:${sub}`;
  }
  get outboxUnits(): string {
    return `${this.prefix}outbox-units`;
  }
}
