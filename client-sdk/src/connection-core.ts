/**
 * The connection core every role client is built on: one socket.io-client Socket for one namespace,
 * with the SDK's own reconnect loop (Socket.IO's is off) so that the token provider runs on every
 * attempt, backoff is full-jitter with a cap, the server's notices decide whether to come back, and
 * `close()` leaves nothing behind: no socket, no timer, no pending call.
 */
import {
  ClientErrorCode,
  ConnectErrorCode,
  EventName,
  Namespace,
  TERMINAL_CONNECT_ERROR_CODES,
  TERMINAL_DISCONNECT_CODES,
  type Ack,
  type DisconnectCode,
  type NamespaceName,
  type ServerDisconnect,
} from "@care-gateway/shared";
import { io, type Socket } from "socket.io-client";
import { Backoff } from "./backoff.js";
import { resolveClientOptions, type ClientOptions, type ResolvedClientOptions } from "./client-options.js";
import { ConnectionState } from "./connection-state.js";
import { GatewayError, isRecord } from "./gateway-error.js";
import { PendingCalls } from "./pending-calls.js";
import type { OkAck } from "./reply-outcome.js";
import { TimerSet } from "./timer-set.js";
import { resolveToken } from "./token-provider.js";
import { TypedEmitter } from "./typed-emitter.js";
import { WriteCoalescer, canCoalesceWrites } from "./write-coalescer.js";

export interface ConnectionCoreOptions extends ClientOptions {
  namespace: NamespaceName;
  /** Extra handshake `auth` fields, read on every connect attempt (units send `lastEventId`). `token` always wins. */
  handshake?: () => Record<string, unknown>;
}

export interface DisconnectInfo {
  /** Socket.IO's reason, e.g. "io server disconnect", "transport close". */
  reason: string;
  /** The code of the `server:disconnect` notice that preceded it, if any. */
  code?: DisconnectCode;
  willReconnect: boolean;
}

export interface ReconnectInfo {
  /** Attempts since the last successful connect, this one included. */
  attempt: number;
  delayMs: number;
  /** Why: the disconnect reason, the failed attempt's error message, or "server draining". */
  reason: string;
}

export interface ConnectionEvents {
  state: (state: ConnectionState, previous: ConnectionState) => void;
  /** Handshake refusals, terminal notices, token provider failures, failed token refreshes. */
  error: (error: GatewayError) => void;
  disconnect: (info: DisconnectInfo) => void;
  /** A (re)connect attempt is scheduled. */
  reconnecting: (info: ReconnectInfo) => void;
}

type TimerName = "retry" | "attempt" | "drain";
type Waiter = { resolve: () => void; reject: (error: GatewayError) => void };
type RawListener = (...args: never[]) => void;

const NAMESPACES: readonly string[] = Object.values(Namespace);
const DRAIN_REASON = "server draining";
/** While draining, how long the client waits for its own in-flight work before leaving anyway. */
const DRAIN_MAX_WAIT_MS = 30_000;
const DRAIN_RECHECK_MS = 50;
const ATTEMPT_TIMEOUT_REASON = "connect timeout";

export class ConnectionCore {
  readonly namespace: NamespaceName;
  readonly options: ResolvedClientOptions;
  readonly #events = new TypedEmitter<ConnectionEvents>();
  readonly #pending = new PendingCalls();
  readonly #timers = new TimerSet<TimerName>();
  readonly #waiters = new Set<Waiter>();
  readonly #backoff: Backoff;
  readonly #handshake: () => Record<string, unknown>;
  readonly #socket: Socket;
  /** Set with the `coalesceWrites` option (Node): this turn's packets leave in one write. */
  readonly #coalescer: WriteCoalescer | undefined;
  #state: ConnectionState = ConnectionState.IDLE;
  #everConnected = false;
  /** Increments per attempt: a token that arrives for an abandoned attempt is not used. */
  #attemptId = 0;
  /** Increments on every connect and disconnect: an acknowledgement for an earlier session is not sent. */
  #session = 0;
  #notice: ServerDisconnect | undefined;
  #drainAt = 0;
  /** Work in progress whose answers travel on this connection. */
  #held = 0;
  /** The drain delay elapsed while connected: the SDK disconnected on purpose and reconnects at once. */
  #cycling = false;
  #closedBy: GatewayError | undefined;

