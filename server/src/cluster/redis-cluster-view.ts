/** The cluster's nodes and their connection counts, from the leases read at the last heartbeat. */
import type { ClusterView, NodeConnections } from "../connections/cluster-view.js";
import type { NodeLease } from "./node-lease.js";

export class RedisClusterView implements ClusterView {
  constructor(private readonly lease: NodeLease) {}

  async nodes(): Promise<NodeConnections[]> {
    return this.lease
      .liveNodes()
      .map(({ nodeId, connections }) => ({ nodeId, connections }))
      .sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  }
}
