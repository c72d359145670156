/** Revocation: the bridge or an admin disconnects every socket of a principal and its older tokens stop working; audited. */
import { expect } from "chai";
import { ConnectErrorCode, DisconnectCode, Namespace, type Reply, type ServerDisconnect } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { ask, connect, nextEvent, rawSocket, refused } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { adminToken, bridgeToken, token } from "./helpers/tokens.js";

describe("security: revocation", () => {
  it("disconnects every socket of the principal with REVOKED and refuses its older tokens", async () => {
    const gw = await startGateway();
    const nurseToken = token({ sub: "nurse", role: "portal", units: ["U-1"] });
    const first = await connect(gw.url, Namespace.portal, nurseToken);
    const second = await connect(gw.url, Namespace.portal, nurseToken);
    const bystander = await connect(gw.url, Namespace.portal, token({ sub: "doctor", role: "portal", units: ["U-1"] }));
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const notices = [nextEvent<ServerDisconnect>(first, "server:disconnect"), nextEvent<ServerDisconnect>(second, "server:disconnect")];
    const closed = [nextEvent(first, "disconnect"), nextEvent(second, "disconnect")];
    expect(await ask<Reply>(bridge, "principal:revoke", { sub: "nurse", reason: "left the clinic" })).to.deep.equal({ ok: true });
    for (const notice of await Promise.all(notices)) expect(notice.code).to.equal(DisconnectCode.REVOKED);
    await Promise.all(closed);
    expect(bystander.connected).to.equal(true);
    const again = await refused(rawSocket(gw.url, Namespace.portal, { auth: { token: nurseToken } }));
    expect(again.message).to.equal(ConnectErrorCode.AUTH_INVALID);
    const fresh = token({ sub: "nurse", role: "portal", units: ["U-1"], iat: Math.floor(Date.now() / 1000) + 2 });
    await connect(gw.url, Namespace.portal, fresh);
    const [record] = gw.audit.lines.filter((l) => l["action"] === "principal.revoke");
    expect(record).to.deep.include({ action: "principal.revoke", target: "nurse", outcome: "ok", actor: { sub: "api-bridge", role: "bridge" } });
    expect(record?.["timestamp"]).to.be.a("string");
    expect(JSON.stringify(record)).not.to.include("left the clinic");
  });

  it("lets an admin revoke a unit, and audits admin unit disconnects", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const admin = await connect(gw.url, Namespace.admin, adminToken("op-7"));
    const closed = nextEvent(unit.socket, "disconnect");
    expect(await ask<Reply>(admin, "principal:revoke", { sub: "U-1" })).to.deep.equal({ ok: true });
    await closed;
    await ask(admin, "unit:disconnect", { unitId: "U-2", reason: "x" });
    const actions = gw.audit.lines.map((l) => [l["action"], l["outcome"], (l["actor"] as { sub: string }).sub]);
    expect(actions).to.deep.include.members([
      ["principal.revoke", "ok", "op-7"],
      ["unit.disconnect", "UNIT_OFFLINE", "op-7"],
    ]);
  });

  it("is not available to portals or units", async () => {
    const gw = await startGateway();
    const portal = await connect(gw.url, Namespace.portal, token({ sub: "nurse", role: "portal", units: ["*"] }));
    const reply = await ask<Reply>(portal, "principal:revoke", { sub: "doctor" });
    expect(reply.ok).to.equal(false);
  });
});
