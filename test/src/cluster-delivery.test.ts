/** Durable delivery in a cluster: the unit's node is SIGKILLed mid-stream; the unit reconnects to another node and misses nothing. */
import { expect } from "chai";
import { startReadyProxy } from "./helpers/ready-proxy.js";
import { node, startCluster } from "./helpers/test-cluster.js";
import { bridgeClient, unitClient } from "./sdk-fixtures.js";

const EVENTS = 10_000;
const payment = (i: number) => ({ paymentId: `PM-${i}`, referenceId: "INV", amount: { value: i, currency: "EUR" }, at: "2026-12-01T09:00:00Z" });

describe("cluster: durable delivery across a node failure", function () {
  this.timeout(180_000);

  it(`delivers ${EVENTS} events exactly once and in order while the unit's node is SIGKILLed`, async () => {
    const cluster = await startCluster(2, { OUTBOX_MAX_EVENTS: String(EVENTS * 2), PRESENCE_LEASE_MS: "1500", CONNECTIONS_PER_MIN_PER_IP: "100000" });
    const [a, b] = [node(cluster, 0), node(cluster, 1)];
    const balancer = await startReadyProxy([a.url, b.url]);
    const received: number[] = [];
    let allArrived: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allArrived = resolve));
    const unit = unitClient(balancer, "U-1");
    unit.on("payment.completed", (event) => {
      received.push(event.amount.value);
      if (received.length === EVENTS) allArrived();
    });
    await unit.connect();
    const bridge = bridgeClient(b);
    await bridge.connect();

    let killed: Promise<void> | undefined;
    for (let i = 0; i < EVENTS; i++) {
      await bridge.publish({ unitId: "U-1" }, "payment.completed", payment(i));
      if (i === EVENTS / 4) killed = a.kill();
    }
    await killed;
    await done;
    expect(received).to.have.length(EVENTS);
    expect(received.every((value, i) => value === i), "publish order").to.equal(true);
    expect(b.logs.some((l) => l["message"] === "unit connected" && l["unitId"] === "U-1"), "the unit moved to node B").to.equal(true);
  });
});
