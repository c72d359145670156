/**
 * Closed loops against several servers at once, in turns: each server gets the load alone for one
 * slice (`sliceMs`), then the next, round and round until each has had its measured time. The
 * servers are all up and connected throughout; only the one whose turn it is gets requests.
 *
 * Used by the relay, cross-node and publish scenarios. Why: this machine's speed drifts on its own, second to second (a 2-vCPU VM whose host is shared):
 * one 15 s window at 12,000 req/s and the next at 8,000 with nothing changed. Run one server after
 * the other and a ratio compares two different machines as often as two servers; run them in
 * alternating one-second slices and both see the same drift, so the ratio is the servers' own
 * (docs/benchmarks.md, "Relay: interleaved slices").
 *
 * Each slice starts its `concurrency` requests at once and, when its time is up, issues no more and
 * waits for those outstanding (as the closed loop's own end does). Latencies are recorded for the
 * requests that end inside a slice; CPU is read per slice for the server whose turn it is, drain
 * included, and divided by every request that ended in those slices.
 */
import type { ScenarioParams, ServerRun } from "../scenarios/scenario.js";
import { runClosedLoop, type Operation } from "./closed-loop.js";
import { startCpuMeter, type StatsSource } from "./cpu-meter.js";
import { LatencyRecorder } from "./latency.js";

export interface InterleavedLane {
  server: string;
  description: string;
  /** The server side's processes (several: a cluster, whose parts are reported too). */
  cpu: StatsSource | readonly StatsSource[];
  connectMs: number;
  operation: Operation;
  /** What one operation counts for in throughput and CPU per item (publish: the units each event reaches). Default 1. */
  itemsPerOperation?: number;
}

/** Accumulated over one lane's slices. */
class LaneTally {
  readonly latency = new LatencyRecorder();
  measured = 0;
  total = 0;
  errorCount = 0;
  readonly errors: Record<string, number> = {};
  unfinished = 0;
  wallUs = 0;
  serverUs = 0;
  selfUs = 0;
  otherUs = 0;
  rssBytes = 0;
  /** CPU time of each server process, by name, microseconds. */
  readonly partUs: Record<string, number> = {};

  addErrors(errors: Record<string, number>, count: number): void {
    this.errorCount += count;
    for (const [code, n] of Object.entries(errors)) this.errors[code] = (this.errors[code] ?? 0) + n;
  }
}

/** Slices per lane: the measured time in whole slices, at least one. */
export function slicesPerLane(durationS: number, sliceMs: number): number {
  return Math.max(1, Math.round((durationS * 1000) / sliceMs));
}

/** How the servers were measured, for a record's parameters line: in turns (`sliceMs` > 0) or one after the other. */
export function measuredWindowLine(params: Pick<ScenarioParams, "durationS" | "warmupS" | "sliceMs">): string {
  if (params.sliceMs <= 0) return `${params.durationS} s measured after ${params.warmupS} s warm-up, one server after the other`;
  const slices = slicesPerLane(params.durationS, params.sliceMs);
  return `the servers all up at once, each warmed up ${params.warmupS} s, then measured in turns of ${params.sliceMs} ms (${slices} turns each, ${(slices * params.sliceMs) / 1000} s per server; the first server of a round alternates)`;
}

/**
 * Warms each lane up in turn (`warmupS` each, unmeasured), then runs the slices, the lanes taking
 * turns in the order given. One ServerRun per lane, in the same order.
 */
export async function measureInterleaved(lanes: readonly InterleavedLane[], params: ScenarioParams, sliceMs: number): Promise<ServerRun[]> {
  const drainTimeoutMs = params.requestTimeoutMs + 1_000;
  const tallies = lanes.map(() => new LaneTally());
  if (params.warmupS > 0) {
    for (const [i, lane] of lanes.entries()) {
      const warm = await runClosedLoop({ concurrency: params.concurrency, warmupMs: params.warmupS * 1000, durationMs: 0, drainTimeoutMs, operation: lane.operation });
      tallies[i]?.addErrors(warm.errors, warm.errorCount);
    }
  }
  const slices = slicesPerLane(params.durationS, sliceMs);
  for (let slice = 0; slice < slices * lanes.length; slice++) {
    const i = slice % lanes.length;
    const lane = lanes[i] as InterleavedLane;
    const tally = tallies[i] as LaneTally;
    const readCpu = await startCpuMeter(lane.cpu);
    const loop = await runClosedLoop({ concurrency: params.concurrency, warmupMs: 0, durationMs: sliceMs, drainTimeoutMs, operation: lane.operation, latency: tally.latency });
    const cpu = await readCpu();
    tally.measured += loop.measured;
    tally.total += loop.total;
    tally.addErrors(loop.errors, loop.errorCount);
    tally.unfinished += loop.unfinished;
    tally.wallUs += cpu.wallUs;
    tally.serverUs += cpu.serverUs;
    tally.selfUs += cpu.selfUs;
    tally.otherUs += cpu.otherUs;
    tally.rssBytes = cpu.serverRssBytes;
    for (const [name, pct] of Object.entries(cpu.parts)) tally.partUs[name] = (tally.partUs[name] ?? 0) + (pct * cpu.wallUs) / 100;
  }
  const measuredS = (slices * sliceMs) / 1000;
  return lanes.map((lane, i) => serverRun(lane, tallies[i] as LaneTally, measuredS));
}

function serverRun(lane: InterleavedLane, tally: LaneTally, measuredS: number): ServerRun {
  const items = lane.itemsPerOperation ?? 1;
  const parts = Array.isArray(lane.cpu) ? Object.fromEntries(Object.entries(tally.partUs).map(([name, us]) => [name, (100 * us) / tally.wallUs])) : undefined;
  return {
    server: lane.server,
    description: lane.description,
    requests: tally.measured * items,
    throughput: (tally.measured * items) / measuredS,
    latencyMs: tally.latency.summary(),
    errors: tally.errorCount,
    errorCodes: tally.errors,
    unfinished: tally.unfinished,
    connectMs: lane.connectMs,
    serverCpuPct: (100 * tally.serverUs) / tally.wallUs,
    ...(parts ? { serverCpuParts: parts } : {}),
    serverCpuUsPerRequest: tally.total > 0 ? tally.serverUs / (tally.total * items) : 0,
    serverRssMb: tally.rssBytes / 2 ** 20,
    loadgenCpuPct: (100 * tally.selfUs) / tally.wallUs,
    otherCpuPct: (100 * tally.otherUs) / tally.wallUs,
  };
}
