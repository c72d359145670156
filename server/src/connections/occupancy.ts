/**
 * Occupancy: which units are online where, how many sockets each node holds and the request
 * traffic each node saw over the last minute. Streamed to this node's admin sockets on change (at
 * most once per `minIntervalMs`) and every `intervalMs` regardless.
 */
import type { ConnectionCounts, NodeRequestStats, Occupancy } from "@care-gateway/shared";
import { EventName } from "@care-gateway/shared";
import type { Logger } from "../observability/logger.js";
import type { RequestStatsWindow } from "../observability/request-stats.js";
import type { ClusterView } from "./cluster-view.js";
import type { Presence } from "./presence.js";
import type { AdminNamespace } from "./socket-types.js";

export interface OccupancyDeps {
  presence: Presence;
  cluster: ClusterView;
  admin: AdminNamespace;
  minIntervalMs: number;
  intervalMs: number;
  logger: Logger;
  /** Cluster: tell the other nodes' occupancy streams that presence changed here. */
  announce?: () => void;
  /** This node's request traffic (the cluster view reports every node's). */
  requests?: RequestStatsWindow;
}

export class OccupancyService {
  #timer: NodeJS.Timeout | undefined;
  #pending: NodeJS.Timeout | undefined;
  #lastEmit = 0;
  #announceDue = false;

  constructor(private readonly deps: OccupancyDeps) {}

  /** A request from a portal or the bridge reached its outcome after `ms`. */
  recordRequest(ms: number): void {
    this.deps.requests?.record(ms);
  }

  async snapshot(): Promise<Occupancy> {
    const [nodes, units] = await Promise.all([this.deps.cluster.nodes(), this.deps.presence.list()]);
    const totals: ConnectionCounts = { units: 0, portal: 0, bridge: 0, admin: 0 };
    const requests: NodeRequestStats[] = [];
    for (const { nodeId, connections, requests: traffic } of nodes) {
      totals.units += connections.units;
      totals.portal += connections.portal;
      totals.bridge += connections.bridge;
      totals.admin += connections.admin;
      if (traffic) requests.push({ nodeId, ...traffic });
    }
    return {
      at: Date.now(),
      nodes: nodes.map(({ nodeId, connections }) => ({ nodeId, connections })),
      totals,
      units: units
        .map(({ unitId, nodeId, connectedAt }) => ({ unitId, nodeId, connectedAt }))
        .sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0)),
      ...(requests.length > 0 ? { requests } : {}),
    };
  }

  start(): void {
    this.#timer = setInterval(() => this.#emit(), this.deps.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    clearTimeout(this.#pending);
    this.#timer = this.#pending = undefined;
  }

  /** Something changed: stream a snapshot soon, at most once per `minIntervalMs`. `local` changes are announced to the cluster. */
  changed(local = true): void {
    if (local) this.#announceDue = true;
    if (this.#pending || !this.#timer) return;
    const wait = Math.max(0, this.#lastEmit + this.deps.minIntervalMs - Date.now());
    this.#pending = setTimeout(() => {
      this.#pending = undefined;
      if (this.#announceDue) this.deps.announce?.();
      this.#announceDue = false;
      this.#emit();
    }, wait);
    this.#pending.unref();
  }

  #emit(): void {
    this.#lastEmit = Date.now();
    if (this.deps.admin.sockets.size === 0) return;
    this.snapshot()
      .then((occupancy) => this.deps.admin.local.emit(EventName.OCCUPANCY, occupancy))
      .catch((error: unknown) => this.deps.logger.warn("occupancy snapshot failed", { err: error instanceof Error ? error.message : "unknown" }));
  }
}
