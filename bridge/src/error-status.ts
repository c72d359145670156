/**
 * The one mapping from codes to HTTP statuses, and which outcomes an Idempotency-Key keeps.
 *
 * UNIT_OFFLINE is 404, not 503: it says something about the addressed unit (it has no live
 * connection now), not about the bridge, which is healthy and serving other units. A 5xx would count
 * against the bridge in the API Gateway's error rates, outlier detection and circuit breakers, and
 * generic HTTP clients would retry it blindly. 503 is kept for "the bridge cannot serve anything
 * now" (its /bridge socket is down, or it is shutting down), which a load balancer should act on.
 * The body's code tells UNIT_OFFLINE from an unknown route (NOT_FOUND).
 */
import { ClientErrorCode, ConnectErrorCode, ErrorCode } from "@care-gateway/shared";
import { BridgeErrorCode, type HttpErrorCode } from "./error-codes.js";
import type { Outcome } from "./outcome.js";

/** Where an error arose: the bridge itself, or the gateway's reply. Only INTERNAL differs (500 vs 502). */
export type ErrorOrigin = "bridge" | "gateway";

const STATUS: Readonly<Record<HttpErrorCode, number>> = {
  [ErrorCode.VALIDATION_FAILED]: 400,
  [ErrorCode.UNKNOWN_TYPE]: 400,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.UNIT_OFFLINE]: 404,
  [ErrorCode.UNIT_DISCONNECTED]: 502,
  [ErrorCode.UNIT_ERROR]: 502,
  [ErrorCode.TIMEOUT]: 504,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.OVERLOADED]: 429,
  [ErrorCode.SHUTTING_DOWN]: 503,
  [ErrorCode.INTERNAL]: 500,
  [ConnectErrorCode.AUTH_REQUIRED]: 401,
  [ConnectErrorCode.AUTH_INVALID]: 401,
  [ConnectErrorCode.AUTH_EXPIRED]: 401,
  [ConnectErrorCode.AUTH_FORBIDDEN]: 403,
  [ClientErrorCode.NOT_CONNECTED]: 503,
  [ClientErrorCode.CONNECTION_LOST]: 503,
  [BridgeErrorCode.NOT_FOUND]: 404,
  [BridgeErrorCode.UNSUPPORTED_MEDIA_TYPE]: 415,
  [BridgeErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [BridgeErrorCode.IDEMPOTENCY_KEY_REUSED]: 422,
};

/** Codes after which retrying later may succeed: answered with `Retry-After` (seconds). */
const RETRY_AFTER_S: Partial<Record<HttpErrorCode, number>> = {
  [ErrorCode.RATE_LIMITED]: 1,
  [ErrorCode.OVERLOADED]: 1,
  [ErrorCode.SHUTTING_DOWN]: 1,
  [ClientErrorCode.NOT_CONNECTED]: 1,
};

export function statusOf(code: HttpErrorCode, origin: ErrorOrigin = "bridge"): { status: number; retryAfterS?: number } {
  const status = code === ErrorCode.INTERNAL && origin === "gateway" ? 502 : STATUS[code];
  const retryAfterS = RETRY_AFTER_S[code];
  return retryAfterS === undefined ? { status } : { status, retryAfterS };
}

/**
 * Outcomes an Idempotency-Key keeps for its window: every outcome after which the request may have
 * reached the unit (its answer, UNIT_ERROR, TIMEOUT, UNIT_DISCONNECTED, CONNECTION_LOST, INTERNAL).
 * Refusals that happen before anything is sent to a unit (validation, authorization, UNIT_OFFLINE,
 * rate limits, the bridge or gateway not taking traffic) are not kept: a retry with the same key runs
 * again, which is what makes "retry until the unit is online" work.
 */
const NOT_KEPT: ReadonlySet<string> = new Set<HttpErrorCode>([
  ErrorCode.VALIDATION_FAILED,
  ErrorCode.UNKNOWN_TYPE,
  ErrorCode.FORBIDDEN,
  ErrorCode.UNIT_OFFLINE,
  ErrorCode.RATE_LIMITED,
  ErrorCode.OVERLOADED,
  ErrorCode.SHUTTING_DOWN,
  ConnectErrorCode.AUTH_REQUIRED,
  ConnectErrorCode.AUTH_INVALID,
  ConnectErrorCode.AUTH_EXPIRED,
  ConnectErrorCode.AUTH_FORBIDDEN,
  ClientErrorCode.NOT_CONNECTED,
  BridgeErrorCode.NOT_FOUND,
  BridgeErrorCode.UNSUPPORTED_MEDIA_TYPE,
  BridgeErrorCode.PAYLOAD_TOO_LARGE,
  BridgeErrorCode.IDEMPOTENCY_KEY_REUSED,
]);

export function isKeptOutcome(outcome: Outcome): boolean {
  return outcome.body.ok || !NOT_KEPT.has(outcome.body.error.code);
}
