/** occupancy:get for admin and bridge, and the admin occupancy stream. */
import { expect } from "chai";
import { Namespace, type OccupancyReply } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { occupancyWhere } from "./helpers/occupancy-stream.js";
import { ask, connect, rawSocket } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { adminToken, bridgeToken, portalToken } from "./helpers/tokens.js";


describe("occupancy", () => {
  it("reports nodes, totals and units on occupancy:get (admin and bridge)", async () => {
    const gw = await startGateway();
    await fakeUnit(gw.url, "U-2");
    await fakeUnit(gw.url, "U-1");
    await connect(gw.url, Namespace.portal, portalToken("nurse", ["U-1"]));
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const admin = await connect(gw.url, Namespace.admin, adminToken());
    for (const socket of [admin, bridge]) {
      const reply = await ask<OccupancyReply>(socket, "occupancy:get", {});
      expect(reply.ok).to.equal(true);
      if (!reply.ok) return;
      const { data } = reply;
      expect(data.totals).to.deep.equal({ units: 2, portal: 1, bridge: 1, admin: 1 });
      expect(data.nodes).to.deep.equal([{ nodeId: gw.config.nodeId, connections: data.totals }]);
      expect(data.units.map((u) => u.unitId)).to.deep.equal(["U-1", "U-2"]);
      expect(data.units[0]).to.have.keys(["unitId", "nodeId", "connectedAt"]);
    }
  });

  it("streams occupancy to admins on connect and on change", async () => {
    const gw = await startGateway();
    const admin = rawSocket(gw.url, Namespace.admin, { auth: { token: adminToken() } });
    const initial = await occupancyWhere(admin, () => true);
    expect(initial.totals.units).to.equal(0);
    const withUnit = occupancyWhere(admin, (o) => o.totals.units === 1);
    const unit = await fakeUnit(gw.url, "U-1");
    expect((await withUnit).units.map((u) => u.unitId)).to.deep.equal(["U-1"]);
    const withoutUnit = occupancyWhere(admin, (o) => o.totals.units === 0);
    unit.socket.disconnect();
    expect((await withoutUnit).units).to.deep.equal([]);
  });

  it("lets an admin disconnect a unit, which is told why", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const admin = await connect(gw.url, Namespace.admin, adminToken());
    const notice = new Promise((resolve) => unit.socket.once("server:disconnect", resolve));
    const closed = new Promise((resolve) => unit.socket.once("disconnect", resolve));
    expect(await ask(admin, "unit:disconnect", { unitId: "U-1", reason: "maintenance" })).to.deep.equal({ ok: true });
    expect(await notice).to.deep.include({ code: "ADMIN_DISCONNECT" });
    await closed;
    const offline = await ask<{ ok: boolean; error?: { code: string } }>(admin, "unit:disconnect", { unitId: "U-1", reason: "again" });
    expect(offline.error?.code).to.equal("UNIT_OFFLINE");
    expect(gw.log.text()).to.include("admin unit disconnect");
  });
});
