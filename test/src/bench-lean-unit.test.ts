/**
 * The fan-out bench's lean simulated unit (`bench/src/lib/lean-unit.ts`: a plain WebSocket speaking
 * the Engine.IO v4 / Socket.IO v5 framing itself) against the real servers it measures: a gateway
 * (handshake with the token, refusal with the code, an event received and its ack accepted so that
 * the unit's outbox empties, while a unit that does not ack keeps its event), the bare relay in its
 * child process (broadcast, broadcast with ack), and a plain Socket.IO server for Engine.IO's
 * ping/pong and the namespace disconnect. The bench is loaded from bench/dist at run time.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { Server, type Socket as ServerSocket } from "socket.io";
import { ConnectErrorCode, EventName, Namespace, SOCKET_IO_PATH, type Occupancy, type Reply } from "@care-gateway/shared";
import { eventually } from "./helpers/eventually.js";
import { sample, scrape } from "./helpers/prom-text.js";
import { ask, connect } from "./helpers/raw-client.js";
import { registerTeardown } from "./helpers/teardown.js";
import { startGateway } from "./helpers/test-gateway.js";
import { bridgeToken, unitToken } from "./helpers/tokens.js";

type Ack = (reply: unknown) => void;

interface LeanUnit {
  readonly connected: boolean;
  on(event: string, listener: (data: unknown, ack: Ack | undefined) => void): LeanUnit;
  disconnect(): void;
}

interface ServerHandle {
  url: string;
  stats(): Promise<{ counts?: Record<string, number> }>;
  stop(): Promise<void>;
}

interface BenchModule {
  LeanUnit: { connect(url: string, namespace: string, auth: Record<string, unknown>, timeoutMs: number): Promise<LeanUnit> };
  bareTarget(): { spawn(options?: { env?: Record<string, string> }): Promise<ServerHandle> };
}

const BENCH_ENTRY = new URL("../../bench/dist/index.js", import.meta.url).href;
const bench = async () => (await import(BENCH_ENTRY)) as BenchModule;
const CONNECT_TIMEOUT_MS = 10_000;

async function leanUnit(url: string, auth: Record<string, unknown>, namespace: string = Namespace.unit): Promise<LeanUnit> {
  const unit = await (await bench()).LeanUnit.connect(url, namespace, auth, CONNECT_TIMEOUT_MS);
  registerTeardown(() => unit.disconnect());
  return unit;
}

interface Received {
  event: { id?: unknown; type?: unknown; payload?: unknown; ts?: unknown };
  hadAck: boolean;
}

/** Records each `event`; acks it with `{ ok: true }` when `acks`. `next()` resolves with the next one (or one already there). */
function eventsOf(unit: LeanUnit, acks: boolean) {
  const received: Received[] = [];
  const waiters: ((value: Received) => void)[] = [];
  let taken = 0;
  unit.on(EventName.EVENT, (event, ack) => {
    if (acks) ack?.({ ok: true });
    const entry = { event: event as Received["event"], hadAck: ack !== undefined };
    received.push(entry);
    waiters.shift()?.(entry);
  });
  return {
    received,
    next: (): Promise<Received> => {
      const index = taken++;
      const ready = received[index];
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiters.push(resolve));
    },
  };
}

const notice = { registrationId: "R-1", patientRef: "P", status: "open", at: "2026-12-01T09:00:00Z" };

