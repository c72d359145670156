/** Durable delivery through network blinks: every event arrives once, in publish order, after SDK de-duplication. */
import { expect } from "chai";
import { startBlinkProxy } from "./helpers/blink-proxy.js";
import { blinkRandomly } from "./helpers/chaos.js";
import { startGateway } from "./helpers/test-gateway.js";
import { bridgeClient, unitClient } from "./sdk-fixtures.js";

const EVENTS = 10_000;
const payment = (i: number) => ({ paymentId: `PM-${i}`, referenceId: "INV", amount: { value: i, currency: "EUR" }, at: "2026-12-01T09:00:00Z" });

describe("delivery: at-least-once, in order, through reconnects", function () {
  this.timeout(120_000);

  it(`delivers ${EVENTS} events exactly once and in order while the unit's connection drops every 50-500 ms`, async () => {
    const gw = await startGateway({ OUTBOX_MAX_EVENTS: String(EVENTS * 2), CONNECTIONS_PER_MIN_PER_IP: "100000", LOG_LEVEL: "warn" });
    const network = await startBlinkProxy(gw.url);
    const received: number[] = [];
    let acknowledged = 0;
    let allArrived: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allArrived = resolve));
    const unit = unitClient(network, "U-1", { onEventAcknowledged: (id) => void (acknowledged = id) });
    unit.on("payment.completed", (event) => {
      received.push(event.amount.value);
      if (received.length === EVENTS) allArrived();
    });
    await unit.connect();
    const bridge = bridgeClient(gw);
    await bridge.connect();

    const chaos = blinkRandomly(() => network.cut(), 50, 500);
    for (let i = 0; i < EVENTS; i++) await bridge.publish({ unitId: "U-1" }, "payment.completed", payment(i));
    await done;
    const blinks = chaos.stop();

    expect(blinks, "the connection must actually have dropped").to.be.at.least(3);
    expect(received).to.have.length(EVENTS);
    expect(received.every((value, i) => value === i), "publish order").to.equal(true);
    expect(acknowledged).to.be.greaterThan(0);
  });
});
