/**
 * Scenario "fan-out" (issue 9 #5): N units online (default 5,000); the bridge publishes one event to
 * all of them (`target: { all: true }`) and the bench times how long until the last unit has it.
 * Repeated R times one after the other (after one unmeasured publish unless --warmup 0); the
 * median is reported. Each unit acks `{ ok: true }` as the event arrives.
 *
 * bare: the bare Socket.IO server broadcasts it, `io.of("/units").emit("event", ...)`, triggered by
 * the same `publish` from the bridge; gateway: one node, memory outbox (every unit's outbox gets the
 * event, then each unit's delivery sends it).
 *
 * Target: the gateway's time to the last unit ≤ 1.5x bare's.
 *
 * bare-ack (shown beside, not the target's baseline): the same bare server with the broadcast asking
 * every unit for an ack, Socket.IO's own broadcast with ack.
 *
 * The units (`--unit-client`, the same kind for every row): with socket.io-client sockets (`socket.io`)
 * a process holding units spends ~20 µs a unit to receive and ~40 µs with the ack; the default,
 * `lean`, is a plain WebSocket speaking the Engine.IO / Socket.IO framing itself (`lib/lean-unit.ts`,
 * the same packets on the wire, checked against both servers by test/src/bench-lean-unit.test.ts):
 * ~10 µs a receipt, ~23 µs with the ack, of which the ack's loopback TCP write is ~13 µs.
 *
 * Who holds the units (`--unit-processes N`, the same for every row): with one process holding all
 * 5,000, it receives and acks them one after the other, so its ack writes, not the server, set the
 * time to the last unit in the rows with acks (its loop ~95 % busy until then), while in production
 * each unit is its own machine. N > 0 spreads them evenly over N load-generator children
 * (workers/unit-holder.ts via lib/fan-out-units.ts): each acks and times its share and sends the
 * receipt times to this process after the publish; N = 0 is the old arrangement, the bench process
 * holding every unit beside the bridge. A receipt is timed before the unit writes its ack, on the
 * machine's monotonic clock (process.hrtime), which every process reads alike. The children share
 * the machine's cores with the server: docs/benchmarks.md has the figures behind the default N.
 * The "loadgen busy" column says how busy the (busiest) process holding units was until its last
 * unit had the event.
 */
import { EventName, Namespace, type PublishEnvelope, type PublishReply } from "@care-gateway/shared";
import type { Socket } from "socket.io-client";
import { benchEventPayload } from "../lib/arrivals.js";
import { BenchOutcome } from "../lib/bench-outcomes.js";
import { column, errorsColumn, LOAD_CPU_COLUMNS } from "../lib/columns.js";
import { compare, median } from "../lib/compare.js";
import { startCpuMeter } from "../lib/cpu-meter.js";
import { connectFanOutUnits, type FanOutArrivals, type FanOutUnits } from "../lib/fan-out-units.js";
import { LatencyRecorder } from "../lib/latency.js";
import { monotonicMs } from "../lib/monotonic-clock.js";
import { childExecArgv, runRoundsOverTargets, scenarioParams, scenarioResult } from "../lib/scenario-kit.js";
import { connectSocket } from "../lib/sockets.js";
import { bareAckTarget, bareTarget, gatewayTarget, type Target } from "../lib/targets.js";
import { benchUnitIds } from "../lib/units.js";
import type { FigureColumn, Scenario, ScenarioParams, ScenarioResult, ServerRun, UnitClientKind } from "./scenario.js";

export const FAN_OUT_TARGET_RATIO = 1.5;
export const FAN_OUT_DEFAULT_UNITS = 5_000;
export const FAN_OUT_DEFAULT_UNIT_CLIENT: UnitClientKind = "lean";
/** Load-generator children holding the units (0: the bench process itself). */
export const FAN_OUT_DEFAULT_UNIT_PROCESSES = 2;
/** A pause after each publish has reached every unit, so that the units' acks of one are not handled during the next. */
const GAP_MS = 500;
const EVENT_TYPE = "appointment.updated";

const COLUMNS: FigureColumn[] = [
  column("units", "units", 0),
  column("lastMs", "to last unit ms", 1, { ratio: true }),
  column("medianArrivalMs", "to half the units ms", 1, { ratio: true }),
  column("firstMs", "to first unit ms", 1),
  column("fastestLastMs", "fastest ms", 1),
  column("slowestLastMs", "slowest ms", 1),
  errorsColumn(),
  column("serverCpuMsPerFanOut", "server CPU ms/publish", 1, { ratio: true }),
  column("loadgenBusyPct", "loadgen busy to last unit", 0, { percent: true }),
  column("loadgenOnCpuPct", "loadgen on CPU to last unit", 0, { percent: true }),
  ...LOAD_CPU_COLUMNS,
];

export const fanOutScenario: Scenario = {
  name: "fan-out",
  description: "one publish to all units (`target: { all: true }`): time until the last unit has it, bare Socket.IO broadcast vs the gateway",
  run: runFanOut,
};

