/**
 * Scenario "publish" (issue 6): downstream publish throughput with the outbox on. N units are online;
 * one bridge socket keeps C publishes outstanding, each an `appointment.updated` event to the next K
 * units in turn (`{ unitId }` for K = 1, `{ unitIds }` above). Each unit acks the event `{ ok: true }`
 * as it arrives; a publish ends when its ack is back and every unit it targeted has the event, and
 * the slot then publishes again. Throughput counts events at the units; latency is publish → the
 * last targeted unit has it (and the publish's ack is back).
 *
 * Three server sides, measured in the same process: all up at once and loaded in alternating turns
 * (`--slice-ms`, lib/interleaved-load.ts), or one after the other with `--slice-ms 0`:
 * - bare: the bare Socket.IO server forwards the publish as a plain `emit("event", ...)` with an ack;
 * - gateway: one node, memory outbox;
 * - gateway cluster: 3 nodes on a private Redis (Redis Streams outbox), units on node A, the bridge
 *   on node B (so every event is appended to the unit's stream by B and read back by A).
 *
 * Targets: gateway ≥ 0.8x bare, gateway cluster ≥ 0.5x bare, in events delivered per second.
 */
import { EventName, Namespace, type PublishEnvelope, type PublishReply } from "@care-gateway/shared";
import type { Socket } from "socket.io-client";
import { Arrivals, benchEventPayload } from "../lib/arrivals.js";
import { BenchOutcome } from "../lib/bench-outcomes.js";
import { requestArgs } from "../lib/bench-report.js";
import type { Operation } from "../lib/closed-loop.js";
import { clusterNode, startGatewayCluster, type ClusterUnderTest } from "../lib/clusters.js";
import { column, errorsColumn, LOAD_CPU_COLUMNS, SERVER_CPU_COLUMN } from "../lib/columns.js";
import { compare, perRoundRatios } from "../lib/compare.js";
import type { StatsSource } from "../lib/cpu-meter.js";
import { measuredWindowLine } from "../lib/interleaved-load.js";
import { packageVersion } from "../lib/machine.js";
import { measureSides, type OpenSide } from "../lib/measure-sides.js";
import { answerPing, checkReachable } from "../lib/ping.js";
import { startPrivateRedis } from "../lib/redis-server.js";
import { childExecArgv, execArgvOption, ordered, runRounds, scenarioParams, scenarioResult, type RoundsOutcome } from "../lib/scenario-kit.js";
import { closeAll, connectSocket } from "../lib/sockets.js";
import { gatewaySourceVersion } from "../lib/source-version.js";
import { bareTarget, gatewayTarget, type Target } from "../lib/targets.js";
import { benchUnitIds, connectUnits } from "../lib/units.js";
import { DEFAULT_SLICE_MS, type FigureColumn, type Scenario, type ScenarioParams, type ScenarioResult } from "./scenario.js";

export const PUBLISH_TARGET_RATIO = 0.8;
export const PUBLISH_CLUSTER_TARGET_RATIO = 0.5;

export const PublishRun = {
  bare: "bare",
  gateway: "gateway",
  cluster: "gateway cluster",
} as const;

const CLUSTER_SIZE = 3;
const UNITS_NODE = 0;
const BRIDGE_NODE = 1;
const SERVER_TIMEOUT_MS = 10_000;
/** How long the units may take to become reachable from the bridge's node. */
const REACHABLE_WITHIN_MS = 10_000;
const EVENT_TYPE = "appointment.updated";

/** The request columns, named for events. */
export const EVENT_COLUMNS: FigureColumn[] = [
  column("throughput", "events/s", 0, { ratio: true }),
  column("p50", "p50 ms", 2, { ratio: true }),
  column("p90", "p90 ms", 2),
  column("p99", "p99 ms", 2, { ratio: true }),
  column("max", "max ms", 2),
  errorsColumn(),
  SERVER_CPU_COLUMN,
  column("serverCpuUsPerRequest", "server µs/event", 1, { ratio: true }),
  ...LOAD_CPU_COLUMNS,
];

export const publishScenario: Scenario = {
  name: "publish",
  description: `bridge publish → units (event + ack), closed loop at fixed concurrency: bare Socket.IO forwarding vs the gateway (memory outbox) vs a ${CLUSTER_SIZE}-node gateway cluster (Redis Streams outbox, bridge and units on different nodes)`,
  run: runPublish,
};

