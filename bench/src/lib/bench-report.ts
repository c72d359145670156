/** One bench run as it is printed, stored as JSON and recorded in docs/benchmarks.md. */
import type { ScenarioResult } from "../scenarios/scenario.js";
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
  const p = result.params;
  const args = result.args ?? [`--units ${p.units}`, `--concurrency ${p.concurrency}`, `--duration ${p.durationS}`, `--warmup ${p.warmupS}`, ...(p.rounds > 1 ? [`--rounds ${p.rounds}`] : [])];
  return `npm run bench -- --scenario ${result.scenario} ${args.join(" ")}`;
}
