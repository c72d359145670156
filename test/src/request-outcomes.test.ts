/**
 * The request series counted outside prom-client (server/src/observability/request-outcomes.ts)
 * reach the exposition text exactly as prom-client's own Counter and Histogram would write them, for
 * the same observations: bucket edges, +Inf, sums, counts, label order, default labels, and counts
 * that keep adding up across scrapes.
 */
import { expect } from "chai";
import client from "prom-client";
import { OneLabelHistogram, RequestOutcomes } from "@care-gateway/server";

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function references() {
  const registry = new client.Registry();
  registry.setDefaultLabels({ node: "n1" });
  const registers = [registry];
  const counter = new client.Counter({ name: "care_gateway_requests_total", help: "Requests to units by type and outcome (ok or an error code).", labelNames: ["type", "outcome"], registers });
  const histogram = new client.Histogram({ name: "care_gateway_request_duration_seconds", help: "Time from a request's arrival to its outcome.", labelNames: ["outcome"], buckets: BUCKETS, registers });
  return { registry, record: (type: string, outcome: string, seconds: number) => (counter.inc({ type, outcome }), histogram.observe({ outcome }, seconds)) };
}

function ours() {
  const registry = new client.Registry();
  registry.setDefaultLabels({ node: "n1" });
  const outcomes = new RequestOutcomes([registry], BUCKETS);
  return { registry, record: (type: string, outcome: string, seconds: number) => outcomes.record(type, outcome, seconds) };
}

/** Deterministic observations: edges exactly, between edges, above every bound, zero. */
function observations(count: number): [string, string, number][] {
  const types = ["unit.ping", "appointment.create", "unknown"];
  const outcomes = ["ok", "TIMEOUT", "UNIT_OFFLINE"];
  const values = [0, 0.001, 0.0011, 0.0025, 0.004, 0.01, 0.3, 1, 7.5, 30, 31, 1000, 0.0009];
  return Array.from({ length: count }, (_, i) => [types[i % 3] as string, outcomes[(i * 7) % 3] as string, values[(i * 5) % values.length] as number]);
}

describe("observability: request series counted outside prom-client", () => {
  it("write the same exposition text as prom-client's Counter and Histogram, across scrapes", async () => {
    const reference = references();
    const fast = ours();
    expect(await fast.registry.metrics()).to.equal(await reference.registry.metrics());
    for (const batch of [observations(50), observations(1), observations(500)]) {
      for (const [type, outcome, seconds] of batch) {
        reference.record(type, outcome, seconds);
        fast.record(type, outcome, seconds);
      }
      expect(await fast.registry.metrics()).to.equal(await reference.registry.metrics());
    }
    expect(JSON.stringify(await fast.registry.getMetricsAsJSON(), null, 1)).to.equal(JSON.stringify(await reference.registry.getMetricsAsJSON(), null, 1));
  });

  it("forgets its series on a registry reset", async () => {
    const registry = new client.Registry();
    const histogram = new OneLabelHistogram("h_seconds", "h", "outcome", [1], [registry]);
    histogram.observe("ok", 0.5);
    expect(await registry.metrics()).to.include('h_seconds_count{outcome="ok"} 1');
    registry.resetMetrics();
    expect(await registry.metrics()).to.not.include("h_seconds_count");
  });
});
