/** The request path: each outcome ends a request exactly once, and the registry is empty afterwards. */
import { expect } from "chai";
import { ErrorCode, Namespace, type RequestReply, type UnitAnswer } from "@care-gateway/shared";
import { correlationId } from "@care-gateway/shared/schemas";
import { fakeUnit } from "./helpers/fake-unit.js";
import { holdRequest } from "./helpers/held-request.js";
import { ask, connect } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { bridgeToken } from "./helpers/tokens.js";

const appointment = { patientRef: "P-1", start: "2026-12-01T09:00:00Z", end: "2026-12-01T09:15:00Z" };

describe("routing: requests to a unit", () => {
  it("delivers a request to the unit and its answer to the caller, with the correlation id", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(() => ({ ok: true, data: { appointmentId: "A-9", status: "booked", extra: "kept" } }));
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const reply = await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "appointment.create", payload: appointment, id: "req-42" });
    expect(reply).to.deep.equal({ ok: true, id: "req-42", data: { appointmentId: "A-9", status: "booked", extra: "kept" } });
    const [received] = unit.requests;
    expect(received).to.include({ id: "req-42", type: "appointment.create" });
    expect(received?.from).to.deep.equal({ role: "bridge", sub: "api-bridge" });
    expect(received?.payload).to.deep.equal(appointment);
    expect(received?.deadline).to.be.a("number").greaterThan(Date.now());
    expect(gw.gateway.pendingRequests()).to.equal(0);
  });

  it("makes an id when the caller brings none: a new one each time, the one the unit saw, valid as a caller's own", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {} }));
    const ids = replies.map((reply) => reply.id);
    expect(replies.every((reply) => reply.ok)).to.equal(true);
    expect(new Set(ids).size).to.equal(3);
    expect(unit.requests.map((request) => request.id)).to.deep.equal(ids);
    for (const id of ids) {
      expect(id).to.be.a("string").with.length.greaterThan(12);
      expect(correlationId.validate(id).error).to.equal(undefined);
    }
  });

  it("answers UNIT_OFFLINE at once for a unit with no connection", async () => {
    const gw = await startGateway();
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const reply = await ask<RequestReply>(bridge, "request", { unitId: "U-404", type: "unit.ping", payload: {}, timeoutMs: 60_000 });
    expect(reply).to.deep.include({ ok: false });
    expect(!reply.ok && reply.error.code).to.equal(ErrorCode.UNIT_OFFLINE);
  });

  it("answers UNIT_DISCONNECTED as soon as the unit drops mid-request", async () => {
    const gw = await startGateway();
    const held = await holdRequest(gw.url);
    held.unit.socket.disconnect();
    const reply = await held.reply;
    expect(!reply.ok && reply.error.code).to.equal(ErrorCode.UNIT_DISCONNECTED);
    expect(gw.gateway.pendingRequests()).to.equal(0);
  });

  it("answers TIMEOUT at the deadline; a late answer is dropped and counted, never delivered", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(() => undefined);
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const replies: RequestReply[] = [];
    const reply = await new Promise<RequestReply>((resolve) => {
      bridge.emit("request", { unitId: "U-1", type: "unit.ping", payload: {}, timeoutMs: 100 }, (r: RequestReply) => {
        replies.push(r);
        resolve(r);
      });
    });
    expect(!reply.ok && reply.error.code).to.equal(ErrorCode.TIMEOUT);
    const [request] = await unit.receivedRequests(1);
    unit.held.get(request?.id ?? "")?.({ ok: true, data: { at: new Date().toISOString() } });
    // A round trip on the same connections proves the late answer has been processed.
    unit.answer(() => ({ ok: true, data: { at: new Date().toISOString() } }));
    await ask(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {} });
    await ask(unit.socket, "event", { type: "registration.updated", payload: { registrationId: "R", patientRef: "P", status: "s", at: "2026-01-01T00:00:00Z" } });
    expect(replies).to.have.length(1);
    const late = await gw.gateway.metrics.registry.getSingleMetricAsString("care_gateway_late_answers_total");
    expect(late).to.match(/ 1$/m);
    expect(gw.gateway.pendingRequests()).to.equal(0);
  });

  it("caps timeoutMs at REQUEST_TIMEOUT_MAX_MS", async () => {
    const gw = await startGateway({ REQUEST_TIMEOUT_MS: "100", REQUEST_TIMEOUT_MAX_MS: "200" });
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(() => undefined);
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const before = Date.now();
    const reply = await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {}, timeoutMs: 3_600_000 });
    expect(!reply.ok && reply.error.code).to.equal(ErrorCode.TIMEOUT);
    expect(unit.requests[0]?.deadline).to.be.at.most(before + 200 + 50);
  });

  it("turns a unit's error into UNIT_ERROR with the unit's code in details", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(() => ({ ok: false, error: { code: "SLOT_TAKEN", message: "slot taken" } }));
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const reply = await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "appointment.create", payload: appointment });
    expect(reply.ok).to.equal(false);
    if (!reply.ok) {
      expect(reply.error.code).to.equal(ErrorCode.UNIT_ERROR);
      expect(reply.error.details).to.deep.include({ code: "SLOT_TAKEN" });
    }
  });

  it("turns a result missing a required field, or a malformed answer, into UNIT_ERROR", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const answers: unknown[] = [{ ok: true, data: { status: "booked" } }, "yes", { ok: "maybe" }, null, { ok: true }];
    for (const answer of answers) {
      unit.answer(() => answer as UnitAnswer);
      const reply = await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "appointment.create", payload: appointment });
      expect(!reply.ok && reply.error.code, JSON.stringify(answer)).to.equal(ErrorCode.UNIT_ERROR);
    }
  });

  it("survives a unit that acks a request with nothing, answering UNIT_ERROR", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    unit.socket.off("request");
    unit.socket.on("request", (_request: unknown, ack: () => void) => ack());
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const reply = await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {} });
    expect(!reply.ok && reply.error.code).to.equal(ErrorCode.UNIT_ERROR);
    expect((await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {} })).ok).to.equal(false);
    expect(gw.gateway.pendingRequests()).to.equal(0);
  });

  it("refuses payloads that break the catalogue before they reach the unit", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const unknown = await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "lab.order", payload: {} });
    expect(!unknown.ok && unknown.error.code).to.equal(ErrorCode.UNKNOWN_TYPE);
    const extra = await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "appointment.create", payload: { ...appointment, notes: "x" } });
    expect(!extra.ok && extra.error.code).to.equal(ErrorCode.VALIDATION_FAILED);
    const missing = await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "payment.create", payload: { referenceId: "R-1" } });
    expect(!missing.ok && missing.error.code).to.equal(ErrorCode.VALIDATION_FAILED);
    const badAmount = await ask<RequestReply>(bridge, "request", {
      unitId: "U-1",
      type: "payment.create",
      payload: { referenceId: "R-1", amount: { value: 10.5, currency: "eur" } },
    });
    expect(!badAmount.ok && badAmount.error.code).to.equal(ErrorCode.VALIDATION_FAILED);
    expect(unit.requests).to.have.length(0);
  });

  it("ends requests in flight with SHUTTING_DOWN when the gateway stops", async () => {
    const gw = await startGateway();
    const held = await holdRequest(gw.url);
    const stopping = gw.gateway.stop();
    const reply = await held.reply;
    await stopping;
    expect(!reply.ok && reply.error.code).to.equal(ErrorCode.SHUTTING_DOWN);
    expect(gw.gateway.pendingRequests()).to.equal(0);
  });
});