  constructor(options: ConnectionCoreOptions) {
    this.options = resolveClientOptions(options);
    if (!NAMESPACES.includes(options.namespace)) throw new TypeError(`options.namespace must be one of ${NAMESPACES.join(", ")}`);
    this.namespace = options.namespace;
    this.#handshake = options.handshake ?? (() => ({}));
    this.#backoff = new Backoff(this.options.backoff, this.options.random);
    this.#socket = io(this.options.url + this.namespace, {
      path: this.options.path,
      transports: [...this.options.transports],
      autoConnect: false,
      reconnection: false,
      forceNew: true,
      timeout: this.options.connectTimeoutMs,
      auth: (cb) => this.#auth(cb),
    });
    this.#coalescer = this.options.coalesceWrites && canCoalesceWrites() ? new WriteCoalescer(this.#socket) : undefined;
    this.#socket.on("connect", () => this.#onConnect());
    this.#socket.on("connect_error", (error: Error) => this.#onConnectError(error));
    this.#socket.on("disconnect", (reason: string) => this.#onDisconnect(reason));
    this.#socket.on(EventName.SERVER_DISCONNECT, (notice: unknown) => this.#onServerDisconnect(notice));
    this.#socket.on(EventName.SERVER_DRAINING, (notice: unknown) => this.#onDraining(notice));
    this.#socket.on(EventName.AUTH_EXPIRING, () => this.#onAuthExpiring());
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get connected(): boolean {
    return this.#state === ConnectionState.CONNECTED && this.#socket.connected;
  }

  /** Calls waiting for an acknowledgement right now. */
  get pendingCalls(): number {
    return this.#pending.size;
  }

  /**
   * Marks work whose answer goes out on this connection (a unit's request handler): a draining
   * node is left only once such work and pending calls are done (or DRAIN_MAX_WAIT_MS passed).
   */
  holdWhile<T>(work: Promise<T>): Promise<T> {
    this.#held++;
    return work.finally(() => this.#held--);
  }

  on<K extends keyof ConnectionEvents>(event: K, listener: ConnectionEvents[K]): () => void {
    return this.#events.on(event, listener);
  }

  once<K extends keyof ConnectionEvents>(event: K, listener: ConnectionEvents[K]): () => void {
    return this.#events.once(event, listener);
  }

  off<K extends keyof ConnectionEvents>(event: K, listener: ConnectionEvents[K]): void {
    this.#events.off(event, listener);
  }

  /**
   * Starts connecting (if idle) and resolves once connected. Keeps retrying with backoff while the
   * gateway is unreachable or refuses for a curable reason; rejects on a terminal refusal or `close()`.
   */
  connect(): Promise<void> {
    if (this.#state === ConnectionState.CLOSED) return Promise.reject(this.#closedBy ?? new GatewayError(ClientErrorCode.CLIENT_CLOSED));
    if (this.connected) return Promise.resolve();
    const connected = new Promise<void>((resolve, reject) => this.#waiters.add({ resolve, reject }));
    if (this.#state === ConnectionState.IDLE) this.#startAttempt();
    return connected;
  }

  /** Disconnects, clears every timer, rejects pending calls with CLIENT_CLOSED. Idempotent; final. */
  close(): void {
    this.#finish(new GatewayError(ClientErrorCode.CLIENT_CLOSED), ClientErrorCode.CLIENT_CLOSED);
  }

  /**
   * Emits `event` with an acknowledgement and settles exactly once: with the `{ ok: true }` reply, or
   * a GatewayError: the reply's code, NOT_CONNECTED (not sent), CONNECTION_LOST (sent, outcome
   * unknown), CLIENT_CLOSED, or TIMEOUT from the local safety timer (`timeoutMs` + ackMarginMs).
   */
  call(event: EventName, args: unknown, timeoutMs: number = this.options.callTimeoutMs): Promise<OkAck> {
    if (this.#state === ConnectionState.CLOSED) return Promise.reject(new GatewayError(ClientErrorCode.CLIENT_CLOSED));
    // Never let Socket.IO buffer a call while disconnected: it would be sent later, perhaps twice.
    if (!this.connected) return Promise.reject(new GatewayError(ClientErrorCode.NOT_CONNECTED));
    return new Promise<OkAck>((resolve, reject) => {
      const key = this.#pending.open(timeoutMs + this.options.ackMarginMs, resolve, reject);
      this.#coalescer?.hold();
      this.#socket.emit(event, args, (reply: unknown) => {
        this.#pending.settle(key, reply);
      });
    });
  }

  /** Listens to a server event; returns a function that stops listening. Listeners survive reconnects. */
  listen(event: EventName, listener: RawListener): () => void {
    const raw = listener as (...args: unknown[]) => void;
    this.#socket.on(event, raw);
    return () => {
      this.#socket.off(event, raw);
    };
  }

  /**
   * Wraps the acknowledgement of a server event so it is sent only on the session it came from: after
   * a reconnect, Socket.IO would otherwise send it on the new session, where its packet id means another event.
   */
  guardAck<R>(ack: Ack<R>): Ack<R> {
    const session = this.#session;
    let sent = false;
    return (reply: R) => {
      if (sent || session !== this.#session || !this.#socket.connected) return;
      sent = true;
      this.#coalescer?.hold();
      ack(reply);
    };
  }

  /** Lets a role client report an error of its own (e.g. a failed re-subscribe) on the `error` event. */
  reportError(error: GatewayError): void {
    this.#events.emit("error", error);
  }

  // ---- attempts

  #startAttempt(): void {
    if (this.#state === ConnectionState.CLOSED) return;
    this.#timers.clear("retry");
    this.#attemptId++;
    if (!this.#setState(this.#everConnected ? ConnectionState.RECONNECTING : ConnectionState.CONNECTING)) return;
    this.#timers.set("attempt", this.options.connectTimeoutMs, () => this.#attemptFailed(ATTEMPT_TIMEOUT_REASON));
    this.#socket.connect();
  }

  /** Socket.IO asks for the handshake `auth` on every attempt: a fresh token from the provider. */
  #auth(cb: (data: object) => void): void {
    const attempt = this.#attemptId;
    const current = () => attempt === this.#attemptId && this.#state !== ConnectionState.CLOSED && !this.#socket.connected;
    this.#handshakeData().then(
      (data) => {
        if (current()) cb(data);
      },
      (error: unknown) => {
        if (current()) this.#attemptFailed("token provider failed", new GatewayError(ConnectErrorCode.AUTH_REQUIRED, { cause: error }));
      },
    );
  }

  async #handshakeData(): Promise<Record<string, unknown>> {
    const token = await resolveToken(this.options.token);
    return { ...this.#handshake(), token };
  }

  #attemptFailed(reason: string, error?: GatewayError): void {
    if (this.#state === ConnectionState.CLOSED) return;
    this.#timers.clear("attempt");
    this.#socket.disconnect(); // abandons the attempt and closes its transport
    if (error) this.#events.emit("error", error);
    this.#scheduleRetry(reason);
  }

  #scheduleRetry(reason: string): void {
    if (this.#state === ConnectionState.CLOSED) return;
    if (!this.#setState(this.#everConnected ? ConnectionState.RECONNECTING : ConnectionState.CONNECTING)) return;
    const delayMs = this.#backoff.next();
    this.#timers.set("retry", delayMs, () => this.#startAttempt());
    this.#events.emit("reconnecting", { attempt: this.#backoff.attempt, delayMs, reason });
  }

  // ---- socket events

  #onConnect(): void {
    if (this.#state === ConnectionState.CLOSED) return;
    this.#timers.clear("attempt");
    this.#timers.clear("retry");
    this.#timers.clear("drain");
    this.#backoff.reset();
    this.#session++;
    this.#notice = undefined;
    this.#cycling = false;
    this.#everConnected = true;
    if (!this.#setState(ConnectionState.CONNECTED)) return;
    for (const waiter of this.#takeWaiters()) waiter.resolve();
  }

  #onConnectError(error: Error): void {
    if (this.#state === ConnectionState.CLOSED) return;
    const data = (error as Error & { data?: unknown }).data;
    const code = isRecord(data) && typeof data["code"] === "string" ? data["code"] : undefined;
    if (code === undefined) return this.#attemptFailed(error.message || "connect error");
    const refusal = new GatewayError(code, { cause: error });
    if ((TERMINAL_CONNECT_ERROR_CODES as readonly string[]).includes(code)) return this.#terminate(refusal);
    this.#attemptFailed(code, refusal);
  }

  #onServerDisconnect(notice: unknown): void {
    if (!isRecord(notice) || typeof notice["code"] !== "string") return;
    this.#notice = { code: notice["code"] as DisconnectCode, message: typeof notice["message"] === "string" ? notice["message"] : notice["code"] };
    // A terminal notice is obeyed even if the server's close never follows.
    if (isTerminalDisconnect(this.#notice.code)) this.#socket.disconnect();
  }

  #onDraining(notice: unknown): void {
    if (this.#state === ConnectionState.CLOSED) return;
    const after = isRecord(notice) ? notice["reconnectAfterMs"] : undefined;
    const minimumMs = typeof after === "number" && Number.isFinite(after) && after > 0 ? after : 0;
    const delayMs = this.#backoff.after(minimumMs);
    this.#drainAt = Date.now() + delayMs;
    this.#timers.set("drain", delayMs, () => this.#drainElapsed());
  }

  #drainElapsed(): void {
    const busy = this.#pending.size > 0 || this.#held > 0;
    if (this.#state === ConnectionState.CONNECTED && busy && Date.now() - this.#drainAt < DRAIN_MAX_WAIT_MS) {
      // Answers are still on their way over this connection: leave when they have gone.
      this.#timers.set("drain", DRAIN_RECHECK_MS, () => this.#drainElapsed());
      return;
    }
    if (this.#state === ConnectionState.CONNECTED) {
      // Still on the draining node: leave it now and connect again (the balancer picks another node).
      this.#cycling = true;
      this.#socket.disconnect();
    } else if (this.#state === ConnectionState.RECONNECTING) {
      this.#startAttempt();
    }
  }

  #onDisconnect(reason: string): void {
    this.#session++;
    if (this.#state === ConnectionState.CLOSED) return;
    this.#pending.rejectAll(ClientErrorCode.CONNECTION_LOST);
    const notice = this.#notice;
    this.#notice = undefined;
    const code = notice?.code;
    if (notice && isTerminalDisconnect(notice.code)) {
      this.#events.emit("disconnect", { reason, code: notice.code, willReconnect: false });
      return this.#terminate(new GatewayError(notice.code, { message: notice.message }));
    }
    this.#events.emit("disconnect", code === undefined ? { reason, willReconnect: true } : { reason, code, willReconnect: true });
    if (this.#cycling) {
      this.#cycling = false;
      return this.#startAttempt();
    }
    if (this.#timers.has("drain")) {
      // The drain timer starts the next attempt.
      if (!this.#setState(ConnectionState.RECONNECTING)) return;
      this.#events.emit("reconnecting", { attempt: this.#backoff.attempt, delayMs: Math.max(0, this.#drainAt - Date.now()), reason: DRAIN_REASON });
      return;
    }
    this.#scheduleRetry(reason);
  }

  #onAuthExpiring(): void {
    if (typeof this.options.token === "string" || !this.connected) return;
    resolveToken(this.options.token)
      .then((token) => this.call(EventName.AUTH_REFRESH, { token }))
      .catch((error: unknown) => {
        if (this.#state === ConnectionState.CLOSED) return;
        this.#events.emit("error", error instanceof GatewayError ? error : new GatewayError(ConnectErrorCode.AUTH_REQUIRED, { cause: error }));
      });
  }

  // ---- endings

  #terminate(error: GatewayError): void {
    if (this.#state === ConnectionState.CLOSED) return;
    this.#closedBy = error;
    this.#finish(error, ClientErrorCode.CONNECTION_LOST);
    this.#events.emit("error", error);
  }

  #finish(waiterError: GatewayError, pendingCode: ClientErrorCode): void {
    if (this.#state === ConnectionState.CLOSED) return;
    const previous = this.#state;
    this.#state = ConnectionState.CLOSED;
    this.#timers.clearAll();
    this.#pending.rejectAll(pendingCode);
    this.#socket.disconnect();
    for (const waiter of this.#takeWaiters()) waiter.reject(waiterError);
    this.#events.emit("state", ConnectionState.CLOSED, previous);
  }

  #takeWaiters(): Waiter[] {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    return waiters;
  }

  /** Moves to `next` and tells the listeners; false when one of them closed the client meanwhile. */
  #setState(next: ConnectionState): boolean {
    const previous = this.#state;
    if (previous !== next) {
      this.#state = next;
      this.#events.emit("state", next, previous);
    }
    return this.#state !== ConnectionState.CLOSED;
  }
}

function isTerminalDisconnect(code: string): boolean {
  return (TERMINAL_DISCONNECT_CODES as readonly string[]).includes(code);
}
