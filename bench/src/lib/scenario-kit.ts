/**
 * What every scenario does around its measurement: node flags for the server children, rounds in
 * alternating order with medians, and the result assembled in the one shape the CLI, the recorder
 * and the smoke test read.
 */
import type { Comparison, Scenario, ScenarioParams, ScenarioResult, ServerRun, TargetCheck } from "../scenarios/scenario.js";
import { DEFAULT_PARAMS } from "../scenarios/scenario.js";
import { medianRun } from "./compare.js";
import { PROFILES_DIR } from "./paths.js";
import type { Target } from "./targets.js";

/** The scenario's parameters: the bench's defaults, then the scenario's own, then the caller's. */
export function scenarioParams(overrides: Partial<ScenarioParams>, defaults: Partial<ScenarioParams> = {}): ScenarioParams {
  return { ...DEFAULT_PARAMS, ...defaults, ...overrides };
}

/** Node flags of a server child: `--cpu-prof` into bench/results/profiles with --profile, plus `extra`. */
export function childExecArgv(params: Pick<ScenarioParams, "profile">, extra: readonly string[] = []): string[] | undefined {
  const flags = [...(params.profile ? ["--cpu-prof", "--cpu-prof-dir", PROFILES_DIR] : []), ...extra];
  return flags.length > 0 ? flags : undefined;
}

/** `{ execArgv }` for spawnServer when there are flags, `{}` otherwise (exactOptionalPropertyTypes). */
export function execArgvOption(execArgv: string[] | undefined): { execArgv?: string[] } {
  return execArgv ? { execArgv } : {};
}

export interface RoundsOutcome {
  /** One per name, the median over the rounds. */
  runs: ServerRun[];
  rounds: ServerRun[][];
}

/**
 * Runs `measure` once per round (`forward` on rounds 1, 3, ...: the scenario alternates its order with
 * it) and takes the median of each named run over the rounds.
 */
export async function runRounds(params: ScenarioParams, names: readonly string[], measure: (forward: boolean, round: number) => Promise<ServerRun[]>): Promise<RoundsOutcome> {
  const rounds: ServerRun[][] = [];
  for (let round = 0; round < params.rounds; round++) {
    if (params.rounds > 1) params.log(`round ${round + 1} of ${params.rounds}`);
    rounds.push(await measure(round % 2 === 0, round));
  }
  const runs = names.map((name) => medianRun(rounds.flat().filter((run) => run.server === name)));
  return { runs, rounds };
}

/** Rounds of `measure` against each target in turn (the order alternating by round), medians by target name. */
export function runRoundsOverTargets(params: ScenarioParams, targets: readonly Target[], measure: (target: Target, params: ScenarioParams) => Promise<ServerRun>): Promise<RoundsOutcome> {
  return runRounds(
    params,
    targets.map((target) => target.name),
    async (forward) => {
      const runs: ServerRun[] = [];
      for (const target of ordered(targets, forward)) runs.push(await measure(target, params));
      return runs;
    },
  );
}

/** `items` in order when `forward`, reversed otherwise. */
export function ordered<T>(items: readonly T[], forward: boolean): T[] {
  return forward ? [...items] : [...items].reverse();
}

/** The result of a scenario: the first comparison is the headline (`ratios` and `target`). */
export function scenarioResult(
  scenario: Scenario,
  params: ScenarioParams,
  outcome: RoundsOutcome,
  comparisons: readonly [Comparison & { target: TargetCheck }, ...Comparison[]],
  extra: Pick<ScenarioResult, "setup" | "software" | "columns" | "args" | "paramsLine" | "notes"> = {},
): ScenarioResult {
  const { log: _log, ...recorded } = params;
  const [headline] = comparisons;
  return {
    scenario: scenario.name,
    description: scenario.description,
    params: recorded,
    runs: outcome.runs,
    rounds: outcome.rounds,
    ratios: headline.ratios,
    target: headline.target,
    comparisons: [...comparisons],
    ...extra,
  };
}
