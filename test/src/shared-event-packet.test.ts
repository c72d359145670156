/**
 * The one place that writes through Socket.IO internals (`server/src/delivery/shared-event-packet.ts`):
 * one `event` packet encoded once for many unit sockets, each with its own ack callback. Against a
 * real Socket.IO server and real clients: if an upgrade changes the members it uses (the ack table,
 * the namespace's id counter, the adapter's encoder, the client's engine write), these fail instead
 * of the gateway silently falling back to a plain emit per unit.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { Server, type ServerOptions, type Socket as ServerSocket } from "socket.io";
import type { Socket as ClientSocket } from "socket.io-client";
import { EventName, Namespace, SOCKET_IO_PATH, type DownstreamEvent } from "@care-gateway/shared";
import { SharedEventPacket, sharedWriteInternals, type UnitSocket } from "@care-gateway/server";
import { connected, rawSocket } from "./helpers/raw-client.js";
import { registerTeardown } from "./helpers/teardown.js";

const event: DownstreamEvent = {
  id: 42,
  type: "registration.created",
  payload: { registrationId: "R", patientRef: "P", status: "open", at: "2026-12-01T09:00:00Z" },
  ts: 1,
};

interface Pair {
  server: UnitSocket;
  client: ClientSocket;
}

/** The adapter's encodings of packets for /units, counted. */
let encodings = 0;

/** A bare Socket.IO server on port 0 with `count` clients in /units; the server side of each. */
async function unitsOn(count: number, options: Partial<ServerOptions> = {}): Promise<Pair[]> {
  const http = createServer();
  const io = new Server(http, { path: SOCKET_IO_PATH, transports: ["websocket"], ...options });
  registerTeardown(() => new Promise<void>((resolve) => io.close(() => resolve())));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const serverSide = new Map<string, ServerSocket>();
  const units = io.of(Namespace.unit);
  units.on("connection", (socket) => serverSide.set(socket.id, socket));
  const adapter = units.adapter as unknown as { _encode: (...args: unknown[]) => unknown };
  const encode = adapter._encode.bind(adapter);
  encodings = 0;
  adapter._encode = (...args: unknown[]) => {
    encodings++;
    return encode(...args);
  };
  const pairs: Pair[] = [];
  for (let i = 0; i < count; i++) {
    const client = rawSocket(url, Namespace.unit, { auth: { unit: i } });
    await connected(client);
    pairs.push({ client, server: serverSide.get(client.id as string) as unknown as UnitSocket });
  }
  return pairs;
}

/** The client acks each event echoing its id; resolves with the events it got, once it has `count`. */
function receive(client: ClientSocket, count: number): Promise<DownstreamEvent[]> {
  const got: DownstreamEvent[] = [];
  return new Promise((resolve) => {
    client.on(EventName.EVENT, (received: DownstreamEvent, ack: (reply: unknown) => void) => {
      got.push(received);
      ack({ ok: true, id: received.id });
      if (got.length === count) resolve(got);
    });
  });
}

function replyOf(): { callback: (reply: unknown) => void; reply: Promise<unknown> } {
  let callback: (reply: unknown) => void = () => undefined;
  const reply = new Promise<unknown>((resolve) => (callback = resolve));
  return { callback, reply };
}

describe("delivery: one event packet shared by many unit sockets", () => {
  it("finds the Socket.IO internals it writes through on a real socket", async () => {
    const [pair] = await unitsOn(1);
    expect(sharedWriteInternals((pair as Pair).server), "socket.io internals changed: the shared packet would fall back to one emit per unit").to.not.equal(undefined);
  });

  it("sends one encoding to every socket and matches each socket's ack to its own callback", async () => {
    const pairs = await unitsOn(3);
    const arrivals = pairs.map(({ client }) => receive(client, 1));
    const replies = pairs.map(() => replyOf());
    const packet = new SharedEventPacket(event);
    pairs.forEach(({ server }, i) => packet.send(server, (replies[i] as ReturnType<typeof replyOf>).callback));
    expect(encodings).to.equal(1);
    for (const got of await Promise.all(arrivals)) expect(got).to.deep.equal([event]);
    for (const { reply } of replies) expect(await reply).to.deep.equal({ ok: true, id: event.id });
  });

  it("takes an ack id no other emit on the socket uses", async () => {
    const [pair] = await unitsOn(1);
    const { server, client } = pair as Pair;
    const arrivals = receive(client, 3);
    const first = replyOf();
    const second = replyOf();
    const third = replyOf();
    const later: DownstreamEvent = { ...event, id: 43 };
    const last: DownstreamEvent = { ...event, id: 44 };
    server.emit(EventName.EVENT, event, first.callback);
    new SharedEventPacket(later).send(server, second.callback);
    server.emit(EventName.EVENT, last, third.callback);
    expect((await arrivals).map((e) => e.id)).to.deep.equal([42, 43, 44]);
    expect(await Promise.all([first.reply, second.reply, third.reply])).to.deep.equal([
      { ok: true, id: 42 },
      { ok: true, id: 43 },
      { ok: true, id: 44 },
    ]);
  });

  it("falls back to a plain emit with its ack where packets must go through the adapter (connection state recovery)", async () => {
    const pairs = await unitsOn(2, { connectionStateRecovery: {} });
    for (const { server } of pairs) expect(sharedWriteInternals(server)).to.equal(undefined);
    const arrivals = pairs.map(({ client }) => receive(client, 1));
    const replies = pairs.map(() => replyOf());
    const packet = new SharedEventPacket(event);
    pairs.forEach(({ server }, i) => packet.send(server, (replies[i] as ReturnType<typeof replyOf>).callback));
    for (const got of await Promise.all(arrivals)) expect(got).to.deep.equal([event]);
    for (const { reply } of replies) expect(await reply).to.deep.equal({ ok: true, id: event.id });
  });

  it("falls back to a plain emit for a socket without the internals", () => {
    const emitted: unknown[][] = [];
    const plain = { connected: true, emit: (...args: unknown[]) => emitted.push(args) } as unknown as UnitSocket;
    const ack = () => undefined;
    new SharedEventPacket(event).send(plain, ack);
    expect(emitted).to.deep.equal([[EventName.EVENT, event, ack]]);
  });
});
