/** Ratios of the gateway's figures to the bare baseline's, taken in the same run. */
import type { Ratios, ServerRun } from "../scenarios/scenario.js";
import type { LatencySummary } from "./latency.js";

export function findRun(runs: readonly ServerRun[], server: ServerRun["server"]): ServerRun {
  const run = runs.find((candidate) => candidate.server === server);
  if (!run) throw new Error(`no ${server} run in the results`);
  return run;
}

export function gatewayOverBare(runs: readonly ServerRun[]): Ratios {
  const gateway = findRun(runs, "gateway");
  const bare = findRun(runs, "bare");
  return {
    throughput: ratio(gateway.throughput, bare.throughput),
    p50: ratio(gateway.latencyMs.p50, bare.latencyMs.p50),
    p99: ratio(gateway.latencyMs.p99, bare.latencyMs.p99),
    serverCpuPerRequest: ratio(gateway.serverCpuUsPerRequest, bare.serverCpuUsPerRequest),
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
