/** Delivery receipts: the bridge learns when a unit really acknowledged an event it asked a receipt for. */
import { expect } from "chai";
import { Namespace, type DeliveryReceipt, type PublishReply } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { ask, connect, nextEvent } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { bridgeToken } from "./helpers/tokens.js";

const payment = { paymentId: "PM-1", referenceId: "INV", amount: { value: 100, currency: "EUR" }, at: "2026-12-01T09:00:00Z" };

describe("delivery: receipts", () => {
  it("sends delivery:receipt when the unit acknowledges, including for a unit that was offline at publish", async () => {
    const gw = await startGateway();
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const online = await fakeUnit(gw.url, "U-1");
    const firstReceipt = nextEvent<DeliveryReceipt>(bridge, "delivery:receipt");
    const reply = await ask<PublishReply>(bridge, "publish", { target: { unitIds: ["U-1", "U-2"] }, type: "payment.completed", payload: payment, id: "pay-1", receipt: true });
    expect(reply).to.deep.include({ ok: true, id: "pay-1", delivered: 1, queued: 1 });
    const [event] = await online.receivedEvents(1);
    expect(await firstReceipt).to.deep.include({ id: "pay-1", unitId: "U-1", eventId: event?.id });
    const secondReceipt = nextEvent<DeliveryReceipt>(bridge, "delivery:receipt");
    await fakeUnit(gw.url, "U-2");
    expect(await secondReceipt).to.deep.include({ id: "pay-1", unitId: "U-2" });
  });

  it("sends none when not asked, nor to another bridge principal", async () => {
    const gw = await startGateway();
    const asker = await connect(gw.url, Namespace.bridge, bridgeToken("asker"));
    const other = await connect(gw.url, Namespace.bridge, bridgeToken("other"));
    const strays: unknown[] = [];
    other.on("delivery:receipt", (r: unknown) => strays.push(r));
    const unit = await fakeUnit(gw.url, "U-1");
    await ask(other, "publish", { target: { unitId: "U-1" }, type: "payment.completed", payload: payment });
    const receipt = nextEvent<DeliveryReceipt>(asker, "delivery:receipt");
    await ask(asker, "publish", { target: { unitId: "U-1" }, type: "payment.completed", payload: payment, id: "p-2", receipt: true });
    await unit.receivedEvents(2);
    expect((await receipt).id).to.equal("p-2");
    await ask(other, "occupancy:get", {});
    expect(strays).to.deep.equal([]);
  });
});
