/**
 * A lean simulated unit: a plain WebSocket (`raw-websocket.ts`) that speaks Engine.IO v4 / Socket.IO
 * v5 framing itself, for the fan-out scenario, where one load-generator process holds every unit (5,000) and
 * socket.io-client's receive + ack path (~40 µs a unit there) made that process the critical path.
 *
 * On the wire it is what a socket.io-client unit sends and receives (WebSocket transport only):
 * - `ws://HOST/socket.io/?EIO=4&transport=websocket`; the server opens with `0{"sid",...}`;
 * - namespace connect `40/units,{auth}`; the server answers `40/units,{"sid"}` or
 *   `44/units,{"message","data"}` (a refused handshake: the error code is `message`);
 * - Engine.IO ping `2` is answered with pong `3`;
 * - an event `42/units,<ackId>["event",{...}]` goes to the listener, whose ack is written as
 *   `43/units,<ackId>[<reply>]`; an event without an ack id gets a listener call with no ack;
 * - `41/units,` (the server disconnected the socket) or a closed WebSocket ends it.
 * Binary packets are not handled (the gateway sends none to units); any other packet is ignored.
 */
import { SOCKET_IO_PATH } from "@care-gateway/shared";
import { RawWebSocket } from "./raw-websocket.js";

export type LeanAck = (reply: unknown) => void;
export type LeanListener = (data: unknown, ack: LeanAck | undefined) => void;

/** Engine.IO v4 packet types (first character of a text frame). */
const ENGINE_OPEN = "0";
const ENGINE_CLOSE = "1";
const ENGINE_PING = "2";
const ENGINE_PONG = "3";
const ENGINE_MESSAGE = "4";
/** Socket.IO v5 packet types (the character after the Engine.IO message type). */
const SIO_CONNECT = "0";
const SIO_DISCONNECT = "1";
const SIO_EVENT = "2";
const SIO_ACK = "3";
const SIO_CONNECT_ERROR = "4";

export class LeanUnit {
  readonly #listeners = new Map<string, LeanListener>();
  readonly #prefix: string;
  #ws: RawWebSocket | undefined;
  #connected = false;
  /** Settles the connect: undefined once settled. */
  #settle: ((error?: Error) => void) | undefined;

  private constructor(
    readonly namespace: string,
    private readonly auth: Record<string, unknown>,
  ) {
    this.#prefix = `/${namespace.replace(/^\//, "")},`;
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** One listener per event name (all the bench needs). */
  on(event: string, listener: LeanListener): this {
    this.#listeners.set(event, listener);
    return this;
  }

  /** Leaves the namespace (`41/ns,`) and closes the WebSocket, as socket.io-client's `disconnect()`. */
  disconnect(): void {
    if (this.#connected) this.#ws?.sendText(`${ENGINE_MESSAGE}${SIO_DISCONNECT}${this.#prefix}`);
    this.#connected = false;
    this.#ws?.close();
  }

  /**
   * Opens a unit socket on `url` + `namespace` with the handshake `auth`; resolves once the namespace
   * connect is accepted, rejects with the `connect_error` code (`err.message`), a closed socket or
   * after `timeoutMs`. `localAddress`: the source address to connect from (the default: the system's choice).
   */
  static connect(url: string, namespace: string, auth: Record<string, unknown>, timeoutMs: number, localAddress?: string): Promise<LeanUnit> {
    const unit = new LeanUnit(namespace, auth);
    const wsUrl = `${url.replace(/^http/, "ws")}${SOCKET_IO_PATH}/?EIO=4&transport=websocket`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => unit.#settle?.(new Error(`not connected within ${timeoutMs} ms`)), timeoutMs);
      unit.#settle = (error) => {
        unit.#settle = undefined;
        clearTimeout(timer);
        if (error === undefined) return resolve(unit);
        unit.#ws?.close();
        reject(new Error(`${namespace}: ${error.message}`));
      };
      unit.#ws = new RawWebSocket(wsUrl, { onText: (text) => unit.#onText(text), onClose: (reason) => unit.#onClose(reason) }, timeoutMs, localAddress);
      unit.#ws.opened.catch((error: unknown) => unit.#settle?.(error instanceof Error ? error : new Error(String(error))));
    });
  }

  #onClose(reason: string): void {
    this.#connected = false;
    this.#settle?.(new Error(`closed before the namespace connect (${reason})`));
  }

  /** Handles one text message (an Engine.IO packet). */
  #onText(text: string): void {
    const engineType = text[0];
    if (engineType === ENGINE_PING) return this.#send(ENGINE_PONG);
    if (engineType === ENGINE_OPEN) return this.#send(`${ENGINE_MESSAGE}${SIO_CONNECT}${this.#prefix}${JSON.stringify(this.auth)}`);
    if (engineType === ENGINE_CLOSE) return this.#ws?.close();
    if (engineType !== ENGINE_MESSAGE || !text.startsWith(this.#prefix, 2)) return;
    const socketType = text[1];
    const body = 2 + this.#prefix.length;
    if (socketType === SIO_EVENT) return this.#onEvent(text, body);
    if (socketType === SIO_CONNECT) {
      this.#connected = true;
      return this.#settle?.();
    }
    if (socketType === SIO_CONNECT_ERROR) return this.#settle?.(new Error(connectErrorCode(text.slice(body))));
    if (socketType === SIO_DISCONNECT) this.disconnect();
  }

  #send(text: string): void {
    this.#ws?.sendText(text);
  }

  /** `42/ns,<ackId>[name, data]`: the ack id is the digits before the JSON array, if any. */
  #onEvent(text: string, body: number): void {
    let index = body;
    while (index < text.length && text.charCodeAt(index) >= 48 && text.charCodeAt(index) <= 57) index++;
    const ackId = index > body ? text.slice(body, index) : undefined;
    const args: unknown = JSON.parse(text.slice(index));
    if (!Array.isArray(args) || typeof args[0] !== "string") return;
    const listener = this.#listeners.get(args[0]);
    if (!listener) return;
    const ack: LeanAck | undefined = ackId === undefined ? undefined : (reply) => this.#send(`${ENGINE_MESSAGE}${SIO_ACK}${this.#prefix}${ackId}${JSON.stringify([reply])}`);
    listener(args[1], ack);
  }
}

function connectErrorCode(json: string): string {
  try {
    const parsed = JSON.parse(json) as { message?: unknown };
    return typeof parsed.message === "string" ? parsed.message : "connect_error";
  } catch {
    return "connect_error";
  }
}
