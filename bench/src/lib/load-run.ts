/** A measured closed loop against a server side, as one ServerRun: the loop's figures and the CPU it cost. */
import type { ScenarioParams, ServerRun } from "../scenarios/scenario.js";
import { runClosedLoop, type Operation } from "./closed-loop.js";
import { startCpuMeter, type StatsSource } from "./cpu-meter.js";

export interface LoadRunOptions {
  server: string;
  description: string;
  params: ScenarioParams;
  /** The server side's processes, for the CPU columns (several: their parts are reported too). */
  cpu: StatsSource | readonly StatsSource[];
  connectMs: number;
  operation: Operation;
  /** What one operation counts for in throughput and CPU per item (publish: the units each event reaches). Default 1. */
  itemsPerOperation?: number;
  figures?: () => Record<string, number>;
}

export async function measureLoad(options: LoadRunOptions): Promise<ServerRun> {
  const { params } = options;
  const items = options.itemsPerOperation ?? 1;
  const readCpu = await startCpuMeter(options.cpu);
  const loop = await runClosedLoop({
    concurrency: params.concurrency,
    warmupMs: params.warmupS * 1000,
    durationMs: params.durationS * 1000,
    drainTimeoutMs: params.requestTimeoutMs + 1_000,
    operation: options.operation,
  });
  const cpu = await readCpu();
  const figures = options.figures?.();
  return {
    server: options.server,
    description: options.description,
    requests: loop.measured * items,
    throughput: (loop.measured * items) / params.durationS,
    latencyMs: loop.latency,
    errors: loop.errorCount,
    errorCodes: loop.errors,
    unfinished: loop.unfinished,
    connectMs: options.connectMs,
    serverCpuPct: cpu.serverPct,
    ...(Array.isArray(options.cpu) ? { serverCpuParts: cpu.parts } : {}),
    serverCpuUsPerRequest: loop.total > 0 ? cpu.serverUs / (loop.total * items) : 0,
    serverRssMb: cpu.serverRssBytes / 2 ** 20,
    loadgenCpuPct: cpu.selfPct,
    otherCpuPct: cpu.otherPct,
    ...(figures ? { figures } : {}),
  };
}
