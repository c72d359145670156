/** The scope claim restricts which request types a caller may send and which event types the bridge may publish. */
import { expect } from "chai";
import { ErrorCode, Namespace, type PublishReply, type RequestReply } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { ask, connect } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { token } from "./helpers/tokens.js";

const appointment = { patientRef: "P-1", start: "2026-12-01T09:00:00Z", end: "2026-12-01T09:15:00Z" };
const payment = { paymentId: "PM-1", referenceId: "INV-1", amount: { value: 1250, currency: "EUR" }, at: "2026-12-01T09:00:00Z" };
const cancelled = { appointmentId: "A-1", cancelledAt: "2026-12-01T09:00:00Z" };

describe("security: scopes", () => {
  it("lets a portal send only the request types its scope names", async () => {
    const gw = await startGateway();
    await fakeUnit(gw.url, "U-1");
    const portal = await connect(gw.url, Namespace.portal, token({ sub: "clerk", role: "portal", units: ["U-1"], scope: "request:unit.* request:registration.create" }));
    expect((await ask<RequestReply>(portal, "request", { unitId: "U-1", type: "unit.ping", payload: {} })).ok).to.equal(true);
    const denied = await ask<RequestReply>(portal, "request", { unitId: "U-1", type: "appointment.create", payload: appointment });
    expect(!denied.ok && denied.error.code).to.equal(ErrorCode.FORBIDDEN);
  });

  it("lets a bridge publish only the event types its scope names", async () => {
    const gw = await startGateway();
    await fakeUnit(gw.url, "U-1");
    const bridge = await connect(gw.url, Namespace.bridge, token({ sub: "payments-bridge", role: "bridge", scope: "publish:payment.* request:unit.ping" }));
    const ok = await ask<PublishReply>(bridge, "publish", { target: { unitId: "U-1" }, type: "payment.completed", payload: payment });
    expect(ok.ok).to.equal(true);
    const denied = await ask<PublishReply>(bridge, "publish", { target: { unitId: "U-1" }, type: "appointment.cancelled", payload: cancelled });
    expect(!denied.ok && denied.error.code).to.equal(ErrorCode.FORBIDDEN);
  });

  it("gives the role's defaults when the claim is absent", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(() => ({ ok: true, data: { appointmentId: "A-1", status: "booked" } }));
    const bridge = await connect(gw.url, Namespace.bridge, token({ sub: "bridge", role: "bridge" }));
    expect((await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "appointment.create", payload: appointment })).ok).to.equal(true);
    expect((await ask<PublishReply>(bridge, "publish", { target: { unitId: "U-1" }, type: "appointment.cancelled", payload: cancelled })).ok).to.equal(true);
  });
});
