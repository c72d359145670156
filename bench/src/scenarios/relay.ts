/**
 * Scenario "relay": N units answer `unit.ping`; one bridge socket keeps C requests outstanding, each
 * to the next unit in turn, for a warm-up and then the measured window. Run against the bare
 * Socket.IO relay and against the gateway, one after the other, in the same process.
 */
import { EventName, Namespace, type Reply, type RequestEnvelope, type UnitAnswer } from "@care-gateway/shared";
import type { Socket } from "socket.io-client";
import { runClosedLoop, type Operation } from "../lib/closed-loop.js";
import { gatewayOverBare, medianRun } from "../lib/compare.js";
import { startCpuMeter } from "../lib/cpu-meter.js";
import { PROFILES_DIR } from "../lib/paths.js";
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
  const ratios = gatewayOverBare(runs);
  const { log: _log, ...recorded } = params;
  return {
    scenario: relayScenario.name,
    description: relayScenario.description,
    params: recorded,
    runs,
    rounds,
    ratios,
    target: { throughputRatioAtLeast: RELAY_TARGET_RATIO, met: ratios.throughput >= RELAY_TARGET_RATIO },
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
    const unitIds = Array.from({ length: params.units }, (_, i) => `bench-unit-${String(i + 1).padStart(4, "0")}`);
    units = await connectMany(params.units, CONNECT_PARALLELISM, async (index) => {
      const socket = await connectSocket(server.url, Namespace.unit, target.unitAuth(unitIds[index] ?? "missing"));
      socket.on(EventName.REQUEST, answerPing);
      return socket;
    });
    bridge = await connectSocket(server.url, Namespace.bridge, target.bridgeAuth());
    const connectMs = Date.now() - connectStart;
    log(`[${target.name}] ${units.length} units and the bridge connected in ${connectMs} ms; ${params.warmupS} s warm-up, ${params.durationS} s measured`);

    const readCpu = await startCpuMeter(server);
    const loop = await runClosedLoop({
      concurrency: params.concurrency,
      warmupMs: params.warmupS * 1000,
      durationMs: params.durationS * 1000,
      drainTimeoutMs: params.requestTimeoutMs + 1_000,
      operation: pingOperation(bridge, unitIds, params.requestTimeoutMs),
    });
    const cpu = await readCpu();
    return {
      server: target.name,
      description: target.description,
      requests: loop.measured,
      throughput: loop.measured / params.durationS,
      latencyMs: loop.latency,
      errors: loop.errorCount,
      errorCodes: loop.errors,
      unfinished: loop.unfinished,
      connectMs,
      serverCpuPct: cpu.serverPct,
      serverCpuUsPerRequest: loop.total > 0 ? cpu.serverUs / loop.total : 0,
      serverRssMb: cpu.serverRssBytes / 2 ** 20,
      loadgenCpuPct: cpu.selfPct,
      otherCpuPct: cpu.otherPct,
    };
  } finally {
    closeAll([bridge, ...units]);
    await server.stop();
  }
}

function answerPing(_request: unknown, ack: (answer: UnitAnswer<{ at: string }>) => void): void {
  ack({ ok: true, data: { at: new Date().toISOString() } });
}

/** One request to the next unit in turn; the bench's own timeout bounds it. */
function pingOperation(bridge: Socket, unitIds: readonly string[], timeoutMs: number): Operation {
  let cursor = 0;
  return (done) => {
    const unitId = unitIds[cursor] ?? "missing";
    cursor = (cursor + 1) % unitIds.length;
    const envelope: RequestEnvelope<"unit.ping"> = { unitId, type: "unit.ping", payload: {} };
    bridge.timeout(timeoutMs).emit(EventName.REQUEST, envelope, (error: Error | null, reply: Reply | undefined) => {
      if (error) return done("CLIENT_TIMEOUT");
      if (reply?.ok === true) return done();
      done(reply?.ok === false ? reply.error.code : "MALFORMED_REPLY");
    });
  };
}
