/**
 * API Bridge: Idempotency-Key. A retried POST with the same key gets the first outcome without
 * reaching the unit again, also while the first is still in flight; the store is bounded in count
 * and time.
 */
import { expect } from "chai";
import { ErrorCode } from "@care-gateway/shared";
import { BridgeErrorCode, IdempotencyStore, errorOutcome, okOutcome, type Admission } from "@care-gateway/bridge";
import { eventually } from "./helpers/eventually.js";
import { fakeUnit } from "./helpers/fake-unit.js";
import { startGateway } from "./helpers/test-gateway.js";
import { SLOT, api, apiToken, startBridge } from "./api-bridge-fixtures.js";

const CREATE = { type: "appointment.create", payload: SLOT };
const created = () => ({ ok: true as const, data: { appointmentId: "a-1", status: "booked" } });

function first(admission: Admission): Extract<Admission, { kind: "first" }> {
  expect(admission.kind).to.equal("first");
  return admission as Extract<Admission, { kind: "first" }>;
}

describe("API Bridge: idempotent retries", () => {
  it("answers a retry with the first outcome and does not reach the unit twice", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    let booked = 0;
    unit.answer(() => ({ ok: true, data: { appointmentId: `a-${++booked}`, status: "booked" } }));
    const bridge = await startBridge(gw);
    const post = (key: string) => api(bridge, "POST", "/v1/units/U-1/requests", { body: CREATE, headers: { "idempotency-key": key } });

    const firstTry = await post("order-1");
    const retry = await post("order-1");

    expect(firstTry.status).to.equal(200);
    expect(retry.status).to.equal(200);
    expect(retry.body).to.deep.equal(firstTry.body);
    expect(firstTry.headers.get("idempotent-replayed")).to.equal(null);
    expect(retry.headers.get("idempotent-replayed")).to.equal("true");
    expect(unit.requests).to.have.length(1);

    expect((await post("order-2")).body.data.appointmentId, "another key runs again").to.equal("a-2");
    expect(unit.requests).to.have.length(2);
  });

  it("makes a retry that arrives while the first is in flight wait for the same outcome", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(() => undefined);
    const bridge = await startBridge(gw);
    const post = () => api(bridge, "POST", "/v1/units/U-1/requests", { body: CREATE, headers: { "idempotency-key": "order-9" } });

    const firstTry = post();
    const [held] = await unit.receivedRequests(1);
    const retry = post();
    await eventually(async () => bridge.app.idempotency.waiting === 1);
    unit.held.get(held?.id ?? "")?.(created());

    const [a, b] = await Promise.all([firstTry, retry]);
    expect(a.status).to.equal(200);
    expect(b.body).to.deep.equal(a.body);
    expect(b.headers.get("idempotent-replayed")).to.equal("true");
    expect(unit.requests).to.have.length(1);
    expect(bridge.app.idempotency.waiting).to.equal(0);
  });

  it("keeps outcomes after which the request may have reached the unit (TIMEOUT), and replays them", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(() => undefined);
    const bridge = await startBridge(gw);
    const post = () => api(bridge, "POST", "/v1/units/U-1/requests", { body: { ...CREATE, timeoutMs: 100 }, headers: { "idempotency-key": "order-t" } });

    expect((await post()).status).to.equal(504);
    const retry = await post();
    expect(retry.status).to.equal(504);
    expect(retry.headers.get("idempotent-replayed")).to.equal("true");
    expect(unit.requests).to.have.length(1);
  });

  it("does not keep refusals that reached no unit: a retry after UNIT_OFFLINE runs once the unit is online", async () => {
    const gw = await startGateway();
    const bridge = await startBridge(gw);
    const post = () => api(bridge, "POST", "/v1/units/U-1/requests", { body: CREATE, headers: { "idempotency-key": "order-o" } });

    expect((await post()).status).to.equal(404);
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(created);
    const retry = await post();
    expect(retry.status).to.equal(200);
    expect(retry.headers.get("idempotent-replayed")).to.equal(null);
    expect((await post()).headers.get("idempotent-replayed")).to.equal("true");
    expect(unit.requests).to.have.length(1);
  });

  it("refuses the same key for a different request with 422; keys are per caller", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(created);
    const bridge = await startBridge(gw);
    const headers = { "idempotency-key": "order-x" };

    expect((await api(bridge, "POST", "/v1/units/U-1/requests", { body: CREATE, headers })).status).to.equal(200);
    const otherBody = await api(bridge, "POST", "/v1/units/U-1/requests", { body: { ...CREATE, payload: { ...SLOT, patientRef: "p-10" } }, headers });
    expect(otherBody.status).to.equal(422);
    expect(otherBody.body.error.code).to.equal(BridgeErrorCode.IDEMPOTENCY_KEY_REUSED);
    expect((await api(bridge, "POST", "/v1/units/U-2/requests", { body: CREATE, headers })).status, "another unit").to.equal(422);
    expect((await api(bridge, "POST", "/v1/units/U-1/events", { body: { type: "appointment.cancelled", payload: { appointmentId: "a", cancelledAt: SLOT.start } }, headers })).status).to.equal(422);

    const otherCaller = await api(bridge, "POST", "/v1/units/U-1/requests", { body: CREATE, headers, token: apiToken("another-gateway") });
    expect(otherCaller.status).to.equal(200);
    expect(otherCaller.headers.get("idempotent-replayed")).to.equal(null);
    expect(unit.requests).to.have.length(2);
  });

  it("replays a publish: the event reaches the unit once", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const bridge = await startBridge(gw);
    const body = { type: "appointment.cancelled", payload: { appointmentId: "a-1", cancelledAt: SLOT.start } };
    const post = (requestId: string) => api(bridge, "POST", "/v1/units/U-1/events", { body, headers: { "idempotency-key": "cancel-a-1", "x-request-id": requestId } });

    const a = await post("first-try");
    const b = await post("second-try");

    expect(b.body).to.deep.equal(a.body);
    expect(b.body.data.id, "the replay carries the first publish id").to.equal("first-try");
    expect(b.headers.get("x-request-id"), "the retry's own request id is echoed").to.equal("second-try");
    await unit.receivedEvents(1);
    expect((await api(bridge, "POST", "/v1/units/U-1/events", { body, headers: { "idempotency-key": "cancel-a-1-bis" } })).status).to.equal(202);
    const events = await unit.receivedEvents(2);
    expect(events.map((e) => e.publishId)).to.deep.equal(["first-try", events[1]?.publishId]);
    expect(events).to.have.length(2);
  });

  it("refuses a malformed Idempotency-Key with 400", async () => {
    const gw = await startGateway();
    const bridge = await startBridge(gw);
    const res = await api(bridge, "POST", "/v1/units/U-1/requests", { body: CREATE, headers: { "idempotency-key": "x".repeat(129) } });
    expect(res.status).to.equal(400);
    expect(res.body.error.details.issues).to.deep.equal([{ path: "headers.idempotency-key", rule: "string.pattern.base" }]);
  });
});

