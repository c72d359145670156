/**
 * How the closed-loop scenarios (relay, cross-node, publish) measure their server sides: all up at
 * once and every lane loaded in alternating turns (`sliceMs` > 0, lib/interleaved-load.ts), or one
 * side after the other, each of its lanes in turn (`sliceMs` 0). A side is what one start brings up
 * (a server, a cluster); a lane is one way to load it (a cluster's same-node and cross-node bridges).
 */
import type { ScenarioParams, ServerRun } from "../scenarios/scenario.js";
import { measureInterleaved } from "./interleaved-load.js";
import { measureLoad, type LoadLane } from "./load-run.js";

/** A server side started and connected: its lanes, and how to take it down. */
export interface OpenSide {
  lanes: LoadLane[];
  /** After its lanes were measured, before it closes: whatever the side has to say of the run. */
  report?(): void;
  close(): Promise<void>;
}

/** Starts the sides in the order given and measures every lane; one ServerRun per lane, in that order. */
export async function measureSides(openers: readonly (() => Promise<OpenSide>)[], params: ScenarioParams): Promise<ServerRun[]> {
  return params.sliceMs > 0 ? inTurns(openers, params) : oneAfterTheOther(openers, params);
}

async function inTurns(openers: readonly (() => Promise<OpenSide>)[], params: ScenarioParams): Promise<ServerRun[]> {
  const sides: OpenSide[] = [];
  try {
    for (const open of openers) sides.push(await open());
    const lanes = sides.flatMap((side) => side.lanes);
    params.log(`${lanes.map((lane) => lane.server).join(", ")}: ${params.warmupS} s warm-up each, then turns of ${params.sliceMs} ms until each has had ${params.durationS} s`);
    const runs = await measureInterleaved(lanes, params, params.sliceMs);
    for (const side of sides) side.report?.();
    return runs;
  } finally {
    await Promise.all(sides.map((side) => side.close()));
  }
}

async function oneAfterTheOther(openers: readonly (() => Promise<OpenSide>)[], params: ScenarioParams): Promise<ServerRun[]> {
  const runs: ServerRun[] = [];
  for (const open of openers) {
    const side = await open();
    try {
      for (const lane of side.lanes) {
        params.log(`[${lane.server}] ${params.warmupS} s warm-up, ${params.durationS} s measured`);
        runs.push(await measureLoad({ ...lane, params }));
      }
      side.report?.();
    } finally {
      await side.close();
    }
  }
  return runs;
}
