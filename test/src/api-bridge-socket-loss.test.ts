/**
 * API Bridge: losing the /bridge socket. Readiness flips, requests get 503 (NOT_CONNECTED when not
 * sent, CONNECTION_LOST when in flight), and the bridge recovers by itself when the gateway is back:
 * a gateway stopped and a new one started on the same port, and a network cut healed.
 */
import { createServer, connect as tcpConnect, type Server, type Socket as TcpSocket } from "node:net";
import { expect } from "chai";
import { ClientErrorCode, ConnectErrorCode } from "@care-gateway/shared";
import type { GatewayError } from "@care-gateway/client-sdk";
import { eventually } from "./helpers/eventually.js";
import { fakeUnit } from "./helpers/fake-unit.js";
import { registerTeardown } from "./helpers/teardown.js";
import { startGateway } from "./helpers/test-gateway.js";
import { api, startBridge, type TestBridge } from "./api-bridge-fixtures.js";
import { deferred, unitClient } from "./sdk-fixtures.js";
import { token } from "./helpers/tokens.js";

const PING = { type: "unit.ping", payload: {} };

/** A TCP relay to the gateway that a test can cut (every connection dropped, new ones refused) and heal. */
interface Relay {
  url: string;
  cut(): void;
  heal(): void;
}

async function startRelay(targetPort: number): Promise<Relay> {
  const open = new Set<TcpSocket>();
  let cut = false;
  const server: Server = createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = tcpConnect(targetPort, "127.0.0.1");
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      open.add(a);
      a.on("error", () => b.destroy());
      a.on("close", () => {
        open.delete(a);
        b.destroy();
      });
      a.pipe(b);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const dropAll = () => {
    for (const socket of open) socket.destroy();
  };
  registerTeardown(
    () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("relay has no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    cut: () => {
      cut = true;
      dropAll();
    },
    heal: () => {
      cut = false;
    },
  };
}

const readyStatus = async (bridge: TestBridge) => (await api(bridge, "GET", "/readyz", { token: null })).status;

describe("API Bridge: losing the /bridge socket", () => {
  it("goes unready and answers 503 while the gateway is gone, and recovers when a new gateway starts on the same port", async () => {
    const first = await startGateway();
    const unit = unitClient(first, "U-1");
    unit.handle("unit.ping", () => ({ at: new Date().toISOString() }));
    await unit.connect();
    const bridge = await startBridge(first);
    expect(await readyStatus(bridge)).to.equal(200);
    expect((await api(bridge, "POST", "/v1/units/U-1/requests", { body: PING })).status).to.equal(200);

    await first.gateway.stop();

    await eventually(async () => (await readyStatus(bridge)) === 503);
    const ready = await api(bridge, "GET", "/readyz", { token: null });
    expect(ready.body.error.code).to.equal(ClientErrorCode.NOT_CONNECTED);
    const request = await api(bridge, "POST", "/v1/units/U-1/requests", { body: PING });
    expect(request.status).to.equal(503);
    expect(request.body.error.code).to.equal(ClientErrorCode.NOT_CONNECTED);
    expect(request.headers.get("retry-after")).to.equal("1");
    expect((await api(bridge, "GET", "/v1/units")).status).to.equal(503);
    expect((await api(bridge, "GET", "/healthz", { token: null })).status, "alive all along").to.equal(200);

    await startGateway({ PORT: String(first.port) });

    await eventually(async () => (await readyStatus(bridge)) === 200);
    await eventually(async () => (await api(bridge, "POST", "/v1/units/U-1/requests", { body: PING })).status === 200);
    const metrics = await (await fetch(`${bridge.url}/metrics`)).text();
    expect(metrics).to.match(/^care_bridge_gateway_reconnects_total\{[^}]*\} [1-9]/m);
    expect(metrics).to.match(/^care_bridge_gateway_connected\{[^}]*\} 1$/m);
  });

  it("answers CONNECTION_LOST to a request in flight when the network drops, keeps it for its Idempotency-Key, and recovers when the network heals", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(() => undefined);
    const relay = await startRelay(gw.port);
    const bridge = await startBridge({ url: relay.url });
    const headers = { "idempotency-key": "order-lost" };

    const pending = api(bridge, "POST", "/v1/units/U-1/requests", { body: PING, headers });
    await unit.receivedRequests(1);
    relay.cut();
    const lost = await pending;

    expect(lost.status).to.equal(503);
    expect(lost.body.error.code).to.equal(ClientErrorCode.CONNECTION_LOST);
    expect(await readyStatus(bridge)).to.equal(503);
    expect(bridge.log.lines.some((line) => line["message"] === "gateway connection lost")).to.equal(true);

    relay.heal();
    await eventually(async () => (await readyStatus(bridge)) === 200);
    const retry = await api(bridge, "POST", "/v1/units/U-1/requests", { body: PING, headers });
    expect(retry.body.error.code, "the outcome is unknown: the key keeps it").to.equal(ClientErrorCode.CONNECTION_LOST);
    expect(retry.headers.get("idempotent-replayed")).to.equal("true");
    expect(unit.requests).to.have.length(1);

    unit.answer(() => ({ ok: true, data: { at: new Date().toISOString() } }));
    expect((await api(bridge, "POST", "/v1/units/U-1/requests", { body: PING })).status).to.equal(200);
  });

  it("reports a refusal that cannot cure itself (a /bridge token of another role) as fatal, and stays unready", async () => {
    const gw = await startGateway();
    const fatal = deferred<GatewayError>();
    const bridge = await startBridge(gw, { env: { BRIDGE_TOKEN: token({ sub: "api-bridge", role: "portal", units: ["*"] }) }, deps: { onFatal: fatal.resolve }, connected: false });

    expect((await fatal.promise).code).to.equal(ConnectErrorCode.AUTH_FORBIDDEN);
    expect(await readyStatus(bridge)).to.equal(503);
    expect(bridge.log.lines.some((line) => line["level"] === "error" && line["message"] === "gateway connection closed for good")).to.equal(true);
  });
});
