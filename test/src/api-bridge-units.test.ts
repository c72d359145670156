/** API Bridge: GET /v1/units (occupancy) and GET /v1/units/{unitId} (online, node, since). */
import { expect } from "chai";
import { startGateway } from "./helpers/test-gateway.js";
import { api, apiToken, startBridge } from "./api-bridge-fixtures.js";
import { unitClient } from "./sdk-fixtures.js";
import { fakeUnit } from "./helpers/fake-unit.js";

describe("API Bridge: units and occupancy", () => {
  it("answers GET /v1/units with the gateway's occupancy", async () => {
    const gw = await startGateway();
    const before = Date.now();
    await fakeUnit(gw.url, "U-1");
    const unit = unitClient(gw, "U-2");
    await unit.connect();
    const bridge = await startBridge(gw);

    const res = await api(bridge, "GET", "/v1/units");

    expect(res.status).to.equal(200);
    const occupancy = res.body.data;
    expect(occupancy.units.map((u: { unitId: string }) => u.unitId).sort()).to.deep.equal(["U-1", "U-2"]);
    expect(occupancy.totals).to.deep.include({ units: 2, bridge: 1 });
    expect(occupancy.nodes).to.deep.equal([{ nodeId: gw.config.nodeId, connections: occupancy.totals }]);
    expect(occupancy.at).to.be.at.least(before);
  });

  it("answers GET /v1/units/{unitId}: online with node and since, or offline", async () => {
    const gw = await startGateway();
    const before = Date.now();
    await fakeUnit(gw.url, "U-1");
    const bridge = await startBridge(gw);

    const online = await api(bridge, "GET", "/v1/units/U-1");
    expect(online.status).to.equal(200);
    expect(online.body.data).to.deep.include({ unitId: "U-1", online: true, node: gw.config.nodeId });
    expect(online.body.data.since).to.be.within(before, Date.now());

    const offline = await api(bridge, "GET", "/v1/units/U-2");
    expect(offline.status).to.equal(200);
    expect(offline.body).to.deep.equal({ ok: true, data: { unitId: "U-2", online: false } });
  });

  it("needs `units:read` when the caller's token has a scope", async () => {
    const gw = await startGateway();
    const bridge = await startBridge(gw);
    expect((await api(bridge, "GET", "/v1/units", { token: apiToken("reporting", { scope: "units:read" }) })).status).to.equal(200);
    const denied = await api(bridge, "GET", "/v1/units/U-1", { token: apiToken("scheduler", { scope: "request:*" }) });
    expect(denied.status).to.equal(403);
  });
});
