/**
 * Scenario "reconnect-storm" (issue 9 #4): N units (default 5,000) are connected to one server; the
 * server crashes (SIGKILL: no drain, no notice) and a new one starts on the same port. Once it
 * listens, the bridge reconnects (untimed), then every unit reconnects at the same moment: N new
 * sockets with the same identities, all handshakes started at once, no backoff. The bench times how
 * long until the server counts all N online: the gateway's occupancy (`occupancy:get` on /bridge,
 * `totals.units`; so every unit is authenticated and present), the bare server's /units socket count
 * (its stats over IPC). A handshake that fails is retried after a short pause, up to a bound.
 * Repeated `--repeats` times per server (default 3); medians reported.
 *
 * Target: the gateway's time to all units online ≤ 1.5x bare's.
 */
import { performance } from "node:perf_hooks";
import { Namespace } from "@care-gateway/shared";
import type { Socket } from "socket.io-client";
import { column, errorsColumn, LOAD_CPU_COLUMNS } from "../lib/columns.js";
import { compare, median } from "../lib/compare.js";
import { startCpuMeter, type CpuReading } from "../lib/cpu-meter.js";
import { LatencyRecorder } from "../lib/latency.js";
import { childExecArgv, runRoundsOverTargets, scenarioParams, scenarioResult } from "../lib/scenario-kit.js";
import { closeAll, connectSocket, newSocket, whenConnected } from "../lib/sockets.js";
import type { ServerHandle } from "../lib/spawn-server.js";
import { allTargets, type Target } from "../lib/targets.js";
import { benchUnitIds, connectUnits } from "../lib/units.js";
import { countedOnline } from "./connections.js";
import type { FigureColumn, Scenario, ScenarioParams, ScenarioResult, ServerRun } from "./scenario.js";

export const RECONNECT_STORM_TARGET_RATIO = 1.5;
export const RECONNECT_STORM_DEFAULT_UNITS = 5_000;
const DEFAULT_REPEATS = 3;
/** Attempts per unit before the storm counts it as failed, and the pause before attempt k (k × this). */
const MAX_ATTEMPTS = 5;
const RETRY_PAUSE_MS = 100;
/** How long the old sockets may take to see the crash, and the server to count every unit online. */
const SETTLE_WITHIN_MS = 30_000;

const COLUMNS: FigureColumn[] = [
  column("units", "units", 0),
  column("stormMs", "to all online ms", 0, { ratio: true }),
  column("clientsConnectedMs", "to all connected ms", 0, { ratio: true }),
  column("p50", "unit p50 ms", 0),
  column("p99", "unit p99 ms", 0),
  column("restartMs", "restart ms", 0, { ratio: true }),
  column("retries", "retries", 0),
  errorsColumn("failed"),
  column("serverCpuUsPerRequest", "server µs/reconnect", 0, { ratio: true }),
  ...LOAD_CPU_COLUMNS,
];

export const reconnectStormScenario: Scenario = {
  name: "reconnect-storm",
  description: "a server with N units crashes and restarts on its port; every unit reconnects at once: time until all are online again, bare Socket.IO vs the gateway",
  run: runReconnectStorm,
};

export async function runReconnectStorm(overrides: Partial<ScenarioParams> = {}): Promise<ScenarioResult> {
  const params = scenarioParams(overrides, { units: RECONNECT_STORM_DEFAULT_UNITS, repeats: DEFAULT_REPEATS });
  const targets = allTargets();
  const outcome = await runRoundsOverTargets(params, targets, stormsAgainst);
  const target = { figure: "stormMs", label: "time to all units online", better: "lower", bound: RECONNECT_STORM_TARGET_RATIO } as const;
  return scenarioResult(reconnectStormScenario, params, outcome, [compare(outcome.runs, "gateway", "bare", target)], {
    columns: COLUMNS,
    args: [`--units ${params.units}`, `--repeats ${params.repeats}`, ...(params.rounds > 1 ? [`--rounds ${params.rounds}`] : [])],
    paramsLine: `${params.units} units, ${params.repeats} crash-and-restart storms per server (medians reported), ${params.rounds} round${params.rounds > 1 ? "s" : ""} per server`,
    setup: [
      "Restart: the server child is killed (SIGKILL, a crash: no drain, no server:draining) and a new child of the same server starts on the same port of 127.0.0.1; restart ms is from the kill to the new child listening",
      `Storm: once it listens, the bridge reconnects (untimed), then all units at the same moment: new socket.io-client sockets with the same identities (gateway: a fresh token each), no backoff; a handshake that fails is retried after attempt × ${RETRY_PAUSE_MS} ms, at most ${MAX_ATTEMPTS} attempts`,
      "to all online: from the start of the storm until the server counts every unit online (gateway: occupancy:get totals.units on the bridge; bare: its /units socket count over IPC), polled every 20 ms once every client has connected; to all connected: until the last client's connect event; unit p50/p99: each unit's time to its connect event; server µs/reconnect: the new child's CPU over the storm per unit",
    ],
  });
}

interface StormOutcome {
  restartMs: number;
  stormMs: number;
  clientsConnectedMs: number;
  latenciesMs: number[];
  retries: number;
  failed: number;
  cpu: CpuReading;
}

