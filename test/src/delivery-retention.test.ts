/** Retention: a unit away longer than its outbox keeps events is told of the gap, never silently. */
import { expect } from "chai";
import { Namespace, type EventGapNotice } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { sample, scrape } from "./helpers/prom-text.js";
import { ask, connect } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { bridgeToken } from "./helpers/tokens.js";
import { unitClient } from "./sdk-fixtures.js";

const payment = (i: number) => ({ paymentId: `PM-${i}`, referenceId: "INV", amount: { value: i, currency: "EUR" }, at: "2026-12-01T09:00:00Z" });

describe("delivery: retention and gaps", () => {
  it("sends event:gap for the ids retention dropped, then the events it kept, in order", async () => {
    const gw = await startGateway({ OUTBOX_MAX_EVENTS: "5" });
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const first = await fakeUnit(gw.url, "U-1");
    await ask(bridge, "publish", { target: { unitId: "U-1" }, type: "payment.completed", payload: payment(0) });
    const [seen] = await first.receivedEvents(1);
    const lastId = seen?.id ?? 0;
    first.socket.disconnect();
    for (let i = 1; i <= 12; i++) await ask(bridge, "publish", { target: { unitId: "U-1" }, type: "payment.completed", payload: payment(i) });

    const gaps: EventGapNotice[] = [];
    const values: number[] = [];
    const unit = unitClient(gw, "U-1", { lastEventId: lastId });
    unit.onGap((gap) => gaps.push(gap));
    let resolveAll: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (resolveAll = resolve));
    unit.on("payment.completed", (event) => {
      values.push(event.amount.value);
      if (values.length === 5) resolveAll();
    });
    await unit.connect();
    await all;
    expect(gaps).to.deep.equal([{ from: lastId + 1, to: lastId + 7 }]);
    expect(values).to.deep.equal([8, 9, 10, 11, 12]);
    expect(sample(await scrape(gw.url), "care_gateway_outbox_gaps_total")).to.equal(1);
  });

  it("redelivers what a plain client (no lastEventId) has not acknowledged, and reports the outbox depth", async () => {
    const gw = await startGateway();
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    for (let i = 0; i < 3; i++) await ask(bridge, "publish", { target: { unitId: "U-1" }, type: "payment.completed", payload: payment(i) });
    const depth = await scrape(gw.url);
    expect(sample(depth, "care_gateway_outbox_depth", { unit: "U-1" })).to.equal(3);
    expect(sample(depth, "care_gateway_outbox_depth", { unit: "*" })).to.equal(3);
    const unit = await fakeUnit(gw.url, "U-1");
    const events = await unit.receivedEvents(3);
    expect(events.map((e) => (e.payload as { amount: { value: number } }).amount.value)).to.deep.equal([0, 1, 2]);
    await ask(bridge, "occupancy:get", {}); // a round trip: the acks have been processed
    const after = await scrape(gw.url);
    expect(sample(after, "care_gateway_outbox_depth", { unit: "*" })).to.equal(0);
    expect(sample(after, "care_gateway_events_replayed_total")).to.equal(3);
  });
});
