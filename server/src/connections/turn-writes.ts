/**
 * Write coalescing per event-loop turn on the gateway's side of a connection: every packet sent to
 * one client during a turn leaves in one TCP write, at the end of the turn (`setImmediate`), instead
 * of one `write`/`writev` system call each. Used on /bridge sockets, which get many replies a turn.
 *
 * Why not simply cork the TCP socket at the first write: Engine.IO's WebSocket transport marks itself
 * not writable in `send()` and waits for ws's send callback, which fires only once the data reached
 * the kernel, i.e. after the uncork; the turn's later packets would wait in Engine.IO's `writeBuffer`
 * and go out after the uncork one write each. So this defers Engine.IO's own `flush()` instead: the
 * turn's packets collect, in order, in the connection's `writeBuffer` (Engine.IO's buffer, the one it
 * already batches into while not writable); one flush at `setImmediate` hands them all to the
 * transport with the TCP socket corked for just that synchronous call, and the uncork writes them in
 * one `writev`. The send callbacks then fire as usual, so the transport is writable again at once.
 *
 * - Order: one buffer per connection, flushed whole and in order; pre-encoded broadcast frames
 *   (`wsPreEncodedFrame`, see delivery/shared-event-packet.ts) pass through the same buffer.
 * - Latency: a packet waits for the rest of its turn at most (the check phase of the same loop
 *   iteration; one more iteration when it was sent from a `setImmediate` callback itself).
 * - No stall: a flush call with packets waiting and a writable transport always schedules the
 *   deferred flush (unless one is already scheduled); when the transport is not writable, Engine.IO's
 *   "ready" event calls `flush()` again later, as without coalescing. Closing waits for "drain",
 *   which the deferred flush emits.
 * - Only the WebSocket transport with a reachable TCP socket is deferred; on polling (or if the
 *   internals moved) `flush()` runs at once, exactly as before.
 *
 * Engine.IO and ws internals are touched here only: the connection's `flush`, `writeBuffer`,
 * `transport.writable`, and the TCP socket reached as Engine.IO reaches it itself
 * (`req.websocket._socket`, here `transport.socket._socket`). test/src/gateway-write-coalescing.test.ts
 * counts the gateway's kernel writes and fails if coalescing stops taking effect.
 */

/** The part of a Node stream this needs. */
interface Corkable {
  cork(): void;
  uncork(): void;
  readonly destroyed?: boolean;
}

/** The parts of an Engine.IO server socket used here (engine.io 6.6). */
interface EngineConnection {
  writeBuffer: unknown[];
  transport: { name?: unknown; writable?: unknown; socket?: { _socket?: unknown } };
  flush(): void;
  [deferred]?: boolean;
}

/** Set on a connection while its deferred flush is scheduled. */
const deferred = Symbol("flushDeferred");

/** Connections with a flush scheduled for the end of this turn, in the order they first wrote. */
let due: EngineConnection[] = [];

/** Engine.IO's own `flush`, from the prototype of the first connection coalesced. */
let engineFlush: ((this: EngineConnection) => void) | undefined;

/**
 * Makes the packets sent on `conn` (a Socket.IO socket's `socket.conn`) during one turn leave in one
 * write. Returns false, changing nothing, where Engine.IO's connection does not have the expected shape.
 */
export function coalesceTurnWrites(conn: unknown): boolean {
  const candidate = conn as Partial<EngineConnection> | null;
  if (candidate === null || typeof candidate !== "object" || !Array.isArray(candidate.writeBuffer)) return false;
  if (Object.prototype.hasOwnProperty.call(candidate, "flush")) return candidate.flush === deferredFlush;
  const flush = candidate.flush;
  if (typeof flush !== "function" || typeof candidate.transport !== "object") return false;
  if (engineFlush === undefined) engineFlush = flush;
  else if (flush !== engineFlush) return false;
  candidate.flush = deferredFlush;
  return true;
}

/** The TCP socket under a connection on the WebSocket transport, or undefined. */
export function tcpSocketOf(conn: EngineConnection): Corkable | undefined {
  const { transport } = conn;
  if (transport.name !== "websocket") return undefined;
  const raw = transport.socket?._socket as Partial<Corkable> | null | undefined;
  if (!raw || typeof raw.cork !== "function" || typeof raw.uncork !== "function" || raw.destroyed === true) return undefined;
  return raw as Corkable;
}

function deferredFlush(this: EngineConnection): void {
  if (this[deferred] === true) return;
  if (this.writeBuffer.length === 0 || this.transport.writable !== true || tcpSocketOf(this) === undefined) {
    engineFlush?.call(this);
    return;
  }
  this[deferred] = true;
  if (due.push(this) === 1) setImmediate(flushDue);
}

function flushDue(): void {
  const connections = due;
  due = [];
  let failure: unknown;
  for (const conn of connections) {
    conn[deferred] = false;
    try {
      flushCorked(conn);
    } catch (error) {
      // One connection's fault must not leave the others' packets unsent.
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}

function flushCorked(conn: EngineConnection): void {
  const raw = tcpSocketOf(conn);
  if (raw === undefined) {
    engineFlush?.call(conn);
    return;
  }
  raw.cork();
  try {
    engineFlush?.call(conn);
  } finally {
    raw.uncork();
  }
}
