/**
 * Closed loops against several servers at once, in turns: each server gets the load alone for one
 * slice (`sliceMs`), then the next, round and round until each has had its measured time. The
 * servers are all up and connected throughout; only the one whose turn it is gets requests.
 *
 * Used by the relay, cross-node and publish scenarios. Why: this machine's speed drifts on its own,
 * second to second (a 2-vCPU VM whose host is shared): one 15 s window at 12,000 req/s and the next at 8,000 with nothing changed. Run one server after
 * the other and a ratio compares two different machines as often as two servers; run them in
 * alternating one-second slices and both see the same drift, so the ratio is the servers' own
 * (docs/benchmarks.md, "Relay: interleaved turns").
 *
 * Each slice starts its `concurrency` requests at once and, when its time is up, issues no more and
 * waits for those outstanding (as the closed loop's own end does). Latencies are recorded for the
 * requests that end inside a slice; CPU is read per slice for the server whose turn it is, drain
 * included, and divided by every request that ended in those slices.
 */
import type { ScenarioParams, ServerRun } from "../scenarios/scenario.js";
import { runClosedLoop } from "./closed-loop.js";
import { startCpuMeter } from "./cpu-meter.js";
import { LoadTally, type LoadLane } from "./load-run.js";

/** Slices per lane: the measured time in whole slices, at least one. */
export function slicesPerLane(durationS: number, sliceMs: number): number {
  return Math.max(1, Math.round((durationS * 1000) / sliceMs));
}

/** How the servers were measured, for a record's parameters line: in turns (`sliceMs` > 0), or one after the other as every record before turns said it. */
export function measuredWindowLine(params: Pick<ScenarioParams, "durationS" | "warmupS" | "sliceMs">): string {
  if (params.sliceMs <= 0) return `${params.durationS} s measured after ${params.warmupS} s warm-up`;
  const slices = slicesPerLane(params.durationS, params.sliceMs);
  return `the servers all up at once, each warmed up ${params.warmupS} s, then measured in turns of ${params.sliceMs} ms (${slices} turns each, ${(slices * params.sliceMs) / 1000} s per server; the first server of a round alternates)`;
}

/**
 * Warms each lane up in turn (`warmupS` each, unmeasured), then runs the slices, the lanes taking
 * turns in the order given. One ServerRun per lane, in the same order.
 */
export async function measureInterleaved(lanes: readonly LoadLane[], params: ScenarioParams, sliceMs: number): Promise<ServerRun[]> {
  const drainTimeoutMs = params.requestTimeoutMs + 1_000;
  const tallies = lanes.map(() => new LoadTally());
  if (params.warmupS > 0) {
    for (const [i, lane] of lanes.entries()) {
      const warm = await runClosedLoop({ concurrency: params.concurrency, warmupMs: params.warmupS * 1000, durationMs: 0, drainTimeoutMs, operation: lane.operation });
      tallies[i]?.addLoop(warm, false);
    }
  }
  const slices = slicesPerLane(params.durationS, sliceMs);
  for (let slice = 0; slice < slices * lanes.length; slice++) {
    const i = slice % lanes.length;
    const lane = lanes[i] as LoadLane;
    const tally = tallies[i] as LoadTally;
    const readCpu = await startCpuMeter(lane.cpu);
    tally.addLoop(await runClosedLoop({ concurrency: params.concurrency, warmupMs: 0, durationMs: sliceMs, drainTimeoutMs, operation: lane.operation, latency: tally.latency }));
    tally.addCpu(await readCpu());
  }
  const measuredS = (slices * sliceMs) / 1000;
  return lanes.map((lane, i) => (tallies[i] as LoadTally).run(lane, measuredS));
}
