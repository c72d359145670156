/**
 * A histogram counted in plain numbers and handed to prom-client's registry in the shape a
 * prom-client Histogram gives it, so that the exposition text and JSON are the same byte for byte
 * (test/src/request-outcomes.test.ts, test/src/api-bridge-http-metrics.test.ts). Shared by the
 * gateway's request-duration series and the API Bridge's HTTP-duration series.
 */
import type client from "prom-client";

export interface HistogramValue {
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  value: number;
  metricName: string;
  /** prom-client writes `null` on bucket values (no exemplars). */
  exemplar?: null;
}

export interface HistogramData {
  name: string;
  help: string;
  type: client.MetricType;
  values: HistogramValue[];
  aggregator: "sum";
}

/** One labelled series' observations. */
export interface HistogramCounts {
  /** Observations per bucket (not cumulative); the last slot holds those above every bound. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

export function emptyCounts(bounds: readonly number[]): HistogramCounts {
  return { counts: new Float64Array(bounds.length + 1), sum: 0, count: 0 };
}

export function observeInto(series: HistogramCounts, bounds: readonly number[], value: number): void {
  let index = 0;
  while (index < bounds.length && value > (bounds[index] as number)) index++;
  series.counts[index] = (series.counts[index] ?? 0) + 1;
  series.sum += value;
  series.count++;
}

/**
 * What prom-client's Histogram.getForPromString() returns for these series (the registry's text
 * format uses it): per series its cumulative buckets, +Inf, sum and count. `sharedLabels` objects are
 * passed through as they are (the registry caches their text by identity).
 */
export function histogramForPromString(
  name: string,
  help: string,
  bounds: readonly number[],
  series: Iterable<readonly [Record<string, string>, HistogramCounts]>,
): HistogramData {
  const values: HistogramValue[] = [];
  const bucket = `${name}_bucket`;
  for (const [sharedLabels, counts] of series) {
    let cumulative = 0;
    bounds.forEach((bound, i) => {
      cumulative += counts.counts[i] ?? 0;
      values.push({ labels: { le: bound }, sharedLabels, value: cumulative, metricName: bucket, exemplar: null });
    });
    values.push({ labels: { le: "+Inf" }, sharedLabels, value: counts.count, metricName: bucket, exemplar: null });
    values.push({ labels: {}, sharedLabels, value: counts.sum, metricName: `${name}_sum` });
    values.push({ labels: {}, sharedLabels, value: counts.count, metricName: `${name}_count` });
  }
  return { name, help, type: "histogram" as unknown as client.MetricType, values, aggregator: "sum" };
}

/** What prom-client's Histogram.get() returns: the same values with the labels merged in (JSON, aggregation). */
export function withLabelsMerged(data: HistogramData): HistogramData {
  data.values = data.values.map(({ labels, sharedLabels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } }));
  return data;
}
