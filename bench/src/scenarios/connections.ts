/**
 * Scenario "connections" (issue 9 #3): how many authenticated, idle unit connections one server
 * process holds, and what each costs it in memory. N unit sockets (default 5,000, `--units` up to
 * 20,000) are opened by load-generator children (workers/unit-holder.ts, 2,500 sockets each, each
 * from its own 127.0.0.x source address) and held; the server child's RSS and V8 heap are read
 * (after a full GC, the child runs with --expose-gc) before and after, and the server must count
 * them all online (the gateway's occupancy, the bare server's socket count).
 *
 * Target: RSS per connection of the gateway ≤ 1.3x the bare Socket.IO server's.
 */
import { Namespace } from "@care-gateway/shared";
import type { Socket } from "socket.io-client";
import { column, errorsColumn, LOAD_CPU_COLUMNS } from "../lib/columns.js";
import { compare, median } from "../lib/compare.js";
import { startCpuMeter } from "../lib/cpu-meter.js";
import { maxSocketsPerServer, openFilesLimit } from "../lib/fd-limit.js";
import { LatencyRecorder } from "../lib/latency.js";
import { childExecArgv, runRoundsOverTargets, scenarioParams, scenarioResult } from "../lib/scenario-kit.js";
import { closeAll, connectSocket } from "../lib/sockets.js";
import { allTargets, type Target } from "../lib/targets.js";
import { SOCKETS_PER_HOLDER, startUnitHolders, type UnitHolders } from "../lib/unit-holders.js";
import { benchUnitIds, CONNECT_PARALLELISM, connectUnits } from "../lib/units.js";
import type { FigureColumn, Scenario, ScenarioParams, ScenarioResult, ServerRun } from "./scenario.js";

export const CONNECTIONS_TARGET_RATIO = 1.3;
export const CONNECTIONS_DEFAULT_UNITS = 5_000;
/** Units connected and closed before the "before" reading. */
const WARM_UP_UNITS = 200;
/** How long the server may take to count every held socket online. */
const COUNTED_WITHIN_MS = 15_000;

const COLUMNS: FigureColumn[] = [
  column("units", "connections", 0),
  column("rssPerConnectionKb", "RSS KB/conn", 1, { ratio: true }),
  column("heapPerConnectionKb", "heap KB/conn", 1, { ratio: true }),
  column("rssBeforeMb", "RSS before MB", 1),
  column("rssAfterMb", "RSS after MB", 1),
  column("throughput", "connects/s", 0, { ratio: true }),
  column("p50", "connect p50 ms", 1),
  column("p99", "connect p99 ms", 1),
  errorsColumn("failed"),
  column("serverCpuUsPerRequest", "server µs/connect", 0, { ratio: true }),
  ...LOAD_CPU_COLUMNS,
];

export const connectionsScenario: Scenario = {
  name: "connections",
  description: "authenticated idle unit connections held by one server process: memory per connection and connect rate, bare Socket.IO vs the gateway",
  run: runConnections,
};

export async function runConnections(overrides: Partial<ScenarioParams> = {}): Promise<ScenarioResult> {
  const requested = scenarioParams(overrides, { units: CONNECTIONS_DEFAULT_UNITS });
  const limit = maxSocketsPerServer();
  const params = { ...requested, units: Math.min(requested.units, limit) };
  const notes: string[] = [];
  if (params.units < requested.units) {
    const note = `Asked for ${requested.units} connections; held ${params.units}: every process here may have ${openFilesLimit()} descriptors (RLIMIT_NOFILE, hard limit, and no CAP_SYS_RESOURCE to raise it), and the server child keeps ${openFilesLimit() - limit} of them for itself.`;
    requested.log(note);
    notes.push(note);
  }
  const targets = allTargets();
  const outcome = await runRoundsOverTargets(params, targets, holdAgainst);
  const target = { figure: "rssPerConnectionKb", label: "RSS per connection", better: "lower", bound: CONNECTIONS_TARGET_RATIO } as const;
  return scenarioResult(connectionsScenario, params, outcome, [compare(outcome.runs, "gateway", "bare", target)], {
    columns: COLUMNS,
    args: [`--units ${requested.units}`, ...(params.rounds > 1 ? [`--rounds ${params.rounds}`] : [])],
    paramsLine: `${params.units} unit connections, ${params.rounds} round${params.rounds > 1 ? "s" : ""} per server`,
    setup: [
      `A warm-up first: ${WARM_UP_UNITS} units of other ids connect and leave before the "before" reading. Unit sockets opened by load-generator children of ${SOCKETS_PER_HOLDER} sockets each (\`bench/dist/workers/unit-holder.js\`), child i from source address 127.0.0.(2 + i), ${CONNECT_PARALLELISM} handshakes at a time in each; gateway units authenticate with an HS256 token each; then they stay idle`,
      "RSS and heap per connection: the server child's (after - before) / connections, each read after a full GC (global.gc, --expose-gc) with the bridge socket already connected; the server counts all of them online first (gateway: occupancy:get totals.units; bare: its /units socket count)",
      "connects/s: connections / time from the first connect request to the last holder's report; connect p50/p99: each handshake's time; server µs/connect: the server child's CPU over the connecting per connection; loadgen CPU (in the JSON) includes the holders",
    ],
    ...(notes.length > 0 ? { notes } : {}),
  });
}

