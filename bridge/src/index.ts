/** @care-gateway/bridge: the API Bridge, REST in front of the gateway. `createBridgeApp` to embed it, or run `main.ts`. */
export { createBridgeApp, type BridgeApp, type BridgeDeps } from "./app.js";
export { loadBridgeConfig, type BridgeConfig, type BridgeTokenSource, type CallerAuth } from "./config.js";
export { BridgeErrorCode, BRIDGE_ERROR_MESSAGES, HTTP_ERROR_CODES, messageOf, type HttpErrorCode } from "./error-codes.js";
export { statusOf, isKeptOutcome } from "./error-status.js";
export { IdempotencyStore, type Admission, type IdempotencyStoreOptions } from "./idempotency-store.js";
export { callerMay, ANONYMOUS_CALLER, type Caller, type Permission } from "./caller-auth.js";
export { buildOpenApi, openApiPath, type OpenApiDocument, type OpenApiOperation } from "./openapi.js";
export { errorOutcome, okOutcome, type Outcome, type Body, type OkBody, type ErrorBody } from "./outcome.js";
export { REQUEST_ID_HEADER } from "./request-id.js";
export { HttpRequestMetrics, HTTP_DURATION_BUCKETS, HTTP_DURATION_HELP, HTTP_DURATION_METRIC, HTTP_REQUESTS_HELP, HTTP_REQUESTS_METRIC } from "./http-request-metrics.js";
export type { Readiness } from "./routes/index.js";
