/**
 * API Bridge: callers authenticate with a Bearer JWT of role `api`, verified by the gateway's own
 * TokenVerifier (`verifyCaller`), while the gateway keeps refusing role `api` on every namespace;
 * BRIDGE_AUTH=off turns caller authentication off, loudly.
 */
import { expect } from "chai";
import jwt from "jsonwebtoken";
import { ConnectErrorCode, Namespace, Role } from "@care-gateway/shared";
import { AuthFailure, TokenVerifier, loadConfig } from "@care-gateway/server";
import { rawSocket, refused } from "./helpers/raw-client.js";
import { TEST_SECRET, startGateway, testEnv } from "./helpers/test-gateway.js";
import { token } from "./helpers/tokens.js";
import { api, apiToken, startBridge } from "./api-bridge-fixtures.js";
import { fakeUnit } from "./helpers/fake-unit.js";

const PING = { type: "unit.ping", payload: {} };

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(AuthFailure);
    return (error as AuthFailure).code;
  }
  throw new Error("expected an AuthFailure");
}

describe("API Bridge: caller authentication", () => {
  it("refuses callers without a valid api token: 401 with a Bearer challenge, 403 for another role", async () => {
    const gw = await startGateway();
    await fakeUnit(gw.url, "U-1");
    const bridge = await startBridge(gw);
    const post = (bearer: string | null, headers: Record<string, string> = {}) => api(bridge, "POST", "/v1/units/U-1/requests", { body: PING, token: bearer, headers });

    const none = await post(null);
    expect(none.status).to.equal(401);
    expect(none.body.error.code).to.equal(ConnectErrorCode.AUTH_REQUIRED);
    expect(none.headers.get("www-authenticate")).to.equal('Bearer realm="care-bridge"');
    expect((await post(null, { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` })).body.error.code).to.equal(ConnectErrorCode.AUTH_REQUIRED);

    const garbage = await post("not.a.jwt");
    expect(garbage.status).to.equal(401);
    expect(garbage.body.error.code).to.equal(ConnectErrorCode.AUTH_INVALID);
    expect(garbage.headers.get("www-authenticate")).to.include('error="invalid_token"');

    expect((await post(token({ sub: "x", role: "api" }, { secret: "another-secret-of-at-least-32-characters!" }))).body.error.code).to.equal(ConnectErrorCode.AUTH_INVALID);
    const unsigned = jwt.sign({ sub: "x", role: "api", exp: Math.floor(Date.now() / 1000) + 60 }, "", { algorithm: "none" });
    expect((await post(unsigned)).body.error.code).to.equal(ConnectErrorCode.AUTH_INVALID);

    const expired = await post(token({ sub: "x", role: "api", exp: Math.floor(Date.now() / 1000) - 3600 }));
    expect(expired.status).to.equal(401);
    expect(expired.body.error.code).to.equal(ConnectErrorCode.AUTH_EXPIRED);

    for (const role of ["bridge", "portal", "unit", "admin"]) {
      const wrongRole = await post(token({ sub: "U-1", role, units: ["*"] }));
      expect(wrongRole.status, role).to.equal(403);
      expect(wrongRole.body.error.code).to.equal(ConnectErrorCode.AUTH_FORBIDDEN);
    }
    expect((await post(token({ sub: "x", role: "superuser" }))).body.error.code).to.equal(ConnectErrorCode.AUTH_INVALID);

    const ok = await post(apiToken());
    expect(ok.status).to.equal(200);
    expect(bridge.log.text(), "tokens never reach the log").not.to.include(apiToken().split(".")[2] ?? "");
  });

  it("answers an unauthenticated caller before reading its body", async () => {
    const gw = await startGateway();
    const bridge = await startBridge(gw);
    const res = await api(bridge, "POST", "/v1/units/U-1/requests", { raw: "{not json", headers: { "content-type": "application/json" }, token: null });
    expect(res.status).to.equal(401);
  });

  it("leaves health, readiness, metrics and the document open", async () => {
    const gw = await startGateway();
    const bridge = await startBridge(gw);
    for (const path of ["/healthz", "/readyz", "/metrics", "/openapi.json"]) expect((await api(bridge, "GET", path, { token: null })).status, path).to.equal(200);
  });

  it("with BRIDGE_AUTH=off takes every caller, and says so loudly at start", async () => {
    const gw = await startGateway();
    await fakeUnit(gw.url, "U-1");
    const bridge = await startBridge(gw, { env: { BRIDGE_AUTH: "off" } });

    expect((await api(bridge, "POST", "/v1/units/U-1/requests", { body: PING, token: null })).status).to.equal(200);
    const warning = bridge.log.lines.find((line) => line["level"] === "warn" && String(line["message"]).includes("BRIDGE_AUTH=off"));
    expect(warning, "a warning at start").not.to.equal(undefined);
    expect(bridge.app.openapi.info.description).to.include("BRIDGE_AUTH=off");
  });

  it("the gateway still refuses role api on every namespace", async () => {
    const gw = await startGateway();
    for (const namespace of Object.values(Namespace)) {
      const error = await refused(rawSocket(gw.url, namespace, { auth: { token: apiToken() } }));
      expect(error.message, namespace).to.equal(ConnectErrorCode.AUTH_FORBIDDEN);
    }
  });
});

describe("TokenVerifier.verifyCaller", () => {
  const verifier = (env: Record<string, string> = {}) => new TokenVerifier(loadConfig(testEnv(env)).jwt);

  it("accepts a role of the given set with the same keys and checks as verify, and reads the scope", async () => {
    const caller = await verifier().verifyCaller(token({ sub: "api-gateway", role: "api", scope: "units:read  request:unit.*" }), [Role.API]);
    expect(caller).to.deep.include({ sub: "api-gateway", role: Role.API, scopes: ["units:read", "request:unit.*"] });
    expect(caller.exp).to.be.a("number");
  });

  it("refuses other roles with AUTH_FORBIDDEN and unknown roles, missing claims and bad signatures with AUTH_INVALID", async () => {
    const v = verifier();
    expect(await failure(v.verifyCaller(token({ sub: "x", role: "bridge" }), [Role.API]))).to.equal(ConnectErrorCode.AUTH_FORBIDDEN);
    expect(await failure(v.verifyCaller(token({ sub: "x", role: "root" }), [Role.API]))).to.equal(ConnectErrorCode.AUTH_INVALID);
    expect(await failure(v.verifyCaller(token({ role: "api" }), [Role.API]))).to.equal(ConnectErrorCode.AUTH_INVALID);
    expect(await failure(v.verifyCaller(token({ sub: "x", role: "api" }, { secret: `${TEST_SECRET}x` }), [Role.API]))).to.equal(ConnectErrorCode.AUTH_INVALID);
    expect(await failure(v.verifyCaller(undefined, [Role.API]))).to.equal(ConnectErrorCode.AUTH_REQUIRED);
  });

  it("checks iss and aud when configured, as for sockets", async () => {
    const v = verifier({ JWT_ISSUER: "https://idp.example", JWT_AUDIENCE: "care" });
    expect(await failure(v.verifyCaller(token({ sub: "x", role: "api" }), [Role.API]))).to.equal(ConnectErrorCode.AUTH_INVALID);
    const caller = await v.verifyCaller(token({ sub: "x", role: "api", iss: "https://idp.example", aud: "care" }), [Role.API]);
    expect(caller.sub).to.equal("x");
  });

  it("leaves verify unchanged: role api is refused there with AUTH_FORBIDDEN", async () => {
    expect(await failure(verifier().verify(apiToken()))).to.equal(ConnectErrorCode.AUTH_FORBIDDEN);
  });
});
