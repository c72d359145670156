/**
 * The seam for requests to a unit owned by another node. Single node: none. Cluster: a targeted hop
 * on the owning node's channel; the answer comes back to this node and settles the pending entry.
 */
import type { Reply, UnitRequest } from "@care-gateway/shared";
import type { UnitLocation } from "../connections/presence.js";

export interface RemoteRoute {
  /** Sends `request` to the node in `location`; the outcome arrives later through `settle(key, reply)`. */
  forward(location: UnitLocation, key: string, request: UnitRequest, settle: (key: string, reply: Reply) => void): void;
}
