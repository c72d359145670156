/** What nodes say to each other on their inbox channels. */
import type { Reply, UnitRequest } from "@care-gateway/shared";
import type { StoredEvent } from "../delivery/outbox.js";

export type NodeMessage =
  /** Ask the unit's owner to deliver a request; answer on `origin`'s inbox with the same key. */
  | { kind: "request"; origin: string; key: string; unitId: string; request: UnitRequest; hops?: number }
  /** The outcome of a forwarded request. */
  | { kind: "reply"; key: string; reply: Reply }
  /**
   * New events wait in this unit's outbox: the owner should deliver them. `events`: the ones just
   * appended (a copy of what is in the stream), so the owner need not read them back.
   */
  | { kind: "pump"; unitId: string; events?: StoredEvent[] };

/** What every node hears on the cluster channel. */
export type ClusterNotice = { kind: "presence"; from: string };
