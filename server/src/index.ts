/** @care-gateway/server: embed the gateway, or run `main.ts`. */
export { createGateway, type Gateway, type GatewayOptions } from "./gateway.js";
export { loadConfig } from "./config/load-config.js";
export { ConfigError } from "./config/key-algorithms.js";
export type { GatewayConfig, JwtConfig } from "./config/gateway-config.js";
export { createLogger, FORBIDDEN_LOG_FIELDS, type Logger } from "./observability/logger.js";
export { createAuditLog, type AuditLog, type AuditRecord } from "./observability/audit-log.js";
export { FixedWindowCounter } from "./limits/fixed-window.js";
export { LineBatcher, DEFAULT_LINE_BATCHING, type LineBatcherOptions } from "./observability/line-batcher.js";
export { OneLabelHistogram, RequestOutcomes } from "./observability/request-outcomes.js";
export { LocalPresence } from "./connections/local-presence.js";
export type { Presence, UnitLocation } from "./connections/presence.js";
export { MemoryOutbox } from "./delivery/memory-outbox.js";
export type { Outbox, StoredEvent } from "./delivery/outbox.js";
export { CarriedEvents } from "./cluster/carried-events.js";
export { TokenVerifier, AuthFailure } from "./auth/token-verifier.js";
export { JwksKeys } from "./auth/jwks-keys.js";
export type { Principal } from "./auth/principal.js";
