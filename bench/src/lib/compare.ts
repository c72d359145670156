/** Ratios of one run's figures to another's (the gateway's to the bare baseline's), taken in the same run. */
import type { Comparison, Ratios, ServerRun, TargetCheck } from "../scenarios/scenario.js";
import type { LatencySummary } from "./latency.js";

export function findRun(runs: readonly ServerRun[], server: ServerRun["server"]): ServerRun {
  const run = runs.find((candidate) => candidate.server === server);
  if (!run) throw new Error(`no ${server} run in the results`);
  return run;
}

export function runRatios(numerator: ServerRun, denominator: ServerRun): Ratios {
  return {
    throughput: ratio(numerator.throughput, denominator.throughput),
    p50: ratio(numerator.latencyMs.p50, denominator.latencyMs.p50),
    p99: ratio(numerator.latencyMs.p99, denominator.latencyMs.p99),
    serverCpuPerRequest: ratio(numerator.serverCpuUsPerRequest, denominator.serverCpuUsPerRequest),
  };
}

/** Each round's own `numerator` / `denominator` ratios (the two measured in the same round), in round order. */
export function roundRatios(rounds: readonly (readonly ServerRun[])[], numerator: string, denominator: string): Ratios[] {
  return rounds.map((runs) => runRatios(findRun(runs, numerator), findRun(runs, denominator)));
}

/** `numerator / denominator of the same round: throughput …; p99 …; server µs per item …`, one figure per round, for a record's note. */
export function perRoundRatios(rounds: readonly (readonly ServerRun[])[], numerator: string, denominator: string): string {
  const ratios = roundRatios(rounds, numerator, denominator);
  const list = (pick: (r: Ratios) => number) => ratios.map((r) => `${pick(r).toFixed(2)}x`).join(", ");
  return `${numerator} / ${denominator} of the same round: throughput ${list((r) => r.throughput)}; p99 ${list((r) => r.p99)}; server CPU per item ${list((r) => r.serverCpuPerRequest)}`;
}

/** A target before it is checked: a throughput ratio to reach, or a bound on another figure's ratio. */
export type TargetSpec = number | Pick<TargetCheck, "figure" | "label" | "better" | "bound">;

/**
 * `numerator` / `denominator` from the runs, checked against a target when one is given: a number is
 * a throughput ratio to reach (the request scenarios); otherwise the bound on the named figure's ratio.
 */
export function compare(runs: readonly ServerRun[], numerator: string, denominator: string, target: TargetSpec): Comparison & { target: TargetCheck };
export function compare(runs: readonly ServerRun[], numerator: string, denominator: string): Comparison;
export function compare(runs: readonly ServerRun[], numerator: string, denominator: string, target?: TargetSpec): Comparison {
  const top = findRun(runs, numerator);
  const bottom = findRun(runs, denominator);
  const ratios = runRatios(top, bottom);
  const figureRatios = Object.fromEntries(Object.keys(top.figures ?? {}).map((name) => [name, ratio(figureOf(top, name), figureOf(bottom, name))]));
  const comparison: Comparison = { numerator, denominator, ratios, ...(top.figures ? { figureRatios } : {}) };
  if (target === undefined) return comparison;
  const spec = typeof target === "number" ? { figure: "throughput", label: "throughput", better: "higher" as const, bound: target } : target;
  const value = ratio(figureOf(top, spec.figure), figureOf(bottom, spec.figure));
  const met = spec.better === "higher" ? value >= spec.bound : value <= spec.bound;
  return { ...comparison, target: { ...spec, ratio: value, met } };
}

/** A run's figure by name: a standard field (see `FigureColumn`) or one of its own `figures`. */
export function figureOf(run: ServerRun, name: string): number {
  const own = run.figures?.[name];
  if (own !== undefined) return own;
  switch (name) {
    case "throughput":
      return run.throughput;
    case "p50":
    case "p90":
    case "p99":
    case "max":
      return run.latencyMs[name];
    case "errors":
      return run.errors + run.unfinished;
    case "serverCpuPct":
    case "serverCpuUsPerRequest":
    case "loadgenCpuPct":
    case "otherCpuPct":
    case "serverRssMb":
    case "connectMs":
      return run[name];
    default:
      return Number.NaN;
  }
}

/** a / b, NaN when b is not positive. */
export function ratio(a: number, b: number): number {
  return b > 0 ? a / b : Number.NaN;
}

/** One server's runs over several rounds as one: the median of each figure, errors added up. */
export function medianRun(runs: readonly ServerRun[]): ServerRun {
  const [first] = runs;
  if (!first) throw new Error("no runs to combine");
  if (runs.length === 1) return first;
  const med = (pick: (run: ServerRun) => number) => median(runs.map(pick));
  const latency = (key: keyof LatencySummary) => med((run) => run.latencyMs[key]);
  const errorCodes: Record<string, number> = {};
  const parts = first.serverCpuParts ? Object.fromEntries(Object.keys(first.serverCpuParts).map((name) => [name, med((run) => run.serverCpuParts?.[name] ?? Number.NaN)])) : undefined;
  const figures = first.figures ? Object.fromEntries(Object.keys(first.figures).map((name) => [name, med((run) => run.figures?.[name] ?? Number.NaN)])) : undefined;
  for (const run of runs) for (const [code, count] of Object.entries(run.errorCodes)) errorCodes[code] = (errorCodes[code] ?? 0) + count;
  return {
    server: first.server,
    description: first.description,
    requests: med((run) => run.requests),
    throughput: med((run) => run.throughput),
    latencyMs: { count: latency("count"), mean: latency("mean"), p50: latency("p50"), p90: latency("p90"), p99: latency("p99"), p999: latency("p999"), max: latency("max") },
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    errorCodes,
    unfinished: runs.reduce((sum, run) => sum + run.unfinished, 0),
    connectMs: med((run) => run.connectMs),
    serverCpuPct: med((run) => run.serverCpuPct),
    ...(parts ? { serverCpuParts: parts } : {}),
    serverCpuUsPerRequest: med((run) => run.serverCpuUsPerRequest),
    serverRssMb: med((run) => run.serverRssMb),
    loadgenCpuPct: med((run) => run.loadgenCpuPct),
    otherCpuPct: med((run) => run.otherCpuPct),
    ...(figures ? { figures } : {}),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
