/**
 * SDK behaviour the real gateway cannot be made to show on demand (draining notices, a revoked
 * principal, a lost or missing acknowledgement, a hung handshake, token refresh), against a scripted
 * Socket.IO server on port 0 that speaks the same protocol.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { Server, type Namespace as ServerNamespace, type Socket as ServerSocket } from "socket.io";
import {
  ClientErrorCode,
  ConnectionState,
  DisconnectCode,
  ErrorCode,
  EventName,
  Namespace,
  PortalClient,
  UnitClient,
  type GatewayError,
  type ReconnectInfo,
} from "@care-gateway/client-sdk";
import { SOCKET_IO_PATH } from "@care-gateway/shared";
import { registerTeardown } from "./helpers/teardown.js";
import { FAST_BACKOFF, deferred, nextConnectionEvent, rejectionOf, untilState } from "./sdk-fixtures.js";

interface Scripted {
  url: string;
  nsp: ServerNamespace;
}

interface ScriptedServer extends Scripted {
  port: number;
  close(): Promise<void>;
}

async function scripted(namespace: string, port = 0): Promise<ScriptedServer> {
  const http = createServer();
  const io = new Server(http, { path: SOCKET_IO_PATH, transports: ["websocket"] });
  const nsp = io.of(namespace);
  await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
  const close = () => new Promise<void>((resolve) => io.close(() => resolve()));
  registerTeardown(close);
  const bound = (http.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${bound}`, port: bound, nsp, close };
}

function nextConnection(nsp: ServerNamespace): Promise<ServerSocket> {
  return new Promise((resolve) => nsp.once("connection", resolve));
}

function unit(url: string, extra: Partial<ConstructorParameters<typeof UnitClient>[0]> = {}): UnitClient {
  const client = new UnitClient({ url, token: "unit-token", backoff: FAST_BACKOFF, ...extra });
  registerTeardown(() => client.close());
  return client;
}

function portal(url: string, extra: Partial<ConstructorParameters<typeof PortalClient>[0]> = {}): PortalClient {
  const client = new PortalClient({ url, token: "portal-token", backoff: FAST_BACKOFF, ...extra });
  registerTeardown(() => client.close());
  return client;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("SDK notices and edge cases (scripted server)", () => {
  it("server:draining then close: reconnects no sooner than reconnectAfterMs, with jitter", async () => {
    const { url, nsp } = await scripted(Namespace.unit);
    const client = unit(url, { random: () => 0.5 });
    const firstSocket = nextConnection(nsp);
    await client.connect();
    const socket = await firstSocket;
    const secondSocket = nextConnection(nsp);
    const scheduled = nextConnectionEvent(client.connection, "reconnecting");

    const noticeAt = Date.now();
    socket.emit(EventName.SERVER_DRAINING, { reconnectAfterMs: 200 });
    socket.disconnect(true);
    const [retry] = await scheduled;
    await secondSocket;

    expect(retry.reason).to.equal("server draining");
    expect(retry.delayMs).to.be.within(100, 200 + FAST_BACKOFF.maxMs);
    expect(Date.now() - noticeAt).to.be.at.least(200);
    await untilState(client.connection, ConnectionState.CONNECTED);
  });

  it("server:draining on a node that stays up: the client leaves by itself after the delay and comes back", async () => {
    const { url, nsp } = await scripted(Namespace.unit);
    const client = unit(url);
    const firstSocket = nextConnection(nsp);
    await client.connect();
    const socket = await firstSocket;
    const left = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    const secondSocket = nextConnection(nsp);

    socket.emit(EventName.SERVER_DRAINING, { reconnectAfterMs: 20 });

    expect(await left).to.equal("client namespace disconnect");
    await secondSocket;
    await untilState(client.connection, ConnectionState.CONNECTED);
  });

  it("server:disconnect REVOKED: closes and does not reconnect, even if the server does not close", async () => {
    const { url, nsp } = await scripted(Namespace.unit);
    let tokens = 0;
    const client = unit(url, { token: () => `t-${++tokens}` });
    const firstSocket = nextConnection(nsp);
    await client.connect();
    const socket = await firstSocket;
    const errors: GatewayError[] = [];
    client.connection.on("error", (error) => errors.push(error));
    const left = new Promise<string>((resolve) => socket.once("disconnect", resolve));

    socket.emit(EventName.SERVER_DISCONNECT, { code: DisconnectCode.REVOKED, message: "Access was revoked." });
    await left;
    await untilState(client.connection, ConnectionState.CLOSED);

    expect(errors.map((error) => error.code)).to.deep.equal([DisconnectCode.REVOKED]);
    expect(tokens).to.equal(1);
  });

  it("a call the server never acknowledges rejects with TIMEOUT from the local safety timer", async () => {
    const { url, nsp } = await scripted(Namespace.portal);
    nsp.on("connection", (socket) => socket.on(EventName.REQUEST, () => undefined));
    const client = portal(url, { ackMarginMs: 0 });
    await client.connect();

    const error = await rejectionOf(client.request("u-1", "unit.ping", {}, { timeoutMs: 30 }));

    expect(error.code).to.equal(ErrorCode.TIMEOUT);
    expect((error as GatewayError).details).to.deep.equal({ local: true });
    expect(client.connection.pendingCalls).to.equal(0);
  });

  it("a call in flight when the connection drops rejects with CONNECTION_LOST, and the client reconnects", async () => {
    const { url, nsp } = await scripted(Namespace.portal);
    nsp.on("connection", (socket) => socket.on(EventName.REQUEST, () => socket.disconnect(true)));
    const client = portal(url);
    await client.connect();
    const dropped = nextConnectionEvent(client.connection, "disconnect");

    const error = await rejectionOf(client.request("u-1", "unit.ping", {}));

    expect(error.code).to.equal(ClientErrorCode.CONNECTION_LOST);
    const [info] = await dropped;
    expect(info).to.deep.equal({ reason: "io server disconnect", willReconnect: true });
    await untilState(client.connection, ConnectionState.CONNECTED);
  });

  it("sends the token and lastEventId in every handshake, the handled id after a reconnect", async () => {
    const { url, nsp } = await scripted(Namespace.unit);
    let tokens = 0;
    const client = unit(url, { token: async () => `t-${++tokens}`, lastEventId: 40 });
    const handled = deferred<void>();
    client.on("appointment.cancelled", () => handled.resolve());
    const firstSocket = nextConnection(nsp);
    await client.connect();
    const socket = await firstSocket;
    expect(socket.handshake.auth).to.deep.equal({ token: "t-1", lastEventId: 40 });

    const acked = new Promise<unknown>((resolve) =>
      socket.emit(EventName.EVENT, { id: 41, type: "appointment.cancelled", payload: { appointmentId: "a-1", cancelledAt: "2026-01-05T08:00:00Z" }, ts: Date.now() }, resolve),
    );
    expect(await acked).to.deep.equal({ ok: true });
    await handled.promise;
    const secondSocket = nextConnection(nsp);
    socket.disconnect(true);

    expect((await secondSocket).handshake.auth).to.deep.equal({ token: "t-2", lastEventId: 41 });
  });

  it("never sends an answer on a later session than its request's: on another node its ack id means another event", async () => {
    const nodeA = await scripted(Namespace.unit);
    const client = unit(nodeA.url);
    const requestGate = deferred<void>();
    const eventGate = deferred<void>();
    registerTeardown(() => {
      requestGate.resolve();
      eventGate.resolve();
    });
    const requestStarted = deferred<void>();
    const requestDone = deferred<void>();
    client.handle("unit.ping", async () => {
      requestStarted.resolve();
      await requestGate.promise;
      requestDone.resolve();
      return { at: "2026-01-05T08:00:00Z" };
    });
    client.on("appointment.cancelled", () => eventGate.promise);
    const onA = nextConnection(nodeA.nsp);
    await client.connect();
    const socketA = await onA;
    const staleAnswers: unknown[] = [];
    socketA.emit(EventName.REQUEST, { id: "r-1", type: "unit.ping", payload: {}, from: { role: "bridge", sub: "b" }, deadline: Date.now() + 10_000 }, (answer: unknown) =>
      staleAnswers.push(answer),
    );
    await requestStarted.promise;

    // Node A goes away; the client reconnects to node B (same address), whose ack ids start over.
    const dropped = nextConnectionEvent(client.connection, "disconnect");
    await nodeA.close();
    await dropped;
    const nodeB = await scripted(Namespace.unit, nodeA.port);
    const onB = nextConnection(nodeB.nsp);
    await untilState(client.connection, ConnectionState.CONNECTED);
    const socketB = await onB;
    socketB.on(EventName.EVENT, (_envelope: unknown, ack: (reply: unknown) => void) => ack({ ok: true, id: "up-1" }));
    const eventAcks: unknown[] = [];
    const eventAcked = deferred<void>();
    const event = { id: 7, type: "appointment.cancelled", payload: { appointmentId: "a-1", cancelledAt: "2026-01-05T08:00:00Z" }, ts: Date.now() };
    socketB.emit(EventName.EVENT, event, (reply: unknown) => {
      eventAcks.push(reply);
      eventAcked.resolve();
    });
    requestGate.resolve();
    await requestDone.promise;
    await nextTurn();
    // A round trip on the new session: a stale answer sent before it would have arrived by now.
    await client.publish("appointment.cancelled", { appointmentId: "a-2", cancelledAt: "2026-01-05T08:00:00Z" });
    expect(eventAcks, "the old request's answer was not taken as this event's ack").to.deep.equal([]);
    expect(staleAnswers).to.deep.equal([]);

    eventGate.resolve();
    await eventAcked.promise;
    expect(eventAcks).to.deep.equal([{ ok: true }]);
  });

  it("answers auth:expiring with auth:refresh carrying a fresh token from the provider", async () => {
    const { url, nsp } = await scripted(Namespace.portal);
    const refreshed = deferred<unknown>();
    nsp.on("connection", (socket) => {
      socket.on(EventName.AUTH_REFRESH, (args: unknown, ack: (reply: unknown) => void) => {
        refreshed.resolve(args);
        ack({ ok: true, exp: 2_000_000_000 });
      });
      socket.emit(EventName.AUTH_EXPIRING, { exp: Math.floor(Date.now() / 1000) + 30 });
    });
    let tokens = 0;
    const client = portal(url, { token: () => `t-${++tokens}` });
    await client.connect();

    expect(await refreshed.promise).to.deep.equal({ token: "t-2" });
  });

  it("abandons a handshake the server leaves hanging after connectTimeoutMs, and retries", async () => {
    const { url, nsp } = await scripted(Namespace.unit);
    let handshakes = 0;
    nsp.use((_socket, next) => {
      if (++handshakes > 1) next();
    });
    const client = unit(url, { connectTimeoutMs: 100 });
    const retries: ReconnectInfo[] = [];
    client.connection.on("reconnecting", (info) => retries.push(info));

    await client.connect();

    expect(handshakes).to.equal(2);
    expect(retries.map((r) => r.reason)).to.deep.equal(["connect timeout"]);
  });
});
