/** Cluster: Redis stops and comes back empty while traffic flows; nothing crashes and routing recovers. */
import { expect } from "chai";
import { ErrorCode, Namespace, type RequestReply } from "@care-gateway/shared";
import { eventually } from "./helpers/eventually.js";
import { fakeUnit } from "./helpers/fake-unit.js";
import { ask, connect } from "./helpers/raw-client.js";
import { node, nodeBatches, startCluster } from "./helpers/test-cluster.js";
import { bridgeToken, portalToken } from "./helpers/tokens.js";

const readyStatus = async (url: string) => (await fetch(`${url}/readyz`)).status;
const ping = { type: "unit.ping", payload: {} };

describe("cluster: Redis outage", function () {
  this.timeout(60_000);

  it("stays up, reports not ready, keeps local traffic, and recovers routing, presence and broadcasts after an empty restart", async () => {
    const cluster = await startCluster(2);
    const [a, b] = [node(cluster, 0), node(cluster, 1)];
    const unit = await fakeUnit(a.url, "U-1");
    const localBridge = await connect(a.url, Namespace.bridge, bridgeToken("bridge-a"));
    const remoteBridge = await connect(b.url, Namespace.bridge, bridgeToken("bridge-b"));
    const portal = await connect(b.url, Namespace.portal, portalToken("nurse", ["U-1"]));
    await ask(portal, "subscribe", { unitIds: ["U-1"] });
    expect((await ask<RequestReply>(remoteBridge, "request", { unitId: "U-1", ...ping })).ok).to.equal(true);
    // Each node opens its link to the other on its first message for it (the request one way, the
    // answer the other), in the background; until then it publishes through Redis, where a message
    // written during the outage waits for Redis and its request for its deadline. The claims below
    // are about nodes whose links are open.
    await eventually(async () => {
      expect((await ask<RequestReply>(remoteBridge, "request", { unitId: "U-1", ...ping })).ok).to.equal(true);
      return (await nodeBatches(a.url, "link")) > 0 && (await nodeBatches(b.url, "link")) > 0;
    });

    await cluster.redis.stop();
    await eventually(async () => (await readyStatus(a.url)) === 503 && (await readyStatus(b.url)) === 503);
    // Local traffic does not need Redis.
    expect((await ask<RequestReply>(localBridge, "request", { unitId: "U-1", ...ping })).ok).to.equal(true);
    // Cross-node traffic never hangs: it fails fast with a typed error, or, while node B still
    // remembers where the unit is (the 1 s location cache), it is served over the direct link.
    const during = await ask<RequestReply>(remoteBridge, "request", { unitId: "U-1", ...ping, timeoutMs: 30_000 });
    if (!during.ok) expect([ErrorCode.INTERNAL, ErrorCode.UNIT_OFFLINE]).to.include(during.error.code);
    expect(unit.socket.connected).to.equal(true);

    await cluster.redis.restart();
    await eventually(async () => (await readyStatus(a.url)) === 200 && (await readyStatus(b.url)) === 200);
    const recovered = await eventually(async () => {
      const reply = await ask<RequestReply>(remoteBridge, "request", { unitId: "U-1", ...ping });
      return reply.ok ? reply : undefined;
    });
    expect(recovered.ok).to.equal(true);
    await eventually(async () => {
      const received = new Promise((resolve) => portal.once("unit:event", resolve));
      await ask(unit.socket, "event", { type: "registration.updated", payload: { registrationId: "R", patientRef: "P", status: "s", at: "2026-01-01T00:00:00Z" } });
      return Promise.race([received, new Promise((resolve) => setTimeout(() => resolve(undefined), 300))]);
    });
    expect(a.child.exitCode).to.equal(null);
    expect(b.child.exitCode).to.equal(null);
    expect(a.logs.some((l) => l["message"] === "re-asserting presence")).to.equal(true);
  });
});