export async function runPublish(overrides: Partial<ScenarioParams> = {}): Promise<ScenarioResult> {
  const params = scenarioParams(overrides, { sliceMs: DEFAULT_SLICE_MS });
  if (params.targetsPerPublish > params.units) throw new Error(`--targets ${params.targetsPerPublish} is more than the ${params.units} units`);
  const { log } = params;
  const source = gatewaySourceVersion();
  const redis = await startPrivateRedis();
  log(`[redis] private redis-server ${redis.version}, pid ${redis.pid}, ${redis.url}`);
  let outcome: RoundsOutcome;
  try {
    outcome = await runRounds(params, [PublishRun.bare, PublishRun.gateway, PublishRun.cluster], (forward, round) => {
      const single = (target: Target) => () => openSingle(target, params);
      const cluster = () => openCluster(() => startGatewayCluster({ redis, size: CLUSTER_SIZE, prefix: `bench-pub-r${round + 1}:`, serverTimeoutMs: SERVER_TIMEOUT_MS, ...execArgvOption(childExecArgv(params)) }), params);
      return measureSides(ordered([single(bareTarget()), single(gatewayTarget()), cluster], forward), params);
    });
  } finally {
    await redis.stop();
  }
  const k = params.targetsPerPublish;
  return scenarioResult(
    publishScenario,
    params,
    outcome,
    [compare(outcome.runs, PublishRun.gateway, PublishRun.bare, PUBLISH_TARGET_RATIO), compare(outcome.runs, PublishRun.cluster, PublishRun.bare, PUBLISH_CLUSTER_TARGET_RATIO)],
    {
      columns: EVENT_COLUMNS,
      args: [...requestArgs(params), `--targets ${k}`, `--slice-ms ${params.sliceMs}`],
      paramsLine: `${params.units} units, ${k} unit${k > 1 ? "s" : ""} per publish (\`${k > 1 ? "{ unitIds }" : "{ unitId }"}\`), ${params.concurrency} publishes outstanding, ${measuredWindowLine(params)}, ${params.rounds} round${params.rounds > 1 ? "s" : ""} per server, bench timeout ${params.requestTimeoutMs} ms per publish`,
      setup: [
        `Event: \`${EVENT_TYPE}\` with a valid payload (the catalogue's strict check runs on every publish); each unit acks \`{ ok: true }\` as the event arrives`,
        "events/s: events that reached a unit (counted at the unit, as it acks) in the measured window; latency: publish emitted → the last targeted unit has it and the publish's ack is back; server µs/event: the server side's CPU time per event",
        "bare: `bench/dist/servers/bare-relay.js`, the publish forwarded to each unit as `emit(\"event\", ...)` with an ack, nothing stored; gateway: one node, memory outbox (append, pump, trim on the unit's ack)",
        `gateway cluster: ${CLUSTER_SIZE} gateway nodes and a private redis-server, units on node A, the bridge on node B: B resolves the unit's node in Redis, appends to its Redis Stream and wakes A, which reads the stream and sends; node C only takes part in the cluster. Its CPU columns count all ${CLUSTER_SIZE} nodes and Redis`,
      ],
      ...(outcome.rounds.length > 1
        ? { notes: [`Per round, ${perRoundRatios(outcome.rounds, PublishRun.gateway, PublishRun.bare)}; ${perRoundRatios(outcome.rounds, PublishRun.cluster, PublishRun.bare)}.`] }
        : {}),
      software: { "care-gateway": source, "redis-server": redis.version, redis: packageVersion("redis") },
    },
  );
}

async function openSingle(target: Target, params: ScenarioParams): Promise<OpenSide> {
  const server = await target.spawn({ execArgv: childExecArgv(params) });
  params.log(`[${target.name}] pid ${server.pid} listening on ${server.url}`);
  return withCleanup(() => server.stop(), () => connectPublish({ server: target.name, description: target.description, unitsUrl: server.url, bridgeUrl: server.url, auth: target, cpu: server, params }));
}

