/**
 * Scenario "soak" (issue 9 #6): the gateway under a steady load for a long time (default 10 minutes),
 * watching whether it stays flat. N units answer `unit.ping`; first a short closed-loop relay run on
 * the same gateway measures its peak (unless --rate is given), then the bridge sends requests at 60 %
 * of that rate (open loop: at a fixed rate whatever the answers do, capped in flight), while every
 * second a few percent of the units (--churn, default 2 %) disconnect and reconnect with a new
 * socket. Only idle units are churned and requests go to units online, so a healthy run has no
 * errors.
 *
 * The gateway child is sampled every few seconds: RSS and V8 heap (IPC), pending requests (IPC:
 * `pendingRequests()`), and from /metrics `care_gateway_requests_in_flight` and the event-loop lag
 * p99. The first 20 % of the measured time (after the warm-up) is the start window, the last 20 % the
 * end window; each window's medians are one row. Verdict "flat": end within 10 % of start in RSS and
 * in retained heap.
 *
 * Retained heap: the heap used right after a full garbage collection, read at three points in each
 * window (the child runs with --expose-gc; `stats({ gc: true })`). A plain heap reading lands wherever
 * the collector's cycle happens to be, so it swings by tens of MB from one sample to the next
 * (garbage not yet collected) and says little about growth; what survives a full collection is what
 * the gateway holds, the figure that grows when something leaks. A forced collection pauses the
 * gateway (tens of ms), so it is done only at those few points; the plain heap is still sampled
 * every few seconds and reported beside it.
 *
 * The bare relay takes part only in the peak measurement (its peak is reported beside the gateway's):
 * the soak itself is the gateway against its own start.
 */
import { performance } from "node:perf_hooks";
import { EventName, Namespace } from "@care-gateway/shared";
import type { Socket } from "socket.io-client";
import { column, errorsColumn, LOAD_CPU_COLUMNS, SERVER_CPU_COLUMN } from "../lib/columns.js";
import { compare, median } from "../lib/compare.js";
import { LatencyRecorder } from "../lib/latency.js";
import { answerPing, pingOnce } from "../lib/ping.js";
import { scrapeMetrics } from "../lib/prom-scrape.js";
import { childExecArgv, scenarioParams, scenarioResult } from "../lib/scenario-kit.js";
import { closeAll, connectSocket } from "../lib/sockets.js";
import type { ServerHandle } from "../lib/spawn-server.js";
import { systemBusyUs } from "../lib/system-cpu.js";
import { bareTarget, gatewayTarget, type Target } from "../lib/targets.js";
import { benchUnitIds, connectUnits } from "../lib/units.js";
import { relayAgainst } from "./relay.js";
import type { FigureColumn, Scenario, ScenarioParams, ScenarioResult, ServerRun } from "./scenario.js";

/** End / start of RSS and heap: at most this is "flat". */
export const SOAK_FLAT_RATIO = 1.1;
export const SOAK_RATE_OF_PEAK = 0.6;
export const SoakRun = { start: "gateway, start", end: "gateway, end" } as const;
const PEAK_DURATION_S = 5;
const PEAK_WARMUP_S = 1;
/** Share of the measured time that makes the start window and the end window. */
const WINDOW_SHARE = 0.2;
/** Requests in flight at the most; past it the driver skips (and counts) what falls due. */
const MAX_IN_FLIGHT = 5_000;
const TICK_MS = 10;
const METRIC_LAG = "care_gateway_nodejs_eventloop_lag_p99_seconds";
/** Readings after a full GC in each window, spread evenly over it. */
const GC_READINGS_PER_WINDOW = 3;
const METRIC_IN_FLIGHT = "care_gateway_requests_in_flight";

const COLUMNS: FigureColumn[] = [
  column("throughput", "req/s", 0),
  column("p50", "p50 ms", 2, { ratio: true }),
  column("p99", "p99 ms", 2, { ratio: true }),
  errorsColumn(),
  column("rssMb", "RSS MB", 1, { ratio: true }),
  column("heapMb", "heap used MB", 1, { ratio: true }),
  column("retainedHeapMb", "retained heap MB", 1, { ratio: true }),
  column("pending", "pending requests", 0),
  column("inFlightMetric", "requests_in_flight", 0),
  column("loopLagP99Ms", "loop lag p99 ms", 1, { ratio: true }),
  SERVER_CPU_COLUMN,
  ...LOAD_CPU_COLUMNS,
];

