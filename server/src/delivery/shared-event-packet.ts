/**
 * One downstream `event` encoded once and written to many unit sockets, each socket with its own
 * acknowledgement callback. This is what Socket.IO's own in-memory adapter does in
 * `broadcastWithAck` (socket.io 4.8, socket.io-adapter 2.5): the packet takes ONE ack id from the
 * namespace's counter (`nsp._ids++`; the counter is common to every socket of the namespace, so no
 * socket can hold that id twice), is encoded once by the adapter (`_encode`, which also frames it
 * once for WebSocket), and then, per socket, `socket.acks.set(id, ack)` and
 * `socket.client.writeToEngine(encoded, opts)`. The unit's ack comes back under that id and Socket.IO
 * calls that socket's callback, exactly as for `socket.emit(event, payload, ack)`.
 *
 * Those members are Socket.IO internals: this file is the only place that touches them
 * (`test/src/shared-event-packet.test.ts` fails if they change). Where they are missing, where the
 * server keeps packets for connection state recovery (then an emit must go through the adapter), or
 * where a socket is not open, the socket gets a plain `socket.emit(event, payload, ack)`: the same
 * packet on the wire and the same acknowledgement, encoded for that socket alone.
 */
import { EventName, type DownstreamEvent } from "@care-gateway/shared";
import type { UnitSocket } from "../connections/socket-types.js";

export type EventAckCallback = (reply: unknown) => void;

/** socket.io-parser's `PacketType.EVENT`. */
const EVENT_PACKET_TYPE = 2;

interface EventPacket {
  type: typeof EVENT_PACKET_TYPE;
  data: [typeof EventName.EVENT, DownstreamEvent];
  id: number;
  nsp: string;
}

/** What the engine writes with a pre-encoded packet; `_encode` adds the WebSocket frame to it. */
interface WriteOptions {
  preEncoded: true;
  compress: boolean;
  wsPreEncodedFrame?: unknown;
}

/** The parts of a Socket.IO server socket used here (socket.io 4.8). */
interface SocketInternals {
  connected: boolean;
  acks: Map<number, EventAckCallback>;
  client: { conn: { readyState: string }; writeToEngine(encoded: unknown[], opts: WriteOptions): void };
  nsp: NamespaceInternals;
  notifyOutgoingListeners?: (packet: EventPacket) => void;
}

interface NamespaceInternals {
  name: string;
  _ids: number;
  adapter: { _encode(packet: EventPacket, opts: WriteOptions): unknown[] };
  server: { opts: { connectionStateRecovery?: unknown } };
}

interface Encoded {
  nsp: NamespaceInternals;
  packet: EventPacket;
  packets: unknown[];
  opts: WriteOptions;
}

export class SharedEventPacket {
  #encoded: Encoded | undefined;

  /** `event`: what the units receive (no receipt addressee). */
  constructor(readonly event: DownstreamEvent) {}

  /** Sends the event to `socket`; `ack` gets the unit's reply. */
  send(socket: UnitSocket, ack: EventAckCallback): void {
    const internals = sharedWriteInternals(socket);
    if (internals === undefined) {
      socket.emit(EventName.EVENT, this.event, ack);
      return;
    }
    const encoded = (this.#encoded ??= this.#encode(internals.nsp));
    if (encoded.nsp !== internals.nsp) {
      // The ack id is unique within one namespace only.
      socket.emit(EventName.EVENT, this.event, ack);
      return;
    }
    internals.acks.set(encoded.packet.id, ack);
    internals.notifyOutgoingListeners?.(encoded.packet);
    internals.client.writeToEngine(encoded.packets, encoded.opts);
  }

  #encode(nsp: NamespaceInternals): Encoded {
    const packet: EventPacket = { type: EVENT_PACKET_TYPE, data: [EventName.EVENT, this.event], id: nsp._ids++, nsp: nsp.name };
    const opts: WriteOptions = { preEncoded: true, compress: true };
    return { nsp, packet, packets: nsp.adapter._encode(packet, opts), opts };
  }
}

/**
 * The socket's internals when a shared packet can be written to it now: open, and every member
 * used above present with the expected shape. Undefined: use a plain emit.
 */
export function sharedWriteInternals(socket: UnitSocket): SocketInternals | undefined {
  const candidate = socket as unknown as Partial<SocketInternals>;
  const { client, nsp, acks } = candidate;
  if (candidate.connected !== true || !(acks instanceof Map)) return undefined;
  if (typeof client?.writeToEngine !== "function" || client.conn?.readyState !== "open") return undefined;
  if (typeof nsp?._ids !== "number" || typeof nsp.adapter?._encode !== "function") return undefined;
  if (nsp.server?.opts?.connectionStateRecovery) return undefined;
  return candidate as SocketInternals;
}
