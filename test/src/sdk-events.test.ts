/** SDK events: bridge publish to UnitClient.on (in order, acknowledged, redeliveries dropped), unit publish to watchers, replay by lastEventId. */
import { expect } from "chai";
import {
  ConnectionState,
  ErrorCode,
  GatewayError,
  type AnyUnitEvent,
  type DownstreamEvent,
  type EventGapNotice,
  type EventPayload,
  type UnitStatus,
} from "@care-gateway/client-sdk";
import { registerTeardown } from "./helpers/teardown.js";
import { startGateway } from "./helpers/test-gateway.js";
import { unitToken } from "./helpers/tokens.js";
import {
  adminClient,
  bridgeClient,
  collect,
  deferred,
  first,
  nextConnectionEvent,
  portalClient,
  rejectionOf,
  unitClient,
  untilState,
} from "./sdk-fixtures.js";

function appointment(appointmentId: string): EventPayload<"appointment.created"> {
  return { appointmentId, patientRef: "p-1", start: "2026-01-05T09:00:00Z", end: "2026-01-05T09:30:00Z", status: "booked" };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("SDK events", () => {
  it("delivers a bridge publish to the unit's handler and acknowledges it after the handler resolves", async () => {
    const gw = await startGateway();
    const persisted: number[] = [];
    const acknowledged = deferred<void>();
    const unit = unitClient(gw, "u-1", {
      onEventAcknowledged: (id) => {
        persisted.push(id);
        acknowledged.resolve();
      },
    });
    const errors: unknown[] = [];
    unit.onEventError((error) => errors.push(error));
    const received = deferred<[EventPayload<"appointment.created">, DownstreamEvent<"appointment.created">]>();
    unit.on("appointment.created", (payload, event) => received.resolve([payload, event]));
    await unit.connect();
    const bridge = bridgeClient(gw);
    await bridge.connect();

    const outcome = await bridge.publish({ unitId: "u-1" }, "appointment.created", appointment("a-1"), { id: "pub-1" });
    const [payload, event] = await received.promise;

    expect(outcome).to.deep.equal({ id: "pub-1", delivered: 1, queued: 0 });
    expect(payload).to.deep.equal(appointment("a-1"));
    expect(event).to.deep.include({ type: "appointment.created", publishId: "pub-1" });
    await acknowledged.promise;
    expect(persisted).to.deep.equal([event.id]);
    expect(errors).to.have.length(0);
    expect(unit.lastEventId).to.equal(event.id);

    // The acknowledgement reached the gateway: a fresh instance that lost its lastEventId gets nothing old.
    unit.close();
    const fresh = unitClient(gw, "u-1");
    const seen: string[] = [];
    const next = deferred<void>();
    fresh.on("appointment.created", (p) => {
      seen.push(p.appointmentId);
      next.resolve();
    });
    await fresh.connect();
    await bridge.publish({ unitId: "u-1" }, "appointment.created", appointment("a-2"));
    await next.promise;
    expect(seen).to.deep.equal(["a-2"]);
  });

  it("handles events one at a time, in publish order", async () => {
    const gw = await startGateway();
    const unit = unitClient(gw, "u-2");
    let active = 0;
    let most = 0;
    const order: string[] = [];
    const done = collect<string>(5, (handler) =>
      unit.on("appointment.created", async (payload) => {
        active++;
        most = Math.max(most, active);
        await nextTurn();
        order.push(payload.appointmentId);
        active--;
        handler(payload.appointmentId);
      }),
    );
    await unit.connect();
    const bridge = bridgeClient(gw);
    await bridge.connect();

    for (let i = 1; i <= 5; i++) await bridge.publish({ unitId: "u-2" }, "appointment.created", appointment(`a-${i}`));
    await done;

    expect(order).to.deep.equal(["a-1", "a-2", "a-3", "a-4", "a-5"]);
    expect(most).to.equal(1);
  });

  it("drops a redelivered event by id: the handler runs once, the copy is acknowledged", async () => {
    const gw = await startGateway();
    const unit = unitClient(gw, "u-3");
    const gate = deferred<void>();
    registerTeardown(() => gate.resolve());
    const started = deferred<number>();
    let calls = 0;
    unit.on("appointment.created", async (_payload, event) => {
      calls++;
      started.resolve(event.id);
      await gate.promise;
    });
    await unit.connect();
    const bridge = bridgeClient(gw);
    const admin = adminClient(gw);
    await Promise.all([bridge.connect(), admin.connect()]);

    await bridge.publish({ unitId: "u-3" }, "appointment.created", appointment("a-1"));
    const id = await started.promise;
    const duplicate = first<DownstreamEvent>((handler) => unit.onDuplicate(handler));
    const dropped = nextConnectionEvent(unit.connection, "disconnect");
    await admin.disconnectUnit("u-3", "test"); // unacknowledged: the gateway delivers it again on reconnect
    await dropped;
    await untilState(unit.connection, ConnectionState.CONNECTED);
    gate.resolve();

    expect((await duplicate).id).to.equal(id);
    expect(calls).to.equal(1);
    expect(unit.lastEventId).to.equal(id);
  });

  it("sends lastEventId on reconnect: missed events are replayed, handled ones are not", async () => {
    const gw = await startGateway();
    const releaseToken = deferred<void>();
    registerTeardown(() => releaseToken.resolve());
    const reconnectAsked = deferred<void>();
    let tokenCalls = 0;
    const persisted: number[] = [];
    const persistedAt = [deferred<void>(), deferred<void>()];
    const unit = unitClient(gw, "u-4", {
      token: async () => {
        if (++tokenCalls === 2) {
          reconnectAsked.resolve();
          await releaseToken.promise;
        }
        return unitToken("u-4");
      },
      onEventAcknowledged: (id) => {
        persisted.push(id);
        persistedAt[persisted.length - 1]?.resolve();
      },
    });
    const gate = deferred<void>();
    registerTeardown(() => gate.resolve());
    const seen: string[] = [];
    const firstStarted = deferred<void>();
    const secondHandled = deferred<void>();
    unit.on("appointment.created", async (payload) => {
      seen.push(payload.appointmentId);
      if (payload.appointmentId === "a-1") {
        firstStarted.resolve();
        await gate.promise;
      } else {
        secondHandled.resolve();
      }
    });
    const duplicates: DownstreamEvent[] = [];
    unit.onDuplicate((event) => duplicates.push(event));
    await unit.connect();
    const bridge = bridgeClient(gw);
    const admin = adminClient(gw);
    await Promise.all([bridge.connect(), admin.connect()]);

    await bridge.publish({ unitId: "u-4" }, "appointment.created", appointment("a-1"));
    await firstStarted.promise;
    const dropped = nextConnectionEvent(unit.connection, "disconnect");
    await admin.disconnectUnit("u-4", "test");
    await dropped;
    // Handled while offline: its acknowledgement is lost, so only lastEventId keeps it from coming back.
    gate.resolve();
    await persistedAt[0]?.promise;
    await reconnectAsked.promise;
    const missed = await bridge.publish({ unitId: "u-4" }, "appointment.created", appointment("a-2"));
    expect(missed).to.deep.include({ delivered: 0, queued: 1 });
    releaseToken.resolve();
    await secondHandled.promise;
    await persistedAt[1]?.promise;

    expect(seen).to.deep.equal(["a-1", "a-2"]);
    expect(duplicates, "a-1 was not sent again").to.have.length(0);
    expect(persisted).to.have.length(2);
    expect(unit.lastEventId).to.equal(persisted[1]);
  });

  it("tells the unit about a gap when retention dropped events it never acknowledged", async () => {
    const gw = await startGateway({ OUTBOX_MAX_EVENTS: "2" });
    const bridge = bridgeClient(gw);
    await bridge.connect();
    for (let i = 1; i <= 3; i++) {
      expect(await bridge.publish({ unitId: "u-5" }, "appointment.created", appointment(`a-${i}`))).to.deep.include({ queued: 1 });
    }
    const unit = unitClient(gw, "u-5");
    const gap = first<EventGapNotice>((handler) => unit.onGap(handler));
    const events = collect<DownstreamEvent>(2, (handler) => unit.on("appointment.created", (_p, event) => handler(event)));

    await unit.connect();
    const [second, third] = await events;
    const notice = await gap;

    expect([second?.payload, third?.payload]).to.deep.equal([appointment("a-2"), appointment("a-3")]);
    expect(notice.to).to.be.below(second?.id ?? 0);
  });

  it("delivers a unit's publish to the subscribed portal and the bridge, not to an unsubscribed portal", async () => {
    const gw = await startGateway();
    const unit = unitClient(gw, "u-6");
    await unit.connect();
    const watching = portalClient(gw, "nurse-1", ["u-6"]);
    const other = portalClient(gw, "nurse-2", ["u-6"]);
    const bridge = bridgeClient(gw);
    await Promise.all([watching.connect(), other.connect(), bridge.connect()]);
    expect(await watching.subscribe(["u-6"])).to.deep.equal({ subscribed: ["u-6"], denied: [] });
    await other.subscribe(["u-6"]);
    await other.unsubscribe(["u-6"]);
    const unwanted: AnyUnitEvent[] = [];
    other.onUnitEvent((event) => unwanted.push(event));
    const atPortal = first<AnyUnitEvent>((handler) => watching.onUnitEvent(handler));
    const atBridge = first<AnyUnitEvent>((handler) => bridge.onUnitEvent(handler));

    const payload = { appointmentId: "a-1", cancelledAt: "2026-01-05T08:00:00Z", reason: "patient request" };
    const { id } = await unit.publish("appointment.cancelled", payload, { id: "evt-1" });
    const [portalEvent, bridgeEvent] = await Promise.all([atPortal, atBridge]);

    expect(id).to.equal("evt-1");
    expect(portalEvent).to.deep.include({ unitId: "u-6", id: "evt-1", type: "appointment.cancelled", payload });
    expect(bridgeEvent).to.deep.equal(portalEvent);
    expect(portalEvent.ts).to.be.a("number");
    // A round trip on the other portal's socket: anything sent to it before now has arrived.
    await other.unsubscribe(["u-6"]);
    expect(unwanted).to.have.length(0);
    expect(other.subscriptions).to.deep.equal([]);
    expect(watching.subscriptions).to.deep.equal(["u-6"]);
  });

  it("reports unit status to subscribers, and refuses an upstream event outside the catalogue", async () => {
    const gw = await startGateway();
    const portal = portalClient(gw, "nurse-1", ["u-7"]);
    await portal.connect();
    await portal.subscribe(["u-7"]);
    const online = first<UnitStatus>((handler) => portal.onUnitStatus(handler));
    const unit = unitClient(gw, "u-7");
    await unit.connect();
    expect(await online).to.deep.include({ unitId: "u-7", online: true });

    const bad = { appointmentId: "a-1" } as EventPayload<"appointment.cancelled">;
    const error = await rejectionOf(unit.publish("appointment.cancelled", bad));
    expect(error).to.be.instanceOf(GatewayError);
    expect(error.code).to.equal(ErrorCode.VALIDATION_FAILED);

    const offline = first<UnitStatus>((handler) => portal.onUnitStatus(handler));
    unit.close();
    expect(await offline).to.deep.include({ unitId: "u-7", online: false });
  });
});
