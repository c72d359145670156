/**
 * The two per-request HTTP series, `care_bridge_http_requests_total{route,method,status,code}` and
 * `care_bridge_http_request_duration_seconds{route,method}`, counted in plain numbers on the request
 * path and handed to prom-client only when it is scraped (the gateway does the same for its request
 * series: server/src/observability/request-outcomes.ts).
 *
 * prom-client hashes and validates the label object on every `inc()` and `observe()`, even on a
 * labelled child; here a request costs a few Map lookups (route, method, status and code are strings
 * and a number that fastify and our error codes hand over as they are) and some additions. The
 * counter is a prom-client Counter that takes the counts gathered since the last scrape in its
 * `collect()`; the histogram is a metric object of its own that the registry formats exactly as a
 * prom-client Histogram does. Series appear in the order they were first seen, as with prom-client
 * (test/src/api-bridge-http-metrics.test.ts compares the exposition text and JSON with prom-client's).
 */
import { emptyCounts, histogramForPromString, observeInto, withLabelsMerged, type HistogramCounts, type HistogramData } from "@care-gateway/server";
import client from "prom-client";

export const HTTP_REQUESTS_METRIC = "care_bridge_http_requests_total";
export const HTTP_DURATION_METRIC = "care_bridge_http_request_duration_seconds";
export const HTTP_REQUESTS_HELP = "HTTP requests by route pattern, method, status and error code (empty on success).";
export const HTTP_DURATION_HELP = "Time from an HTTP request's arrival to its response.";
export const HTTP_DURATION_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

type RouteLabels = { route: string; method: string };
type OutcomeLabels = { route: string; method: string; status: string; code: string };

interface OutcomeCount {
  readonly labels: OutcomeLabels;
  /** Requests not yet handed to the prom-client counter. */
  unreported: number;
}

interface RouteSeries {
  /** Shared by every value of the series (prom-client's registry caches its text by identity). */
  readonly labels: RouteLabels;
  readonly durations: HistogramCounts;
  /** By status, then code. */
  readonly outcomes: Map<number, Map<string, OutcomeCount>>;
}

export class HttpRequestMetrics {
  readonly #byRoute = new Map<string, Map<string, RouteSeries>>();
  /** Every series in the order first seen (the histogram's order). */
  readonly #series: RouteSeries[] = [];
  /** Every outcome in the order first seen (the counter's order). */
  readonly #outcomes: OutcomeCount[] = [];

  constructor(registers: client.Registry[]) {
    const outcomes = this.#outcomes;
    const counter = new client.Counter({
      name: HTTP_REQUESTS_METRIC,
      help: HTTP_REQUESTS_HELP,
      labelNames: ["route", "method", "status", "code"],
      registers,
      collect() {
        for (const outcome of outcomes) {
          if (outcome.unreported === 0) continue;
          this.inc(outcome.labels, outcome.unreported);
          outcome.unreported = 0;
        }
      },
    });
    // The registry's resetMetrics(): what was not handed over yet is forgotten with the rest.
    const reset = counter.reset.bind(counter);
    counter.reset = () => {
      for (const outcome of outcomes) outcome.unreported = 0;
      reset();
    };
    new DurationHistogram(this.#series, registers);
  }

  record(route: string, method: string, status: number, code: string, seconds: number): void {
    let byMethod = this.#byRoute.get(route);
    if (!byMethod) {
      byMethod = new Map();
      this.#byRoute.set(route, byMethod);
    }
    let series = byMethod.get(method);
    if (!series) {
      series = { labels: { route, method }, durations: emptyCounts(HTTP_DURATION_BUCKETS), outcomes: new Map() };
      byMethod.set(method, series);
      this.#series.push(series);
    }
    let byCode = series.outcomes.get(status);
    if (!byCode) {
      byCode = new Map();
      series.outcomes.set(status, byCode);
    }
    let outcome = byCode.get(code);
    if (!outcome) {
      outcome = { labels: { route, method, status: String(status), code }, unreported: 0 };
      byCode.set(code, outcome);
      this.#outcomes.push(outcome);
    }
    outcome.unreported++;
    observeInto(series.durations, HTTP_DURATION_BUCKETS, seconds);
  }
}

/** The duration histogram as the registry sees it: what prom-client's Histogram would answer. */
class DurationHistogram {
  readonly name = HTTP_DURATION_METRIC;
  readonly help = HTTP_DURATION_HELP;
  readonly type = "histogram";
  readonly aggregator = "sum";

  constructor(
    private readonly series: RouteSeries[],
    registers: readonly client.Registry[],
  ) {
    for (const registry of registers) registry.registerMetric(this as unknown as client.Metric);
  }

  /** What prom-client's Histogram.getForPromString() returns (the registry's text format uses it); series never observed are left out. */
  getForPromString(): Promise<HistogramData> {
    const observed = this.series.filter((series) => series.durations.count > 0).map((series) => [series.labels, series.durations] as const);
    return Promise.resolve(histogramForPromString(this.name, this.help, HTTP_DURATION_BUCKETS, observed));
  }

  /** What prom-client's Histogram.get() returns: the same values with the labels merged in (JSON, aggregation). */
  async get(): Promise<HistogramData> {
    return withLabelsMerged(await this.getForPromString());
  }

  /** The registry's resetMetrics(): forget every observation (prom-client forgets the series too). */
  reset(): void {
    for (const { durations } of this.series) {
      durations.counts.fill(0);
      durations.sum = 0;
      durations.count = 0;
    }
  }
}
