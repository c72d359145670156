/**
 * Scenario "relay": N units answer `unit.ping`; one bridge socket keeps C requests outstanding, each
 * to the next unit in turn, for a warm-up and then the measured window. Run against the bare
 * Socket.IO relay and against the gateway in the same process: by default both are up at once and
 * measured in alternating slices (`--slice-ms`, lib/interleaved-load.ts); with `--slice-ms 0`, one
 * after the other.
 */
import { Namespace } from "@care-gateway/shared";
import type { Socket } from "socket.io-client";
import { compare, perRoundRatios } from "../lib/compare.js";
import { measureInterleaved, measuredWindowLine } from "../lib/interleaved-load.js";
import { PROFILES_DIR } from "../lib/paths.js";
import { pingOperation, runPingLoad } from "../lib/ping.js";
import { childExecArgv, ordered, runRounds, runRoundsOverTargets, scenarioParams, scenarioResult } from "../lib/scenario-kit.js";
import { closeAll, connectSocket } from "../lib/sockets.js";
import type { ServerHandle } from "../lib/spawn-server.js";
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
  const outcome =
    params.sliceMs > 0
      ? await runRounds(
          params,
          targets.map((target) => target.name),
          (forward) => relayInterleaved(ordered(targets, forward), params),
        )
      : await runRoundsOverTargets(params, targets, relayAgainst);
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
      args: [`--units ${params.units}`, `--concurrency ${params.concurrency}`, `--duration ${params.durationS}`, `--warmup ${params.warmupS}`, `--slice-ms ${params.sliceMs}`, ...(params.rounds > 1 ? [`--rounds ${params.rounds}`] : [])],
      paramsLine: relayParamsLine(params),
      ...(outcome.rounds.length > 1 ? { notes: [`Per round, ${perRoundRatios(outcome.rounds, "gateway", "bare")}.`] } : {}),
    },
  );
}

function relayParamsLine(params: ScenarioParams): string {
  return `${params.units} units, concurrency ${params.concurrency}, ${measuredWindowLine(params)}, ${params.rounds} round${params.rounds > 1 ? "s" : ""} per server, bench request timeout ${params.requestTimeoutMs} ms`;
}

/** A server started with its units and bridge connected: the relay's load can run against it. */
interface OpenRelay {
  server: ServerHandle;
  bridge: Socket;
  unitIds: string[];
  connectMs: number;
  close(): Promise<void>;
}

/** Starts the target and connects its units and the bridge; closes whatever it opened if that fails. */
async function openRelay(target: Target, params: ScenarioParams): Promise<OpenRelay> {
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
    return { server, bridge, unitIds, connectMs, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Starts the target, connects the units and the bridge, and runs the closed loop of pings against it. */
export async function relayAgainst(target: Target, params: ScenarioParams): Promise<ServerRun> {
  const relay = await openRelay(target, params);
  try {
    params.log(`[${target.name}] ${params.warmupS} s warm-up, ${params.durationS} s measured`);
    return await runPingLoad({ server: target.name, description: target.description, bridge: relay.bridge, unitIds: relay.unitIds, params, cpu: relay.server, connectMs: relay.connectMs });
  } finally {
    await relay.close();
  }
}

/** Starts every target and runs the pings against them in alternating slices (lib/interleaved-load.ts). */
export async function relayInterleaved(targets: readonly Target[], params: ScenarioParams): Promise<ServerRun[]> {
  const open: OpenRelay[] = [];
  try {
    for (const target of targets) open.push(await openRelay(target, params));
    params.log(`${targets.map((target) => target.name).join(" and ")}: ${params.warmupS} s warm-up each, then turns of ${params.sliceMs} ms until each has had ${params.durationS} s`);
    const lanes = open.map((relay, i) => {
      const target = targets[i] as Target;
      return { server: target.name, description: target.description, cpu: relay.server, connectMs: relay.connectMs, operation: pingOperation(relay.bridge, relay.unitIds, params.requestTimeoutMs) };
    });
    return await measureInterleaved(lanes, params, params.sliceMs);
  } finally {
    await Promise.all(open.map((relay) => relay.close()));
  }
}