export const soakScenario: Scenario = {
  name: "soak",
  description: `the gateway at ${SOAK_RATE_OF_PEAK * 100} % of its relay peak for a long time, units reconnecting continuously: are memory, pending requests and loop lag flat?`,
  run: runSoak,
};

/** The child's memory right after a full GC, at a point chosen in a window. */
interface GcReading {
  window: number;
  atS: number;
  heapMb: number;
  rssMb: number;
}

interface Sample {
  atS: number;
  rssMb: number;
  heapMb: number;
  pending: number;
  inFlightMetric: number;
  loopLagP99Ms: number;
  cpuUs: number;
  /** This process's CPU time (the load generator). */
  selfUs: number;
  wallMs: number;
  systemBusyUs: number | undefined;
}

export async function runSoak(overrides: Partial<ScenarioParams> = {}): Promise<ScenarioResult> {
  const params = scenarioParams(overrides, { durationS: 600, warmupS: 30 });
  const { log } = params;
  const notes: string[] = [];
  let peaks: ServerRun[] = [];
  if (params.rate === 0) {
    const peakParams = { ...params, durationS: PEAK_DURATION_S, warmupS: PEAK_WARMUP_S };
    log(`peak: a ${PEAK_DURATION_S} s relay run against each server`);
    peaks = [await relayAgainst(bareTarget(), peakParams), await relayAgainst(gatewayTarget(), peakParams)];
  }
  const target = gatewayTarget();
  const gatewayPeak = peaks.find((run) => run.server === "gateway")?.throughput;
  const rate = params.rate > 0 ? params.rate : Math.max(1, Math.round(SOAK_RATE_OF_PEAK * (gatewayPeak ?? 0)));
  if (gatewayPeak !== undefined) {
    const barePeak = peaks.find((run) => run.server === "bare")?.throughput ?? Number.NaN;
    notes.push(`Peak (closed-loop relay, concurrency ${params.concurrency}, ${PEAK_DURATION_S} s after ${PEAK_WARMUP_S} s): gateway ${gatewayPeak.toFixed(0)} req/s, bare ${barePeak.toFixed(0)} req/s; soak rate ${SOAK_RATE_OF_PEAK * 100} % of the gateway's: ${rate} req/s.`);
  }
  const soak = await soakGateway(target, params, rate);
  notes.push(...soak.notes);
  const outcome = { runs: soak.runs, rounds: [soak.runs] };
  const flat = (figure: string, label: string) => compare(soak.runs, SoakRun.end, SoakRun.start, { figure, label, better: "lower", bound: SOAK_FLAT_RATIO });
  return scenarioResult(soakScenario, { ...params, rate }, outcome, [flat("rssMb", "RSS"), flat("retainedHeapMb", "retained heap")], {
    columns: COLUMNS,
    args: [`--units ${params.units}`, `--duration ${params.durationS}`, `--warmup ${params.warmupS}`, `--churn ${params.churnPctPerS}`, ...(params.rate > 0 ? [`--rate ${params.rate}`] : [])],
    paramsLine: `${params.units} units, ${rate} req/s (${params.rate > 0 ? "--rate" : `${SOAK_RATE_OF_PEAK * 100} % of the measured peak`}) for ${params.durationS} s after ${params.warmupS} s warm-up, ${params.churnPctPerS} % of the units reconnecting every second, bench request timeout ${params.requestTimeoutMs} ms`,
    setup: [
      "One gateway child (`bench/dist/servers/gateway-server.js`, gatewayEnv); open-loop load from one /bridge socket: every 10 ms the requests that fell due (`unit.ping` to the next unit online), at most " +
        `${MAX_IN_FLIGHT} in flight; churn: each second the chosen share of the units with no request in flight disconnect and reconnect (new socket, new token)`,
      `Samples of the gateway child: RSS and heap used (process.memoryUsage over IPC), pending requests (gateway.pendingRequests() over IPC), \`${METRIC_IN_FLIGHT}\` and \`${METRIC_LAG}\` from its /metrics; start = medians of the samples in the first ${WINDOW_SHARE * 100} % of the measured time, end = of the last ${WINDOW_SHARE * 100} %; req/s, latency and errors are of the requests that ended in each window`,
      `Retained heap: heap used right after a full GC (the child runs with --expose-gc), read ${GC_READINGS_PER_WINDOW} times in each window, evenly spread; the median per window. Heap used without a GC is where the collector's cycle happens to be, so it is shown but not judged`,
      `Verdict flat: end / start ≤ ${SOAK_FLAT_RATIO} in RSS and in retained heap; the bare relay is measured only for the peak`,
    ],
    notes,
  });
}