async function stormsAgainst(target: Target, params: ScenarioParams): Promise<ServerRun> {
  const { log } = params;
  const execArgv = childExecArgv(params);
  let server = await target.spawn({ execArgv });
  log(`[${target.name}] pid ${server.pid} listening on ${server.url}`);
  const unitIds = benchUnitIds(params.units);
  let units: Socket[] = [];
  let bridge: Socket | undefined;
  const storms: StormOutcome[] = [];
  try {
    const connected = await connectUnits(server.url, unitIds, target.unitAuth, { setup: () => undefined });
    units = connected.sockets;
    bridge = await connectSocket(server.url, Namespace.bridge, target.bridgeAuth());
    await expectOnline(target, server, bridge, unitIds.length);
    log(`[${target.name}] ${units.length} units connected in ${connected.connectMs} ms; ${params.repeats} storms`);
    for (let repeat = 0; repeat < params.repeats; repeat++) {
      const port = server.port;
      const killedAt = performance.now();
      await server.kill();
      await allDisconnected([bridge, ...units]);
      closeAll([bridge, ...units]);
      server = await target.spawn({ execArgv, port });
      const restartMs = performance.now() - killedAt;
      bridge = await connectSocket(server.url, Namespace.bridge, target.bridgeAuth());
      const storm = await reconnectAll(server, target, bridge, unitIds);
      units = storm.sockets;
      storms.push({ restartMs, ...storm.outcome });
      log(`[${target.name}] storm ${repeat + 1}: restarted in ${restartMs.toFixed(0)} ms (pid ${server.pid}); all ${unitIds.length} online after ${storm.outcome.stormMs.toFixed(0)} ms (${storm.outcome.retries} retries, ${storm.outcome.failed} failed)`);
    }
  } finally {
    closeAll([bridge, ...units]);
    await server.stop();
  }
  const middle = (pick: (storm: StormOutcome) => number) => median(storms.map(pick));
  const latency = new LatencyRecorder();
  for (const storm of storms) for (const ms of storm.latenciesMs) latency.record(ms);
  const failed = storms.reduce((sum, storm) => sum + storm.failed, 0);
  const stormMs = middle((storm) => storm.stormMs);
  return {
    server: target.name,
    description: target.description,
    requests: storms.reduce((sum, storm) => sum + storm.latenciesMs.length, 0),
    throughput: stormMs > 0 ? params.units / (stormMs / 1000) : 0,
    latencyMs: latency.summary(),
    errors: failed,
    errorCodes: failed > 0 ? { RECONNECT_FAILED: failed } : {},
    unfinished: 0,
    connectMs: middle((storm) => storm.clientsConnectedMs),
    serverCpuPct: middle((storm) => storm.cpu.serverPct),
    serverCpuUsPerRequest: middle((storm) => storm.cpu.serverUs / params.units),
    serverRssMb: middle((storm) => storm.cpu.serverRssBytes / 2 ** 20),
    loadgenCpuPct: middle((storm) => storm.cpu.selfPct),
    otherCpuPct: middle((storm) => storm.cpu.otherPct),
    figures: {
      units: params.units,
      stormMs,
      clientsConnectedMs: middle((storm) => storm.clientsConnectedMs),
      restartMs: middle((storm) => storm.restartMs),
      retries: middle((storm) => storm.retries),
    },
  };
}

/** The storm: every unit at once, each retried on failure; ends when the server counts them all online. */
async function reconnectAll(server: ServerHandle, target: Target, bridge: Socket, unitIds: readonly string[]): Promise<{ sockets: Socket[]; outcome: Omit<StormOutcome, "restartMs"> }> {
  const readCpu = await startCpuMeter(server);
  const started = performance.now();
  const latenciesMs: number[] = [];
  const sockets: Socket[] = [];
  let retries = 0;
  let failed = 0;
  const reconnect = async (unitId: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const socket = await whenConnected(newSocket(server.url, Namespace.unit, target.unitAuth(unitId)), Namespace.unit);
        latenciesMs.push(performance.now() - started);
        sockets.push(socket);
        return;
      } catch {
        if (attempt >= MAX_ATTEMPTS) {
          failed++;
          return;
        }
        retries++;
        await new Promise((resolve) => setTimeout(resolve, attempt * RETRY_PAUSE_MS));
      }
    }
  };
  await Promise.all(unitIds.map(reconnect));
  const clientsConnectedMs = performance.now() - started;
  await expectOnline(target, server, bridge, sockets.length, 20);
  const stormMs = performance.now() - started;
  const cpu = await readCpu();
  return { sockets, outcome: { stormMs, clientsConnectedMs, latenciesMs, retries, failed, cpu } };
}

async function expectOnline(target: Target, server: ServerHandle, bridge: Socket, expected: number, pollMs = 100): Promise<void> {
  const counted = await countedOnline(target, server, bridge, expected, SETTLE_WITHIN_MS, pollMs);
  if (counted !== expected) throw new Error(`${target.name}: counts ${counted} units online, ${expected} connected`);
}

/** Resolves once none of the sockets is connected any more (they saw the crash). */
async function allDisconnected(sockets: readonly Socket[]): Promise<void> {
  const deadline = Date.now() + SETTLE_WITHIN_MS;
  while (sockets.some((socket) => socket.connected)) {
    if (Date.now() > deadline) throw new Error(`${sockets.filter((socket) => socket.connected).length} sockets still connected ${SETTLE_WITHIN_MS} ms after the crash`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
