/**
 * The bridge's per-request HTTP series counted outside prom-client (bridge/src/http-request-metrics.ts)
 * reach the exposition text and JSON exactly as prom-client's own Counter and Histogram wrote them
 * before (labelled children, `inc()` and `observe()` per request), for the same requests: label
 * order, series order (first seen), bucket edges, +Inf, sums, counts, default labels, and counts
 * that keep adding up across scrapes.
 */
import { expect } from "chai";
import client from "prom-client";
import { HTTP_DURATION_BUCKETS, HTTP_DURATION_HELP, HTTP_DURATION_METRIC, HTTP_REQUESTS_HELP, HTTP_REQUESTS_METRIC, HttpRequestMetrics } from "@care-gateway/bridge";

type Recorder = { registry: client.Registry; record: (route: string, method: string, status: number, code: string, seconds: number) => void };

/** What the bridge did before: prom-client metrics, a labelled child per label set. */
function reference(): Recorder {
  const registry = new client.Registry();
  registry.setDefaultLabels({ instance_id: "bridge-1" });
  const registers = [registry];
  const requests = new client.Counter({ name: HTTP_REQUESTS_METRIC, help: HTTP_REQUESTS_HELP, labelNames: ["route", "method", "status", "code"], registers });
  const duration = new client.Histogram({ name: HTTP_DURATION_METRIC, help: HTTP_DURATION_HELP, labelNames: ["route", "method"], buckets: [...HTTP_DURATION_BUCKETS], registers });
  new client.Gauge({ name: "care_bridge_after", help: "a metric registered after them", registers }).set(1);
  return {
    registry,
    record: (route, method, status, code, seconds) => {
      requests.labels({ route, method, status: String(status), code }).inc();
      duration.labels({ route, method }).observe(seconds);
    },
  };
}

function ours(): Recorder {
  const registry = new client.Registry();
  registry.setDefaultLabels({ instance_id: "bridge-1" });
  const metrics = new HttpRequestMetrics([registry]);
  new client.Gauge({ name: "care_bridge_after", help: "a metric registered after them", registers: [registry] }).set(1);
  return { registry, record: (...args) => metrics.record(...args) };
}

/** Deterministic requests: several routes, methods, statuses and codes, durations on and between the edges. */
function requests(count: number, offset: number): [string, string, number, string, number][] {
  const routes: [string, string][] = [
    ["/v1/units/:unitId/requests", "POST"],
    ["/v1/units", "GET"],
    ["unmatched", "GET"],
    ["/v1/principals/:sub/connections", "DELETE"],
    ["/v1/units/:unitId/requests", "GET"],
  ];
  const outcomes: [number, string][] = [
    [200, ""],
    [404, "UNIT_OFFLINE"],
    [400, "VALIDATION_FAILED"],
    [504, "TIMEOUT"],
    [200, ""],
  ];
  const seconds = [0, 0.001, 0.0011, 0.0025, 0.004, 0.01, 0.3, 1, 7.5, 30, 60, 61, 1000, 0.0009];
  return Array.from({ length: count }, (_, n) => {
    const i = n + offset;
    const [route, method] = routes[(i * 3) % routes.length] as [string, string];
    const [status, code] = outcomes[(i * 7) % outcomes.length] as [number, string];
    return [route, method, status, code, seconds[(i * 5) % seconds.length] as number];
  });
}

describe("api-bridge: HTTP request metrics counted outside prom-client", () => {
  it("write the same exposition text and JSON as prom-client's Counter and Histogram, across scrapes", async () => {
    const before = reference();
    const after = ours();
    expect(await after.registry.metrics()).to.equal(await before.registry.metrics());
    for (const batch of [requests(1, 0), requests(3, 1), requests(60, 4), requests(500, 64)]) {
      for (const request of batch) {
        before.record(...request);
        after.record(...request);
      }
      const text = await after.registry.metrics();
      expect(text).to.equal(await before.registry.metrics());
      expect(text).to.include(`${HTTP_REQUESTS_METRIC}{route="/v1/units/:unitId/requests",method="POST",status="200",code="",instance_id="bridge-1"}`);
    }
    expect(JSON.stringify(await after.registry.getMetricsAsJSON(), null, 1)).to.equal(JSON.stringify(await before.registry.getMetricsAsJSON(), null, 1));
  });

  it("forgets its observations on a registry reset, like prom-client", async () => {
    const before = reference();
    const after = ours();
    for (const request of requests(20, 0)) {
      before.record(...request);
      after.record(...request);
    }
    before.registry.resetMetrics();
    after.registry.resetMetrics();
    expect(await after.registry.metrics()).to.equal(await before.registry.metrics());
    expect(await after.registry.metrics()).to.not.include(`${HTTP_DURATION_METRIC}_count`);
  });
});
