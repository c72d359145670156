/**
 * Cluster: inbox messages between nodes go over direct links (TCP, node to node) instead of Redis
 * pub/sub; Redis says where each node's link listener is, and pub/sub stays the way in for a peer
 * whose link cannot be opened.
 */
import { createConnection, createServer, type AddressInfo } from "node:net";
import { expect } from "chai";
import { Namespace, type RequestReply } from "@care-gateway/shared";
import { createLogger, NodeLinkListener, NodeLinks } from "@care-gateway/server";
import { createClient } from "redis";
import { eventually } from "./helpers/eventually.js";
import { fakeUnit } from "./helpers/fake-unit.js";
import { ask, connect } from "./helpers/raw-client.js";
import { node, nodeBatches, startCluster } from "./helpers/test-cluster.js";
import { MemoryLog } from "./helpers/test-gateway.js";
import { bridgeToken } from "./helpers/tokens.js";

const ping = { unitId: "U-1", type: "unit.ping", payload: {} };

async function withRedis<T>(url: string, use: (redis: ReturnType<typeof createClient>) => Promise<T>): Promise<T> {
  const redis = createClient({ url });
  await redis.connect();
  try {
    return await use(redis);
  } finally {
    await redis.quit();
  }
}

describe("cluster: direct links between nodes", function () {
  this.timeout(30_000);

  it("carries requests and their answers over direct links, each node's address kept in Redis", async () => {
    const cluster = await startCluster(2);
    const [a, b] = [node(cluster, 0), node(cluster, 1)];
    await fakeUnit(a.url, "U-1");
    const bridge = await connect(b.url, Namespace.bridge, bridgeToken());
    // The first messages go through Redis while the link opens; then the link carries them both ways.
    await eventually(async () => {
      const reply = await ask<RequestReply>(bridge, "request", ping);
      expect(reply.ok).to.equal(true);
      return (await nodeBatches(b.url, "link")) > 0 && (await nodeBatches(a.url, "link")) > 0;
    });
    const viaRedis = await nodeBatches(b.url, "redis");
    for (let i = 0; i < 5; i++) expect((await ask<RequestReply>(bridge, "request", { ...ping, id: `r-${i}` })).ok).to.equal(true);
    expect(await nodeBatches(b.url, "redis")).to.equal(viaRedis);

    const address = await withRedis(cluster.redis.url, async (redis) => {
      const [key] = await redis.keys("*link:node-a");
      return JSON.parse((await redis.get(key as string)) as string) as { host: string; port: number; token: string };
    });
    expect(address.host).to.equal("127.0.0.1");
    expect(address.port).to.be.greaterThan(0);
    expect(address.token).to.have.length.greaterThan(20);
  });

  it("refuses a link without the node's token, and the messages go through Redis pub/sub instead", async () => {
    const cluster = await startCluster(2);
    const [a, b] = [node(cluster, 0), node(cluster, 1)];
    await fakeUnit(a.url, "U-1");
    // Node B has sent nothing to node A yet: make it find a wrong token for A's link.
    await withRedis(cluster.redis.url, async (redis) => {
      const [key] = await redis.keys("*link:node-a");
      const address = JSON.parse((await redis.get(key as string)) as string) as Record<string, unknown>;
      await redis.set(key as string, JSON.stringify({ ...address, token: "not-the-token-of-node-a" }));
    });
    const bridge = await connect(b.url, Namespace.bridge, bridgeToken());
    expect((await ask<RequestReply>(bridge, "request", ping)).ok).to.equal(true);
    await a.waitForLog((line) => line["message"] === "node link refused: wrong token");
    for (let i = 0; i < 5; i++) expect((await ask<RequestReply>(bridge, "request", { ...ping, id: `r-${i}` })).ok).to.equal(true);
    expect(await nodeBatches(b.url, "link")).to.equal(0);
    expect(await nodeBatches(b.url, "redis")).to.be.greaterThan(5);
  });

  it("drops a link whose peer stops reading, so that messages go through Redis instead of piling up", async () => {
    // A peer that welcomes the link, then reads nothing more (a stopped process).
    const peer = createServer((socket) => socket.once("data", () => {
      socket.write('{"ok":true}\n');
      socket.pause();
    }));
    await new Promise<void>((resolve) => peer.listen(0, "127.0.0.1", resolve));
    const log = new MemoryLog();
    const links = new NodeLinks({
      nodeId: "node-a",
      lookup: async () => ({ host: "127.0.0.1", port: (peer.address() as AddressInfo).port, token: "t" }),
      logger: createLogger({ level: "info", format: "json", nodeId: "node-a", transports: [log] }),
      maxBufferedBytes: 256 * 1024,
    });
    try {
      const line = JSON.stringify({ kind: "pump", unitId: "U-1", pad: "x".repeat(64 * 1024) });
      expect(links.write("node-b", line)).to.equal(false); // opening
      await eventually(async () => links.write("node-b", line));
      let written = 0;
      while (links.write("node-b", line)) {
        written++;
        if (written > 1000) break;
      }
      expect(written).to.be.lessThan(1000);
      expect(log.lines.some((l) => l["message"] === "node link dropped: peer not reading")).to.equal(true);
    } finally {
      links.close();
      peer.close();
    }
  });

  it("closes a connection that does not present the token in time", async () => {
    const log = new MemoryLog();
    const listener = new NodeLinkListener(() => undefined, createLogger({ level: "info", format: "json", nodeId: "node-a", transports: [log] }), 100);
    const { port } = await listener.listen("127.0.0.1", 0);
    try {
      const silent = createConnection({ host: "127.0.0.1", port });
      await new Promise<void>((resolve) => silent.once("close", () => resolve()));
      expect(log.lines.some((l) => l["message"] === "node link refused: no hello in time")).to.equal(true);
    } finally {
      await listener.close();
    }
  });
});
