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

/** `numerator` / `denominator` from the runs, checked against a throughput target when one is given. */
export function compare(runs: readonly ServerRun[], numerator: string, denominator: string, throughputRatioAtLeast: number): Comparison & { target: TargetCheck };
export function compare(runs: readonly ServerRun[], numerator: string, denominator: string): Comparison;
export function compare(runs: readonly ServerRun[], numerator: string, denominator: string, throughputRatioAtLeast?: number): Comparison {
  const ratios = runRatios(findRun(runs, numerator), findRun(runs, denominator));
  return {
    numerator,
    denominator,
    ratios,
    ...(throughputRatioAtLeast !== undefined ? { target: { throughputRatioAtLeast, met: ratios.throughput >= throughputRatioAtLeast } } : {}),
  };
}

function ratio(a: number, b: number): number {
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
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
