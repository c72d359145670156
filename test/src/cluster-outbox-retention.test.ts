/**
 * Cluster: retention in the Redis Streams outbox (its append script): ids increase per unit, what
 * retention drops unacknowledged is told as a gap, what is kept is replayed in order, and what is
 * acknowledged is trimmed.
 */
import { expect } from "chai";
import { Namespace, type EventGapNotice, type PublishReply } from "@care-gateway/shared";
import { eventually } from "./helpers/eventually.js";
import { fakeUnit } from "./helpers/fake-unit.js";
import { sample, scrape } from "./helpers/prom-text.js";
import { ask, connect } from "./helpers/raw-client.js";
import { startRedis } from "./helpers/redis-server.js";
import { startGateway } from "./helpers/test-gateway.js";
import { bridgeToken } from "./helpers/tokens.js";
import { unitClient } from "./sdk-fixtures.js";

const payment = (i: number) => ({ paymentId: `PM-${i}`, referenceId: "INV", amount: { value: i, currency: "EUR" }, at: "2026-12-01T09:00:00Z" });

describe("cluster: Redis outbox retention", function () {
  this.timeout(30_000);

  it("sends event:gap for the ids retention dropped, then the events it kept, in order", async () => {
    const redis = await startRedis();
    const gw = await startGateway({ REDIS_URL: redis.url, OUTBOX_MAX_EVENTS: "5" });
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const first = await fakeUnit(gw.url, "U-1");
    await ask(bridge, "publish", { target: { unitId: "U-1" }, type: "payment.completed", payload: payment(0) });
    const [seen] = await first.receivedEvents(1);
    const lastId = seen?.id ?? 0;
    first.socket.disconnect();
    for (let i = 1; i <= 12; i++) {
      const reply = await ask<PublishReply>(bridge, "publish", { target: { unitId: "U-1" }, type: "payment.completed", payload: payment(i) });
      expect(reply).to.deep.include({ ok: true, delivered: 0, queued: 1 });
    }

    const gaps: EventGapNotice[] = [];
    const values: number[] = [];
    const ids: number[] = [];
    const unit = unitClient(gw, "U-1", { lastEventId: lastId });
    unit.onGap((gap) => gaps.push(gap));
    let resolveAll: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (resolveAll = resolve));
    unit.on("payment.completed", (payload, event) => {
      values.push(payload.amount.value);
      ids.push(event.id);
      if (values.length === 5) resolveAll();
    });
    await unit.connect();
    await all;
    expect(gaps).to.deep.equal([{ from: lastId + 1, to: lastId + 7 }]);
    expect(values).to.deep.equal([8, 9, 10, 11, 12]);
    expect(ids).to.deep.equal([lastId + 8, lastId + 9, lastId + 10, lastId + 11, lastId + 12]);
    expect(sample(await scrape(gw.url), "care_gateway_outbox_gaps_total")).to.equal(1);
    // The acknowledgements trim the stream.
    await eventually(async () => sample(await scrape(gw.url), "care_gateway_outbox_depth", { unit: "*" }) === 0);
  });

  it("keeps unacknowledged events for a unit that comes back without lastEventId, and trims them once acknowledged", async () => {
    const redis = await startRedis();
    const gw = await startGateway({ REDIS_URL: redis.url });
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    for (let i = 0; i < 3; i++) await ask(bridge, "publish", { target: { unitId: "U-1" }, type: "payment.completed", payload: payment(i) });
    expect(sample(await scrape(gw.url), "care_gateway_outbox_depth", { unit: "U-1" })).to.equal(3);
    const unit = await fakeUnit(gw.url, "U-1");
    const events = await unit.receivedEvents(3);
    expect(events.map((e) => (e.payload as { amount: { value: number } }).amount.value)).to.deep.equal([0, 1, 2]);
    expect(events[1]?.id).to.equal((events[0]?.id ?? 0) + 1);
    expect(events[2]?.id).to.equal((events[0]?.id ?? 0) + 2);
    await eventually(async () => sample(await scrape(gw.url), "care_gateway_outbox_depth", { unit: "*" }) === 0);
  });
});
