/** A private Redis and N gateway processes on it: a cluster for one test. */
import { startGatewayProcess, type GatewayProcess } from "./gateway-process.js";
import { sample, scrape } from "./prom-text.js";
import { startRedis, type TestRedis } from "./redis-server.js";

export interface TestCluster {
  redis: TestRedis;
  nodes: GatewayProcess[];
}

export async function startCluster(size: number, env: Record<string, string> = {}): Promise<TestCluster> {
  const redis = await startRedis();
  const nodes = await Promise.all(
    Array.from({ length: size }, (_, i) => startGatewayProcess(`node-${String.fromCharCode(97 + i)}`, { REDIS_URL: redis.url, ...env })),
  );
  return { redis, nodes };
}

export function node(cluster: TestCluster, index: number): GatewayProcess {
  const found = cluster.nodes[index];
  if (!found) throw new Error(`no node ${index}`);
  return found;
}

/** `care_gateway_node_batches_total{via}` from a node's /metrics: the batches it sent that way (NaN when absent). */
export async function nodeBatches(url: string, via: "link" | "redis"): Promise<number> {
  return sample(await scrape(url), "care_gateway_node_batches_total", { via }) ?? Number.NaN;
}
