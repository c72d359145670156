/** One bench run as it is printed, stored as JSON and recorded in docs/benchmarks.md. */
import type { ScenarioParams, ScenarioResult } from "../scenarios/scenario.js";
import type { MachineInfo } from "./machine.js";

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  /** The command that reproduces the run, every parameter explicit. */
  command: string;
  machine: MachineInfo;
  result: ScenarioResult;
}

export function reproduceCommand(result: ScenarioResult): string {
  return `npm run bench -- --scenario ${result.scenario} ${(result.args ?? requestArgs(result.params)).join(" ")}`;
}

/** The request scenarios' parameters as flags (a scenario's `args` when it has no others of its own). */
export function requestArgs(p: Pick<ScenarioParams, "units" | "concurrency" | "durationS" | "warmupS" | "rounds">): string[] {
  return [`--units ${p.units}`, `--concurrency ${p.concurrency}`, `--duration ${p.durationS}`, `--warmup ${p.warmupS}`, ...(p.rounds > 1 ? [`--rounds ${p.rounds}`] : [])];
}
