/**
 * Scenario "relay": N units answer `unit.ping`; one bridge socket keeps C requests outstanding, each
 * to the next unit in turn, for a warm-up and then the measured window. Run against the bare
 * Socket.IO relay and against the gateway in the same process: by default both are up at once and
 * measured in alternating slices (`--slice-ms`, lib/interleaved-load.ts); with `--slice-ms 0`, one
 * after the other.
 */
import { Namespace } from "@care-gateway/shared";
import type { Socket } from "socket.io-client";
import { requestArgs } from "../lib/bench-report.js";
import { compare, perRoundRatios } from "../lib/compare.js";
import { measureSides, type OpenSide } from "../lib/measure-sides.js";
import { PROFILES_DIR } from "../lib/paths.js";
import { pingOperation } from "../lib/ping.js";
import { childExecArgv, ordered, runRounds, scenarioParams, scenarioResult } from "../lib/scenario-kit.js";
import { closeAll, connectSocket } from "../lib/sockets.js";
import { allTargets, type Target } from "../lib/targets.js";
import { benchUnitIds, connectUnits } from "../lib/units.js";
import { DEFAULT_SLICE_MS, type Scenario, type ScenarioParams, type ScenarioResult, type ServerRun } from "./scenario.js";

/** The core issue's target: gateway throughput at least this share of the bare relay's. */
export const RELAY_TARGET_RATIO = 0.8;
/** The benchmark suite's targets: throughput at least 0.9x bare, p99 at most 1.3x bare's. */
export const RELAY_SUITE_THROUGHPUT_RATIO = 0.9;
export const RELAY_SUITE_P99_RATIO = 1.3;

export const relayScenario: Scenario = {
  name: "relay",
  description: "bridge → gateway → unit request/ack (unit.ping), closed loop at fixed concurrency",
  run: runRelay,
};

export async function runRelay(overrides: Partial<ScenarioParams> = {}): Promise<ScenarioResult> {
  const params = scenarioParams(overrides, { sliceMs: DEFAULT_SLICE_MS });
  const targets = allTargets();
  const outcome = await runRounds(
    params,
    targets.map((target) => target.name),
    (forward) => measureSides(ordered(targets, forward).map((target) => () => openRelay(target, params)), params),
  );
  return scenarioResult(
    relayScenario,
    params,
    outcome,
    [
      compare(outcome.runs, "gateway", "bare", RELAY_TARGET_RATIO),
      compare(outcome.runs, "gateway", "bare", RELAY_SUITE_THROUGHPUT_RATIO),
      compare(outcome.runs, "gateway", "bare", { figure: "p99", label: "p99", better: "lower", bound: RELAY_SUITE_P99_RATIO }),
    ],
    {
      args: [...requestArgs(params), `--slice-ms ${params.sliceMs}`],
      ...(outcome.rounds.length > 1 ? { notes: [`Per round, ${perRoundRatios(outcome.rounds, "gateway", "bare")}.`] } : {}),
    },
  );
}

/** Starts the target and connects its units and the bridge, the ping load's lane; closes whatever it opened if that fails. */
async function openRelay(target: Target, params: ScenarioParams): Promise<OpenSide> {
  const { log } = params;
  const server = await target.spawn({ execArgv: childExecArgv(params) });
  log(`[${target.name}] pid ${server.pid} listening on ${server.url}${params.profile ? ` (profile: ${PROFILES_DIR}/CPU.*.${server.pid}.*.cpuprofile)` : ""}`);
  let units: Socket[] = [];
  let bridge: Socket | undefined;
  const close = async () => {
    closeAll([bridge, ...units]);
    await server.stop();
  };
  try {
    const unitIds = benchUnitIds(params.units);
    const connected = await connectUnits(server.url, unitIds, target.unitAuth);
    units = connected.sockets;
    const bridgeStart = Date.now();
    bridge = await connectSocket(server.url, Namespace.bridge, target.bridgeAuth());
    const connectMs = connected.connectMs + (Date.now() - bridgeStart);
    log(`[${target.name}] ${units.length} units and the bridge connected in ${connectMs} ms`);
    const lane = { server: target.name, description: target.description, cpu: server, connectMs, operation: pingOperation(bridge, unitIds, params.requestTimeoutMs) };
    return { lanes: [lane], close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Starts the target, connects the units and the bridge, and runs the closed loop of pings against it alone (the soak's peak). */
export async function relayAgainst(target: Target, params: ScenarioParams): Promise<ServerRun> {
  const [run] = await measureSides([() => openRelay(target, params)], { ...params, sliceMs: 0 });
  if (!run) throw new Error(`${target.name}: no run measured`);
  return run;
}
