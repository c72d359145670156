/**
 * The envelopes that travel on each event of the protocol. Timestamps in envelopes
 * (`deadline`, `ts`, `at`, `connectedAt`) are epoch milliseconds; `exp` is epoch seconds, as in JWT.
 */
import type { EventPayload, EventType, RequestPayload, RequestType } from "./catalogue-types.js";
import type { DisconnectCode } from "./error-codes.js";
import type { SocketRole } from "./names.js";

/** A caller's (portal or bridge) request to one unit. */
export interface RequestEnvelope<T extends RequestType = RequestType> {
  unitId: string;
  type: T;
  payload: RequestPayload<T>;
  timeoutMs?: number;
  /** Correlation and idempotency key; the gateway makes one when absent. */
  id?: string;
}

/** Who sent a request, as the unit sees it. */
export interface RequestOrigin {
  role: SocketRole;
  sub: string;
}

/** A request as the unit receives it. */
export interface UnitRequest<T extends RequestType = RequestType> {
  id: string;
  type: T;
  payload: RequestPayload<T>;
  from: RequestOrigin;
  /** Epoch milliseconds after which the caller no longer waits. */
  deadline: number;
}

/** What a unit publishes upstream. */
export interface UnitEventEnvelope<T extends EventType = EventType> {
  type: T;
  payload: EventPayload<T>;
  id?: string;
}

/** An upstream unit event as portals and the bridge receive it. */
export interface UnitEventBroadcast<T extends EventType = EventType> {
  unitId: string;
  id: string;
  type: T;
  payload: EventPayload<T>;
  ts: number;
}

export type PublishTarget = { unitId: string } | { unitIds: string[] } | { all: true };

/** The bridge's downstream publish. */
export interface PublishEnvelope<T extends EventType = EventType> {
  target: PublishTarget;
  type: T;
  payload: EventPayload<T>;
  id?: string;
  /** Send `delivery:receipt` to this bridge principal as each target unit acknowledges the event. */
  receipt?: boolean;
}

/** A unit acknowledged (processed) the event of publish `id`. */
export interface DeliveryReceipt {
  /** The publish id. */
  id: string;
  unitId: string;
  /** The event's id in the unit's stream. */
  eventId: number;
  at: number;
}

export interface PublishResult {
  ok: true;
  /** The publish id: the bridge's own or one the gateway made. */
  id: string;
  /** Units online now, to which the event was sent at once. */
  delivered: number;
  /** Offline units for which the event was stored. */
  queued: number;
}

/** A downstream event as the unit receives it. `id` increases per unit. */
export interface DownstreamEvent<T extends EventType = EventType> {
  id: number;
  type: T;
  payload: EventPayload<T>;
  ts: number;
  /** The publish this event came from. */
  publishId?: string;
}

/** Ids `from`..`to` (inclusive) were dropped by retention before the unit acknowledged them. */
export interface EventGapNotice {
  from: number;
  to: number;
}

export interface SubscribeArgs {
  unitIds: string[];
}

export interface SubscribeResult {
  ok: true;
  subscribed: string[];
  denied: string[];
}

export interface UnitStatus {
  unitId: string;
  online: boolean;
  at: number;
}

export interface ConnectionCounts {
  units: number;
  portal: number;
  bridge: number;
  admin: number;
}

export interface OccupancyUnit {
  unitId: string;
  nodeId: string;
  connectedAt: number;
}

/** One node's request traffic over the last minute (requests from portals and the bridge to units). */
export interface RequestStats {
  /** Requests that reached an outcome (answer or error) in the last minute, per second. */
  requestsPerSecond: number;
  /** 99th percentile of their time from arrival to outcome, in ms; 0 when there were none. */
  p99Ms: number;
  /** Requests waiting for their outcome on this node now. */
  inFlight: number;
}

export interface NodeRequestStats extends RequestStats {
  nodeId: string;
}

export interface Occupancy {
  at: number;
  nodes: { nodeId: string; connections: ConnectionCounts }[];
  totals: ConnectionCounts;
  units: OccupancyUnit[];
  /** Request traffic per node over the last minute. Optional: older nodes do not send it. */
  requests?: NodeRequestStats[];
}

export interface UnitDisconnectArgs {
  unitId: string;
  reason: string;
}

export interface PrincipalRevokeArgs {
  sub: string;
  reason?: string;
}

export interface AuthExpiring {
  exp: number;
}

export interface AuthRefreshArgs {
  token: string;
}

export interface ServerDraining {
  reconnectAfterMs: number;
}

export interface ServerDisconnect {
  code: DisconnectCode;
  message: string;
}

/** Handshake `auth` object. */
export interface HandshakeAuth {
  token: string;
  /** Units only: the last downstream event id the unit has processed. */
  lastEventId?: number;
}
