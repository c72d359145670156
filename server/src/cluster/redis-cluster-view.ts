/** The cluster's nodes, their connection counts and request traffic, from the leases read at the last heartbeat. */
import type { RequestStats } from "@care-gateway/shared";
import type { ClusterView, NodeConnections } from "../connections/cluster-view.js";
import type { NodeLease } from "./node-lease.js";

export class RedisClusterView implements ClusterView {
  constructor(private readonly lease: NodeLease) {}

  /** This node's request traffic, carried in its lease beside its connection counts. */
  reportRequests(source: () => RequestStats): void {
    this.lease.reportRequests(source);
  }

  async nodes(): Promise<NodeConnections[]> {
    return this.lease
      .liveNodes()
      .map(({ nodeId, connections, requests }) => ({ nodeId, connections, ...(requests ? { requests } : {}) }))
      .sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  }
}
