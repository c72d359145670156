/**
 * The wire contract end to end with a plain socket.io-client, as outside checks do: every name here
 * is written as PROTOCOL.md spells it, not taken from shared/, so a rename would break this test.
 */
import { expect } from "chai";
import { io, type Socket } from "socket.io-client";
import { startGateway } from "./helpers/test-gateway.js";
import { registerTeardown } from "./helpers/teardown.js";
import { adminToken, bridgeToken, portalToken, unitToken } from "./helpers/tokens.js";

function open(url: string, auth: Record<string, unknown>): Promise<Socket> {
  const socket = io(url, { auth, transports: ["websocket"], reconnection: false, forceNew: true });
  registerTeardown(() => socket.disconnect());
  return new Promise((resolve, reject) => {
    socket.on("connect", () => resolve(socket));
    socket.on("connect_error", reject);
  });
}

describe("protocol: a plain socket.io-client", () => {
  it("speaks PROTOCOL.md v1: request/answer, upstream event, publish, subscribe, presence, occupancy", async () => {
    const gw = await startGateway();
    const base = gw.url;
    const portal = await open(`${base}/portal`, { token: portalToken("nurse-1", ["U-17"]) });
    const bridge = await open(`${base}/bridge`, { token: bridgeToken() });
    const admin = await open(`${base}/admin`, { token: adminToken() });
    expect(await portal.emitWithAck("subscribe", { unitIds: ["U-17", "U-18"] })).to.deep.equal({ ok: true, subscribed: ["U-17"], denied: ["U-18"] });

    const online = new Promise((resolve) => portal.once("unit:status", resolve));
    const unit = io(`${base}/units`, { auth: { token: unitToken("U-17") }, transports: ["websocket"], reconnection: false, forceNew: true });
    registerTeardown(() => unit.disconnect());
    unit.on("request", (req: { id: string; type: string; payload: { patientRef: string }; from: unknown; deadline: number }, ack: (a: unknown) => void) => {
      ack({ ok: true, data: { appointmentId: `A-for-${req.id}`, status: "booked" } });
    });
    const received: unknown[] = [];
    unit.on("event", (event: unknown, ack: (a: unknown) => void) => {
      received.push(event);
      ack({ ok: true });
    });
    await new Promise<void>((resolve) => unit.on("connect", () => resolve()));
    expect(await online).to.deep.include({ unitId: "U-17", online: true });

    const answer = await portal.emitWithAck("request", {
      unitId: "U-17",
      type: "appointment.create",
      payload: { patientRef: "P-1", start: "2026-12-01T09:00:00Z", end: "2026-12-01T09:15:00Z" },
      timeoutMs: 5000,
      id: "corr-1",
    });
    expect(answer).to.deep.equal({ ok: true, id: "corr-1", data: { appointmentId: "A-for-corr-1", status: "booked" } });

    const upstream = new Promise((resolve) => portal.once("unit:event", resolve));
    expect(
      await unit.emitWithAck("event", { type: "appointment.cancelled", payload: { appointmentId: "A-1", cancelledAt: "2026-12-01T08:00:00Z" }, id: "e-1" }),
    ).to.deep.equal({ ok: true, id: "e-1" });
    expect(await upstream).to.deep.include({ unitId: "U-17", id: "e-1", type: "appointment.cancelled" });

    const published = await bridge.emitWithAck("publish", {
      target: { unitIds: ["U-17"] },
      type: "appointment.updated",
      payload: { appointmentId: "A-1", patientRef: "P-1", start: "2026-12-01T10:00:00Z", end: "2026-12-01T10:15:00Z", status: "moved" },
      id: "p-1",
    });
    expect(published).to.deep.equal({ ok: true, id: "p-1", delivered: 1, queued: 0 });

    const occupancy = (await admin.emitWithAck("occupancy:get", {})) as { ok: boolean; data: { totals: Record<string, number>; units: { unitId: string }[] } };
    expect(occupancy.ok).to.equal(true);
    expect(occupancy.data.totals).to.deep.equal({ units: 1, portal: 1, bridge: 1, admin: 1 });
    expect(occupancy.data.units.map((u) => u.unitId)).to.deep.equal(["U-17"]);
    expect(received).to.have.length(1);
  });

  it("refuses a handshake with err.message = code and err.data = { code, message }", async () => {
    const gw = await startGateway();
    const error = await open(`${gw.url}/units`, { token: "x.y.z" }).then(
      () => undefined,
      (e: Error & { data?: unknown }) => e,
    );
    expect(error?.message).to.equal("AUTH_INVALID");
    expect(error?.data).to.deep.equal({ code: "AUTH_INVALID", message: "The token is not valid." });
  });
});
