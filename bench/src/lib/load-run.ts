/** A measured closed loop against a server side, as one ServerRun: the loop's figures and the CPU it cost. */
import type { ScenarioParams, ServerRun } from "../scenarios/scenario.js";
import { runClosedLoop, type ClosedLoopResult, type Operation } from "./closed-loop.js";
import { startCpuMeter, type CpuReading, type StatsSource } from "./cpu-meter.js";
import { LatencyRecorder } from "./latency.js";

/** A server side under load: the operation the closed loop repeats, and whose CPU it costs. */
export interface LoadLane {
  server: string;
  description: string;
  /** The server side's processes, for the CPU columns (several: their parts are reported too). */
  cpu: StatsSource | readonly StatsSource[];
  connectMs: number;
  operation: Operation;
  /** What one operation counts for in throughput and CPU per item (publish: the units each event reaches). Default 1. */
  itemsPerOperation?: number;
}

export interface LoadRunOptions extends LoadLane {
  params: ScenarioParams;
  figures?: () => Record<string, number>;
}

/** A lane's closed loops and the CPU they cost, added up (one loop, or one per turn: lib/interleaved-load.ts). */
export class LoadTally {
  /** Every measured latency: give it to each loop (`runClosedLoop({ latency })`). */
  readonly latency = new LatencyRecorder();
  #measured = 0;
  #total = 0;
  #errorCount = 0;
  readonly #errors: Record<string, number> = {};
  #unfinished = 0;
  #wallUs = 0;
  #serverUs = 0;
  #selfUs = 0;
  #otherUs = 0;
  #rssBytes = 0;
  /** CPU time of each server process, by name, microseconds. */
  readonly #partUs: Record<string, number> = {};

  /** A loop's counts (its latencies went to `latency`); an unmeasured one (a warm-up) adds its errors only. */
  addLoop(loop: ClosedLoopResult, measured = true): void {
    this.#errorCount += loop.errorCount;
    for (const [code, n] of Object.entries(loop.errors)) this.#errors[code] = (this.#errors[code] ?? 0) + n;
    if (!measured) return;
    this.#measured += loop.measured;
    this.#total += loop.total;
    this.#unfinished += loop.unfinished;
  }

  /** The CPU a measured loop cost. */
  addCpu(cpu: CpuReading): void {
    this.#wallUs += cpu.wallUs;
    this.#serverUs += cpu.serverUs;
    this.#selfUs += cpu.selfUs;
    this.#otherUs += cpu.otherUs;
    this.#rssBytes = cpu.serverRssBytes;
    for (const [name, pct] of Object.entries(cpu.parts)) this.#partUs[name] = (this.#partUs[name] ?? 0) + (pct * cpu.wallUs) / 100;
  }

  /** The lane's figures over `measuredS` seconds of measured loops. */
  run(lane: LoadLane, measuredS: number, figures?: Record<string, number>): ServerRun {
    const items = lane.itemsPerOperation ?? 1;
    const pct = (us: number) => (100 * us) / this.#wallUs;
    return {
      server: lane.server,
      description: lane.description,
      requests: this.#measured * items,
      throughput: (this.#measured * items) / measuredS,
      latencyMs: this.latency.summary(),
      errors: this.#errorCount,
      errorCodes: this.#errors,
      unfinished: this.#unfinished,
      connectMs: lane.connectMs,
      serverCpuPct: pct(this.#serverUs),
      ...(Array.isArray(lane.cpu) ? { serverCpuParts: Object.fromEntries(Object.entries(this.#partUs).map(([name, us]) => [name, pct(us)])) } : {}),
      serverCpuUsPerRequest: this.#total > 0 ? this.#serverUs / (this.#total * items) : 0,
      serverRssMb: this.#rssBytes / 2 ** 20,
      loadgenCpuPct: pct(this.#selfUs),
      otherCpuPct: pct(this.#otherUs),
      ...(figures ? { figures } : {}),
    };
  }
}

export async function measureLoad(options: LoadRunOptions): Promise<ServerRun> {
  const { params } = options;
  const tally = new LoadTally();
  const readCpu = await startCpuMeter(options.cpu);
  const loop = await runClosedLoop({
    concurrency: params.concurrency,
    warmupMs: params.warmupS * 1000,
    durationMs: params.durationS * 1000,
    drainTimeoutMs: params.requestTimeoutMs + 1_000,
    operation: options.operation,
    latency: tally.latency,
  });
  tally.addLoop(loop);
  tally.addCpu(await readCpu());
  return tally.run(options, params.durationS, options.figures?.());
}
