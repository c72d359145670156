/**
 * The codes the bridge's HTTP interface answers with. The protocol's own (ErrorCode, the handshake
 * codes for caller authentication, the SDK's ClientErrorCode) come from @care-gateway/shared; the
 * few that only an HTTP interface needs are defined here, once, with their fixed messages.
 */
import { ClientErrorCode, ConnectErrorCode, ERROR_MESSAGES, ErrorCode } from "@care-gateway/shared";

export const BridgeErrorCode = {
  /** No route for this method and path. */
  NOT_FOUND: "NOT_FOUND",
  /** The body is not `application/json`. */
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  /** The body is larger than BRIDGE_BODY_LIMIT_BYTES. */
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  /** An Idempotency-Key already used (by this caller) for a different request. */
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
} as const;
export type BridgeErrorCode = (typeof BridgeErrorCode)[keyof typeof BridgeErrorCode];

/** The caller-authentication codes the bridge answers (the handshake's, reused). */
export const AUTH_CODES = [ConnectErrorCode.AUTH_REQUIRED, ConnectErrorCode.AUTH_INVALID, ConnectErrorCode.AUTH_EXPIRED, ConnectErrorCode.AUTH_FORBIDDEN] as const;
export type AuthCode = (typeof AUTH_CODES)[number];

/** Every code an HTTP error body of the bridge may carry. */
export type HttpErrorCode = ErrorCode | AuthCode | typeof ClientErrorCode.NOT_CONNECTED | typeof ClientErrorCode.CONNECTION_LOST | BridgeErrorCode;

export const BRIDGE_ERROR_MESSAGES: Readonly<Record<BridgeErrorCode, string>> = {
  NOT_FOUND: "No such route.",
  UNSUPPORTED_MEDIA_TYPE: "The body must be application/json.",
  PAYLOAD_TOO_LARGE: "The body is too large.",
  IDEMPOTENCY_KEY_REUSED: "This Idempotency-Key was used for a different request.",
};

/** Every code the bridge may answer, for the documentation check and the OpenAPI enum. */
export const HTTP_ERROR_CODES: readonly HttpErrorCode[] = [
  ...Object.values(ErrorCode),
  ...AUTH_CODES,
  ClientErrorCode.NOT_CONNECTED,
  ClientErrorCode.CONNECTION_LOST,
  ...Object.values(BridgeErrorCode),
];

export function messageOf(code: HttpErrorCode): string {
  return Object.hasOwn(BRIDGE_ERROR_MESSAGES, code) ? BRIDGE_ERROR_MESSAGES[code as BridgeErrorCode] : ERROR_MESSAGES[code as Exclude<HttpErrorCode, BridgeErrorCode>];
}
