/** /healthz, /readyz and /metrics on the gateway's own port. */
import { expect } from "chai";
import { startGateway } from "./helpers/test-gateway.js";

describe("http: health, readiness, metrics", () => {
  it("answers /healthz and /readyz with JSON", async () => {
    const gw = await startGateway();
    const health = await fetch(`${gw.url}/healthz`);
    expect(health.status).to.equal(200);
    expect(await health.json()).to.deep.equal({ status: "ok", node: gw.config.nodeId });
    const ready = await fetch(`${gw.url}/readyz`);
    expect(ready.status).to.equal(200);
    expect(await ready.json()).to.deep.include({ status: "ready" });
  });

  it("serves Prometheus text on /metrics", async () => {
    const gw = await startGateway();
    const res = await fetch(`${gw.url}/metrics`);
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.include("text/plain");
    const text = await res.text();
    for (const name of ["care_gateway_connections", "care_gateway_requests_total", "care_gateway_request_duration_seconds", "care_gateway_auth_refusals_total"]) {
      expect(text).to.include(`# TYPE ${name}`);
    }
  });

  it("answers 404 elsewhere and 405 to other methods", async () => {
    const gw = await startGateway();
    expect((await fetch(`${gw.url}/nope`)).status).to.equal(404);
    expect((await fetch(`${gw.url}/healthz`, { method: "POST" })).status).to.equal(405);
  });
});
