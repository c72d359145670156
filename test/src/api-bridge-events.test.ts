/**
 * API Bridge: POST /v1/units/{unitId}/events and POST /v1/events (a list, or all) against a real
 * gateway and real units; the publish result; validation; delivery receipts.
 */
import { expect } from "chai";
import { ErrorCode } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { startGateway } from "./helpers/test-gateway.js";
import { token } from "./helpers/tokens.js";
import { APPOINTMENT_CREATED, api, apiToken, startBridge } from "./api-bridge-fixtures.js";
import { deferred, unitClient } from "./sdk-fixtures.js";

const payment = { paymentId: "PM-1", referenceId: "INV-1", amount: { value: 1250, currency: "EUR" }, at: "2026-12-01T09:00:00Z" };

describe("API Bridge: events to units", () => {
  it("publishes to one unit: 202 with the publish result, and the SDK unit's handler gets the event", async () => {
    const gw = await startGateway();
    const unit = unitClient(gw, "U-1");
    const received = deferred<unknown>();
    unit.on("appointment.created", (payload) => received.resolve(payload));
    await unit.connect();
    const bridge = await startBridge(gw);

    const res = await api(bridge, "POST", "/v1/units/U-1/events", { body: { type: "appointment.created", payload: APPOINTMENT_CREATED }, headers: { "x-request-id": "pub-77" } });

    expect(res.status).to.equal(202);
    expect(res.body).to.deep.equal({ ok: true, data: { id: "pub-77", delivered: 1, queued: 0 } });
    expect(await received.promise).to.deep.equal(APPOINTMENT_CREATED);
  });

  it("queues an event for an offline unit and delivers it when the unit connects", async () => {
    const gw = await startGateway();
    const bridge = await startBridge(gw);

    const res = await api(bridge, "POST", "/v1/units/U-9/events", { body: { type: "payment.completed", payload: payment } });
    expect(res.status).to.equal(202);
    expect(res.body.data).to.deep.include({ delivered: 0, queued: 1 });

    const unit = await fakeUnit(gw.url, "U-9");
    const [event] = await unit.receivedEvents(1);
    expect(event).to.deep.include({ type: "payment.completed", publishId: res.body.data.id });
  });

  it("publishes to a list of units and to all of them through POST /v1/events", async () => {
    const gw = await startGateway();
    const a = await fakeUnit(gw.url, "U-A");
    const b = await fakeUnit(gw.url, "U-B");
    const bridge = await startBridge(gw);

    const list = await api(bridge, "POST", "/v1/events", { body: { target: { unitIds: ["U-A", "U-C"] }, type: "payment.completed", payload: payment } });
    expect(list.status).to.equal(202);
    expect(list.body.data).to.deep.include({ delivered: 1, queued: 1 });
    await a.receivedEvents(1);

    const all = await api(bridge, "POST", "/v1/events", { body: { target: { all: true }, type: "payment.failed", payload: { paymentId: "PM-2", referenceId: "INV-2", reason: "declined", at: payment.at } } });
    expect(all.status).to.equal(202);
    // U-A and U-B online; U-C known through the earlier publish.
    expect(all.body.data).to.deep.include({ delivered: 2, queued: 1 });
    expect((await a.receivedEvents(2)).map((e) => e.type)).to.deep.equal(["payment.completed", "payment.failed"]);
    expect((await b.receivedEvents(1)).map((e) => e.type)).to.deep.equal(["payment.failed"]);
  });

  it("refuses an invalid event with 400 before it leaves the bridge", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const bridge = await startBridge(gw);

    const strict = await api(bridge, "POST", "/v1/units/U-1/events", { body: { type: "payment.completed", payload: { ...payment, note: "free text" } } });
    expect(strict.status).to.equal(400);
    expect(strict.body.error.details.issues).to.deep.include({ path: "payload.note", rule: "object.unknown" });

    const unknown = await api(bridge, "POST", "/v1/units/U-1/events", { body: { type: "unit.ping", payload: {} } });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error.code).to.equal(ErrorCode.UNKNOWN_TYPE);

    const badTarget = await api(bridge, "POST", "/v1/events", { body: { target: { unitIds: [] }, type: "payment.completed", payload: payment } });
    expect(badTarget.status).to.equal(400);
    expect(badTarget.body.error.code).to.equal(ErrorCode.VALIDATION_FAILED);

    const both = await api(bridge, "POST", "/v1/events", { body: { target: { all: true, unitId: "U-1" }, type: "payment.completed", payload: payment } });
    expect(both.status).to.equal(400);

    expect(unit.events).to.have.length(0);
  });

  it("waits for the delivery receipts when asked, for the units the event was delivered to", async () => {
    const gw = await startGateway();
    const online = await fakeUnit(gw.url, "U-1");
    const bridge = await startBridge(gw);
    const res = await api(bridge, "POST", "/v1/events", { body: { target: { unitIds: ["U-1", "U-2"] }, type: "payment.completed", payload: payment, receipt: true } });
    expect(res.status).to.equal(202);
    const [event] = await online.receivedEvents(1);
    expect(res.body.data).to.deep.include({ delivered: 1, queued: 1, receiptsPending: 0 });
    expect(res.body.data.receipts).to.deep.equal([{ unitId: "U-1", eventId: event?.id, at: res.body.data.receipts[0]?.at }]);
    expect(res.body.data.receipts[0]?.at).to.be.a("number");
  });

  it("answers with the receipts that arrived when the timeout passes, and counts the others pending", async () => {
    const gw = await startGateway();
    const slow = await fakeUnit(gw.url, "U-1");
    slow.socket.off("event");
    slow.socket.on("event", () => undefined); // receives, never acknowledges
    const bridge = await startBridge(gw);
    const res = await api(bridge, "POST", "/v1/units/U-1/events", { body: { type: "payment.completed", payload: payment, receipt: true, receiptTimeoutMs: 200 } });
    expect(res.status).to.equal(202);
    expect(res.body.data).to.deep.include({ delivered: 1, queued: 0, receipts: [], receiptsPending: 1 });
  });

  it("answers 403 when the bridge's token may not publish the type, or the caller's scope does not allow it", async () => {
    const gw = await startGateway();
    await fakeUnit(gw.url, "U-1");
    const bridge = await startBridge(gw, { env: { BRIDGE_TOKEN: token({ sub: "api-bridge", role: "bridge", scope: "request:* publish:appointment.*" }) } });

    const refused = await api(bridge, "POST", "/v1/units/U-1/events", { body: { type: "payment.completed", payload: payment } });
    expect(refused.status).to.equal(403);
    expect(refused.body.error.code).to.equal(ErrorCode.FORBIDDEN);

    const narrow = apiToken("scheduler", { scope: "publish:appointment.*" });
    expect((await api(bridge, "POST", "/v1/units/U-1/events", { body: { type: "appointment.created", payload: APPOINTMENT_CREATED }, token: narrow })).status).to.equal(202);
    const denied = await api(bridge, "POST", "/v1/events", { body: { target: { all: true }, type: "payment.completed", payload: payment }, token: narrow });
    expect(denied.status).to.equal(403);
  });
});
