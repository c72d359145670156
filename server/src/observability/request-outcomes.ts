/**
 * The two per-request series, `care_gateway_requests_total{type,outcome}` and
 * `care_gateway_request_duration_seconds{outcome}`, counted in plain numbers on the request path and
 * handed to prom-client only when it is scraped.
 *
 * prom-client's `inc(labels)` and `observe(labels, v)` hash and validate the label object on every
 * call (two label objects and two hash strings per request); dropping them took about 6 µs of CPU
 * off each relayed request (docs/benchmarks.md). Here a request costs two Map lookups and a few
 * increments. The counter is a prom-client Counter that takes the counts gathered since the last
 * scrape in its `collect()`; the histogram is a metric object of its own that the registry formats
 * exactly as a prom-client Histogram (test/src/request-outcomes.test.ts compares the two).
 */
import client from "prom-client";
import { emptyCounts, histogramForPromString, observeInto, withLabelsMerged, type HistogramCounts, type HistogramData } from "./histogram-exposition.js";

/** `name{label=…}` histogram with one label, formatted by the registry like prom-client's Histogram. */
export class OneLabelHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  readonly #series = new Map<string, HistogramCounts>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelName: string,
    private readonly bounds: readonly number[],
    registers: readonly client.Registry[],
  ) {
    for (const registry of registers) registry.registerMetric(this as unknown as client.Metric);
  }

  observe(labelValue: string, value: number): void {
    let series = this.#series.get(labelValue);
    if (!series) {
      series = emptyCounts(this.bounds);
      this.#series.set(labelValue, series);
    }
    observeInto(series, this.bounds, value);
  }

  /** What prom-client's Histogram.getForPromString() returns (the registry's text format uses it). */
  getForPromString(): Promise<HistogramData> {
    const series = [...this.#series].map(([labelValue, counts]) => [{ [this.labelName]: labelValue }, counts] as const);
    return Promise.resolve(histogramForPromString(this.name, this.help, this.bounds, series));
  }

  /** What prom-client's Histogram.get() returns: the same values with the label merged in (JSON, aggregation). */
  async get(): Promise<HistogramData> {
    return withLabelsMerged(await this.getForPromString());
  }

  reset(): void {
    this.#series.clear();
  }
}

/** Requests by type and outcome, and their durations by outcome. */
export class RequestOutcomes {
  /** Counts by type, then outcome, not yet handed to the counter. */
  readonly #unreported = new Map<string, Map<string, number>>();
  readonly #duration: OneLabelHistogram;

  constructor(registers: client.Registry[], durationBuckets: readonly number[]) {
    const unreported = this.#unreported;
    new client.Counter({
      name: "care_gateway_requests_total",
      help: "Requests to units by type and outcome (ok or an error code).",
      labelNames: ["type", "outcome"],
      registers,
      collect() {
        for (const [type, byOutcome] of unreported) {
          for (const [outcome, count] of byOutcome) if (count > 0) this.inc({ type, outcome }, count);
          byOutcome.clear();
        }
      },
    });
    this.#duration = new OneLabelHistogram("care_gateway_request_duration_seconds", "Time from a request's arrival to its outcome.", "outcome", durationBuckets, registers);
  }

  record(type: string, outcome: string, seconds: number): void {
    let byOutcome = this.#unreported.get(type);
    if (!byOutcome) {
      byOutcome = new Map();
      this.#unreported.set(type, byOutcome);
    }
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
    this.#duration.observe(outcome, seconds);
  }
}
