/** Malformed envelopes get VALIDATION_FAILED (or UNKNOWN_TYPE), never a crash, never silence when an ack waits. */
import { expect } from "chai";
import { ErrorCode, Namespace, type Reply } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { MALFORMED_REQUEST_ENVELOPES, MALFORMED_REQUEST_PAYLOADS } from "./helpers/malformed-envelopes.js";
import { ask, connect } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { adminToken, bridgeToken } from "./helpers/tokens.js";


describe("messages: malformed envelopes", () => {
  it("answers every malformed request with a typed error and keeps serving", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    for (const envelope of [...MALFORMED_REQUEST_ENVELOPES, ...MALFORMED_REQUEST_PAYLOADS]) {
      const reply = await ask<Reply>(bridge, "request", envelope);
      expect(reply.ok, JSON.stringify(envelope)?.slice(0, 80)).to.equal(false);
      if (!reply.ok) expect([ErrorCode.VALIDATION_FAILED, ErrorCode.UNKNOWN_TYPE]).to.include(reply.error.code);
    }
    expect(unit.requests).to.have.length(0);
    expect((await ask<Reply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {} })).ok).to.equal(true);
  });

  it("never echoes a value in the error details", async () => {
    const gw = await startGateway();
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const reply = await ask<Reply>(bridge, "request", {
      unitId: "U-1",
      type: "appointment.create",
      payload: { patientRef: { canary: "PATIENT-CANARY-77" }, start: "PATIENT-CANARY-78", end: "x" },
    });
    expect(JSON.stringify(reply)).not.to.include("PATIENT-CANARY");
    expect(!reply.ok && reply.error.code).to.equal(ErrorCode.VALIDATION_FAILED);
  });

  it("answers malformed unit events, publishes, subscriptions and admin calls", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const admin = await connect(gw.url, Namespace.admin, adminToken());
    const calls: [ReturnType<typeof connect> extends Promise<infer S> ? S : never, string, unknown][] = [
      [unit.socket, "event", { type: 5, payload: {} }],
      [unit.socket, "event", null],
      [bridge, "publish", { target: {}, type: "payment.completed", payload: {} }],
      [bridge, "publish", { target: { unitIds: [] }, type: "payment.completed", payload: {} }],
      [bridge, "subscribe", { unitIds: "U-1" }],
      [bridge, "unsubscribe", {}],
      [admin, "unit:disconnect", { unitId: "U-1" }],
      [admin, "unit:disconnect", "U-1"],
    ];
    for (const [socket, event, args] of calls) {
      const reply = await ask<Reply>(socket, event, args);
      expect(!reply.ok && reply.error.code, `${event} ${JSON.stringify(args)}`).to.equal(ErrorCode.VALIDATION_FAILED);
    }
    expect(unit.socket.connected).to.equal(true);
  });

  it("answers VALIDATION_FAILED to an event that carries only its ack callback", async () => {
    const gw = await startGateway();
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    for (const event of ["request", "publish", "subscribe", "occupancy:get"]) {
      const reply = (await bridge.emitWithAck(event)) as Reply;
      expect(!reply.ok && reply.error.code, event).to.equal(ErrorCode.VALIDATION_FAILED);
    }
  });

  it("answers UNKNOWN_TYPE to unknown events with an ack, and counts messages dropped without one", async () => {
    const gw = await startGateway();
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const reply = await ask<Reply>(bridge, "teleport", { to: "mars" });
    expect(!reply.ok && reply.error.code).to.equal(ErrorCode.UNKNOWN_TYPE);
    bridge.emit("request", { unitId: "U-1", type: "unit.ping", payload: {} });
    bridge.emit("teleport");
    await ask(bridge, "subscribe", { unitIds: ["U-1"] });
    const dropped = await gw.gateway.metrics.registry.getSingleMetricAsString("care_gateway_dropped_messages_total");
    expect(dropped).to.match(/reason="no_ack"[^}]*\} 1/);
    expect(dropped).to.match(/reason="unknown_event"[^}]*\} 1/);
  });
});
