/**
 * Write coalescing for a busy Node client (the API Bridge): every Socket.IO packet emitted during one
 * turn of the event loop leaves in one TCP write, at the end of that turn (`setImmediate`), instead
 * of one `writev` each. The socket is corked at the first emit of a turn and uncorked once the turn's
 * callbacks have run, so nothing waits longer than the rest of the current turn and the order of the
 * packets is unchanged. On a loopback connection carrying thousands of requests a second this halves
 * the sender's system-call work per request and lets the gateway read several frames per `read`.
 *
 * The TCP socket is reached as engine.io-client reaches it itself (its `autoUnref` option uses
 * `transport.ws._socket`): the WebSocket transport's `ws` object (the `ws` package) and its
 * `_socket`. Where that is not there (a browser, the polling transport, a future version that moves
 * it) coalescing silently does nothing and every packet is written as before;
 * test/src/sdk-write-coalescing.test.ts fails if the socket can no longer be reached in Node.
 */
import type { Socket } from "socket.io-client";

/** The part of a Node stream this needs. */
interface Corkable {
  cork(): void;
  uncork(): void;
  readonly destroyed?: boolean;
}

export class WriteCoalescer {
  #corked: Corkable | undefined;
  readonly #uncork = (): void => {
    const raw = this.#corked;
    this.#corked = undefined;
    raw?.uncork();
  };

  constructor(private readonly socket: Socket) {}

  /** Call just before emitting: holds this turn's writes until the turn ends. */
  hold(): void {
    if (this.#corked !== undefined) return;
    const raw = tcpSocketOf(this.socket);
    if (raw === undefined || raw.destroyed === true) return;
    this.#corked = raw;
    raw.cork();
    setImmediate(this.#uncork);
  }
}

/** True where coalescing can work at all (Node: `setImmediate` exists). */
export function canCoalesceWrites(): boolean {
  return typeof setImmediate === "function";
}

/** The TCP socket under a connected Socket.IO client on the WebSocket transport, or undefined. */
export function tcpSocketOf(socket: Socket): Corkable | undefined {
  const transport = (socket.io.engine as { transport?: { name?: unknown; ws?: { _socket?: unknown } } } | undefined)?.transport;
  if (transport?.name !== "websocket") return undefined;
  const raw = transport.ws?._socket as Partial<Corkable> | null | undefined;
  return raw && typeof raw.cork === "function" && typeof raw.uncork === "function" ? (raw as Corkable) : undefined;
}