interface SoakOutcome {
  runs: ServerRun[];
  notes: string[];
}

async function soakGateway(target: Target, params: ScenarioParams, rate: number): Promise<SoakOutcome> {
  const { log } = params;
  const server = await target.spawn({ execArgv: childExecArgv(params, ["--expose-gc"]) });
  log(`[soak] gateway pid ${server.pid} on ${server.url}`);
  const unitIds = benchUnitIds(params.units);
  const sockets = new Map<string, Socket>();
  let bridge: Socket | undefined;
  try {
    const connected = await connectUnits(server.url, unitIds, target.unitAuth);
    connected.sockets.forEach((socket, index) => sockets.set(unitIds[index] ?? "missing", socket));
    bridge = await connectSocket(server.url, Namespace.bridge, target.bridgeAuth());
    log(`[soak] ${unitIds.length} units connected in ${connected.connectMs} ms; ${rate} req/s, ${params.warmupS} s warm-up, ${params.durationS} s measured, ${params.churnPctPerS} % churn per second`);
    return await driveSoak({ server, target, bridge, unitIds, sockets, params, rate });
  } finally {
    closeAll([bridge, ...sockets.values()]);
    await server.stop();
  }
}

interface SoakDrive {
  server: ServerHandle;
  target: Target;
  bridge: Socket;
  unitIds: readonly string[];
  sockets: Map<string, Socket>;
  params: ScenarioParams;
  rate: number;
}

interface Window {
  fromMs: number;
  toMs: number;
  latency: LatencyRecorder;
  errors: Record<string, number>;
}

