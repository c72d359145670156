/**
 * No payload, token or patient reference in any log: canary values go through every path (requests,
 * answers, unit errors, upstream and downstream events, validation failures, refusals, refresh,
 * admin reasons, revocation, a cross-node hop) and every log line and audit record is scanned.
 */
import { expect } from "chai";
import type { Socket } from "socket.io-client";
import { Namespace } from "@care-gateway/shared";
import { fakeUnit, type FakeUnit } from "./helpers/fake-unit.js";
import { ask, connect, rawSocket, refused } from "./helpers/raw-client.js";
import { node, startCluster } from "./helpers/test-cluster.js";
import { startGateway } from "./helpers/test-gateway.js";
import { token } from "./helpers/tokens.js";

const CANARY = "CNRY7731";
const canary = (field: string) => `${CANARY}-${field}`;

/** Drives every path with canary values; returns the tokens used (they must not appear either). */
async function exercise(unitUrl: string, callerUrl: string, unitId: string): Promise<{ tokens: string[]; unit: FakeUnit }> {
  const tokens = {
    unit: token({ sub: unitId, role: "unit", note: canary("claim") }),
    bridge: token({ sub: "api-bridge", role: "bridge" }),
    portal: token({ sub: "nurse", role: "portal", units: [unitId] }),
    admin: token({ sub: "operator", role: "admin" }),
  };
  const unit = await fakeUnit(unitUrl, unitId);
  const bridge = await connect(callerUrl, Namespace.bridge, tokens.bridge);
  const portal = await connect(callerUrl, Namespace.portal, tokens.portal);
  const admin = await connect(callerUrl, Namespace.admin, tokens.admin);
  await ask(portal, "subscribe", { unitIds: [unitId] });
  const appointment = { patientRef: canary("patientRef"), start: "2026-12-01T09:00:00Z", end: "2026-12-01T09:15:00Z", reason: canary("reason") };

  unit.answer(() => ({ ok: true, data: { appointmentId: canary("appointmentId"), status: "booked", note: canary("result") } }));
  await ask(bridge, "request", { unitId, type: "appointment.create", payload: appointment, id: "req-1" });
  await ask(portal, "request", { unitId, type: "appointment.create", payload: appointment });
  unit.answer(() => ({ ok: false, error: { code: "SLOT_TAKEN", message: canary("unitError"), details: { patientRef: canary("unitErrorDetails") } } }));
  await ask(bridge, "request", { unitId, type: "appointment.create", payload: appointment });
  unit.answer(() => ({ ok: true, data: { status: canary("malformedResult") } }));
  await ask(bridge, "request", { unitId, type: "appointment.create", payload: appointment });
  await ask(bridge, "request", { unitId, type: "appointment.create", payload: { ...appointment, patientRef: 42, extra: canary("extra") } });
  await ask(bridge, "request", { unitId: "U-elsewhere", type: "unit.ping", payload: { patientRef: canary("offline") } });
  await ask(bridge, "request", { unitId, type: canary("type").toLowerCase(), payload: {} });
  const registration = { registrationId: "R-1", patientRef: canary("upstreamPatient"), status: "waiting", at: "2026-12-01T09:00:00Z", extra: canary("upstream") };
  await ask(unit.socket, "event", { type: "registration.created", payload: registration });
  await ask(unit.socket, "event", { type: "registration.created", payload: { patientRef: canary("badUpstream") } });
  const payment = { paymentId: "PM-1", referenceId: canary("referenceId"), amount: { value: 100, currency: "EUR" }, at: "2026-12-01T09:00:00Z" };
  await ask(bridge, "publish", { target: { unitId }, type: "payment.completed", payload: payment, id: "pub-1" });
  await ask(bridge, "publish", { target: { unitId }, type: "payment.completed", payload: { ...payment, secret: canary("badPublish") } });
  await unit.receivedEvents(1);
  await ask(portal, "auth:refresh", { token: token({ sub: "nurse", role: "portal", units: [unitId], note: canary("refresh") }) });
  await ask(portal, "auth:refresh", { token: canary("garbageToken") });
  const forged = token({ sub: unitId, role: "unit", note: canary("forged") }, { secret: "f".repeat(40) });
  await refused(rawSocket(callerUrl, Namespace.unit, { auth: { token: forged } }));
  await ask(admin, "unit:disconnect", { unitId: "U-nobody", reason: canary("adminReason") });
  await ask(bridge, "principal:revoke", { sub: "someone-else", reason: canary("revokeReason") });
  await ask(bridge, "nonsense", { patientRef: canary("unknownEvent") });
  for (const socket of [bridge, portal, admin] as Socket[]) socket.disconnect();
  return { tokens: [...Object.values(tokens), forged], unit };
}

function expectClean(text: string, tokens: string[]): void {
  expect(text.length).to.be.greaterThan(0);
  expect(text, "a canary reached a log").not.to.include(CANARY);
  for (const used of tokens) {
    expect(text, "a token reached a log").not.to.include(used);
    expect(text, "a token signature reached a log").not.to.include(used.split(".")[2] ?? "-");
  }
}

describe("observability: nothing sensitive in logs", function () {
  this.timeout(60_000);

  it("keeps canaries and tokens out of the log and the audit log (one node, debug level)", async () => {
    const gw = await startGateway({ LOG_LEVEL: "debug" });
    const { tokens } = await exercise(gw.url, gw.url, "U-1");
    await gw.gateway.stop();
    expect(gw.audit.lines.length).to.be.greaterThan(10);
    expectClean(gw.log.text(), tokens);
    expectClean(gw.audit.text(), tokens);
  });

  it("keeps them out of every node's output across a cross-node hop", async () => {
    const cluster = await startCluster(2, { LOG_LEVEL: "debug" });
    const { tokens } = await exercise(node(cluster, 0).url, node(cluster, 1).url, "U-1");
    for (const gateway of cluster.nodes) {
      await gateway.stop();
      expectClean(gateway.logs.map((l) => JSON.stringify(l)).join("\n"), tokens);
    }
  });
});
