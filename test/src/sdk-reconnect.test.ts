/** SDK connection core: token provider per attempt, reconnect with backoff, terminal refusals and notices, clean close. */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { expect } from "chai";
import {
  ClientErrorCode,
  ConnectErrorCode,
  ConnectionState,
  DisconnectCode,
  GatewayError,
  UnitClient,
  type AnyUnitEvent,
  type ReconnectInfo,
} from "@care-gateway/client-sdk";
import { registerTeardown } from "./helpers/teardown.js";
import { startGateway } from "./helpers/test-gateway.js";
import { portalToken, token, unitToken } from "./helpers/tokens.js";
import {
  FAST_BACKOFF,
  adminClient,
  bridgeClient,
  collect,
  first,
  nextConnectionEvent,
  portalClient,
  rejectionOf,
  unitClient,
  untilState,
} from "./sdk-fixtures.js";

/** A port on 127.0.0.1 with nothing listening (refuses at once). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("SDK connection: reconnect and close", () => {
  it("asks the token provider on every connect, and reconnects with backoff after the server drops the socket", async () => {
    const gw = await startGateway();
    let tokens = 0;
    const unit = unitClient(gw, "u-1", {
      token: () => {
        tokens++;
        return unitToken("u-1");
      },
    });
    unit.handle("unit.ping", () => ({ at: new Date().toISOString() }));
    const states: ConnectionState[] = [];
    unit.connection.on("state", (state) => states.push(state));
    await unit.connect();
    expect(tokens).to.equal(1);
    const admin = adminClient(gw);
    await admin.connect();

    const dropped = nextConnectionEvent(unit.connection, "disconnect");
    const scheduled = nextConnectionEvent(unit.connection, "reconnecting");
    await admin.disconnectUnit("u-1", "maintenance");
    const [info] = await dropped;
    const [retry] = await scheduled;
    await untilState(unit.connection, ConnectionState.CONNECTED);

    expect(info).to.deep.include({ code: DisconnectCode.ADMIN_DISCONNECT, willReconnect: true });
    expect(retry.attempt).to.equal(1);
    expect(retry.delayMs).to.be.within(0, FAST_BACKOFF.baseMs);
    expect(tokens, "a fresh token for the reconnect").to.equal(2);
    expect(states).to.deep.equal([ConnectionState.CONNECTING, ConnectionState.CONNECTED, ConnectionState.RECONNECTING, ConnectionState.CONNECTED]);
    const bridge = bridgeClient(gw);
    await bridge.connect();
    expect(await bridge.request("u-1", "unit.ping", {})).to.have.property("at");
  });

  it("does not reconnect after SUPERSEDED: the newer connection keeps the unit", async () => {
    const gw = await startGateway();
    let olderTokens = 0;
    const older = unitClient(gw, "u-2", {
      token: () => {
        olderTokens++;
        return unitToken("u-2");
      },
    });
    older.handle("unit.info", () => ({ unitId: "u-2", softwareVersion: "old" }));
    await older.connect();
    const errors: GatewayError[] = [];
    older.connection.on("error", (error) => errors.push(error));
    const dropped = nextConnectionEvent(older.connection, "disconnect");
    const closed = untilState(older.connection, ConnectionState.CLOSED);

    const newer = unitClient(gw, "u-2");
    newer.handle("unit.info", () => ({ unitId: "u-2", softwareVersion: "new" }));
    await newer.connect();
    const [info] = await dropped;
    await closed;

    expect(info).to.deep.include({ code: DisconnectCode.SUPERSEDED, willReconnect: false });
    expect(errors.map((error) => error.code)).to.deep.equal([DisconnectCode.SUPERSEDED]);
    expect(olderTokens, "no reconnect attempt").to.equal(1);
    expect((await rejectionOf(older.connect())).code).to.equal(DisconnectCode.SUPERSEDED);
    const bridge = bridgeClient(gw);
    await bridge.connect();
    expect(await bridge.request("u-2", "unit.info", {})).to.deep.equal({ unitId: "u-2", softwareVersion: "new" });
  });

  it("stops at a terminal handshake refusal: connect() rejects with AUTH_FORBIDDEN", async () => {
    const gw = await startGateway();
    let tokens = 0;
    const unit = unitClient(gw, "u-3", {
      token: () => {
        tokens++;
        return portalToken("nurse-1", ["u-3"]);
      },
    });
    const errors = collect<GatewayError>(1, (handler) => unit.connection.on("error", handler));

    const error = await rejectionOf(unit.connect());

    expect(error).to.be.instanceOf(GatewayError);
    expect(error.code).to.equal(ConnectErrorCode.AUTH_FORBIDDEN);
    expect((await errors).map((e) => e.code)).to.deep.equal([ConnectErrorCode.AUTH_FORBIDDEN]);
    expect(unit.state).to.equal(ConnectionState.CLOSED);
    expect(tokens).to.equal(1);
  });

  it("retries a curable refusal with backoff and a new token: AUTH_INVALID, then connected", async () => {
    const gw = await startGateway();
    const handed = [token({ sub: "u-4", role: "unit" }, { secret: "x".repeat(40) }), unitToken("u-4")];
    const unit = unitClient(gw, "u-4", { token: () => handed.shift() ?? unitToken("u-4") });
    const errors: GatewayError[] = [];
    unit.connection.on("error", (error) => errors.push(error));
    const retries: ReconnectInfo[] = [];
    unit.connection.on("reconnecting", (info) => retries.push(info));

    await unit.connect();

    expect(errors.map((error) => error.code)).to.deep.equal([ConnectErrorCode.AUTH_INVALID]);
    expect(retries).to.have.length(1);
    expect(retries[0]).to.deep.include({ attempt: 1, reason: ConnectErrorCode.AUTH_INVALID });
    expect(handed).to.have.length(0);
  });

  it("retries when the token provider fails, reporting AUTH_REQUIRED with the cause", async () => {
    const gw = await startGateway();
    let calls = 0;
    const unit = unitClient(gw, "u-5", {
      token: async () => {
        calls++;
        if (calls === 1) throw new Error("vault unavailable");
        return unitToken("u-5");
      },
    });
    const errors: GatewayError[] = [];
    unit.connection.on("error", (error) => errors.push(error));

    await unit.connect();

    expect(calls).to.equal(2);
    expect(errors).to.have.length(1);
    expect(errors[0]?.code).to.equal(ConnectErrorCode.AUTH_REQUIRED);
    expect((errors[0]?.cause as Error).message).to.equal("vault unavailable");
  });

  it("comes back after a gateway restart, re-subscribing what it had subscribed", async () => {
    const gw = await startGateway();
    const portal = portalClient(gw, "nurse-1", ["u-6", "u-7"]);
    await portal.connect();
    expect(await portal.subscribe(["u-6", "u-8"])).to.deep.equal({ subscribed: ["u-6"], denied: ["u-8"] });
    const unit = unitClient(gw, "u-6");
    await unit.connect();
    const resubscribed = first((handler) => portal.onResubscribed(handler));
    const unitDropped = nextConnectionEvent(unit.connection, "disconnect");
    const portalDropped = nextConnectionEvent(portal.connection, "disconnect");

    await gw.gateway.stop();
    await Promise.all([unitDropped, portalDropped]);
    const again = await startGateway({ PORT: String(gw.port) });
    expect(again.port).to.equal(gw.port);

    expect(await resubscribed).to.deep.equal({ subscribed: ["u-6"], denied: [] });
    await untilState(unit.connection, ConnectionState.CONNECTED);
    const received = first<AnyUnitEvent>((handler) => portal.onUnitEvent(handler));
    const payload = { registrationId: "r-1", patientRef: "p-1", status: "arrived", at: "2026-01-05T09:00:00Z" };
    const { id } = await unit.publish("registration.created", payload);
    const event = await received;
    expect(event).to.deep.include({ unitId: "u-6", id, type: "registration.created" });
    if (event.type === "registration.created") expect(event.payload.registrationId).to.equal("r-1");
  });

  it("close() is final and idempotent: state closed once, connect() and calls reject with CLIENT_CLOSED", async () => {
    const gw = await startGateway();
    const portal = portalClient(gw, "nurse-1", ["u-9"]);
    await portal.connect();
    const states: ConnectionState[] = [];
    portal.connection.on("state", (state) => states.push(state));

    portal.close();
    portal.close();

    expect(states).to.deep.equal([ConnectionState.CLOSED]);
    expect(portal.connected).to.equal(false);
    expect((await rejectionOf(portal.connect())).code).to.equal(ClientErrorCode.CLIENT_CLOSED);
    expect((await rejectionOf(portal.subscribe(["u-9"]))).code).to.equal(ClientErrorCode.CLIENT_CLOSED);
  });

  it("close() while retrying an unreachable gateway rejects connect() with CLIENT_CLOSED", async () => {
    const unit = new UnitClient({ url: `http://127.0.0.1:${await deadPort()}`, token: unitToken("u-10"), backoff: FAST_BACKOFF });
    registerTeardown(() => unit.close());
    const retries = collect<ReconnectInfo>(3, (handler) => unit.connection.on("reconnecting", handler));
    const connecting = rejectionOf(unit.connect());

    const seen = await retries;
    expect(unit.state, "never connected yet").to.equal(ConnectionState.CONNECTING);
    unit.close();

    expect(seen.map((r) => r.attempt)).to.deep.equal([1, 2, 3]);
    for (const retry of seen) expect(retry.delayMs).to.be.at.most(FAST_BACKOFF.maxMs);
    expect((await connecting).code).to.equal(ClientErrorCode.CLIENT_CLOSED);
    expect(unit.state).to.equal(ConnectionState.CLOSED);
  });

  it("leaves no timer or socket behind after close(): a process using the SDK exits by itself", async () => {
    const gw = await startGateway();
    const script = `
      import { UnitClient, PortalClient } from "@care-gateway/client-sdk";
      const [url, unitTok, portalTok, deadUrl] = process.argv.slice(1);
      const unit = new UnitClient({ url, token: () => unitTok, backoff: { baseMs: 5, maxMs: 20 } });
      await unit.connect();
      const retrying = new PortalClient({ url: deadUrl, token: portalTok, backoff: { baseMs: 5, maxMs: 20 } });
      let retries = 0;
      const enough = new Promise((resolve) => retrying.connection.on("reconnecting", () => { if (++retries === 3) resolve(); }));
      const connecting = retrying.connect().catch((error) => error.code);
      await enough;
      retrying.close();
      // Closed from inside a state listener, in the middle of scheduling a retry.
      const selfClosing = new PortalClient({ url: deadUrl, token: portalTok, backoff: { baseMs: 5, maxMs: 20 } });
      selfClosing.connection.on("reconnecting", () => selfClosing.close());
      const selfClosed = await selfClosing.connect().catch((error) => error.code);
      const closedOnState = new PortalClient({ url, token: portalTok, backoff: { baseMs: 5, maxMs: 20 } });
      closedOnState.connection.on("state", (state) => { if (state === "connecting") closedOnState.close(); });
      const closedOnStateOutcome = await closedOnState.connect().catch((error) => error.code);
      if (closedOnStateOutcome !== "CLIENT_CLOSED") throw new Error("closed on state: " + closedOnStateOutcome);
      unit.close();
      console.log(JSON.stringify({ unit: unit.state, retrying: retrying.state, connect: await connecting, selfClosed, pending: unit.connection.pendingCalls }));
    `;
    const args = ["--input-type=module", "-e", script, gw.url, unitToken("u-11"), portalToken("nurse-1", []), `http://127.0.0.1:${await deadPort()}`];
    const child = spawn(process.execPath, args, { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
    registerTeardown(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));

    const code = await new Promise<number | null>((resolve) => child.on("exit", (exitCode) => resolve(exitCode)));

    expect(stderr).to.equal("");
    expect(code).to.equal(0);
    expect(JSON.parse(stdout)).to.deep.equal({
      unit: "closed",
      retrying: "closed",
      connect: ClientErrorCode.CLIENT_CLOSED,
      selfClosed: ClientErrorCode.CLIENT_CLOSED,
      pending: 0,
    });
  });
});
