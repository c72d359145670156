/** Publish to all: 500 units, the online ones get it now and the known offline ones have it queued. */
import { expect } from "chai";
import { Namespace, type PublishReply } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { ask, connect, rawSocket } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { bridgeToken, unitToken } from "./helpers/tokens.js";

const ONLINE = 350;
const OFFLINE = 150;

describe("delivery: publish to all", function () {
  this.timeout(60_000);

  it(`reaches ${ONLINE + OFFLINE} units with delivered=${ONLINE} and queued=${OFFLINE}`, async () => {
    const gw = await startGateway({ CONNECTIONS_PER_MIN_PER_IP: "100000", LOG_LEVEL: "warn" });
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const notice = { registrationId: "R", patientRef: "P", status: "open", at: "2026-12-01T09:00:00Z" };
    // The offline units are known to the gateway: something was published to them before.
    await ask(bridge, "publish", { target: { unitIds: Array.from({ length: OFFLINE }, (_, i) => `OFF-${i}`) }, type: "registration.updated", payload: notice });
    let received = 0;
    let allReceived: () => void = () => undefined;
    const everyone = new Promise<void>((resolve) => (allReceived = resolve));
    await Promise.all(
      Array.from({ length: ONLINE }, async (_, i) => {
        const socket = rawSocket(gw.url, Namespace.unit, { auth: { token: unitToken(`ON-${i}`) } });
        socket.on("event", (event: { type: string }, ack: (a: unknown) => void) => {
          ack({ ok: true });
          if (event.type === "registration.created" && ++received === ONLINE) allReceived();
        });
        await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      }),
    );
    const reply = await ask<PublishReply>(bridge, "publish", { target: { all: true }, type: "registration.created", payload: notice });
    expect(reply).to.deep.include({ ok: true, delivered: ONLINE, queued: OFFLINE });
    await everyone;
    expect(received).to.equal(ONLINE);
  });
});

describe("delivery: one event for all the units of a publish (single node)", () => {
  const notice = (i: number) => ({ registrationId: `R-${i}`, patientRef: "P", status: "open", at: "2026-12-01T09:00:00Z" });

  it("gives every unit the same id, and each unit's ids increase with holes where a publish was not theirs", async () => {
    const gw = await startGateway();
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const a = await fakeUnit(gw.url, "U-A");
    const b = await fakeUnit(gw.url, "U-B");
    const publish = (target: object, i: number) => ask<PublishReply>(bridge, "publish", { target, type: "registration.created", payload: notice(i) });
    await publish({ all: true }, 0);
    await publish({ unitId: "U-A" }, 1);
    await publish({ unitId: "U-B" }, 2);
    await publish({ all: true }, 3);
    const [a0, a1, a3] = await a.receivedEvents(3);
    const [b0, b2, b3] = await b.receivedEvents(3);
    expect(a.events.map((e) => (e.payload as { registrationId: string }).registrationId)).to.deep.equal(["R-0", "R-1", "R-3"]);
    expect(b.events.map((e) => (e.payload as { registrationId: string }).registrationId)).to.deep.equal(["R-0", "R-2", "R-3"]);
    expect(a0?.id).to.equal(b0?.id);
    expect(a3?.id).to.equal(b3?.id);
    const ids = [a0, a1, b2, a3].map((e) => e?.id as number);
    expect(ids).to.deep.equal([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).to.equal(4);
    // The live sends went without a read although the ids were not consecutive: nothing was sent twice.
    await ask(bridge, "occupancy:get", {});
    expect(a.events).to.have.length(3);
    expect(b.events).to.have.length(3);
  });

  it("sends a publish to all after the replay of a unit that is catching up, in order and once", async () => {
    const gw = await startGateway();
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const live = await fakeUnit(gw.url, "U-LIVE");
    const QUEUED = 300; // more than one read batch
    for (let i = 0; i < QUEUED; i++) await ask(bridge, "publish", { target: { unitId: "U-BACK" }, type: "registration.created", payload: notice(i) });
    const back = await fakeUnit(gw.url, "U-BACK");
    for (let i = QUEUED; i < QUEUED + 3; i++) await ask(bridge, "publish", { target: { all: true }, type: "registration.created", payload: notice(i) });
    const events = await back.receivedEvents(QUEUED + 3);
    await live.receivedEvents(3);
    expect(events.map((e) => (e.payload as { registrationId: string }).registrationId)).to.deep.equal(Array.from({ length: QUEUED + 3 }, (_, i) => `R-${i}`));
    await ask(bridge, "occupancy:get", {}); // a round trip: anything sent twice would be here by now
    expect(back.events).to.have.length(QUEUED + 3);
    expect(live.events.map((e) => (e.payload as { registrationId: string }).registrationId)).to.deep.equal([`R-${QUEUED}`, `R-${QUEUED + 1}`, `R-${QUEUED + 2}`]);
  });
});
