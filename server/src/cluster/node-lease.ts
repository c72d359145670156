/**
 * This node's lease: a key with a TTL, refreshed by heartbeat, holding the node's connection counts
 * and request traffic (for occupancy).
 * A node that stops heartbeating (killed, partitioned) loses its units when the lease lapses.
 * Each beat also tells which other nodes are alive, so callers waiting on a dead node can be
 * answered, and whether our own lease had been lost (Redis restarted empty, or we were away),
 * in which case this node re-asserts its units.
 */
import type { ConnectionCounts, RequestStats } from "@care-gateway/shared";
import type { Logger } from "../observability/logger.js";
import type { Redis } from "./redis-clients.js";
import type { RedisKeys } from "./redis-keys.js";

export interface LeaseValue {
  nodeId: string;
  startedAt: number;
  connections: ConnectionCounts;
  /** Absent in the leases of nodes that do not report it (older versions). */
  requests?: RequestStats;
}

export interface NodeLeaseDeps {
  redis: Redis;
  keys: RedisKeys;
  nodeId: string;
  leaseMs: number;
  localCounts: () => ConnectionCounts;
  logger: Logger;
  /** Our lease did not exist before this beat: presence may have been forgotten. */
  onLeaseCreated: () => Promise<void>;
  /** Nodes that were alive at the previous beat and are not now. */
  onNodesLost: (nodeIds: string[]) => void;
}

export class NodeLease {
  readonly #startedAt = Date.now();
  #timer: NodeJS.Timeout | undefined;
  #alive = new Map<string, LeaseValue>();
  #beating: Promise<void> | undefined;
  #requests: (() => RequestStats) | undefined;

  constructor(private readonly deps: NodeLeaseDeps) {}

  /** Leases of the nodes alive at the last beat (this node's counts are always current). */
  liveNodes(): LeaseValue[] {
    const nodes = new Map(this.#alive);
    nodes.set(this.deps.nodeId, this.#own());
    return [...nodes.values()];
  }

  /** Where this node's request traffic is read at each beat (and for `liveNodes()`). */
  reportRequests(source: () => RequestStats): void {
    this.#requests = source;
  }

  isAlive(nodeId: string): boolean {
    return nodeId === this.deps.nodeId || this.#alive.has(nodeId);
  }

  async start(): Promise<void> {
    await this.beat();
    this.#timer = setInterval(() => void this.beat(), Math.max(200, Math.floor(this.deps.leaseMs / 3)));
    this.#timer.unref();
  }

  /** One heartbeat; concurrent calls share one. Never throws (Redis may be away). */
  beat(): Promise<void> {
    this.#beating ??= this.#beat().finally(() => (this.#beating = undefined));
    return this.#beating;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#beating;
    await this.deps.redis.del(this.deps.keys.lease(this.deps.nodeId)).catch(() => undefined);
  }

  #own(): LeaseValue {
    const requests = this.#requests?.();
    return { nodeId: this.deps.nodeId, startedAt: this.#startedAt, connections: this.deps.localCounts(), ...(requests ? { requests } : {}) };
  }

  async #beat(): Promise<void> {
    const { redis, keys, nodeId, leaseMs } = this.deps;
    try {
      const previous = await redis.set(keys.lease(nodeId), JSON.stringify(this.#own()), { PX: leaseMs, GET: true });
      await redis.sAdd(keys.nodes, nodeId);
      if (previous === null) await this.deps.onLeaseCreated();
      await this.#readOthers();
    } catch (error) {
      this.deps.logger.debug("lease heartbeat failed", { err: (error as Error).message });
    }
  }

  async #readOthers(): Promise<void> {
    const { redis, keys, nodeId } = this.deps;
    const ids = (await redis.sMembers(keys.nodes)).filter((id) => id !== nodeId);
    const values = ids.length > 0 ? await redis.mGet(ids.map((id) => keys.lease(id))) : [];
    const alive = new Map<string, LeaseValue>();
    const gone: string[] = [];
    ids.forEach((id, i) => {
      const raw = values[i];
      if (raw) alive.set(id, JSON.parse(raw) as LeaseValue);
      else gone.push(id);
    });
    if (gone.length > 0) await redis.sRem(keys.nodes, gone);
    const lost = [...this.#alive.keys()].filter((id) => !alive.has(id));
    this.#alive = alive;
    if (lost.length > 0) {
      this.deps.logger.warn("nodes lost their lease", { nodes: lost });
      this.deps.onNodesLost(lost);
    }
  }
}
