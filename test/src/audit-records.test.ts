/** The audit log: one record per connection, refusal, disconnect, request outcome, publish, revocation and admin action. */
import { expect } from "chai";
import { Namespace } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { ask, connect, rawSocket, refused } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { adminToken, bridgeToken } from "./helpers/tokens.js";

describe("observability: audit records", () => {
  it("records who, what, which unit, outcome, when, node and from where for each action", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken("bridge-1"));
    const admin = await connect(gw.url, Namespace.admin, adminToken("op-1"));
    await ask(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {}, id: "r-1" });
    await ask(bridge, "publish", { target: { unitId: "U-1" }, type: "payment.failed", payload: { paymentId: "P", referenceId: "R", reason: "declined", at: "2026-01-01T00:00:00Z" }, id: "p-1" });
    await refused(rawSocket(gw.url, Namespace.admin, { auth: { token: "forged" } }));
    await ask(admin, "principal:revoke", { sub: "nurse-9" });
    const unitGone = new Promise((resolve) => unit.socket.once("disconnect", resolve));
    await ask(admin, "unit:disconnect", { unitId: "U-1", reason: "maintenance" });
    await unitGone;
    await gw.gateway.stop();

    const find = (action: string, extra: Record<string, unknown> = {}) =>
      gw.audit.lines.find((l) => l["action"] === action && Object.entries(extra).every(([k, v]) => JSON.stringify(l[k]) === JSON.stringify(v)));
    const common = { node: gw.config.nodeId, audit: true };
    const records = {
      open: find("connection.open", { namespace: "/units", actor: { sub: "U-1", role: "unit" } }),
      refused: find("connection.refused", { namespace: "/admin", outcome: "AUTH_INVALID" }),
      request: find("request", { requestId: "r-1" }),
      publish: find("publish", { requestId: "p-1" }),
      revoke: find("principal.revoke", { target: "nurse-9" }),
      disconnect: find("unit.disconnect", { unitId: "U-1" }),
      close: find("connection.close", { namespace: "/units" }),
    };
    for (const [name, record] of Object.entries(records)) {
      expect(record, name).to.not.equal(undefined);
      expect(record, name).to.include(common);
      expect(record?.["timestamp"], name).to.be.a("string");
      expect(record?.["outcome"], name).to.be.a("string");
    }
    expect(records.open).to.include({ remote: "127.0.0.1", outcome: "ok" });
    expect(records.refused).to.include({ remote: "127.0.0.1" });
    expect(records.request).to.deep.include({ actor: { sub: "bridge-1", role: "bridge" }, unitId: "U-1", type: "unit.ping", outcome: "ok" });
    expect(records.request?.["ms"]).to.be.a("number");
    expect(records.publish).to.deep.include({ actor: { sub: "bridge-1", role: "bridge" }, type: "payment.failed", target: "U-1", outcome: "ok" });
    expect(records.revoke).to.deep.include({ actor: { sub: "op-1", role: "admin" }, outcome: "ok" });
    expect(records.disconnect).to.deep.include({ actor: { sub: "op-1", role: "admin" }, outcome: "ok" });
    expect(records.close?.["ms"]).to.be.a("number");
  });
});