async function holdAgainst(target: Target, params: ScenarioParams): Promise<ServerRun> {
  const { log } = params;
  const server = await target.spawn({ execArgv: childExecArgv(params, ["--expose-gc"]) });
  log(`[${target.name}] pid ${server.pid} listening on ${server.url}`);
  let bridge: Socket | undefined;
  let holders: UnitHolders | undefined;
  try {
    bridge = await connectSocket(server.url, Namespace.bridge, target.bridgeAuth());
    holders = await startUnitHolders(params.units);
    await warmUp(target, server.url, Math.min(WARM_UP_UNITS, params.units));
    await server.stats({ gc: true });
    const before = await server.stats({ gc: true });
    const auths = benchUnitIds(params.units).map((unitId) => target.unitAuth(unitId));
    const readCpu = await startCpuMeter(server, holders.cpuSources);
    const held = await holders.connect(server.url, auths, CONNECT_PARALLELISM);
    const cpu = await readCpu();
    const failed = Object.values(held.failures).reduce((sum, n) => sum + n, 0);
    log(`[${target.name}] ${held.connected} units connected in ${held.elapsedMs.toFixed(0)} ms from ${holders.sourceAddresses.join(", ")}${failed ? `; ${failed} failed: ${JSON.stringify(held.failures)}` : ""}`);
    const counted = await countedOnline(target, server, bridge, held.connected);
    if (counted !== held.connected) log(`[${target.name}] the server counts ${counted} units online, ${held.connected} are connected`);
    await server.stats({ gc: true });
    const after = await server.stats({ gc: true });
    const latency = new LatencyRecorder();
    for (const ms of held.latenciesMs) latency.record(ms);
    const n = Math.max(held.connected, 1);
    return {
      server: target.name,
      description: target.description,
      requests: held.connected,
      throughput: held.connected / (held.elapsedMs / 1000),
      latencyMs: latency.summary(),
      errors: failed + Math.abs(held.connected - counted),
      errorCodes: { ...held.failures, ...(counted !== held.connected ? { NOT_COUNTED_ONLINE: Math.abs(held.connected - counted) } : {}) },
      unfinished: 0,
      connectMs: held.elapsedMs,
      serverCpuPct: cpu.serverPct,
      serverCpuUsPerRequest: cpu.serverUs / n,
      serverRssMb: after.rssBytes / 2 ** 20,
      loadgenCpuPct: cpu.selfPct,
      otherCpuPct: cpu.otherPct,
      figures: {
        units: held.connected,
        rssPerConnectionKb: (after.rssBytes - before.rssBytes) / n / 1024,
        heapPerConnectionKb: ((after.heapUsedBytes ?? Number.NaN) - (before.heapUsedBytes ?? Number.NaN)) / n / 1024,
        rssBeforeMb: before.rssBytes / 2 ** 20,
        rssAfterMb: after.rssBytes / 2 ** 20,
        connectMedianMs: median(held.latenciesMs),
      },
    };
  } finally {
    bridge?.disconnect();
    await holders?.close();
    await server.stop();
  }
}

/**
 * Connects and closes a few units of other ids first, so that the "before" reading already holds
 * what the first connections cost once (code compiled, pools and buffers grown), not per connection.
 */
async function warmUp(target: Target, url: string, count: number): Promise<void> {
  const ids = Array.from({ length: count }, (_, i) => `bench-warm-up-${i + 1}`);
  const { sockets } = await connectUnits(url, ids, target.unitAuth, { setup: () => undefined });
  closeAll(sockets);
}

/** The server's count of units online once it reaches `expected`, or what it counts after COUNTED_WITHIN_MS. */
export async function countedOnline(target: Target, server: Parameters<Target["unitsOnline"]>[0], bridge: Socket, expected: number, withinMs = COUNTED_WITHIN_MS, pollMs = 100): Promise<number> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const counted = await target.unitsOnline(server, bridge);
    if (counted === expected || Date.now() > deadline) return counted;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
