/** SDK request/response: PortalClient and BridgeClient requests answered by a UnitClient handler, and every typed failure. */
import { expect } from "chai";
import { ClientErrorCode, ErrorCode, GatewayError, UnitErrorCode, type RequestContext } from "@care-gateway/client-sdk";
import { registerTeardown } from "./helpers/teardown.js";
import { startGateway } from "./helpers/test-gateway.js";
import { adminClient, bridgeClient, deferred, portalClient, rejectionOf, unitClient } from "./sdk-fixtures.js";

const SLOT = { patientRef: "p-9", start: "2026-01-05T09:00:00Z", end: "2026-01-05T09:30:00Z" };

async function gatewayError(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await rejectionOf(promise);
  expect(error).to.be.instanceOf(GatewayError);
  return error as GatewayError;
}

describe("SDK requests", () => {
  it("a portal request reaches the unit's handler and resolves with its typed result", async () => {
    const gw = await startGateway();
    const unit = unitClient(gw, "u-1");
    const contexts: RequestContext[] = [];
    unit.handle("appointment.create", async (payload, ctx) => {
      contexts.push(ctx);
      return { appointmentId: `a-${payload.patientRef}`, status: "booked" };
    });
    await unit.connect();
    const portal = portalClient(gw, "nurse-1", ["u-1"]);
    await portal.connect();

    const before = Date.now();
    const result = await portal.request("u-1", "appointment.create", SLOT, { id: "req-1", timeoutMs: 5000 });

    expect(result).to.deep.equal({ appointmentId: "a-p-9", status: "booked" });
    expect(contexts).to.have.length(1);
    const ctx = contexts[0] as RequestContext;
    expect(ctx.id).to.equal("req-1");
    expect(ctx.type).to.equal("appointment.create");
    expect(ctx.from).to.deep.equal({ role: "portal", sub: "nurse-1" });
    expect(ctx.deadline).to.be.at.least(before + 5000 - 1000);
    expect(portal.connection.pendingCalls).to.equal(0);
  });

  it("a bridge request reaches any unit; extra result fields pass through", async () => {
    const gw = await startGateway();
    const unit = unitClient(gw, "u-2");
    unit.handle("unit.info", () => ({ unitId: "u-2", softwareVersion: "4.2.0", build: 77 }) as { unitId: string; softwareVersion: string });
    await unit.connect();
    const bridge = bridgeClient(gw);
    await bridge.connect();

    const info = await bridge.request("u-2", "unit.info", {});

    expect(info).to.deep.equal({ unitId: "u-2", softwareVersion: "4.2.0", build: 77 });
  });

  it("rejects with UNIT_OFFLINE, carrying the request id, when the unit has no connection", async () => {
    const gw = await startGateway();
    const bridge = bridgeClient(gw);
    await bridge.connect();

    const error = await gatewayError(bridge.request("u-nowhere", "unit.ping", {}, { id: "req-offline" }));

    expect(error.code).to.equal(ErrorCode.UNIT_OFFLINE);
    expect(error.requestId).to.equal("req-offline");
  });

  it("rejects with UNIT_ERROR carrying the unit's code when its handler throws", async () => {
    const gw = await startGateway();
    const unit = unitClient(gw, "u-3");
    unit.handle("appointment.create", () => {
      throw Object.assign(new Error("slot taken"), { code: "SLOT_TAKEN" });
    });
    unit.handle("appointment.cancel", () => {
      throw new Error("disk full");
    });
    await unit.connect();
    const bridge = bridgeClient(gw);
    await bridge.connect();

    const coded = await gatewayError(bridge.request("u-3", "appointment.create", SLOT));
    expect(coded.code).to.equal(ErrorCode.UNIT_ERROR);
    expect(coded.unitCode).to.equal("SLOT_TAKEN");
    expect(coded.details).to.deep.equal({ code: "SLOT_TAKEN", message: "slot taken" });

    const uncoded = await gatewayError(bridge.request("u-3", "appointment.cancel", { appointmentId: "a-1" }));
    expect(uncoded.code).to.equal(ErrorCode.UNIT_ERROR);
    expect(uncoded.unitCode).to.equal(UnitErrorCode.HANDLER_ERROR);

    const unhandled = await gatewayError(bridge.request("u-3", "payment.create", { referenceId: "r-1", amount: { value: 100, currency: "EUR" } }));
    expect(unhandled.code).to.equal(ErrorCode.UNIT_ERROR);
    expect(unhandled.unitCode).to.equal(ErrorCode.UNKNOWN_TYPE);
  });

  it("rejects with TIMEOUT from the gateway when the unit does not answer within timeoutMs", async () => {
    const gw = await startGateway();
    const unit = unitClient(gw, "u-4");
    const gate = deferred<void>();
    registerTeardown(() => gate.resolve());
    const started = deferred<void>();
    unit.handle("unit.ping", async () => {
      started.resolve();
      await gate.promise;
      return { at: new Date().toISOString() };
    });
    await unit.connect();
    const portal = portalClient(gw, "nurse-1", ["u-4"]);
    await portal.connect();

    const outcome = gatewayError(portal.request("u-4", "unit.ping", {}, { timeoutMs: 100 }));
    await started.promise;
    const error = await outcome;

    expect(error.code).to.equal(ErrorCode.TIMEOUT);
    expect(error.details, "the gateway's TIMEOUT, not the SDK's safety timer").to.equal(undefined);
    expect(gw.gateway.pendingRequests()).to.equal(0);
    expect(portal.connection.pendingCalls).to.equal(0);
  });

  it("rejects with UNIT_DISCONNECTED when the unit drops while the request is in flight", async () => {
    const gw = await startGateway();
    const unit = unitClient(gw, "u-5");
    const gate = deferred<void>();
    registerTeardown(() => gate.resolve());
    const started = deferred<void>();
    unit.handle("unit.ping", async () => {
      started.resolve();
      await gate.promise;
      return { at: new Date().toISOString() };
    });
    await unit.connect();
    const bridge = bridgeClient(gw);
    const admin = adminClient(gw);
    await Promise.all([bridge.connect(), admin.connect()]);

    const outcome = gatewayError(bridge.request("u-5", "unit.ping", {}));
    await started.promise;
    await admin.disconnectUnit("u-5", "test");

    expect((await outcome).code).to.equal(ErrorCode.UNIT_DISCONNECTED);
  });

  it("rejects with FORBIDDEN and VALIDATION_FAILED as the gateway answers", async () => {
    const gw = await startGateway();
    const unit = unitClient(gw, "u-6");
    unit.handle("unit.ping", () => ({ at: new Date().toISOString() }));
    await unit.connect();
    const portal = portalClient(gw, "nurse-1", ["u-6"]);
    await portal.connect();

    expect((await gatewayError(portal.request("u-7", "unit.ping", {}))).code).to.equal(ErrorCode.FORBIDDEN);
    const bad = { ...SLOT, notes: "free text" } as typeof SLOT;
    expect((await gatewayError(portal.request("u-6", "appointment.create", bad))).code).to.equal(ErrorCode.VALIDATION_FAILED);
  });

  it("rejects with NOT_CONNECTED at once when not connected, and sends nothing later", async () => {
    const gw = await startGateway();
    const unit = unitClient(gw, "u-8");
    let calls = 0;
    unit.handle("unit.ping", () => {
      calls++;
      return { at: new Date().toISOString() };
    });
    await unit.connect();
    const bridge = bridgeClient(gw);

    const error = await gatewayError(bridge.request("u-8", "unit.ping", {}));
    expect(error.code).to.equal(ClientErrorCode.NOT_CONNECTED);
    expect(bridge.connection.pendingCalls).to.equal(0);

    await bridge.connect();
    await bridge.request("u-8", "unit.ping", {});
    expect(calls, "the refused call was not buffered and sent on connect").to.equal(1);
  });

  it("rejects a pending request with CLIENT_CLOSED on close(), and later calls too", async () => {
    const gw = await startGateway();
    const unit = unitClient(gw, "u-9");
    const gate = deferred<void>();
    registerTeardown(() => gate.resolve());
    const started = deferred<void>();
    unit.handle("unit.ping", async () => {
      started.resolve();
      await gate.promise;
      return { at: new Date().toISOString() };
    });
    await unit.connect();
    const portal = portalClient(gw, "nurse-1", ["u-9"]);
    await portal.connect();

    const outcome = gatewayError(portal.request("u-9", "unit.ping", {}));
    await started.promise;
    portal.close();

    expect((await outcome).code).to.equal(ClientErrorCode.CLIENT_CLOSED);
    expect(portal.connection.pendingCalls).to.equal(0);
    expect((await gatewayError(portal.request("u-9", "unit.ping", {}))).code).to.equal(ClientErrorCode.CLIENT_CLOSED);
  });
});