async function driveSoak(drive: SoakDrive): Promise<SoakOutcome> {
  const { server, target, bridge, unitIds, sockets, params, rate } = drive;
  const { log } = params;
  const start = performance.now();
  const measuredFrom = start + params.warmupS * 1000;
  const measuredMs = params.durationS * 1000;
  const measuredTo = measuredFrom + measuredMs;
  const windows: Window[] = [
    { fromMs: measuredFrom, toMs: measuredFrom + WINDOW_SHARE * measuredMs, latency: new LatencyRecorder(), errors: {} },
    { fromMs: measuredTo - WINDOW_SHARE * measuredMs, toMs: measuredTo, latency: new LatencyRecorder(), errors: {} },
  ];
  const inFlight = new Map<string, number>();
  const offline = new Set<string>();
  const totals = { sent: 0, ok: 0, errors: 0, skipped: 0, reconnects: 0, reconnectFailures: 0 };
  const errorCodes: Record<string, number> = {};
  let cursor = 0;

  const nextUnit = (): string | undefined => {
    for (let tries = 0; tries < unitIds.length; tries++) {
      const unitId = unitIds[cursor] ?? "missing";
      cursor = (cursor + 1) % unitIds.length;
      if (!offline.has(unitId)) return unitId;
    }
    return undefined;
  };
  let outstanding = 0;
  const send = () => {
    const unitId = nextUnit();
    if (unitId === undefined || outstanding >= MAX_IN_FLIGHT) {
      totals.skipped++;
      return;
    }
    outstanding++;
    totals.sent++;
    inFlight.set(unitId, (inFlight.get(unitId) ?? 0) + 1);
    const sentAt = performance.now();
    pingOnce(bridge, unitId, params.requestTimeoutMs, (code) => {
      outstanding--;
      const left = (inFlight.get(unitId) ?? 1) - 1;
      if (left > 0) inFlight.set(unitId, left);
      else inFlight.delete(unitId);
      const endedAt = performance.now();
      const window = windows.find((w) => endedAt >= w.fromMs && endedAt <= w.toMs);
      if (code === undefined) {
        totals.ok++;
        window?.latency.record(endedAt - sentAt);
        return;
      }
      totals.errors++;
      errorCodes[code] = (errorCodes[code] ?? 0) + 1;
      if (window) window.errors[code] = (window.errors[code] ?? 0) + 1;
    });
  };

  const churnOnce = () => {
    const count = Math.round((unitIds.length * params.churnPctPerS) / 100);
    const idle = unitIds.filter((unitId) => !offline.has(unitId) && !inFlight.has(unitId));
    for (let i = 0; i < count && idle.length > 0; i++) {
      const unitId = idle.splice(Math.floor(Math.random() * idle.length), 1)[0] ?? "missing";
      offline.add(unitId);
      sockets.get(unitId)?.disconnect();
      connectSocket(server.url, Namespace.unit, target.unitAuth(unitId)).then(
        (socket) => {
          socket.on(EventName.REQUEST, answerPing);
          sockets.set(unitId, socket);
          offline.delete(unitId);
          totals.reconnects++;
        },
        () => {
          totals.reconnectFailures++;
          offline.delete(unitId);
          void reconnectLater(unitId);
        },
      );
    }
  };
  const reconnectLater = async (unitId: string) => {
    offline.add(unitId);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const socket = await connectSocket(server.url, Namespace.unit, target.unitAuth(unitId)).catch(() => undefined);
    if (!socket) return void totals.reconnectFailures++;
    socket.on(EventName.REQUEST, answerPing);
    sockets.set(unitId, socket);
    offline.delete(unitId);
  };

  const samples: Sample[] = [];
  const sampleEveryMs = Math.min(10_000, Math.max(250, measuredMs / 30));
  const takeSample = async () => {
    const [stats, metrics] = await Promise.all([server.stats(), scrapeMetrics(server.url, [METRIC_IN_FLIGHT, METRIC_LAG]).catch(() => ({}) as Record<string, number>)]);
    const now = performance.now();
    samples.push({
      atS: (now - measuredFrom) / 1000,
      rssMb: stats.rssBytes / 2 ** 20,
      heapMb: (stats.heapUsedBytes ?? Number.NaN) / 2 ** 20,
      pending: stats.counts?.["pending"] ?? Number.NaN,
      inFlightMetric: metrics[METRIC_IN_FLIGHT] ?? Number.NaN,
      loopLagP99Ms: (metrics[METRIC_LAG] ?? Number.NaN) * 1000,
      cpuUs: stats.userUs + stats.systemUs,
      selfUs: selfCpuUs(),
      wallMs: now,
      systemBusyUs: systemBusyUs(),
    });
  };

  // The points (ms, performance.now()) where the child collects garbage before it is read, per window.
  const gcReadings: GcReading[] = [];
  const gcPoints = windows.flatMap((w, window) =>
    Array.from({ length: GC_READINGS_PER_WINDOW }, (_, k) => ({ window, atMs: w.fromMs + ((k + 0.5) / GC_READINGS_PER_WINDOW) * (w.toMs - w.fromMs) })),
  );
  const takeGcReading = async (window: number) => {
    const stats = await server.stats({ gc: true });
    gcReadings.push({ window, atS: (performance.now() - measuredFrom) / 1000, heapMb: (stats.heapUsedBytes ?? Number.NaN) / 2 ** 20, rssMb: stats.rssBytes / 2 ** 20 });
  };

  let issued = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    if (now >= measuredTo) return;
    const due = Math.floor(((now - start) / 1000) * rate) - issued;
    for (let i = 0; i < due; i++) send();
    issued += Math.max(0, due);
  }, TICK_MS);
  const churner = params.churnPctPerS > 0 ? setInterval(churnOnce, 1_000) : undefined;
  let progressAt = measuredFrom;
  try {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, measuredFrom - performance.now())));
    let nextSampleAt = performance.now();
    while (performance.now() < measuredTo) {
      const gcPoint = gcPoints[0];
      if (gcPoint && gcPoint.atMs <= performance.now()) {
        gcPoints.shift();
        await takeGcReading(gcPoint.window);
      } else if (nextSampleAt <= performance.now()) {
        await takeSample();
        nextSampleAt = performance.now() + sampleEveryMs;
        if (performance.now() - progressAt >= 60_000) {
          progressAt = performance.now();
          const last = samples[samples.length - 1];
          log(`[soak] ${last?.atS.toFixed(0)} s: RSS ${last?.rssMb.toFixed(1)} MB, heap ${last?.heapMb.toFixed(1)} MB, pending ${last?.pending}, ${totals.ok} ok, ${totals.errors} errors, ${totals.reconnects} reconnects`);
        }
      }
      const wakeAt = Math.min(nextSampleAt, gcPoints[0]?.atMs ?? Infinity, measuredTo);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, wakeAt - performance.now())));
    }
    await takeSample();
    // A point the loop did not reach (a run too short for its spacing) is read now, for its window.
    for (const point of gcPoints.splice(0)) await takeGcReading(point.window);
  } finally {
    clearInterval(ticker);
    clearInterval(churner);
  }
  const drainUntil = performance.now() + params.requestTimeoutMs + 1_000;
  while (outstanding > 0 && performance.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 20));

  const runs = windows.map((window, index) =>
    windowRun(index === 0 ? SoakRun.start : SoakRun.end, window, samples, gcReadings.filter((r) => r.window === index), index === windows.length - 1 ? outstanding : 0),
  );
  const lastIndex = samples.length - 1;
  const sampleLine = samples
    .filter((_, i) => i % Math.max(1, Math.ceil(samples.length / 12)) === 0 || i === lastIndex)
    .map((s) => `${s.atS.toFixed(0)} s: ${s.rssMb.toFixed(1)} / ${s.heapMb.toFixed(1)} / ${s.pending} / ${s.loopLagP99Ms.toFixed(1)}`)
    .join("; ");
  const notes = [
    `Whole soak: ${totals.sent} requests sent, ${totals.ok} answered, ${totals.errors} failed${totals.errors ? ` ${JSON.stringify(errorCodes)}` : ""}, ${totals.skipped} skipped (in-flight cap or no unit online), ${totals.reconnects} unit reconnects (${totals.reconnectFailures} failed), ${outstanding} unfinished at the end.`,
    `Samples (seconds into the measured time: RSS MB / heap used MB / pending requests / loop lag p99 ms): ${sampleLine}.`,
    `After a full GC (seconds into the measured time: retained heap MB / RSS MB): ${gcReadings.map((r) => `${r.atS.toFixed(0)} s: ${r.heapMb.toFixed(1)} / ${r.rssMb.toFixed(1)}`).join("; ")}.`,
  ];
  log(`[soak] done: ${notes[0]}`);
  return { runs, notes };
}

