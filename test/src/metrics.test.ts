/** /metrics: the documented series exist and move with traffic. */
import { expect } from "chai";
import { Namespace, type RequestReply } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { sample, scrape } from "./helpers/prom-text.js";
import { ask, connect, rawSocket, refused } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { bridgeToken } from "./helpers/tokens.js";

const payment = { paymentId: "PM-1", referenceId: "INV-1", amount: { value: 1250, currency: "EUR" }, at: "2026-12-01T09:00:00Z" };

describe("observability: metrics", () => {
  it("counts connections, requests by type and outcome, durations, in-flight, refusals, publishes and deliveries", async () => {
    const gw = await startGateway({ PROCESS_METRICS: "1" });
    const before = await scrape(gw.url);
    expect(sample(before, "care_gateway_units_online")).to.equal(0);
    expect(sample(before, "care_gateway_nodejs_eventloop_lag_seconds")).to.be.a("number");
    expect(sample(before, "care_gateway_process_resident_memory_bytes")).to.be.greaterThan(0);

    const unit = await fakeUnit(gw.url, "U-1");
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    for (let i = 0; i < 3; i++) expect((await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {} })).ok).to.equal(true);
    await ask(bridge, "request", { unitId: "U-9", type: "unit.ping", payload: {} });
    await refused(rawSocket(gw.url, Namespace.unit, { auth: { token: "bogus" } }));
    await ask(bridge, "publish", { target: { unitId: "U-1" }, type: "payment.completed", payload: payment });
    await unit.receivedEvents(1);
    unit.answer(() => undefined);
    const held = ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {}, timeoutMs: 60_000 });
    await unit.receivedRequests(4);

    const during = await scrape(gw.url);
    expect(sample(during, "care_gateway_connections", { namespace: "units" })).to.equal(1);
    expect(sample(during, "care_gateway_connections", { namespace: "bridge" })).to.equal(1);
    expect(sample(during, "care_gateway_units_online")).to.equal(1);
    expect(sample(during, "care_gateway_requests_total", { type: "unit.ping", outcome: "ok" })).to.equal(3);
    expect(sample(during, "care_gateway_requests_total", { type: "unit.ping", outcome: "UNIT_OFFLINE" })).to.equal(1);
    expect(sample(during, "care_gateway_request_duration_seconds_count", { outcome: "ok" })).to.equal(3);
    expect(sample(during, "care_gateway_requests_in_flight")).to.equal(1);
    expect(sample(during, "care_gateway_auth_refusals_total", { namespace: "/units", code: "AUTH_INVALID" })).to.equal(1);
    expect(sample(during, "care_gateway_events_published_total")).to.equal(1);
    expect(sample(during, "care_gateway_events_delivered_total")).to.equal(1);
    expect(sample(during, "care_gateway_draining")).to.equal(0);

    unit.socket.disconnect();
    expect(!(await held).ok).to.equal(true);
    const after = await scrape(gw.url);
    expect(sample(after, "care_gateway_requests_in_flight")).to.equal(0);
    expect(sample(after, "care_gateway_requests_total", { type: "unit.ping", outcome: "UNIT_DISCONNECTED" })).to.equal(1);
  });

  it("serves /metrics on METRICS_PORT instead of the public port when set", async () => {
    const gw = await startGateway({ METRICS_PORT: "0" });
    expect((await fetch(`${gw.url}/metrics`)).status).to.equal(404);
    const started = gw.log.lines.find((l) => l["message"] === "gateway started");
    const metricsPort = started?.["metricsPort"];
    expect(metricsPort).to.be.a("number");
    const text = await scrape(`http://127.0.0.1:${String(metricsPort)}`);
    expect(text).to.include("care_gateway_requests_total");
  });
});
