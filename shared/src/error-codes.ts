/**
 * Every error code of the protocol, defined once. Server, SDK and docs take them from here.
 */

/** Codes an acknowledgement may carry in `{ ok: false, error: { code } }`. */
export const ErrorCode = {
  VALIDATION_FAILED: "VALIDATION_FAILED",
  UNKNOWN_TYPE: "UNKNOWN_TYPE",
  FORBIDDEN: "FORBIDDEN",
  UNIT_OFFLINE: "UNIT_OFFLINE",
  UNIT_DISCONNECTED: "UNIT_DISCONNECTED",
  UNIT_ERROR: "UNIT_ERROR",
  TIMEOUT: "TIMEOUT",
  RATE_LIMITED: "RATE_LIMITED",
  OVERLOADED: "OVERLOADED",
  SHUTTING_DOWN: "SHUTTING_DOWN",
  INTERNAL: "INTERNAL",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes of a refused handshake: `connect_error` with `err.message === code` and `err.data = { code, message }`. */
export const ConnectErrorCode = {
  AUTH_REQUIRED: "AUTH_REQUIRED",
  AUTH_INVALID: "AUTH_INVALID",
  AUTH_EXPIRED: "AUTH_EXPIRED",
  AUTH_FORBIDDEN: "AUTH_FORBIDDEN",
  ORIGIN_FORBIDDEN: "ORIGIN_FORBIDDEN",
  RATE_LIMITED: "RATE_LIMITED",
  SHUTTING_DOWN: "SHUTTING_DOWN",
} as const;
export type ConnectErrorCode = (typeof ConnectErrorCode)[keyof typeof ConnectErrorCode];

/** Why the server closed a connection; sent in `server:disconnect` just before it does. */
export const DisconnectCode = {
  /** A newer connection of the same unit took over. Reconnecting would fight it. */
  SUPERSEDED: "SUPERSEDED",
  /** An operator disconnected the unit from the admin namespace. */
  ADMIN_DISCONNECT: "ADMIN_DISCONNECT",
  /** The token expired and was not refreshed. */
  AUTH_EXPIRED: "AUTH_EXPIRED",
  /** The principal's access was revoked. */
  REVOKED: "REVOKED",
  /** The node is shutting down; reconnect to another one. */
  SHUTTING_DOWN: "SHUTTING_DOWN",
} as const;
export type DisconnectCode = (typeof DisconnectCode)[keyof typeof DisconnectCode];

/** Disconnect codes after which a client must not reconnect by itself. */
export const TERMINAL_DISCONNECT_CODES: readonly DisconnectCode[] = [DisconnectCode.SUPERSEDED, DisconnectCode.REVOKED];

/** Handshake refusals that retrying with the same configuration cannot cure. */
export const TERMINAL_CONNECT_ERROR_CODES: readonly ConnectErrorCode[] = [
  ConnectErrorCode.AUTH_FORBIDDEN,
  ConnectErrorCode.ORIGIN_FORBIDDEN,
];

/** Codes the client SDK raises itself, never sent by the server. */
export const ClientErrorCode = {
  /** The request was not sent: the client is not connected. Safe to retry. */
  NOT_CONNECTED: "NOT_CONNECTED",
  /** The connection dropped after the request was sent; its outcome is unknown. */
  CONNECTION_LOST: "CONNECTION_LOST",
  /** The client was closed by its owner while the request was pending. */
  CLIENT_CLOSED: "CLIENT_CLOSED",
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/** The fixed, non-revealing message that goes with each code. */
export const ERROR_MESSAGES: Readonly<Record<ErrorCode | ConnectErrorCode | DisconnectCode | ClientErrorCode, string>> = {
  VALIDATION_FAILED: "The message does not match its schema.",
  UNKNOWN_TYPE: "The message type is not in the catalogue.",
  FORBIDDEN: "Not permitted for this principal.",
  UNIT_OFFLINE: "The unit has no live connection.",
  UNIT_DISCONNECTED: "The unit disconnected before answering.",
  UNIT_ERROR: "The unit answered with an error.",
  TIMEOUT: "No answer before the deadline.",
  RATE_LIMITED: "Too many requests; slow down.",
  OVERLOADED: "Too many requests in flight.",
  SHUTTING_DOWN: "The gateway node is shutting down.",
  INTERNAL: "Internal gateway error.",
  AUTH_REQUIRED: "A token is required.",
  AUTH_INVALID: "The token is not valid.",
  AUTH_EXPIRED: "The token has expired.",
  AUTH_FORBIDDEN: "The token does not permit this namespace.",
  ORIGIN_FORBIDDEN: "The origin is not allowed.",
  SUPERSEDED: "A newer connection for this unit took over.",
  ADMIN_DISCONNECT: "Disconnected by an operator.",
  REVOKED: "Access was revoked.",
  NOT_CONNECTED: "The client is not connected.",
  CONNECTION_LOST: "The connection was lost before the answer arrived; the outcome is unknown.",
  CLIENT_CLOSED: "The client was closed.",
};
