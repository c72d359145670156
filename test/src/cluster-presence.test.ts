/** Cluster: presence, occupancy, supersede and status events across nodes; a SIGKILLed node's units go offline. */
import { expect } from "chai";
import { DisconnectCode, ErrorCode, Namespace, type OccupancyReply, type RequestReply, type ServerDisconnect, type UnitStatus } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { occupancyWhere } from "./helpers/occupancy-stream.js";
import { ask, connect, nextEvent, rawSocket, refused } from "./helpers/raw-client.js";
import { node, startCluster } from "./helpers/test-cluster.js";
import { adminToken, bridgeToken, portalToken } from "./helpers/tokens.js";


describe("cluster: presence and occupancy", function () {
  this.timeout(30_000);

  it("reports units and connections of every node in occupancy:get", async () => {
    const cluster = await startCluster(3);
    await fakeUnit(node(cluster, 0).url, "U-1");
    await fakeUnit(node(cluster, 1).url, "U-2");
    await connect(node(cluster, 2).url, Namespace.portal, portalToken("nurse", ["U-1"]));
    const admin = rawSocket(node(cluster, 2).url, Namespace.admin, { auth: { token: adminToken() } });
    const settled = await occupancyWhere(admin, (o) => o.totals.units === 2 && o.totals.portal === 1);
    expect(settled.units.map((u) => [u.unitId, u.nodeId])).to.deep.equal([
      ["U-1", "node-a"],
      ["U-2", "node-b"],
    ]);
    expect(settled.nodes.map((n) => n.nodeId)).to.deep.equal(["node-a", "node-b", "node-c"]);
    const bridge = await connect(node(cluster, 1).url, Namespace.bridge, bridgeToken());
    const reply = await ask<OccupancyReply>(bridge, "occupancy:get", {});
    expect(reply.ok && reply.data.units.map((u) => u.unitId)).to.deep.equal(["U-1", "U-2"]);
  });

  it("sends unit:status to watchers on other nodes", async () => {
    const cluster = await startCluster(3);
    const portal = await connect(node(cluster, 1).url, Namespace.portal, portalToken("nurse", ["U-1"]));
    await ask(portal, "subscribe", { unitIds: ["U-1"] });
    const bridge = await connect(node(cluster, 2).url, Namespace.bridge, bridgeToken());
    const online = nextEvent<UnitStatus>(portal, "unit:status");
    const bridgeOnline = nextEvent<UnitStatus>(bridge, "unit:status");
    const unit = await fakeUnit(node(cluster, 0).url, "U-1");
    expect(await online).to.include({ unitId: "U-1", online: true });
    expect(await bridgeOnline).to.include({ unitId: "U-1", online: true });
    const offline = nextEvent<UnitStatus>(portal, "unit:status");
    unit.socket.disconnect();
    expect(await offline).to.include({ unitId: "U-1", online: false });
  });

  it("delivers a unit's upstream event to a portal subscribed on another node", async () => {
    const cluster = await startCluster(2);
    const unit = await fakeUnit(node(cluster, 0).url, "U-1");
    const portal = await connect(node(cluster, 1).url, Namespace.portal, portalToken("nurse", ["U-1"]));
    await ask(portal, "subscribe", { unitIds: ["U-1"] });
    const received = nextEvent(portal, "unit:event");
    await ask(unit.socket, "event", { type: "registration.updated", payload: { registrationId: "R", patientRef: "P", status: "s", at: "2026-01-01T00:00:00Z" } });
    expect(await received).to.deep.include({ unitId: "U-1", type: "registration.updated" });
  });

  it("supersedes a unit's socket on another node, without an offline flicker", async () => {
    const cluster = await startCluster(3);
    const bridge = await connect(node(cluster, 2).url, Namespace.bridge, bridgeToken());
    const statuses: UnitStatus[] = [];
    bridge.on("unit:status", (s: UnitStatus) => statuses.push(s));
    const older = await fakeUnit(node(cluster, 0).url, "U-1");
    const notice = nextEvent<ServerDisconnect>(older.socket, "server:disconnect");
    const closed = nextEvent(older.socket, "disconnect");
    const newer = await fakeUnit(node(cluster, 1).url, "U-1");
    expect((await notice).code).to.equal(DisconnectCode.SUPERSEDED);
    await closed;
    const reply = await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {} });
    expect(reply.ok).to.equal(true);
    expect(newer.requests).to.have.length(1);
    const occupancy = await ask<OccupancyReply>(bridge, "occupancy:get", {});
    expect(occupancy.ok && occupancy.data.units).to.deep.equal([{ unitId: "U-1", nodeId: "node-b", connectedAt: occupancy.ok ? occupancy.data.units[0]?.connectedAt : 0 }]);
    expect(statuses.filter((s) => !s.online)).to.deep.equal([]);
  });

  it("counts a SIGKILLed node's units offline within the lease, and answers UNIT_OFFLINE for them", async () => {
    const cluster = await startCluster(3, { PRESENCE_LEASE_MS: "1500" });
    await fakeUnit(node(cluster, 0).url, "U-1");
    await fakeUnit(node(cluster, 1).url, "U-2");
    const admin = rawSocket(node(cluster, 2).url, Namespace.admin, { auth: { token: adminToken() } });
    await occupancyWhere(admin, (o) => o.totals.units === 2);
    await node(cluster, 0).kill();
    const after = await occupancyWhere(admin, (o) => o.totals.units === 1 && o.nodes.length === 2);
    expect(after.units.map((u) => u.unitId)).to.deep.equal(["U-2"]);
    const bridge = await connect(node(cluster, 2).url, Namespace.bridge, bridgeToken());
    const reply = await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {}, timeoutMs: 60_000 });
    expect(!reply.ok && reply.error.code).to.equal(ErrorCode.UNIT_OFFLINE);
  });

  it("revokes a principal's sockets on every node, and its older tokens everywhere", async () => {
    const cluster = await startCluster(2);
    const nurse = portalToken("nurse", ["U-1"]);
    const onA = await connect(node(cluster, 0).url, Namespace.portal, nurse);
    const onB = await connect(node(cluster, 1).url, Namespace.portal, nurse);
    const closed = [nextEvent(onA, "disconnect"), nextEvent(onB, "disconnect")];
    const bridge = await connect(node(cluster, 0).url, Namespace.bridge, bridgeToken());
    await ask(bridge, "principal:revoke", { sub: "nurse" });
    await Promise.all(closed);
    const error = await refused(rawSocket(node(cluster, 1).url, Namespace.portal, { auth: { token: nurse } }));
    expect(error.message).to.equal("AUTH_INVALID");
  });
});
