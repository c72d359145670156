/**
 * @care-gateway/client-sdk: UnitClient, PortalClient, BridgeClient and AdminClient over one connection
 * core. No Node built-ins and no Joi: the same source builds for browsers.
 */
export { AdminClient, type AdminClientOptions } from "./admin-client.js";
export { BaseClient } from "./base-client.js";
export { BridgeClient, type BridgeClientOptions, type PublishOptions, type PublishOutcome } from "./bridge-client.js";
export { CallerClient, type AnyUnitEvent, type RequestOptions, type SubscribeOutcome } from "./caller-client.js";
export { resolveClientOptions, type ClientOptions, type ResolvedClientOptions, type TokenProvider, type Transport } from "./client-options.js";
export { ConnectionCore, type ConnectionCoreOptions, type ConnectionEvents, type DisconnectInfo, type ReconnectInfo } from "./connection-core.js";
export { ConnectionState } from "./connection-state.js";
export { Backoff } from "./backoff.js";
export { GatewayError, isGatewayError, type GatewayErrorCode, type GatewayErrorOptions } from "./gateway-error.js";
export { PortalClient, type PortalClientOptions } from "./portal-client.js";
export { TypedEmitter } from "./typed-emitter.js";
export { UnitClient, type UnitClientOptions, type UnitPublishOptions } from "./unit-client.js";
export type { EventHandler, UnitNotices } from "./unit-events.js";
export { UnitErrorCode, type RequestContext, type RequestHandler } from "./unit-requests.js";

export {
  ClientErrorCode,
  ConnectErrorCode,
  DEFAULT_BACKOFF,
  DisconnectCode,
  ErrorCode,
  EventName,
  Namespace,
  TERMINAL_CONNECT_ERROR_CODES,
  TERMINAL_DISCONNECT_CODES,
  fullJitterDelay,
  type Amount,
  type BackoffOptions,
  type DownstreamEvent,
  type EventCatalogue,
  type EventGapNotice,
  type EventPayload,
  type EventType,
  type NodeRequestStats,
  type Occupancy,
  type PublishTarget,
  type RequestCatalogue,
  type RequestOrigin,
  type RequestPayload,
  type RequestResult,
  type RequestStats,
  type RequestType,
  type UnitEventBroadcast,
  type UnitStatus,
} from "@care-gateway/shared";
