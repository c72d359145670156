/** Limits: one socket's flood is refused while others are served; in-flight cap; handshakes per address; unit events. */
import { expect } from "chai";
import { ConnectErrorCode, ErrorCode, Namespace, type Reply, type RequestReply } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { ask, connect, rawSocket, refused } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { portalToken, unitToken } from "./helpers/tokens.js";

const ping = { unitId: "U-1", type: "unit.ping", payload: {} };

describe("security: rate limits", () => {
  it("answers a flooding socket RATE_LIMITED while a second socket's requests keep succeeding", async () => {
    const gw = await startGateway({ PORTAL_REQUESTS_PER_S: "10", PORTAL_MAX_IN_FLIGHT: "1000" });
    await fakeUnit(gw.url, "U-1");
    const flooder = await connect(gw.url, Namespace.portal, portalToken("flooder", ["U-1"]));
    const calm = await connect(gw.url, Namespace.portal, portalToken("calm", ["U-1"]));
    const flood = await Promise.all(Array.from({ length: 50 }, () => ask<RequestReply>(flooder, "request", ping)));
    const limited = flood.filter((r) => !r.ok && r.error.code === ErrorCode.RATE_LIMITED).length;
    expect(limited).to.be.at.least(40);
    expect(flood.filter((r) => r.ok).length).to.be.at.least(1);
    for (let i = 0; i < 5; i++) expect((await ask<RequestReply>(calm, "request", ping)).ok).to.equal(true);
  });

  it("answers OVERLOADED beyond the in-flight cap", async () => {
    const gw = await startGateway({ PORTAL_MAX_IN_FLIGHT: "2", PORTAL_REQUESTS_PER_S: "1000" });
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(() => undefined);
    const portal = await connect(gw.url, Namespace.portal, portalToken("nurse", ["U-1"]));
    const held = [ask<RequestReply>(portal, "request", { ...ping, timeoutMs: 60_000 }), ask<RequestReply>(portal, "request", { ...ping, timeoutMs: 60_000 })];
    await unit.receivedRequests(2);
    const third = await ask<RequestReply>(portal, "request", ping);
    expect(!third.ok && third.error.code).to.equal(ErrorCode.OVERLOADED);
    for (const ack of unit.held.values()) ack({ ok: true, data: { at: new Date().toISOString() } });
    unit.held.clear();
    for (const reply of await Promise.all(held)) expect(reply.ok).to.equal(true);
    expect((await ask<RequestReply>(portal, "request", { ...ping, timeoutMs: 100 })).ok).to.equal(false);
  });

  it("refuses handshakes beyond the per-address rate with RATE_LIMITED", async () => {
    const gw = await startGateway({ CONNECTIONS_PER_MIN_PER_IP: "3" });
    for (let i = 0; i < 3; i++) await connect(gw.url, Namespace.unit, unitToken(`U-${i}`));
    const error = await refused(rawSocket(gw.url, Namespace.unit, { auth: { token: unitToken("U-9") } }));
    expect(error.message).to.equal(ConnectErrorCode.RATE_LIMITED);
  });

  it("limits a unit's upstream events", async () => {
    const gw = await startGateway({ UNIT_EVENTS_PER_S: "5" });
    const unit = await fakeUnit(gw.url, "U-1");
    const event = { type: "registration.updated", payload: { registrationId: "R", patientRef: "P", status: "s", at: "2026-01-01T00:00:00Z" } };
    const replies = await Promise.all(Array.from({ length: 20 }, () => ask<Reply>(unit.socket, "event", event)));
    expect(replies.filter((r) => !r.ok && r.error.code === ErrorCode.RATE_LIMITED).length).to.be.at.least(10);
  });
});