async function openCluster(start: () => Promise<ClusterUnderTest>, params: ScenarioParams): Promise<OpenSide> {
  const cluster = await start();
  params.log(`[${PublishRun.cluster}] ${cluster.nodes.map((node) => `pid ${node.pid} on ${node.url}`).join(", ")}`);
  return withCleanup(
    () => cluster.stop(),
    () =>
      connectPublish({
        server: PublishRun.cluster,
        description: `${cluster.description}; units on node A, the bridge on node B`,
        unitsUrl: clusterNode(cluster, UNITS_NODE).url,
        bridgeUrl: clusterNode(cluster, BRIDGE_NODE).url,
        auth: cluster,
        cpu: cluster.cpuSources,
        params,
        reachableWithinMs: REACHABLE_WITHIN_MS,
      }),
  );
}

/** `connect()`'s side, whose close also runs `stop` (the servers); `stop` alone if connecting fails. */
async function withCleanup(stop: () => Promise<void>, connect: () => Promise<OpenSide>): Promise<OpenSide> {
  try {
    const side = await connect();
    return {
      ...side,
      close: async () => {
        await side.close();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface PublishMeasure {
  server: string;
  description: string;
  unitsUrl: string;
  bridgeUrl: string;
  auth: Pick<Target, "unitAuth" | "bridgeAuth">;
  cpu: StatsSource | readonly StatsSource[];
  params: ScenarioParams;
  /** Cluster: wait until every unit answers a ping from the bridge's node (its presence is known there). */
  reachableWithinMs?: number;
}

/** Connects the units (each acks and reports its events) and the bridge; closes the sockets again if that fails. */
async function connectPublish(options: PublishMeasure): Promise<OpenSide> {
  const { params } = options;
  const arrivals = new Arrivals();
  const unitIds = benchUnitIds(params.units);
  let units: Socket[] = [];
  let bridge: Socket | undefined;
  const close = async () => closeAll([bridge, ...units]);
  try {
    const connected = await connectUnits(options.unitsUrl, unitIds, options.auth.unitAuth, {
      setup: (socket) => {
        socket.on(EventName.REQUEST, answerPing);
        arrivals.attach(socket);
      },
    });
    units = connected.sockets;
    const bridgeStart = Date.now();
    bridge = await connectSocket(options.bridgeUrl, Namespace.bridge, options.auth.bridgeAuth());
    const connectMs = connected.connectMs + (Date.now() - bridgeStart);
    if (options.reachableWithinMs !== undefined) await checkReachable(bridge, unitIds, params.requestTimeoutMs, options.reachableWithinMs);
    params.log(`[${options.server}] ${units.length} units and the bridge connected in ${connectMs} ms`);
    return {
      lanes: [
        {
          server: options.server,
          description: options.description,
          cpu: options.cpu,
          connectMs,
          itemsPerOperation: params.targetsPerPublish,
          operation: publishOperation(bridge, unitIds, params.targetsPerPublish, arrivals, params.requestTimeoutMs),
        },
      ],
      report: () => {
        if (arrivals.unexpected > 0) params.log(`[${options.server}] ${arrivals.unexpected} events arrived that no publish waited for (duplicates or after a timeout)`);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

let publishSeq = 0;

/**
 * One publish to the next `k` units in turn; done when its ack is back and all `k` have the event,
 * or with a code when the reply is an error or the bench's timeout passes first.
 */
export function publishOperation(bridge: Socket, unitIds: readonly string[], k: number, arrivals: Arrivals, timeoutMs: number): Operation {
  let cursor = 0;
  return (done) => {
    const key = `bench-${++publishSeq}`;
    const targets: string[] = [];
    for (let i = 0; i < k; i++) {
      targets.push(unitIds[cursor] ?? "missing");
      cursor = (cursor + 1) % unitIds.length;
    }
    const envelope: PublishEnvelope<typeof EVENT_TYPE> = {
      target: k === 1 ? { unitId: targets[0] ?? "missing" } : { unitIds: targets },
      type: EVENT_TYPE,
      payload: benchEventPayload(key),
    };
    let acked = false;
    let arrived = false;
    let ended = false;
    const end = (code?: string) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      arrivals.forget(key);
      done(code);
    };
    const timer = setTimeout(() => end(BenchOutcome.clientTimeout), timeoutMs);
    arrivals.expect(key, k, () => {
      arrived = true;
      if (acked) end();
    });
    bridge.emit(EventName.PUBLISH, envelope, (reply: PublishReply | undefined) => {
      acked = true;
      if (reply?.ok !== true) return end(reply?.ok === false ? reply.error.code : BenchOutcome.malformedReply);
      if (arrived) end();
    });
  };
}
