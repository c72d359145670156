/**
 * Scenario "relay": N units answer `unit.ping`; one bridge socket keeps C requests outstanding, each
 * to the next unit in turn, for a warm-up and then the measured window. Run against the bare
 * Socket.IO relay and against the gateway, one after the other, in the same process.
 */
import { Namespace } from "@care-gateway/shared";
import type { Socket } from "socket.io-client";
import { compare } from "../lib/compare.js";
import { PROFILES_DIR } from "../lib/paths.js";
import { runPingLoad } from "../lib/ping.js";
import { childExecArgv, runRoundsOverTargets, scenarioParams, scenarioResult } from "../lib/scenario-kit.js";
import { closeAll, connectSocket } from "../lib/sockets.js";
import { allTargets, type Target } from "../lib/targets.js";
import { benchUnitIds, connectUnits } from "../lib/units.js";
import type { Scenario, ScenarioParams, ScenarioResult, ServerRun } from "./scenario.js";

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
  const params = scenarioParams(overrides);
  const targets = allTargets();
  const outcome = await runRoundsOverTargets(params, targets, relayAgainst);
  return scenarioResult(relayScenario, params, outcome, [
    compare(outcome.runs, "gateway", "bare", RELAY_TARGET_RATIO),
    compare(outcome.runs, "gateway", "bare", RELAY_SUITE_THROUGHPUT_RATIO),
    compare(outcome.runs, "gateway", "bare", { figure: "p99", label: "p99", better: "lower", bound: RELAY_SUITE_P99_RATIO }),
  ]);
}

/** Starts the target, connects the units and the bridge, and runs the closed loop of pings against it. */
export async function relayAgainst(target: Target, params: ScenarioParams): Promise<ServerRun> {
  const { log } = params;
  const server = await target.spawn({ execArgv: childExecArgv(params) });
  log(`[${target.name}] pid ${server.pid} listening on ${server.url}${params.profile ? ` (profile: ${PROFILES_DIR}/CPU.*.${server.pid}.*.cpuprofile)` : ""}`);
  let units: Socket[] = [];
  let bridge: Socket | undefined;
  try {
    const unitIds = benchUnitIds(params.units);
    const connected = await connectUnits(server.url, unitIds, target.unitAuth);
    units = connected.sockets;
    const bridgeStart = Date.now();
    bridge = await connectSocket(server.url, Namespace.bridge, target.bridgeAuth());
    const connectMs = connected.connectMs + (Date.now() - bridgeStart);
    log(`[${target.name}] ${units.length} units and the bridge connected in ${connectMs} ms; ${params.warmupS} s warm-up, ${params.durationS} s measured`);
    return await runPingLoad({ server: target.name, description: target.description, bridge, unitIds, params, cpu: server, connectMs });
  } finally {
    closeAll([bridge, ...units]);
    await server.stop();
  }
}
