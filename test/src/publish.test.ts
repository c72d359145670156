/** Downstream publish from the bridge: to one unit, a list, or all; delivered now or queued for later. */
import { expect } from "chai";
import { ErrorCode, Namespace, type PublishReply } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { ask, connect } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { bridgeToken } from "./helpers/tokens.js";

const payment = { paymentId: "PM-1", referenceId: "INV-1", amount: { value: 1250, currency: "EUR" }, at: "2026-12-01T09:00:00Z" };

describe("bridge: publish to units", () => {
  it("publishes to one unit, which receives event { id, type, payload, ts }", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const reply = await ask<PublishReply>(bridge, "publish", { target: { unitId: "U-1" }, type: "payment.completed", payload: payment, id: "pub-1" });
    expect(reply).to.deep.equal({ ok: true, id: "pub-1", delivered: 1, queued: 0 });
    const [event] = await unit.receivedEvents(1);
    expect(event).to.deep.include({ type: "payment.completed", publishId: "pub-1" });
    expect(event?.payload).to.deep.equal(payment);
    expect(event?.id).to.be.a("number");
    expect(event?.ts).to.be.a("number");
  });

  it("publishes to a list: online units get it now, offline ones have it queued", async () => {
    const gw = await startGateway();
    const a = await fakeUnit(gw.url, "U-A");
    const b = await fakeUnit(gw.url, "U-B");
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const reply = await ask<PublishReply>(bridge, "publish", { target: { unitIds: ["U-A", "U-B", "U-C"] }, type: "payment.completed", payload: payment });
    expect(reply).to.deep.include({ ok: true, delivered: 2, queued: 1 });
    await a.receivedEvents(1);
    await b.receivedEvents(1);
    const c = await fakeUnit(gw.url, "U-C");
    const [queued] = await c.receivedEvents(1);
    expect(queued?.type).to.equal("payment.completed");
  });

  it("publishes to all: every online unit and every known offline unit", async () => {
    const gw = await startGateway();
    const units = await Promise.all(["U-1", "U-2", "U-3"].map((id) => fakeUnit(gw.url, id)));
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    // U-4 becomes known through a publish while offline.
    await ask(bridge, "publish", { target: { unitId: "U-4" }, type: "payment.completed", payload: payment });
    const reply = await ask<PublishReply>(bridge, "publish", { target: { all: true }, type: "payment.completed", payload: payment });
    expect(reply).to.deep.include({ ok: true, delivered: 3, queued: 1 });
    for (const unit of units) await unit.receivedEvents(1);
    const late = await fakeUnit(gw.url, "U-4");
    expect((await late.receivedEvents(2)).map((e) => e.type)).to.deep.equal(["payment.completed", "payment.completed"]);
  });

  it("keeps publish order per unit and ids increasing", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    for (let i = 0; i < 50; i++) {
      bridge.emit("publish", { target: { unitId: "U-1" }, type: "payment.completed", payload: { ...payment, paymentId: `PM-${i}` } }, () => undefined);
    }
    const events = await unit.receivedEvents(50);
    expect(events.map((e) => (e.payload as { paymentId: string }).paymentId)).to.deep.equal(Array.from({ length: 50 }, (_, i) => `PM-${i}`));
    for (let i = 1; i < events.length; i++) expect((events[i]?.id ?? 0) > (events[i - 1]?.id ?? 0)).to.equal(true);
  });

  it("replays events after the unit's lastEventId on reconnect, and nothing it already has", async () => {
    const gw = await startGateway();
    const first = await fakeUnit(gw.url, "U-1");
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    for (const paymentId of ["PM-1", "PM-2"]) await ask(bridge, "publish", { target: { unitId: "U-1" }, type: "payment.completed", payload: { ...payment, paymentId } });
    const seen = await first.receivedEvents(2);
    first.socket.disconnect();
    for (const paymentId of ["PM-3", "PM-4"]) await ask(bridge, "publish", { target: { unitId: "U-1" }, type: "payment.completed", payload: { ...payment, paymentId } });
    const again = await fakeUnit(gw.url, "U-1", { lastEventId: seen[1]?.id });
    const replayed = await again.receivedEvents(2);
    expect(replayed.map((e) => (e.payload as { paymentId: string }).paymentId)).to.deep.equal(["PM-3", "PM-4"]);
  });

  it("refuses payloads with unknown or missing fields (strict downstream)", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const extra = await ask<PublishReply>(bridge, "publish", { target: { unitId: "U-1" }, type: "payment.completed", payload: { ...payment, note: "x" } });
    expect(!extra.ok && extra.error.code).to.equal(ErrorCode.VALIDATION_FAILED);
    const unknown = await ask<PublishReply>(bridge, "publish", { target: { unitId: "U-1" }, type: "lab.result", payload: {} });
    expect(!unknown.ok && unknown.error.code).to.equal(ErrorCode.UNKNOWN_TYPE);
    const badTarget = await ask<PublishReply>(bridge, "publish", { target: { unitId: "U-1", all: true }, type: "payment.completed", payload: payment });
    expect(!badTarget.ok && badTarget.error.code).to.equal(ErrorCode.VALIDATION_FAILED);
    await ask(bridge, "publish", { target: { unitId: "U-1" }, type: "payment.completed", payload: payment });
    expect((await unit.receivedEvents(1))).to.have.length(1);
  });

  it("is not available to portals", async () => {
    const gw = await startGateway();
    const portal = await connect(gw.url, Namespace.portal, (await import("./helpers/tokens.js")).portalToken("nurse", ["*"]));
    const reply = await ask<PublishReply>(portal, "publish", { target: { all: true }, type: "payment.completed", payload: payment });
    expect(!reply.ok && reply.error.code).to.equal(ErrorCode.UNKNOWN_TYPE);
  });
});
