/**
 * Typed event maps for each namespace, for `Server<...>`'s namespaces and the client's `Socket<...>`.
 * The last parameter of an event that expects an answer is its acknowledgement callback.
 */
import type { RequestResult, RequestType } from "./catalogue-types.js";
import type {
  AuthExpiring,
  AuthRefreshArgs,
  DeliveryReceipt,
  DownstreamEvent,
  EventGapNotice,
  Occupancy,
  PrincipalRevokeArgs,
  PublishEnvelope,
  PublishResult,
  RequestEnvelope,
  ServerDisconnect,
  ServerDraining,
  SubscribeArgs,
  SubscribeResult,
  UnitDisconnectArgs,
  UnitEventBroadcast,
  UnitEventEnvelope,
  UnitRequest,
  UnitStatus,
} from "./envelopes.js";
import type { Ack, DataReply, ErrorReply, Reply, UnitAnswer } from "./replies.js";

export type AuthRefreshReply = { ok: true; exp: number } | ErrorReply;
export type PublishReply = PublishResult | ErrorReply;
export type SubscribeReply = SubscribeResult | ErrorReply;
export type OccupancyReply = DataReply<Occupancy>;
export type RequestReply<T extends RequestType = RequestType> = DataReply<RequestResult<T>>;

/** Notices every namespace's clients may receive. */
export interface CommonServerEvents {
  "auth:expiring": (notice: AuthExpiring) => void;
  "server:draining": (notice: ServerDraining) => void;
  "server:disconnect": (notice: ServerDisconnect) => void;
}

export interface CommonClientEvents {
  "auth:refresh": (args: AuthRefreshArgs, ack: Ack<AuthRefreshReply>) => void;
}

// ---- /units
export interface UnitServerEvents extends CommonServerEvents {
  request: (request: UnitRequest, ack: Ack<UnitAnswer>) => void;
  event: (event: DownstreamEvent, ack: Ack<{ ok: true }>) => void;
  "event:gap": (gap: EventGapNotice) => void;
}
export interface UnitClientEvents extends CommonClientEvents {
  event: (event: UnitEventEnvelope, ack: Ack<Reply<never>>) => void;
}

// ---- /portal
export interface PortalServerEvents extends CommonServerEvents {
  "unit:event": (event: UnitEventBroadcast) => void;
  "unit:status": (status: UnitStatus) => void;
}
export interface PortalClientEvents extends CommonClientEvents {
  request: (envelope: RequestEnvelope, ack: Ack<RequestReply>) => void;
  subscribe: (args: SubscribeArgs, ack: Ack<SubscribeReply>) => void;
  unsubscribe: (args: SubscribeArgs, ack: Ack<Reply<never>>) => void;
}

// ---- /bridge
export interface BridgeServerEvents extends PortalServerEvents {
  "delivery:receipt": (receipt: DeliveryReceipt) => void;
}
export interface BridgeClientEvents extends PortalClientEvents {
  publish: (envelope: PublishEnvelope, ack: Ack<PublishReply>) => void;
  "occupancy:get": (args: Record<string, never>, ack: Ack<OccupancyReply>) => void;
  "principal:revoke": (args: PrincipalRevokeArgs, ack: Ack<Reply<never>>) => void;
}

// ---- /admin
export interface AdminServerEvents extends CommonServerEvents {
  occupancy: (occupancy: Occupancy) => void;
}
export interface AdminClientEvents extends CommonClientEvents {
  "occupancy:get": (args: Record<string, never>, ack: Ack<OccupancyReply>) => void;
  "unit:disconnect": (args: UnitDisconnectArgs, ack: Ack<Reply<never>>) => void;
  "principal:revoke": (args: PrincipalRevokeArgs, ack: Ack<Reply<never>>) => void;
}
