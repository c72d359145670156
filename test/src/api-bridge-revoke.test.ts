/**
 * Revocation through the bridge: the SDK's BridgeClient.revoke(sub, reason?) and
 * DELETE /v1/principals/{sub}/connections, against a real gateway (sockets closed REVOKED, audited).
 */
import { expect } from "chai";
import { ConnectErrorCode, DisconnectCode, ErrorCode, Namespace, type ServerDisconnect } from "@care-gateway/shared";
import { GatewayError } from "@care-gateway/client-sdk";
import { connect, nextEvent, rawSocket, refused } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { token } from "./helpers/tokens.js";
import { api, apiToken, startBridge } from "./api-bridge-fixtures.js";
import { bridgeClient, nextConnectionEvent, portalClient, rejectionOf } from "./sdk-fixtures.js";

describe("API Bridge: revocation", () => {
  it("BridgeClient.revoke closes every socket of the principal with REVOKED; the SDK client does not reconnect", async () => {
    const gw = await startGateway();
    const portal = portalClient(gw, "nurse-1", ["U-1"]);
    await portal.connect();
    const bridge = bridgeClient(gw);
    await bridge.connect();

    const disconnected = nextConnectionEvent(portal.connection, "disconnect");
    await bridge.revoke("nurse-1", "left the clinic");

    const [info] = await disconnected;
    expect(info).to.deep.include({ code: DisconnectCode.REVOKED, willReconnect: false });
    const error = await rejectionOf(portal.connect());
    expect(error).to.be.instanceOf(GatewayError);
    expect(error.code).to.equal(DisconnectCode.REVOKED);
    const [record] = gw.audit.lines.filter((line) => line["action"] === "principal.revoke");
    expect(record).to.deep.include({ target: "nurse-1", outcome: "ok" });
    expect(JSON.stringify(record)).not.to.include("left the clinic");
  });

  it("BridgeClient.revoke rejects with the gateway's VALIDATION_FAILED for a malformed sub", async () => {
    const gw = await startGateway();
    const bridge = bridgeClient(gw);
    await bridge.connect();
    const error = await rejectionOf(bridge.revoke(""));
    expect(error.code).to.equal(ErrorCode.VALIDATION_FAILED);
  });

  it("DELETE /v1/principals/{sub}/connections revokes: sockets closed, older tokens refused, audited with the bridge as actor", async () => {
    const gw = await startGateway();
    const nurseToken = token({ sub: "nurse-2", role: "portal", units: ["U-1"] });
    const socket = await connect(gw.url, Namespace.portal, nurseToken);
    const notice = nextEvent<ServerDisconnect>(socket, "server:disconnect");
    const bridge = await startBridge(gw);

    const res = await api(bridge, "DELETE", "/v1/principals/nurse-2/connections", { body: { reason: "badge lost" } });

    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ ok: true, data: { sub: "nurse-2", revoked: true } });
    expect((await notice).code).to.equal(DisconnectCode.REVOKED);
    const again = await refused(rawSocket(gw.url, Namespace.portal, { auth: { token: nurseToken } }));
    expect(again.message).to.equal(ConnectErrorCode.AUTH_INVALID);
    const [record] = gw.audit.lines.filter((line) => line["action"] === "principal.revoke");
    expect(record).to.deep.include({ target: "nurse-2", actor: { sub: "api-bridge", role: "bridge" } });
  });

  it("takes no body at all, refuses a malformed one, and needs `principals:revoke` when the caller's token has a scope", async () => {
    const gw = await startGateway();
    const bridge = await startBridge(gw);

    expect((await api(bridge, "DELETE", "/v1/principals/nurse-3/connections")).status).to.equal(200);
    const bad = await api(bridge, "DELETE", "/v1/principals/nurse-3/connections", { body: { reason: 7 } });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.issues).to.deep.include({ path: "reason", rule: "type" });
    const denied = await api(bridge, "DELETE", "/v1/principals/nurse-3/connections", { token: apiToken("reporting", { scope: "units:read" }) });
    expect(denied.status).to.equal(403);
    expect((await api(bridge, "DELETE", "/v1/principals/nurse-3/connections", { token: apiToken("security", { scope: "principals:revoke" }) })).status).to.equal(200);
  });
});
