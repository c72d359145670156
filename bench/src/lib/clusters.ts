/**
 * Clusters under test for the cross-node scenario: N server processes on one private Redis, each a
 * forked child like the relay's servers. Either gateway nodes (`gateway-server` with REDIS_URL and
 * distinct NODE_IDs) or bare Socket.IO nodes on the Redis adapter (`adapter-ack`).
 */
import { randomBytes } from "node:crypto";
import { Role } from "@care-gateway/shared";
import type { StatsSource } from "./cpu-meter.js";
import { serverScript } from "./paths.js";
import { execArgvOption } from "./scenario-kit.js";
import type { PrivateRedis } from "./redis-server.js";
import { spawnServer, type ServerHandle } from "./spawn-server.js";
import { gatewayEnv } from "./targets.js";
import { mintToken } from "./tokens.js";

export type ClusterKind = "gateway" | "adapter-ack";

export interface ClusterOptions {
  redis: PrivateRedis;
  size: number;
  /** Prefix of every key and channel of this cluster in Redis, so that successive clusters never meet. */
  prefix: string;
  /** The server-side deadline of a request: the gateway's REQUEST_TIMEOUT_MS, the adapter's `.timeout()`. */
  serverTimeoutMs: number;
  execArgv?: string[];
}

export interface ClusterUnderTest {
  readonly kind: ClusterKind;
  readonly description: string;
  /** Node A, node B, ... in order. */
  readonly nodes: readonly ServerHandle[];
  /** Every process of the server side for the CPU columns: the nodes and Redis. */
  readonly cpuSources: readonly StatsSource[];
  unitAuth(unitId: string): Record<string, unknown>;
  bridgeAuth(): Record<string, unknown>;
  stop(): Promise<void>;
}

/** The cluster's node at `index` (0: node A); throws if it has none. */
export function clusterNode(cluster: Pick<ClusterUnderTest, "kind" | "nodes">, index: number): ServerHandle {
  const node = cluster.nodes[index];
  if (!node) throw new Error(`${cluster.kind} cluster: no node ${nodeLetter(index)}`);
  return node;
}

/** "A", "B", "C", ... */
export function nodeLetter(index: number): string {
  return String.fromCharCode(65 + index);
}

export async function startGatewayCluster(options: ClusterOptions): Promise<ClusterUnderTest> {
  const secret = randomBytes(32).toString("hex");
  const nodes = await startNodes(options.size, (index) =>
    spawnServer({
      name: `gateway node ${nodeLetter(index)}`,
      script: serverScript("gateway-server"),
      env: {
        ...gatewayEnv(secret),
        REDIS_URL: options.redis.url,
        REDIS_PREFIX: options.prefix,
        NODE_ID: `bench-node-${nodeLetter(index).toLowerCase()}`,
        REQUEST_TIMEOUT_MS: String(options.serverTimeoutMs),
      },
      ...execArgvOption(options.execArgv),
    }),
  );
  return cluster("gateway", `care-gateway cluster: ${options.size} nodes (createGateway, REDIS_URL, NODE_ENV=production, LOG_LEVEL=warn, audit to /dev/null), targeted routing`, nodes, options.redis, {
    unitAuth: (unitId) => ({ token: mintToken(secret, unitId, Role.UNIT) }),
    bridgeAuth: () => ({ token: mintToken(secret, "bench-bridge", Role.BRIDGE) }),
  });
}

export async function startAdapterAckCluster(options: ClusterOptions & { specificResponseChannel: boolean }): Promise<ClusterUnderTest> {
  const nodes = await startNodes(options.size, (index) =>
    spawnServer({
      name: `adapter-ack node ${nodeLetter(index)}`,
      script: serverScript("adapter-ack"),
      env: {
        REDIS_URL: options.redis.url,
        ADAPTER_KEY: options.prefix,
        ACK_TIMEOUT_MS: String(options.serverTimeoutMs),
        ADAPTER_SPECIFIC_RESPONSE_CHANNEL: options.specificResponseChannel ? "1" : "0",
      },
      ...execArgvOption(options.execArgv),
    }),
  );
  return cluster(
    "adapter-ack",
    `bare Socket.IO cluster: ${options.size} nodes on @socket.io/redis-adapter, broadcast-with-ack to the unit's room (WebSocket only, no auth, no validation)`,
    nodes,
    options.redis,
    { unitAuth: (unitId) => ({ unitId }), bridgeAuth: () => ({}) },
  );
}

function cluster(
  kind: ClusterKind,
  description: string,
  nodes: ServerHandle[],
  redis: PrivateRedis,
  auth: Pick<ClusterUnderTest, "unitAuth" | "bridgeAuth">,
): ClusterUnderTest {
  return {
    kind,
    description,
    nodes,
    cpuSources: [...nodes.map((node, index) => ({ name: `node ${nodeLetter(index)}`, stats: () => node.stats() })), { name: "redis", stats: () => redis.stats() }],
    ...auth,
    stop: async () => {
      await Promise.all(nodes.map((node) => node.stop()));
    },
  };
}

/** Starts every node at once; if one fails, stops those that started and rethrows. */
async function startNodes(size: number, start: (index: number) => Promise<ServerHandle>): Promise<ServerHandle[]> {
  const settled = await Promise.allSettled(Array.from({ length: size }, (_, index) => start(index)));
  const nodes = settled.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
  const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
  if (failed) {
    await Promise.all(nodes.map((node) => node.stop()));
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }
  return nodes;
}
