/** Cluster: requests to a unit on another node (three gateway processes, a private Redis). */
import { expect } from "chai";
import { ErrorCode, Namespace, type RequestReply } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { holdRequest } from "./helpers/held-request.js";
import { ask, connect } from "./helpers/raw-client.js";
import { node, startCluster } from "./helpers/test-cluster.js";
import { bridgeToken, portalToken } from "./helpers/tokens.js";

describe("cluster: targeted request routing", function () {
  this.timeout(30_000);

  it("answers a request from a bridge on node B for a unit on node A, with the same outcomes as one node", async () => {
    const cluster = await startCluster(3);
    const unit = await fakeUnit(node(cluster, 0).url, "U-1");
    const bridge = await connect(node(cluster, 1).url, Namespace.bridge, bridgeToken());
    const reply = await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {}, id: "x-1" });
    expect(reply).to.deep.include({ ok: true, id: "x-1" });
    expect(unit.requests[0]).to.deep.include({ id: "x-1", type: "unit.ping", from: { role: "bridge", sub: "api-bridge" } });

    unit.answer(() => ({ ok: false, error: { code: "BUSY", message: "busy" } }));
    const unitError = await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {} });
    expect(!unitError.ok && unitError.error.code).to.equal(ErrorCode.UNIT_ERROR);

    const portal = await connect(node(cluster, 2).url, Namespace.portal, portalToken("nurse", ["U-2"]));
    const forbidden = await ask<RequestReply>(portal, "request", { unitId: "U-1", type: "unit.ping", payload: {} });
    expect(!forbidden.ok && forbidden.error.code).to.equal(ErrorCode.FORBIDDEN);
  });

  it("answers UNIT_OFFLINE at once for a unit connected nowhere", async () => {
    const cluster = await startCluster(3);
    await fakeUnit(node(cluster, 0).url, "U-1");
    const bridge = await connect(node(cluster, 1).url, Namespace.bridge, bridgeToken());
    const reply = await ask<RequestReply>(bridge, "request", { unitId: "U-2", type: "unit.ping", payload: {}, timeoutMs: 60_000 });
    expect(!reply.ok && reply.error.code).to.equal(ErrorCode.UNIT_OFFLINE);
  });

  it("answers UNIT_DISCONNECTED when the unit drops on its node mid-request", async () => {
    const cluster = await startCluster(3);
    const held = await holdRequest(node(cluster, 0).url, node(cluster, 1).url);
    held.unit.socket.disconnect();
    const reply = await held.reply;
    expect(!reply.ok && reply.error.code).to.equal(ErrorCode.UNIT_DISCONNECTED);
  });

  it("answers TIMEOUT at the caller's deadline and drops the late answer", async () => {
    const cluster = await startCluster(3);
    const unit = await fakeUnit(node(cluster, 0).url, "U-1");
    unit.answer(() => undefined);
    const bridge = await connect(node(cluster, 2).url, Namespace.bridge, bridgeToken());
    const replies: RequestReply[] = [];
    const reply = await new Promise<RequestReply>((resolve) =>
      bridge.emit("request", { unitId: "U-1", type: "unit.ping", payload: {}, timeoutMs: 300 }, (r: RequestReply) => {
        replies.push(r);
        resolve(r);
      }),
    );
    expect(!reply.ok && reply.error.code).to.equal(ErrorCode.TIMEOUT);
    const [request] = unit.requests;
    unit.held.get(request?.id ?? "")?.({ ok: true, data: { at: new Date().toISOString() } });
    unit.answer(() => ({ ok: true, data: { at: new Date().toISOString() } }));
    expect((await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {} })).ok).to.equal(true);
    expect(replies).to.have.length(1);
  });

  it("answers UNIT_DISCONNECTED or TIMEOUT by the deadline when the unit's node is SIGKILLed mid-request", async () => {
    const cluster = await startCluster(3, { PRESENCE_LEASE_MS: "1500" });
    const held = await holdRequest(node(cluster, 0).url, node(cluster, 1).url, 10_000);
    await node(cluster, 0).kill();
    const reply = await held.reply;
    expect(reply.ok).to.equal(false);
    expect([ErrorCode.UNIT_DISCONNECTED, ErrorCode.TIMEOUT]).to.include(!reply.ok && reply.error.code);
  });

  it("still reaches a unit that moved to another node while the caller's node remembered the old one", async () => {
    // Slow presence notices: the caller's node keeps its remembered location for the whole test.
    const cluster = await startCluster(3, { OCCUPANCY_MIN_INTERVAL_MS: "5000", OCCUPANCY_INTERVAL_MS: "10000" });
    const first = await fakeUnit(node(cluster, 0).url, "U-1");
    const bridge = await connect(node(cluster, 1).url, Namespace.bridge, bridgeToken());
    expect((await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {} })).ok).to.equal(true);
    const gone = new Promise((resolve) => first.socket.once("disconnect", resolve));
    const moved = await fakeUnit(node(cluster, 2).url, "U-1");
    await gone;
    const reply = await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {} });
    expect(reply.ok).to.equal(true);
    expect(moved.requests).to.have.length(1);
    expect(first.requests).to.have.length(1);
  });
});