describe("IdempotencyStore bounds", () => {
  it("forgets a kept outcome after its window", async () => {
    let now = 1_000_000;
    const store = new IdempotencyStore({ ttlMs: 60_000, maxKeys: 10, now: () => now });
    first(store.admit("k", "f")).finish(okOutcome({ n: 1 }), true);
    now += 59_999;
    expect(store.admit("k", "f").kind).to.equal("replay");
    now += 1;
    expect(store.size).to.equal(0);
    expect(store.admit("k", "f").kind).to.equal("first");
  });

  it("holds at most maxKeys: the oldest kept outcome makes room; keys in flight are never dropped", async () => {
    const store = new IdempotencyStore({ ttlMs: 60_000, maxKeys: 2, now: () => 0 });
    const inFlight = first(store.admit("a", "f"));
    first(store.admit("b", "f")).finish(okOutcome(1), true);
    first(store.admit("c", "f")).finish(okOutcome(2), true);
    expect(store.size).to.equal(2);
    expect(store.admit("b", "f").kind, "b made room for c").to.equal("first");
    expect(store.admit("a", "f").kind, "a, in flight, is kept").to.equal("replay");

    const full = new IdempotencyStore({ ttlMs: 60_000, maxKeys: 1, now: () => 0 });
    first(full.admit("x", "f"));
    expect(full.admit("y", "f").kind).to.equal("full");
    inFlight.finish(okOutcome(0), true);
  });

  it("hands an outcome that is not kept to those waiting, then forgets the key", async () => {
    const store = new IdempotencyStore({ ttlMs: 60_000, maxKeys: 10 });
    const run = first(store.admit("k", "f"));
    const waiting = store.admit("k", "f");
    expect(store.waiting).to.equal(1);
    run.finish(errorOutcome(ErrorCode.UNIT_OFFLINE), false);
    if (waiting.kind !== "replay") throw new Error("expected a replay");
    expect((await waiting.outcome).status).to.equal(404);
    expect(store.waiting).to.equal(0);
    expect(store.admit("k", "f").kind).to.equal("first");
    expect(store.admit("k", "other").kind).to.equal("mismatch");
  });
});
