/** The nodes of the gateway, their connection counts and request traffic. Single node: this node alone. */
import type { ConnectionCounts, RequestStats } from "@care-gateway/shared";

export interface NodeConnections {
  nodeId: string;
  connections: ConnectionCounts;
  /** Absent for a node that does not report it (an older version). */
  requests?: RequestStats;
}

export interface ClusterView {
  nodes(): Promise<NodeConnections[]>;
}

export class SingleNodeView implements ClusterView {
  constructor(
    private readonly nodeId: string,
    private readonly localCounts: () => ConnectionCounts,
    private readonly localRequests?: () => RequestStats,
  ) {}

  async nodes(): Promise<NodeConnections[]> {
    const requests = this.localRequests?.();
    return [{ nodeId: this.nodeId, connections: this.localCounts(), ...(requests ? { requests } : {}) }];
  }
}
