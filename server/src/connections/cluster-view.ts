/** The nodes of the gateway and their connection counts. Single node: this node alone. */
import type { ConnectionCounts } from "@care-gateway/shared";

export interface NodeConnections {
  nodeId: string;
  connections: ConnectionCounts;
}

export interface ClusterView {
  nodes(): Promise<NodeConnections[]>;
}

export class SingleNodeView implements ClusterView {
  constructor(
    private readonly nodeId: string,
    private readonly localCounts: () => ConnectionCounts,
  ) {}

  async nodes(): Promise<NodeConnections[]> {
    return [{ nodeId: this.nodeId, connections: this.localCounts() }];
  }
}
