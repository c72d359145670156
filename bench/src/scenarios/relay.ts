/**
 * Scenario "relay": N units answer `unit.ping`; one bridge socket keeps C requests outstanding, each
 * to the next unit in turn, for a warm-up and then the measured window. Run against the bare
 * Socket.IO relay and against the gateway, one after the other, in the same process.
 */
import { EventName, Namespace } from "@care-gateway/shared";
import type { Socket } from "socket.io-client";
import { compare, medianRun } from "../lib/compare.js";
import { PROFILES_DIR } from "../lib/paths.js";
import { answerPing, benchUnitIds, runPingLoad } from "../lib/ping.js";
import { closeAll, connectMany, connectSocket } from "../lib/sockets.js";
import { allTargets, type Target } from "../lib/targets.js";
import { DEFAULT_PARAMS, type Scenario, type ScenarioParams, type ScenarioResult, type ServerRun } from "./scenario.js";

export const RELAY_TARGET_RATIO = 0.8;
const CONNECT_PARALLELISM = 50;

export const relayScenario: Scenario = {
  name: "relay",
  description: "bridge → gateway → unit request/ack (unit.ping), closed loop at fixed concurrency",
  run: runRelay,
};

export async function runRelay(overrides: Partial<ScenarioParams> = {}): Promise<ScenarioResult> {
  const params: ScenarioParams = { ...DEFAULT_PARAMS, ...overrides };
  const targets = allTargets();
  const rounds: ServerRun[][] = [];
  for (let round = 0; round < params.rounds; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    if (params.rounds > 1) params.log(`round ${round + 1} of ${params.rounds}`);
    const runs: ServerRun[] = [];
    for (const target of order) runs.push(await relayAgainst(target, params));
    rounds.push(runs);
  }
  const runs = targets.map((target) => medianRun(rounds.flat().filter((run) => run.server === target.name)));
  const comparison = compare(runs, "gateway", "bare", RELAY_TARGET_RATIO);
  const { log: _log, ...recorded } = params;
  return {
    scenario: relayScenario.name,
    description: relayScenario.description,
    params: recorded,
    runs,
    rounds,
    ratios: comparison.ratios,
    target: comparison.target,
    comparisons: [comparison],
  };
}

async function relayAgainst(target: Target, params: ScenarioParams): Promise<ServerRun> {
  const { log } = params;
  const server = await target.spawn(params.profile ? ["--cpu-prof", "--cpu-prof-dir", PROFILES_DIR] : undefined);
  log(`[${target.name}] pid ${server.pid} listening on ${server.url}${params.profile ? ` (profile: ${PROFILES_DIR}/CPU.*.${server.pid}.*.cpuprofile)` : ""}`);
  let units: Socket[] = [];
  let bridge: Socket | undefined;
  try {
    const connectStart = Date.now();
    const unitIds = benchUnitIds(params.units);
    units = await connectMany(params.units, CONNECT_PARALLELISM, async (index) => {
      const socket = await connectSocket(server.url, Namespace.unit, target.unitAuth(unitIds[index] ?? "missing"));
      socket.on(EventName.REQUEST, answerPing);
      return socket;
    });
    bridge = await connectSocket(server.url, Namespace.bridge, target.bridgeAuth());
    const connectMs = Date.now() - connectStart;
    log(`[${target.name}] ${units.length} units and the bridge connected in ${connectMs} ms; ${params.warmupS} s warm-up, ${params.durationS} s measured`);
    return await runPingLoad({ server: target.name, description: target.description, bridge, unitIds, params, cpu: server, connectMs });
  } finally {
    closeAll([bridge, ...units]);
    await server.stop();
  }
}
