/** A unit's own events reach the portals subscribed to it and every bridge socket, nobody else. */
import { expect } from "chai";
import { ErrorCode, Namespace, type Reply, type UnitEventBroadcast } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { ask, connect, nextEvent } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { bridgeToken, portalToken } from "./helpers/tokens.js";

const registration = { registrationId: "R-1", patientRef: "P-1", status: "waiting", at: "2026-12-01T09:00:00Z" };

describe("units: upstream events", () => {
  it("delivers unit:event to subscribed portals and the bridge only", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const subscribed = await connect(gw.url, Namespace.portal, portalToken("nurse-1", ["U-1"]));
    const notSubscribed = await connect(gw.url, Namespace.portal, portalToken("nurse-2", ["U-1"]));
    const otherUnit = await connect(gw.url, Namespace.portal, portalToken("nurse-3", ["U-2"]));
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    await ask(subscribed, "subscribe", { unitIds: ["U-1"] });
    await ask(otherUnit, "subscribe", { unitIds: ["U-2"] });
    const stray: unknown[] = [];
    notSubscribed.on("unit:event", (e: unknown) => stray.push(e));
    otherUnit.on("unit:event", (e: unknown) => stray.push(e));

    const atPortal = nextEvent<UnitEventBroadcast>(subscribed, "unit:event");
    const atBridge = nextEvent<UnitEventBroadcast>(bridge, "unit:event");
    const ack = await ask<Reply>(unit.socket, "event", { type: "registration.created", payload: { ...registration, extra: 1 }, id: "ev-1" });
    expect(ack).to.deep.equal({ ok: true, id: "ev-1" });
    for (const event of [await atPortal, await atBridge]) {
      expect(event).to.deep.include({ unitId: "U-1", id: "ev-1", type: "registration.created" });
      expect(event.payload).to.deep.equal({ ...registration, extra: 1 });
      expect(event.ts).to.be.a("number");
    }
    // A second event proves ordering on each socket: the strays would have arrived before it.
    const second = nextEvent(subscribed, "unit:event");
    await ask(unit.socket, "event", { type: "registration.updated", payload: registration });
    await second;
    // Round trips on the other sockets: anything the gateway sent them before would have arrived first.
    await ask(notSubscribed, "subscribe", { unitIds: ["U-9"] });
    await ask(otherUnit, "subscribe", { unitIds: ["U-9"] });
    expect(stray).to.have.length(0);
  });

  it("stops delivering after unsubscribe", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const portal = await connect(gw.url, Namespace.portal, portalToken("nurse-1", ["U-1"]));
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    await ask(portal, "subscribe", { unitIds: ["U-1"] });
    expect(await ask(portal, "unsubscribe", { unitIds: ["U-1"] })).to.deep.equal({ ok: true });
    const received: unknown[] = [];
    portal.on("unit:event", (e: unknown) => received.push(e));
    const atBridge = nextEvent(bridge, "unit:event");
    await ask(unit.socket, "event", { type: "registration.updated", payload: registration });
    await atBridge;
    await ask(portal, "subscribe", { unitIds: ["U-9"] }); // a round trip on the portal's socket
    expect(received).to.have.length(0);
  });

  it("refuses events outside the catalogue or missing fields", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const unknown = await ask<Reply>(unit.socket, "event", { type: "lab.result", payload: {} });
    expect(!unknown.ok && unknown.error.code).to.equal(ErrorCode.UNKNOWN_TYPE);
    const missing = await ask<Reply>(unit.socket, "event", { type: "registration.created", payload: { registrationId: "R-1" } });
    expect(!missing.ok && missing.error.code).to.equal(ErrorCode.VALIDATION_FAILED);
  });
});