export async function runFanOut(overrides: Partial<ScenarioParams> = {}): Promise<ScenarioResult> {
  const params = scenarioParams(overrides, { units: FAN_OUT_DEFAULT_UNITS, unitClient: FAN_OUT_DEFAULT_UNIT_CLIENT, unitProcesses: FAN_OUT_DEFAULT_UNIT_PROCESSES });
  const targets = [bareTarget(), bareAckTarget(), gatewayTarget()];
  const outcome = await runRoundsOverTargets(params, targets, fanOutTo);
  const target = { figure: "lastMs", label: "time to the last unit", better: "lower", bound: FAN_OUT_TARGET_RATIO } as const;
  const comparisons = [compare(outcome.runs, "gateway", "bare", target), compare(outcome.runs, "gateway", "bare-ack"), compare(outcome.runs, "bare-ack", "bare")] as const;
  return scenarioResult(fanOutScenario, params, outcome, comparisons, {
    columns: COLUMNS,
    args: [`--units ${params.units}`, `--unit-client ${params.unitClient}`, `--unit-processes ${params.unitProcesses}`, `--repeats ${params.repeats}`, `--warmup ${params.warmupS}`, ...(params.rounds > 1 ? [`--rounds ${params.rounds}`] : [])],
    paramsLine: `${params.units} units (${params.unitClient === "lean" ? "lean clients" : "socket.io-client sockets"}, ${unitsHeldBy(params.unitProcesses)}), ${params.repeats} publishes to all per server (median reported)${params.warmupS > 0 ? " after one unmeasured publish" : ""}, ${GAP_MS} ms between them, ${params.rounds} round${params.rounds > 1 ? "s" : ""} per server, bench timeout ${params.requestTimeoutMs} ms per publish`,
    setup: [
      `One \`publish { target: { all: true }, type: "${EVENT_TYPE}" }\` from a /bridge socket in the bench process at a time; time from the emit to each unit's receipt, read before the unit writes its ack \`{ ok: true }\`, on the machine's monotonic clock (process.hrtime, CLOCK_MONOTONIC, the same in every process)`,
      params.unitProcesses === 0
        ? "Units held by the bench process itself (`--unit-processes 0`), with the bridge: it receives and acks for every unit, one after the other"
        : `Units held by ${unitsHeldBy(params.unitProcesses)} (\`bench/dist/workers/unit-holder.js\`, an even share each, child i from source address 127.0.0.(2 + i)): each receives, acks and times its share, and reports the receipt times to the bench process over IPC after the publish, so that one unit's ack write does not delay the other processes' units (real units are separate machines); the load generator's children share the machine's 2 cores with the server`,
      'bare: `bench/dist/servers/bare-relay.js`, `io.of("/units").emit("event", ...)` (a broadcast, no ack asked); gateway: one node, memory outbox, per-unit delivery with ack',
      'bare-ack (beside the target, not its baseline): the same bare relay with `BARE_BROADCAST_ACK=1`, `io.of("/units").timeout(10000).emit("event", ..., ack)`: Socket.IO\'s broadcast with ack, every unit acks, as the gateway\'s units must',
      "to last unit / to half the units / to first unit: medians over the publishes; fastest and slowest: of the time to the last unit; server CPU ms/publish: the server child's CPU over the publishes (gaps included) per publish",
      `loadgen busy to last unit: the event-loop utilisation of the process holding the units from the emit to its last unit's receipt${params.unitProcesses > 1 ? ", the busiest of the children" : ""} (median over the publishes); near 100 % the load generator, not the server, sets the time to the last unit, unless its *on CPU* figure (the same process's CPU time over the same wall time) is well below it: then it was waiting for a core, and the machine's cores, shared with the server, set it`,
      params.unitClient === "lean"
        ? "Units: lean clients (`bench/src/lib/lean-unit.ts`), a plain WebSocket speaking the Engine.IO v4 / Socket.IO v5 framing itself, the same packets as socket.io-client's; `--unit-client socket.io` uses socket.io-client sockets"
        : "Units: socket.io-client sockets (`--unit-client socket.io`); the default is lean clients",
    ],
  });
}

