/**
 * Scenario "cross-node": a request from a bridge on one node to a unit connected to another, in a
 * 3-node cluster on a private Redis. N units answer `unit.ping` on node A; one bridge socket keeps C
 * requests outstanding, each to the next unit in turn. Three runs, in the same process: by default
 * both clusters up at once and the three loaded in alternating turns (`--slice-ms`,
 * lib/measure-sides.ts); with `--slice-ms 0`, one cluster after the other, its runs in turn:
 *
 * - gateway same-node: the gateway cluster, bridge on node A (the local path; the reference);
 * - gateway cross-node: the same cluster, bridge on node B (targeted routing: the request goes to
 *   node A's inbox channel, the answer comes back on node B's);
 * - adapter-ack cross-node: a bare Socket.IO cluster on the Redis adapter, bridge on node B, the
 *   request sent with Socket.IO's own broadcast-with-ack to the unit's room.
 *
 * Targets: cross-node ≥ 1.5x adapter-ack, and ≥ 0.5x same-node, in throughput.
 */
import { Namespace } from "@care-gateway/shared";
import type { Socket } from "socket.io-client";
import { requestArgs } from "../lib/bench-report.js";
import { clusterNode, nodeLetter, startAdapterAckCluster, startGatewayCluster, type ClusterUnderTest } from "../lib/clusters.js";
import { compare, perRoundRatios } from "../lib/compare.js";
import { packageVersion } from "../lib/machine.js";
import type { LoadLane } from "../lib/load-run.js";
import { measureSides, type OpenSide } from "../lib/measure-sides.js";
import { checkReachable, pingOperation } from "../lib/ping.js";
import { startPrivateRedis } from "../lib/redis-server.js";
import { childExecArgv, execArgvOption, ordered, runRounds, scenarioParams, scenarioResult, type RoundsOutcome } from "../lib/scenario-kit.js";
import { gatewaySourceVersion } from "../lib/source-version.js";
import { closeAll, connectSocket } from "../lib/sockets.js";
import { benchUnitIds, connectUnits } from "../lib/units.js";
import { DEFAULT_SLICE_MS, type Scenario, type ScenarioParams, type ScenarioResult } from "./scenario.js";

export const CROSS_NODE_VS_ADAPTER_TARGET = 1.5;
export const CROSS_NODE_VS_SAME_NODE_TARGET = 0.5;

/** The three runs, by the name they carry in the results. */
export const CrossNodeRun = {
  sameNode: "gateway same-node",
  crossNode: "gateway cross-node",
  adapterAck: "adapter-ack cross-node",
} as const;

const CLUSTER_SIZE = 3;
const UNITS_NODE = 0;
const REMOTE_BRIDGE_NODE = 1;
/** The server side's deadline of a request, the same for both clusters: the gateway's default REQUEST_TIMEOUT_MS. */
const SERVER_TIMEOUT_MS = 10_000;
/**
 * The adapter's `publishOnSpecificResponseChannel`: with it, a node's answers (client count, the
 * unit's ack) go to the asking node's channel only instead of to every node. The adapter's own docs
 * announce it as the next major's default; it makes the baseline cheaper, so the comparison is
 * against the adapter at its best.
 */
const ADAPTER_SPECIFIC_RESPONSE_CHANNEL = true;
/** How long the units may take to become reachable from the bridge's node (presence written, rooms joined). */
const REACHABLE_WITHIN_MS = 10_000;

export const crossNodeScenario: Scenario = {
  name: "cross-node",
  description: `unit on node A, bridge on node B of a ${CLUSTER_SIZE}-node cluster on Redis: gateway targeted routing vs Socket.IO broadcast-with-ack through the Redis adapter, plus the gateway's same-node figure`,
  run: runCrossNode,
};

interface Phase {
  server: string;
  description: string;
  bridgeNode: number;
}

