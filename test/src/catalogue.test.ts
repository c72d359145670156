/** The message catalogue: v1 types present, strict to units, lenient from units, extensible at start-up. */
import { expect } from "chai";
import Joi from "joi";
import { ErrorCode, Namespace, type RequestReply } from "@care-gateway/shared";
import { EVENT_SCHEMAS, REQUEST_SCHEMAS, createDefaultCatalogue } from "@care-gateway/shared/schemas";
import { fakeUnit } from "./helpers/fake-unit.js";
import { ask, connect } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { bridgeToken } from "./helpers/tokens.js";

declare module "@care-gateway/shared" {
  interface RequestCatalogue {
    "lab.order": { payload: { orderRef: string }; result: { accepted: boolean } };
  }
}

describe("catalogue", () => {
  it("holds every type of PROTOCOL.md v1", () => {
    expect(Object.keys(REQUEST_SCHEMAS).sort()).to.deep.equal(
      ["appointment.cancel", "appointment.create", "appointment.reschedule", "payment.create", "registration.create", "unit.info", "unit.ping"].sort(),
    );
    expect(Object.keys(EVENT_SCHEMAS).sort()).to.deep.equal(
      ["appointment.cancelled", "appointment.created", "appointment.updated", "payment.completed", "payment.failed", "registration.created", "registration.updated"].sort(),
    );
  });

  it("is strict downstream and lenient upstream", () => {
    const catalogue = createDefaultCatalogue();
    const event = { registrationId: "R-1", patientRef: "P-1", status: "waiting", at: "2026-12-01T09:00:00Z" };
    expect(catalogue.checkEventPayload("registration.created", { ...event, extra: 1 }, "downstream").ok).to.equal(false);
    expect(catalogue.checkEventPayload("registration.created", { ...event, extra: 1 }, "upstream").ok).to.equal(true);
    expect(catalogue.checkRequestResult("unit.info", { unitId: "U-1", softwareVersion: "2.1", build: 7 }).ok).to.equal(true);
    expect(catalogue.checkRequestResult("unit.info", { unitId: "U-1" }).ok).to.equal(false);
    expect(catalogue.checkRequestPayload("unit.ping", { x: 1 }).ok).to.equal(false);
    expect(catalogue.checkRequestPayload("payment.create", { referenceId: "R", amount: { value: 100, currency: "EUR" } }).ok).to.equal(true);
    expect(catalogue.checkRequestPayload("payment.create", { referenceId: "R", amount: { value: "100", currency: "EUR" } }).ok).to.equal(false);
  });

  it("takes a deployment's own request type registered at start-up", async () => {
    const catalogue = createDefaultCatalogue().defineRequest("lab.order", {
      payload: Joi.object({ orderRef: Joi.string().required() }),
      result: Joi.object({ accepted: Joi.boolean().required() }),
    });
    const gw = await startGateway({}, { catalogue });
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(() => ({ ok: true, data: { accepted: true } }));
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const reply = await ask<RequestReply<"lab.order">>(bridge, "request", { unitId: "U-1", type: "lab.order", payload: { orderRef: "O-1" } });
    expect(reply).to.deep.include({ ok: true, data: { accepted: true } });
    const plain = await startGateway();
    const bridge2 = await connect(plain.url, Namespace.bridge, bridgeToken());
    const unknown = await ask<RequestReply>(bridge2, "request", { unitId: "U-1", type: "lab.order", payload: { orderRef: "O-1" } });
    expect(!unknown.ok && unknown.error.code).to.equal(ErrorCode.UNKNOWN_TYPE);
  });

  it("refuses to define a type twice", () => {
    expect(() => createDefaultCatalogue().defineEvent("payment.completed", Joi.object())).to.throw(/already defined/);
  });
});
