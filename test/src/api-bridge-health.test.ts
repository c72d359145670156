/** API Bridge: /healthz, /readyz (ready only while the /bridge socket is connected), /metrics (care_bridge_*), unknown routes. */
import { expect } from "chai";
import { ClientErrorCode, ErrorCode } from "@care-gateway/shared";
import { BridgeErrorCode } from "@care-gateway/bridge";
import { fakeUnit } from "./helpers/fake-unit.js";
import { freePort } from "./helpers/free-port.js";
import { startGateway } from "./helpers/test-gateway.js";
import { api, startBridge } from "./api-bridge-fixtures.js";

describe("API Bridge: health, readiness, metrics", () => {
  it("is alive and ready once its /bridge socket is connected", async () => {
    const gw = await startGateway();
    const bridge = await startBridge(gw);

    const health = await api(bridge, "GET", "/healthz", { token: null });
    expect(health.status).to.equal(200);
    expect(health.body).to.deep.equal({ ok: true, data: { status: "ok", instance: bridge.config.instanceId } });
    const ready = await api(bridge, "GET", "/readyz", { token: null });
    expect(ready.status).to.equal(200);
    expect(ready.body).to.deep.equal({ ok: true, data: { status: "ready", gateway: "connected" } });
  });

  it("starts and stays alive but not ready while no gateway is reachable", async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const bridge = await startBridge({ url: nowhere }, { connected: false });

    expect((await api(bridge, "GET", "/healthz", { token: null })).status).to.equal(200);
    const ready = await api(bridge, "GET", "/readyz", { token: null });
    expect(ready.status).to.equal(503);
    expect(ready.body.error.code).to.equal(ClientErrorCode.NOT_CONNECTED);
    expect(bridge.app.readiness()).to.deep.equal({ ready: false, reason: ClientErrorCode.NOT_CONNECTED });
  });

  it("serves Prometheus metrics prefixed care_bridge_, counting requests by route, status and code", async () => {
    const gw = await startGateway();
    await fakeUnit(gw.url, "U-1");
    const bridge = await startBridge(gw);
    await api(bridge, "POST", "/v1/units/U-1/requests", { body: { type: "unit.ping", payload: {} } });
    await api(bridge, "POST", "/v1/units/U-2/requests", { body: { type: "unit.ping", payload: {} } });
    await api(bridge, "GET", "/v1/units", { token: null });

    const res = await fetch(`${bridge.url}/metrics`);
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.include("text/plain");
    const text = await res.text();
    const names = [...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1] ?? "");
    expect(names.length).to.be.at.least(8);
    for (const name of names) expect(name).to.match(/^care_bridge_/);
    expect(text).to.include('care_bridge_http_requests_total{route="/v1/units/:unitId/requests",method="POST",status="200",code=""');
    expect(text).to.include(`care_bridge_http_requests_total{route="/v1/units/:unitId/requests",method="POST",status="404",code="${ErrorCode.UNIT_OFFLINE}"`);
    expect(text).to.match(/care_bridge_auth_refusals_total\{code="AUTH_REQUIRED"[^}]*\} 1/);
    expect(text).to.match(/^care_bridge_gateway_connected\{[^}]*\} 1$/m);
    expect(text).to.include("care_bridge_http_request_duration_seconds_bucket");
  });

  it("answers 404 NOT_FOUND in the one body shape for unknown routes and methods", async () => {
    const gw = await startGateway();
    const bridge = await startBridge(gw);
    for (const [method, path] of [
      ["GET", "/v1/nothing"],
      ["PUT", "/v1/units/U-1/requests"],
      ["POST", "/healthz"],
    ] as const) {
      const res = await api(bridge, method, path);
      expect(res.status, `${method} ${path}`).to.equal(404);
      expect(res.body.error.code).to.equal(BridgeErrorCode.NOT_FOUND);
    }
  });
});
