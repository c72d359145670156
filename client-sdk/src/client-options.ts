/** Options every client takes, validated once and frozen: a bad value throws a TypeError naming the option. */
import { DEFAULT_BACKOFF, SOCKET_IO_PATH, type BackoffOptions } from "@care-gateway/shared";

/** A token, or a function called on every connect attempt (so it can hand out a fresh one). */
export type TokenProvider = string | (() => string | Promise<string>);

export type Transport = "websocket" | "polling";

export interface ClientOptions {
  /** Base URL of the gateway, e.g. `http://127.0.0.1:3000` (no namespace). */
  url: string;
  token: TokenProvider;
  /** Default `["websocket"]` (the only transport that works across a cluster without sticky sessions). */
  transports?: Transport[];
  /** Reconnect backoff; default shared's DEFAULT_BACKOFF. */
  backoff?: Partial<BackoffOptions>;
  /** An attempt not connected by then is abandoned and retried with backoff. Default 20 000. */
  connectTimeoutMs?: number;
  /** The longest a request without `timeoutMs` may take at the gateway (its REQUEST_TIMEOUT_MAX_MS). Default 60 000. */
  requestTimeoutMs?: number;
  /** Local deadline of other acknowledged calls (subscribe, publish, occupancy...). Default 10 000. */
  callTimeoutMs?: number;
  /** Added to each local deadline so the gateway's own answer (e.g. TIMEOUT) normally arrives first. Default 2 000. */
  ackMarginMs?: number;
  /** Socket.IO path; default `/socket.io`. */
  path?: string;
  /** Source of randomness for jitter (tests make it deterministic). Default Math.random. */
  random?: () => number;
  /**
   * Node only: what is sent during one turn of the event loop leaves in one TCP write at the end of
   * that turn instead of one write per packet (less CPU for a client that sends thousands of calls a
   * second, such as the API Bridge). Ignored in browsers and on the polling transport. Default false.
   */
  coalesceWrites?: boolean;
}

export interface ResolvedClientOptions {
  readonly url: string;
  readonly token: TokenProvider;
  readonly transports: readonly Transport[];
  readonly backoff: Readonly<BackoffOptions>;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly callTimeoutMs: number;
  readonly ackMarginMs: number;
  readonly path: string;
  readonly random: () => number;
  readonly coalesceWrites: boolean;
}

const TRANSPORTS: readonly Transport[] = ["websocket", "polling"];

export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  if (typeof options !== "object" || options === null) throw new TypeError("options must be an object");
  const url = options.url;
  if (typeof url !== "string" || !/^(https?|wss?):\/\/[^/]/.test(url)) throw new TypeError("options.url must be an http(s) or ws(s) URL");
  const token = options.token;
  if (typeof token !== "function" && (typeof token !== "string" || token.length === 0)) {
    throw new TypeError("options.token must be a non-empty string or a function returning one");
  }
  const transports = options.transports ?? ["websocket"];
  if (!Array.isArray(transports) || transports.length === 0 || transports.some((t) => !TRANSPORTS.includes(t))) {
    throw new TypeError(`options.transports must be a non-empty list of ${TRANSPORTS.join(", ")}`);
  }
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  positive("backoff.baseMs", backoff.baseMs, 0);
  positive("backoff.maxMs", backoff.maxMs, backoff.baseMs);
  const random = options.random ?? Math.random;
  if (typeof random !== "function") throw new TypeError("options.random must be a function");
  const path = options.path ?? SOCKET_IO_PATH;
  if (typeof path !== "string" || !path.startsWith("/")) throw new TypeError("options.path must start with /");
  const coalesceWrites = options.coalesceWrites ?? false;
  if (typeof coalesceWrites !== "boolean") throw new TypeError("options.coalesceWrites must be a boolean");
  return Object.freeze({
    url: url.replace(/\/+$/, ""),
    token,
    transports: Object.freeze([...transports]),
    backoff: Object.freeze(backoff),
    connectTimeoutMs: positive("connectTimeoutMs", options.connectTimeoutMs ?? 20_000, 1),
    requestTimeoutMs: positive("requestTimeoutMs", options.requestTimeoutMs ?? 60_000, 1),
    callTimeoutMs: positive("callTimeoutMs", options.callTimeoutMs ?? 10_000, 1),
    ackMarginMs: positive("ackMarginMs", options.ackMarginMs ?? 2_000, 0),
    path,
    random,
    coalesceWrites,
  });
}

function positive(name: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new TypeError(`options.${name} must be a finite number >= ${min}`);
  }
  return value;
}
