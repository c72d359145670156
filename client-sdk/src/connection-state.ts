/** The states of a connection, as one `as const` object with a derived union. */
export const ConnectionState = {
  /** Created; `connect()` not called yet. */
  IDLE: "idle",
  /** Trying to connect for the first time (retrying with backoff while refused or unreachable). */
  CONNECTING: "connecting",
  CONNECTED: "connected",
  /** Was connected, lost it, and is trying again with backoff. */
  RECONNECTING: "reconnecting",
  /** Closed by `close()` or by a terminal refusal or notice. Final. */
  CLOSED: "closed",
} as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];
