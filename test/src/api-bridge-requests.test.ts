/**
 * API Bridge: POST /v1/units/{unitId}/requests against a real gateway and real units, and every
 * error mapping (validation 400, forbidden 403, UNIT_OFFLINE 404, UNIT_ERROR/UNIT_DISCONNECTED 502,
 * TIMEOUT 504, limits 429, shutting down 503).
 */
import { expect } from "chai";
import { ConnectErrorCode, ErrorCode, ClientErrorCode } from "@care-gateway/shared";
import { BridgeErrorCode, HTTP_ERROR_CODES, statusOf } from "@care-gateway/bridge";
import { fakeUnit } from "./helpers/fake-unit.js";
import { registerTeardown } from "./helpers/teardown.js";
import { startGateway } from "./helpers/test-gateway.js";
import { bridgeToken, token } from "./helpers/tokens.js";
import { SLOT, api, apiToken, startBridge } from "./api-bridge-fixtures.js";
import { adminClient, deferred, unitClient } from "./sdk-fixtures.js";

const PING = { type: "unit.ping", payload: {} };

describe("API Bridge: requests to units", () => {
  it("answers 200 with the unit's typed result, extra result fields included", async () => {
    const gw = await startGateway();
    const unit = unitClient(gw, "U-1");
    unit.handle("appointment.create", (payload) => ({ appointmentId: `a-${payload.patientRef}`, status: "booked", room: "3" }) as { appointmentId: string; status: string });
    await unit.connect();
    const bridge = await startBridge(gw);

    const res = await api(bridge, "POST", "/v1/units/U-1/requests", { body: { type: "appointment.create", payload: SLOT, timeoutMs: 5000 } });

    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.match(/^application\/json/);
    expect(res.body).to.deep.equal({ ok: true, data: { appointmentId: "a-p-9", status: "booked", room: "3" } });
  });

  it("refuses what does not match the schemas with 400 VALIDATION_FAILED or UNKNOWN_TYPE, naming paths and rules, and the unit hears nothing", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const bridge = await startBridge(gw);
    const post = (body: unknown, path = "/v1/units/U-1/requests") => api(bridge, "POST", path, { body });

    const missing = await post({ type: "appointment.create", payload: { start: SLOT.start, end: SLOT.end } });
    expect(missing.status).to.equal(400);
    expect(missing.body.error).to.deep.include({ code: ErrorCode.VALIDATION_FAILED });
    expect(missing.body.error.details.issues).to.deep.include({ path: "payload.patientRef", rule: "any.required" });

    const unknownField = await post({ type: "appointment.create", payload: { ...SLOT, diagnosis: "never sent to a clinic" } });
    expect(unknownField.status).to.equal(400);
    expect(unknownField.body.error.details.issues).to.deep.include({ path: "payload.diagnosis", rule: "object.unknown" });
    expect(unknownField.text, "values are never echoed").not.to.include("never sent to a clinic");

    const unknownType = await post({ type: "lab.order", payload: {} });
    expect(unknownType.status).to.equal(400);
    expect(unknownType.body.error.code).to.equal(ErrorCode.UNKNOWN_TYPE);

    const noType = await post({ payload: {} });
    expect(noType.status).to.equal(400);
    expect(noType.body.error.details.issues).to.deep.include({ path: "type", rule: "required" });

    const extraField = await post({ ...PING, priority: "high" });
    expect(extraField.body.error.details.issues).to.deep.include({ path: "priority", rule: "additionalProperties" });

    const badTimeout = await post({ ...PING, timeoutMs: 2.5 });
    expect(badTimeout.status).to.equal(400);
    expect(badTimeout.body.error.details.issues).to.deep.include({ path: "timeoutMs", rule: "type" });

    const badUnit = await post(PING, "/v1/units/no%20spaces/requests");
    expect(badUnit.status).to.equal(400);
    expect(badUnit.body.error.details.issues).to.deep.include({ path: "params.unitId", rule: "pattern" });

    const malformed = await api(bridge, "POST", "/v1/units/U-1/requests", { raw: "{not json", headers: { "content-type": "application/json" } });
    expect(malformed.status).to.equal(400);
    expect(malformed.body.error.code).to.equal(ErrorCode.VALIDATION_FAILED);

    const text = await api(bridge, "POST", "/v1/units/U-1/requests", { raw: "ping", headers: { "content-type": "text/plain" } });
    expect(text.status).to.equal(415);
    expect(text.body.error.code).to.equal(BridgeErrorCode.UNSUPPORTED_MEDIA_TYPE);

    expect(unit.requests).to.have.length(0);
  });

  it("answers 403 FORBIDDEN when the gateway refuses the bridge's scope, or the caller's token scope does not allow the type", async () => {
    const gw = await startGateway();
    await fakeUnit(gw.url, "U-1");
    const bridge = await startBridge(gw, { env: { BRIDGE_TOKEN: token({ sub: "api-bridge", role: "bridge", scope: "request:unit.*" }) } });

    const refused = await api(bridge, "POST", "/v1/units/U-1/requests", { body: { type: "appointment.create", payload: SLOT } });
    expect(refused.status).to.equal(403);
    expect(refused.body).to.deep.equal({ ok: false, error: { code: ErrorCode.FORBIDDEN, message: refused.body.error.message } });
    expect((await api(bridge, "POST", "/v1/units/U-1/requests", { body: PING })).status).to.equal(200);

    const narrow = apiToken("reporting", { scope: "units:read request:unit.info" });
    const denied = await api(bridge, "POST", "/v1/units/U-1/requests", { body: PING, token: narrow });
    expect(denied.status).to.equal(403);
    expect(denied.body.error.code).to.equal(ErrorCode.FORBIDDEN);
  });

  it("answers 404 UNIT_OFFLINE for a unit with no live connection", async () => {
    const gw = await startGateway();
    const bridge = await startBridge(gw);

    const res = await api(bridge, "POST", "/v1/units/U-nowhere/requests", { body: PING });

    expect(res.status).to.equal(404);
    expect(res.body.error.code).to.equal(ErrorCode.UNIT_OFFLINE);
  });

  it("answers 502 UNIT_ERROR with the unit's own code in details", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(() => ({ ok: false, error: { code: "SLOT_TAKEN", message: "slot taken" } }));
    const bridge = await startBridge(gw);

    const res = await api(bridge, "POST", "/v1/units/U-1/requests", { body: { type: "appointment.create", payload: SLOT } });

    expect(res.status).to.equal(502);
    expect(res.body.error.code).to.equal(ErrorCode.UNIT_ERROR);
    expect(res.body.error.details).to.deep.equal({ code: "SLOT_TAKEN", message: "slot taken" });
  });

  it("answers 502 UNIT_DISCONNECTED when the unit drops while the request is in flight", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(() => undefined);
    const bridge = await startBridge(gw);
    const admin = adminClient(gw);
    await admin.connect();

    const pending = api(bridge, "POST", "/v1/units/U-1/requests", { body: PING });
    await unit.receivedRequests(1);
    await admin.disconnectUnit("U-1", "test");
    const res = await pending;

    expect(res.status).to.equal(502);
    expect(res.body.error.code).to.equal(ErrorCode.UNIT_DISCONNECTED);
  });

  it("answers 504 TIMEOUT when the unit does not answer by timeoutMs", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(() => undefined);
    const bridge = await startBridge(gw);

    const res = await api(bridge, "POST", "/v1/units/U-1/requests", { body: { ...PING, timeoutMs: 100 } });

    expect(res.status).to.equal(504);
    expect(res.body.error.code).to.equal(ErrorCode.TIMEOUT);
    expect(gw.gateway.pendingRequests()).to.equal(0);
  });

  it("answers 429 OVERLOADED beyond the gateway's in-flight cap for the bridge, with Retry-After", async () => {
    const gw = await startGateway({ BRIDGE_MAX_IN_FLIGHT: "1" });
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(() => undefined);
    const bridge = await startBridge(gw);

    const first = api(bridge, "POST", "/v1/units/U-1/requests", { body: PING });
    const [held] = await unit.receivedRequests(1);
    const second = await api(bridge, "POST", "/v1/units/U-1/requests", { body: PING });
    expect(second.status).to.equal(429);
    expect(second.body.error.code).to.equal(ErrorCode.OVERLOADED);
    expect(second.headers.get("retry-after")).to.equal("1");

    unit.held.get(held?.id ?? "")?.({ ok: true, data: { at: new Date().toISOString() } });
    expect((await first).status).to.equal(200);
  });

  it("answers 429 RATE_LIMITED beyond the gateway's request rate for the bridge", async () => {
    const gw = await startGateway({ BRIDGE_REQUESTS_PER_S: "2" });
    await fakeUnit(gw.url, "U-1");
    const bridge = await startBridge(gw);

    const replies = await Promise.all(Array.from({ length: 10 }, () => api(bridge, "POST", "/v1/units/U-1/requests", { body: PING })));

    const limited = replies.filter((r) => r.status === 429);
    expect(limited.length).to.be.at.least(5);
    for (const r of limited) expect(r.body.error.code).to.equal(ErrorCode.RATE_LIMITED);
    expect(replies.filter((r) => r.status === 200).length).to.be.at.least(1);
  });

  it("answers 503 SHUTTING_DOWN to a request still waiting on the gateway when the bridge stops", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(() => undefined);
    const bridge = await startBridge(gw, { env: { BRIDGE_SHUTDOWN_GRACE_MS: "0" } });

    const pending = api(bridge, "POST", "/v1/units/U-1/requests", { body: PING });
    await unit.receivedRequests(1);
    const stopped = bridge.app.stop();
    const res = await pending;
    await stopped;

    expect(res.status).to.equal(503);
    expect(res.body.error.code).to.equal(ErrorCode.SHUTTING_DOWN);
  });

  it("lets requests in flight finish within the shutdown grace", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(() => undefined);
    const bridge = await startBridge(gw, { env: { BRIDGE_SHUTDOWN_GRACE_MS: "30000" } });
    const release = deferred<void>();
    registerTeardown(() => release.resolve());

    const pending = api(bridge, "POST", "/v1/units/U-1/requests", { body: PING });
    const [held] = await unit.receivedRequests(1);
    const stopped = bridge.app.stop();
    expect(bridge.app.readiness()).to.deep.equal({ ready: false, reason: ErrorCode.SHUTTING_DOWN });
    unit.held.get(held?.id ?? "")?.({ ok: true, data: { at: new Date().toISOString() } });

    expect((await pending).status).to.equal(200);
    await stopped;
  });

  it("maps every code it can answer to one documented status", () => {
    const expected: Record<string, number> = {
      [ErrorCode.VALIDATION_FAILED]: 400,
      [ErrorCode.UNKNOWN_TYPE]: 400,
      [ErrorCode.FORBIDDEN]: 403,
      [ErrorCode.UNIT_OFFLINE]: 404,
      [ErrorCode.UNIT_DISCONNECTED]: 502,
      [ErrorCode.UNIT_ERROR]: 502,
      [ErrorCode.TIMEOUT]: 504,
      [ErrorCode.RATE_LIMITED]: 429,
      [ErrorCode.OVERLOADED]: 429,
      [ErrorCode.SHUTTING_DOWN]: 503,
      [ErrorCode.INTERNAL]: 500,
      [ConnectErrorCode.AUTH_REQUIRED]: 401,
      [ConnectErrorCode.AUTH_INVALID]: 401,
      [ConnectErrorCode.AUTH_EXPIRED]: 401,
      [ConnectErrorCode.AUTH_FORBIDDEN]: 403,
      [ClientErrorCode.NOT_CONNECTED]: 503,
      [ClientErrorCode.CONNECTION_LOST]: 503,
      [BridgeErrorCode.NOT_FOUND]: 404,
      [BridgeErrorCode.UNSUPPORTED_MEDIA_TYPE]: 415,
      [BridgeErrorCode.PAYLOAD_TOO_LARGE]: 413,
      [BridgeErrorCode.IDEMPOTENCY_KEY_REUSED]: 422,
    };
    expect([...HTTP_ERROR_CODES].sort()).to.deep.equal(Object.keys(expected).sort());
    for (const code of HTTP_ERROR_CODES) expect(statusOf(code).status, code).to.equal(expected[code]);
    expect(statusOf(ErrorCode.INTERNAL, "gateway").status, "the gateway's INTERNAL is a bad gateway").to.equal(502);
  });

  it("answers 413 PAYLOAD_TOO_LARGE above the body limit", async () => {
    const gw = await startGateway();
    const bridge = await startBridge(gw, { env: { BRIDGE_BODY_LIMIT_BYTES: "1024" } });

    const res = await api(bridge, "POST", "/v1/units/U-1/requests", { body: { type: "appointment.create", payload: { ...SLOT, reason: "x".repeat(2000) } } });

    expect(res.status).to.equal(413);
    expect(res.body.error.code).to.equal(BridgeErrorCode.PAYLOAD_TOO_LARGE);
  });

  it("uses the bridge's own token on /bridge: its sub is what the unit sees as `from`", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const bridge = await startBridge(gw, { env: { BRIDGE_TOKEN: bridgeToken("bridge-7") } });

    expect((await api(bridge, "POST", "/v1/units/U-1/requests", { body: PING })).status).to.equal(200);
    expect(unit.requests[0]?.from).to.deep.equal({ role: "bridge", sub: "bridge-7" });
  });
});
