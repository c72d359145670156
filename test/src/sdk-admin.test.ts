/** SDK occupancy and operator actions: AdminClient and BridgeClient.occupancy(). */
import { expect } from "chai";
import { ErrorCode, GatewayError, type Occupancy } from "@care-gateway/client-sdk";
import { startGateway } from "./helpers/test-gateway.js";
import { adminClient, bridgeClient, first, rejectionOf, unitClient } from "./sdk-fixtures.js";

describe("SDK admin and occupancy", () => {
  it("streams occupancy to an admin from connect on, and answers occupancy() to admin and bridge", async () => {
    const gw = await startGateway();
    const unit = unitClient(gw, "u-1");
    await unit.connect();
    const admin = adminClient(gw);
    const pushed = first<Occupancy>((handler) => admin.onOccupancy(handler));
    await admin.connect();

    const snapshot = await pushed;
    expect(snapshot.units.map((u) => u.unitId)).to.deep.equal(["u-1"]);

    const bridge = bridgeClient(gw);
    await bridge.connect();
    const [byAdmin, byBridge] = await Promise.all([admin.occupancy(), bridge.occupancy()]);
    for (const occupancy of [byAdmin, byBridge]) {
      expect(occupancy.totals).to.deep.include({ units: 1, admin: 1, bridge: 1 });
      expect(occupancy.units[0]).to.deep.include({ unitId: "u-1", nodeId: gw.config.nodeId });
    }
  });

  it("disconnects a unit, and rejects with UNIT_OFFLINE for a unit with no connection", async () => {
    const gw = await startGateway();
    const admin = adminClient(gw);
    await admin.connect();

    const error = await rejectionOf(admin.disconnectUnit("u-none", "test"));

    expect(error).to.be.instanceOf(GatewayError);
    expect(error.code).to.equal(ErrorCode.UNIT_OFFLINE);
  });
});
