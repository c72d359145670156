/** Token lifecycle while connected: auth:expiring, auth:refresh, disconnect at expiry. */
import { expect } from "chai";
import { ConnectErrorCode, DisconnectCode, ErrorCode, Namespace, type AuthRefreshReply, type ServerDisconnect } from "@care-gateway/shared";
import { ask, connect, nextEvent } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { token } from "./helpers/tokens.js";

const inSeconds = (s: number) => Math.floor(Date.now() / 1000) + s;

describe("auth: token lifecycle", () => {
  it("warns with auth:expiring, then disconnects with AUTH_EXPIRED when the token runs out", async () => {
    const gw = await startGateway({ AUTH_EXPIRING_NOTICE_S: "1", JWT_CLOCK_TOLERANCE_S: "0" });
    const exp = inSeconds(2);
    const socket = await connect(gw.url, Namespace.unit, token({ sub: "U-1", role: "unit", exp }));
    const notice = nextEvent<{ exp: number }>(socket, "auth:expiring");
    const reason = nextEvent<ServerDisconnect>(socket, "server:disconnect");
    const closed = nextEvent<string>(socket, "disconnect");
    expect(await notice).to.deep.equal({ exp });
    expect((await reason).code).to.equal(DisconnectCode.AUTH_EXPIRED);
    expect(await closed).to.equal("io server disconnect");
    expect(Date.now()).to.be.at.least(exp * 1000);
  });

  it("extends the session with auth:refresh carrying a new token for the same sub and role", async () => {
    const gw = await startGateway({ AUTH_EXPIRING_NOTICE_S: "1" });
    const socket = await connect(gw.url, Namespace.portal, token({ sub: "nurse", role: "portal", units: ["U-1"], exp: inSeconds(60) }));
    const later = inSeconds(3600);
    const reply = await ask<AuthRefreshReply>(socket, "auth:refresh", { token: token({ sub: "nurse", role: "portal", units: ["U-1"], exp: later }) });
    expect(reply).to.deep.equal({ ok: true, exp: later });
  });

  it("refuses a refresh with another sub or role, or an invalid token, and keeps the old session", async () => {
    const gw = await startGateway();
    const socket = await connect(gw.url, Namespace.portal, token({ sub: "nurse", role: "portal", units: ["U-1"] }));
    const cases: [string, string][] = [
      [token({ sub: "doctor", role: "portal", units: ["*"] }), ConnectErrorCode.AUTH_FORBIDDEN],
      [token({ sub: "nurse", role: "bridge" }), ConnectErrorCode.AUTH_FORBIDDEN],
      [token({ sub: "nurse", role: "portal" }, { secret: "w".repeat(40) }), ConnectErrorCode.AUTH_INVALID],
      [token({ sub: "nurse", role: "portal", exp: inSeconds(-600) }), ConnectErrorCode.AUTH_EXPIRED],
    ];
    for (const [next, auth] of cases) {
      const reply = await ask<AuthRefreshReply>(socket, "auth:refresh", { token: next });
      expect(reply.ok, auth).to.equal(false);
      if (!reply.ok) expect(reply.error).to.deep.include({ code: ErrorCode.FORBIDDEN, details: { auth } });
    }
    expect(socket.connected).to.equal(true);
  });

  it("narrows a portal's subscriptions when a refreshed token lists fewer units", async () => {
    const gw = await startGateway();
    const socket = await connect(gw.url, Namespace.portal, token({ sub: "nurse", role: "portal", units: ["U-1", "U-2"] }));
    await ask(socket, "subscribe", { unitIds: ["U-1", "U-2"] });
    await ask(socket, "auth:refresh", { token: token({ sub: "nurse", role: "portal", units: ["U-1"] }) });
    const reply = await ask<{ ok: boolean; error?: { code: string } }>(socket, "request", { unitId: "U-2", type: "unit.ping", payload: {} });
    expect(reply.error?.code).to.equal(ErrorCode.FORBIDDEN);
  });
});