export async function runCrossNode(overrides: Partial<ScenarioParams> = {}): Promise<ScenarioResult> {
  const params = scenarioParams(overrides, { sliceMs: DEFAULT_SLICE_MS });
  const { log } = params;
  const execArgv = childExecArgv(params);
  const source = gatewaySourceVersion();
  const redis = await startPrivateRedis();
  log(`[redis] private redis-server ${redis.version}, pid ${redis.pid}, ${redis.url}`);
  const names = [CrossNodeRun.sameNode, CrossNodeRun.crossNode, CrossNodeRun.adapterAck];
  let outcome: RoundsOutcome;
  try {
    outcome = await runRounds(params, names, async (forward, round) => {
      const gatewayPhases: Phase[] = [
        { server: CrossNodeRun.sameNode, description: "gateway cluster, units and bridge on node A (local path)", bridgeNode: UNITS_NODE },
        { server: CrossNodeRun.crossNode, description: "gateway cluster, units on node A, bridge on node B (targeted routing through Redis)", bridgeNode: REMOTE_BRIDGE_NODE },
      ];
      const adapterPhases: Phase[] = [
        { server: CrossNodeRun.adapterAck, description: "bare Socket.IO cluster on the Redis adapter, units on node A, bridge on node B (broadcast-with-ack)", bridgeNode: REMOTE_BRIDGE_NODE },
      ];
      const common = { redis, size: CLUSTER_SIZE, serverTimeoutMs: SERVER_TIMEOUT_MS, ...execArgvOption(execArgv) };
      const gateway: ClusterPlan = { start: () => startGatewayCluster({ ...common, prefix: `bench-r${round + 1}-gw:` }), phases: ordered(gatewayPhases, forward) };
      const adapter: ClusterPlan = {
        start: () => startAdapterAckCluster({ ...common, prefix: `bench-r${round + 1}-ack`, specificResponseChannel: ADAPTER_SPECIFIC_RESPONSE_CHANNEL }),
        phases: adapterPhases,
      };
      return measureSides(
        ordered([gateway, adapter], forward).map((plan) => () => openCluster(plan, params)),
        params,
      );
    });
  } finally {
    await redis.stop();
  }
  const vsAdapter = compare(outcome.runs, CrossNodeRun.crossNode, CrossNodeRun.adapterAck, CROSS_NODE_VS_ADAPTER_TARGET);
  const vsSameNode = compare(outcome.runs, CrossNodeRun.crossNode, CrossNodeRun.sameNode, CROSS_NODE_VS_SAME_NODE_TARGET);
  return scenarioResult(crossNodeScenario, params, outcome, [vsAdapter, vsSameNode], {
    args: [...requestArgs(params), `--slice-ms ${params.sliceMs}`],
    ...(outcome.rounds.length > 1
      ? { notes: [`Per round, ${perRoundRatios(outcome.rounds, CrossNodeRun.crossNode, CrossNodeRun.adapterAck)}; ${perRoundRatios(outcome.rounds, CrossNodeRun.crossNode, CrossNodeRun.sameNode)}.`] }
      : {}),
    setup: setupLines(),
    software: {
      "care-gateway": source,
      "redis-server": redis.version,
      "@socket.io/redis-adapter": packageVersion("@socket.io/redis-adapter"),
      redis: packageVersion("redis"),
    },
  });
}

function setupLines(): string[] {
  return [
    `Cluster: ${CLUSTER_SIZE} server processes per cluster and one private redis-server (127.0.0.1, no persistence), all on this machine with the load generator; units on node A, the bridge on node A (same-node) or node B (cross-node); node C only takes part in the cluster (leases, adapter traffic)`,
    `Gateway nodes: \`bench/dist/servers/gateway-server.js\` with REDIS_URL, NODE_ID bench-node-a/b/c, REQUEST_TIMEOUT_MS ${SERVER_TIMEOUT_MS}; baseline nodes: \`bench/dist/servers/adapter-ack.js\`, \`.timeout(${SERVER_TIMEOUT_MS})\` broadcast-with-ack, publishOnSpecificResponseChannel ${ADAPTER_SPECIFIC_RESPONSE_CHANNEL}`,
    "server CPU and server µs/req count all the cluster's processes: its three nodes and Redis (per process below)",
  ];
}

/** A cluster to start and the phases (bridge placements) to measure on it. */
interface ClusterPlan {
  start: () => Promise<ClusterUnderTest>;
  phases: readonly Phase[];
}

/**
 * Starts a cluster, connects the units to node A, and a bridge per phase to the phase's node once
 * every unit answers through it: a lane per phase. Closing disconnects them all and stops the cluster.
 */
async function openCluster(plan: ClusterPlan, params: ScenarioParams): Promise<OpenSide> {
  const { log } = params;
  const cluster = await plan.start();
  const tag = `[${cluster.kind} cluster]`;
  log(`${tag} ${cluster.nodes.map((node, index) => `node ${nodeLetter(index)} pid ${node.pid} on ${node.url}`).join(", ")}`);
  const sockets: Socket[] = [];
  const close = async () => {
    closeAll(sockets);
    await cluster.stop();
  };
  try {
    const unitIds = benchUnitIds(params.units);
    const connected = await connectUnits(clusterNode(cluster, UNITS_NODE).url, unitIds, cluster.unitAuth);
    sockets.push(...connected.sockets);
    log(`${tag} ${connected.sockets.length} units connected to node ${nodeLetter(UNITS_NODE)} in ${connected.connectMs} ms`);
    const lanes: LoadLane[] = [];
    for (const phase of plan.phases) {
      const bridgeStart = Date.now();
      const bridge = await connectSocket(clusterNode(cluster, phase.bridgeNode).url, Namespace.bridge, cluster.bridgeAuth());
      sockets.push(bridge);
      const connectMs = connected.connectMs + (Date.now() - bridgeStart);
      const checkStart = Date.now();
      await checkReachable(bridge, unitIds, params.requestTimeoutMs, REACHABLE_WITHIN_MS);
      log(`[${phase.server}] bridge on node ${nodeLetter(phase.bridgeNode)}; all ${unitIds.length} units answered it in ${Date.now() - checkStart} ms`);
      lanes.push({ server: phase.server, description: phase.description, cpu: cluster.cpuSources, connectMs, operation: pingOperation(bridge, unitIds, params.requestTimeoutMs) });
    }
    return { lanes, close };
  } catch (error) {
    await close();
    throw error;
  }
}