function windowRun(server: string, window: Window, samples: readonly Sample[], gcReadings: readonly GcReading[], unfinished: number): ServerRun {
  const inWindow = samples.filter((s) => s.wallMs >= window.fromMs - 1 && s.wallMs <= window.toMs + 1);
  const first = inWindow[0];
  const last = inWindow[inWindow.length - 1];
  const wallUs = first && last ? (last.wallMs - first.wallMs) * 1000 : Number.NaN;
  const serverUs = first && last ? last.cpuUs - first.cpuUs : Number.NaN;
  const selfUs = first && last ? last.selfUs - first.selfUs : Number.NaN;
  const busyUs = first?.systemBusyUs !== undefined && last?.systemBusyUs !== undefined ? last.systemBusyUs - first.systemBusyUs : Number.NaN;
  const med = (pick: (s: Sample) => number) => median(inWindow.map(pick));
  const latency = window.latency.summary();
  const errors = Object.values(window.errors).reduce((sum, n) => sum + n, 0);
  const seconds = (window.toMs - window.fromMs) / 1000;
  return {
    server,
    description: `the gateway over the ${server.endsWith("start") ? "first" : "last"} ${WINDOW_SHARE * 100} % of the soak (${inWindow.length} samples)`,
    requests: latency.count,
    throughput: latency.count / seconds,
    latencyMs: latency,
    errors,
    errorCodes: window.errors,
    unfinished,
    connectMs: 0,
    serverCpuPct: (100 * serverUs) / wallUs,
    serverCpuUsPerRequest: latency.count > 0 ? serverUs / latency.count : Number.NaN,
    serverRssMb: med((s) => s.rssMb),
    loadgenCpuPct: (100 * selfUs) / wallUs,
    otherCpuPct: Number.isFinite(busyUs) ? Math.max(0, (100 * (busyUs - serverUs - selfUs)) / wallUs) : Number.NaN,
    figures: {
      rssMb: med((s) => s.rssMb),
      heapMb: med((s) => s.heapMb),
      retainedHeapMb: median(gcReadings.map((r) => r.heapMb)),
      pending: med((s) => s.pending),
      inFlightMetric: med((s) => s.inFlightMetric),
      loopLagP99Ms: med((s) => s.loopLagP99Ms),
    },
  };
}

function selfCpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
