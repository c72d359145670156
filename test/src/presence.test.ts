/** unit:status presence events: to subscribed portals and every bridge, on connect and disconnect. */
import { expect } from "chai";
import { Namespace, type UnitStatus } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { ask, connect, nextEvent } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { bridgeToken, portalToken } from "./helpers/tokens.js";

describe("presence: unit:status", () => {
  it("tells subscribed portals and the bridge when a unit connects and disconnects", async () => {
    const gw = await startGateway();
    const portal = await connect(gw.url, Namespace.portal, portalToken("nurse", ["U-1"]));
    const other = await connect(gw.url, Namespace.portal, portalToken("nurse-2", ["U-2"]));
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    await ask(portal, "subscribe", { unitIds: ["U-1"] });
    await ask(other, "subscribe", { unitIds: ["U-2"] });
    const strays: unknown[] = [];
    other.on("unit:status", (s: unknown) => strays.push(s));

    const portalOnline = nextEvent<UnitStatus>(portal, "unit:status");
    const bridgeOnline = nextEvent<UnitStatus>(bridge, "unit:status");
    const before = Date.now();
    const unit = await fakeUnit(gw.url, "U-1");
    for (const status of [await portalOnline, await bridgeOnline]) {
      expect(status).to.include({ unitId: "U-1", online: true });
      expect(status.at).to.be.within(before - 1000, Date.now() + 1000);
    }
    const portalOffline = nextEvent<UnitStatus>(portal, "unit:status");
    const bridgeOffline = nextEvent<UnitStatus>(bridge, "unit:status");
    unit.socket.disconnect();
    expect(await portalOffline).to.include({ unitId: "U-1", online: false });
    expect(await bridgeOffline).to.include({ unitId: "U-1", online: false });
    await ask(other, "subscribe", { unitIds: ["U-9"] });
    expect(strays).to.have.length(0);
  });
});