async function fanOutTo(target: Target, params: ScenarioParams): Promise<ServerRun> {
  const { log } = params;
  const server = await target.spawn({ execArgv: childExecArgv(params) });
  log(`[${target.name}] pid ${server.pid} listening on ${server.url}`);
  let units: FanOutUnits | undefined;
  let bridge: Socket | undefined;
  try {
    units = await connectFanOutUnits(server.url, benchUnitIds(params.units), target.unitAuth, params.unitClient, params.unitProcesses);
    bridge = await connectSocket(server.url, Namespace.bridge, target.bridgeAuth());
    log(`[${target.name}] ${params.units} units (${unitsHeldBy(params.unitProcesses)}) and the bridge connected in ${units.connectMs} ms; ${params.repeats} publishes to all`);
    if (params.warmupS > 0) await publishToAll(bridge, units, params.requestTimeoutMs);
    const readCpu = await startCpuMeter(server, units.cpuSources);
    const lasts: number[] = [];
    const firsts: number[] = [];
    const halves: number[] = [];
    const busy: number[] = [];
    const onCpu: number[] = [];
    const reporting: number[] = [];
    const errorCodes: Record<string, number> = {};
    for (let repeat = 0; repeat < params.repeats; repeat++) {
      const outcome = await publishToAll(bridge, units, params.requestTimeoutMs);
      if (outcome.error !== undefined) {
        errorCodes[outcome.error] = (errorCodes[outcome.error] ?? 0) + 1;
        log(`[${target.name}] publish ${repeat + 1}: ${outcome.error} (${outcome.arrivalsMs.length} of ${params.units} units had it)`);
        continue;
      }
      lasts.push(outcome.arrivalsMs[outcome.arrivalsMs.length - 1] ?? Number.NaN);
      firsts.push(outcome.arrivalsMs[0] ?? Number.NaN);
      halves.push(outcome.arrivalsMs[Math.floor(outcome.arrivalsMs.length / 2)] ?? Number.NaN);
      busy.push(outcome.loadgenBusy * 100);
      onCpu.push(outcome.loadgenCpu * 100);
      reporting.push(outcome.reporting);
    }
    const cpu = await readCpu();
    const latency = new LatencyRecorder();
    for (const ms of lasts) latency.record(ms);
    const summary = latency.summary();
    const lastMs = median(lasts);
    return {
      server: target.name,
      description: target.description,
      requests: lasts.length,
      throughput: lastMs > 0 ? params.units / (lastMs / 1000) : 0,
      latencyMs: summary,
      errors: params.repeats - lasts.length,
      errorCodes,
      unfinished: 0,
      connectMs: units.connectMs,
      serverCpuPct: cpu.serverPct,
      serverCpuUsPerRequest: cpu.serverUs / params.repeats,
      serverRssMb: cpu.serverRssBytes / 2 ** 20,
      loadgenCpuPct: cpu.selfPct,
      otherCpuPct: cpu.otherPct,
      figures: {
        units: params.units,
        lastMs,
        medianArrivalMs: median(halves),
        firstMs: median(firsts),
        fastestLastMs: lasts.length > 0 ? Math.min(...lasts) : Number.NaN,
        slowestLastMs: lasts.length > 0 ? Math.max(...lasts) : Number.NaN,
        serverCpuMsPerFanOut: cpu.serverUs / params.repeats / 1000,
        loadgenBusyPct: median(busy),
        loadgenOnCpuPct: median(onCpu),
        reportingProcesses: reporting.length > 0 ? Math.min(...reporting) : 0,
      },
    };
  } finally {
    bridge?.disconnect();
    await units?.close();
    await server.stop();
  }
}

/** Who holds the units, for the log and the record. */
function unitsHeldBy(processes: number): string {
  return processes === 0 ? "held by the bench process" : `held by ${processes} load-generator child process${processes > 1 ? "es" : ""}`;
}

interface FanOutOutcome {
  /** Each unit's receipt, ms after the publish was emitted, ascending (all N unless it failed). */
  arrivalsMs: number[];
  /** The load generator's event-loop utilisation from the emit to the last unit's receipt (0..1; NaN if not all had it). */
  loadgenBusy: number;
  /** The same process's CPU time over that wall time (0..1; NaN if not all had it). */
  loadgenCpu: number;
  /** Processes whose units reported receipts. */
  reporting: number;
  error?: string;
}

let fanOutSeq = 0;

/** One publish to all; resolves once every unit has it and the ack is back (or the timeout passed), then after a short gap. */
async function publishToAll(bridge: Socket, units: FanOutUnits, timeoutMs: number): Promise<FanOutOutcome> {
  const key = `bench-all-${++fanOutSeq}`;
  const envelope: PublishEnvelope<typeof EVENT_TYPE> = { target: { all: true }, type: EVENT_TYPE, payload: benchEventPayload(key) };
  const expectation = await units.expect(key);
  return new Promise<FanOutOutcome>((resolve) => {
    let acked = false;
    let arrivals: FanOutArrivals | undefined;
    let ended = false;
    const started = monotonicMs();
    const end = (error?: string) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      const settle = ({ atMs, busy, cpu, reporting }: FanOutArrivals) => {
        const outcome: FanOutOutcome = { arrivalsMs: atMs.map((at) => at - started), loadgenBusy: busy, loadgenCpu: cpu, reporting };
        setTimeout(() => resolve(error === undefined ? outcome : { ...outcome, error }), GAP_MS);
      };
      if (arrivals !== undefined) return settle(arrivals);
      expectation.forget().then(settle, () => settle({ atMs: [], busy: Number.NaN, cpu: Number.NaN, reporting: 0 }));
    };
    const timer = setTimeout(() => end(BenchOutcome.clientTimeout), timeoutMs);
    expectation.arrived.then(
      (all) => {
        arrivals = all;
        if (acked) end();
      },
      (error: unknown) => end(error instanceof Error ? error.message : String(error)),
    );
    bridge.emit(EventName.PUBLISH, envelope, (reply: PublishReply | undefined) => {
      acked = true;
      if (reply?.ok !== true) return end(reply?.ok === false ? reply.error.code : BenchOutcome.malformedReply);
      if (arrivals !== undefined) end();
    });
  });
}