describe("bench: lean unit against the gateway", function () {
  this.timeout(30_000);

  it("connects with the token in the handshake (online in the occupancy), and is refused with the code on a bad token", async () => {
    const gw = await startGateway();
    const unit = await leanUnit(gw.url, { token: unitToken("U-LEAN-1") });
    expect(unit.connected).to.equal(true);
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const occupancy = await ask<Reply<Occupancy>>(bridge, EventName.OCCUPANCY_GET, {});
    expect(occupancy.ok && occupancy.data?.units.map((entry) => entry.unitId)).to.deep.equal(["U-LEAN-1"]);
    const refused = await (await bench()).LeanUnit.connect(gw.url, Namespace.unit, { token: "not-a-jwt" }, CONNECT_TIMEOUT_MS).then(
      () => new Error("connected with a bad token"),
      (error: Error) => error,
    );
    expect(refused.message).to.equal(`${Namespace.unit}: ${ConnectErrorCode.AUTH_INVALID}`);
  });

  it("receives a published event with an ack id; its ack empties the unit's outbox, a unit that does not ack keeps the event", async () => {
    const gw = await startGateway();
    const acking = eventsOf(await leanUnit(gw.url, { token: unitToken("U-ACKS") }), true);
    const silent = eventsOf(await leanUnit(gw.url, { token: unitToken("U-SILENT") }), false);
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const reply = await ask<{ ok: boolean; delivered?: number }>(bridge, EventName.PUBLISH, { target: { unitIds: ["U-ACKS", "U-SILENT"] }, type: "registration.created", payload: notice });
    expect(reply).to.deep.include({ ok: true, delivered: 2 });
    const [got, kept] = await Promise.all([acking.next(), silent.next()]);
    expect(got.hadAck).to.equal(true);
    expect(got.event).to.include({ type: "registration.created" });
    expect(got.event.payload).to.deep.equal(notice);
    expect(got.event.id).to.be.a("number");
    expect(got.event.ts).to.be.a("number");
    expect(kept.event.id).to.equal(got.event.id);
    // Two events wait for an ack until the lean unit's ack is processed; the gauge leaves out empty outboxes.
    const depths = await eventually(async () => {
      const text = await scrape(gw.url);
      return sample(text, "care_gateway_outbox_depth", { unit: "*" }) === 1 ? text : undefined;
    });
    expect(sample(depths, "care_gateway_outbox_depth", { unit: "U-SILENT" })).to.equal(1);
    expect(sample(depths, "care_gateway_outbox_depth", { unit: "U-ACKS" })).to.equal(undefined);
  });
});

describe("bench: lean unit against the bare relay", function () {
  this.timeout(30_000);

  it("is counted online and receives the broadcast, and the broadcast with ack with an ack id", async () => {
    for (const withAck of [false, true]) {
      const server = await (await bench()).bareTarget().spawn(withAck ? { env: { BARE_BROADCAST_ACK: "1" } } : {});
      registerTeardown(() => server.stop());
      const units = await Promise.all(["B-1", "B-2"].map(async (unitId) => eventsOf(await leanUnit(server.url, { unitId }), true)));
      expect((await server.stats()).counts?.["units"]).to.equal(2);
      const bridge = await connect(server.url, Namespace.bridge, "");
      await ask(bridge, EventName.PUBLISH, { target: { all: true }, type: "registration.created", payload: notice });
      for (const unit of units) {
        const { event, hadAck } = await unit.next();
        expect(event.payload).to.deep.equal(notice);
        expect(hadAck).to.equal(withAck);
      }
    }
  });
});

describe("bench: lean unit and Engine.IO", function () {
  this.timeout(30_000);

  it("answers the server's pings (the server sees its pongs) and leaves the namespace on disconnect", async () => {
    const http = createServer();
    // Pings every 20 ms: a unit that did not answer within 2 s would be closed by the server.
    const io = new Server(http, { path: SOCKET_IO_PATH, transports: ["websocket"], pingInterval: 20, pingTimeout: 2_000 });
    registerTeardown(() => new Promise<void>((resolve) => io.close(() => resolve())));
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const serverSide = new Promise<ServerSocket>((resolve) => io.of(Namespace.unit).once("connection", resolve));
    const unit = await leanUnit(url, { unitId: "P-1" });
    const socket = await serverSide;
    expect(socket.handshake.auth).to.deep.equal({ unitId: "P-1" });
    const engine = socket.conn as unknown as { on(event: "heartbeat", listener: () => void): void };
    let pongs = 0;
    await new Promise<void>((resolve) => engine.on("heartbeat", () => ++pongs === 3 && resolve()));
    expect(socket.connected).to.equal(true);
    const reason = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    unit.disconnect();
    expect(await reason).to.equal("client namespace disconnect");
  });
});
