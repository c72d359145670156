/**
 * The browser entry of the SDK: what a portal or an operator's page needs (PortalClient,
 * AdminClient, GatewayError, the codes and the contract's types), without the unit and bridge
 * clients. `client-sdk/scripts/build-browser.mjs` bundles it into `dist/browser/`: an ES module for
 * bundlers (socket.io-client left as an import) and one minified file with socket.io-client inside,
 * for a plain `<script type="module">`. No Node built-ins and no Joi (lint rule and a test).
 */
export { AdminClient, type AdminClientOptions } from "./admin-client.js";
export { BaseClient } from "./base-client.js";
export { CallerClient, type AnyUnitEvent, type RequestOptions, type SubscribeOutcome } from "./caller-client.js";
export type { ClientOptions, TokenProvider, Transport } from "./client-options.js";
export type { ConnectionCore, ConnectionEvents, DisconnectInfo, ReconnectInfo } from "./connection-core.js";
export { ConnectionState } from "./connection-state.js";
export { GatewayError, isGatewayError, type GatewayErrorCode, type GatewayErrorOptions } from "./gateway-error.js";
export { PortalClient, type PortalClientOptions } from "./portal-client.js";

export {
  ClientErrorCode,
  ConnectErrorCode,
  DisconnectCode,
  ERROR_MESSAGES,
  ErrorCode,
  EventName,
  Namespace,
  TERMINAL_CONNECT_ERROR_CODES,
  TERMINAL_DISCONNECT_CODES,
  UNIT_ID_PATTERN,
  type Amount,
  type ConnectionCounts,
  type EventCatalogue,
  type EventPayload,
  type EventType,
  type NodeRequestStats,
  type Occupancy,
  type OccupancyUnit,
  type RequestCatalogue,
  type RequestPayload,
  type RequestResult,
  type RequestStats,
  type RequestType,
  type UnitEventBroadcast,
  type UnitStatus,
} from "@care-gateway/shared";
