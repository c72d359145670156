/**
 * API Bridge: configuration from the environment, validated once and frozen; a bad value names its
 * variable. The bridge's own token can come from BRIDGE_TOKEN, BRIDGE_TOKEN_FILE (read on every
 * connect) or, in development only, be minted with the HS256 secret.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { ConfigError } from "@care-gateway/server";
import { loadBridgeConfig } from "@care-gateway/bridge";
import { fakeUnit } from "./helpers/fake-unit.js";
import { TEST_SECRET, startGateway } from "./helpers/test-gateway.js";
import { bridgeToken } from "./helpers/tokens.js";
import { api, startBridge } from "./api-bridge-fixtures.js";

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadBridgeConfig(env, mkdtempSync(join(tmpdir(), "bridge-config-")));
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("API Bridge: configuration", () => {
  it("has defaults: port 3001, caller auth on, a bounded idempotency store, and is frozen", () => {
    const config = loadBridgeConfig({ NODE_ENV: "test", JWT_SECRET: TEST_SECRET, BRIDGE_TOKEN: bridgeToken() });
    expect(config).to.deep.include({ port: 3001, host: "0.0.0.0", callerAuth: "jwt", gatewayUrl: "http://127.0.0.1:3000" });
    expect(config.idempotency).to.deep.equal({ ttlMs: 24 * 3600 * 1000, maxKeys: 10_000 });
    expect(config.bridgeToken.kind).to.equal("static");
    expect(config.jwt?.secret).to.equal(TEST_SECRET);
    expect(Object.isFrozen(config) && Object.isFrozen(config.idempotency)).to.equal(true);
  });

  it("names the variable at fault", () => {
    const base = { NODE_ENV: "test", JWT_SECRET: TEST_SECRET, BRIDGE_TOKEN: bridgeToken() };
    expect(configError({ ...base, BRIDGE_PORT: "70000" }).variable).to.equal("BRIDGE_PORT");
    expect(configError({ ...base, BRIDGE_AUTH: "maybe" }).variable).to.equal("BRIDGE_AUTH");
    expect(configError({ ...base, GATEWAY_URL: "ftp://gateway" }).variable).to.equal("GATEWAY_URL");
    expect(configError({ ...base, BRIDGE_IDEMPOTENCY_MAX_KEYS: "0" }).variable).to.equal("BRIDGE_IDEMPOTENCY_MAX_KEYS");
    expect(configError({ ...base, BRIDGE_TOKEN_FILE: "/tmp/token" }).variable).to.equal("BRIDGE_TOKEN_FILE");
    expect(configError({ ...base, JWT_SECRET: "short" }).variable, "the gateway's own key checks").to.equal("JWT_SECRET");
    expect(configError({ ...base, BRIDGE_RECONNECT_BASE_MS: "9000", BRIDGE_RECONNECT_MAX_MS: "100" }).variable).to.equal("BRIDGE_RECONNECT_BASE_MS");
  });

  it("in production requires GATEWAY_URL, BRIDGE_TOKEN and, with caller auth on, a key", () => {
    expect(configError({ NODE_ENV: "production", JWT_SECRET: TEST_SECRET, BRIDGE_TOKEN: bridgeToken() }).variable).to.equal("GATEWAY_URL");
    expect(configError({ NODE_ENV: "production", JWT_SECRET: TEST_SECRET, GATEWAY_URL: "http://gw:3000" }).variable).to.equal("BRIDGE_TOKEN");
    expect(configError({ NODE_ENV: "production", GATEWAY_URL: "http://gw:3000", BRIDGE_TOKEN: bridgeToken() }).variable).to.equal("JWT_SECRET");
    const open = loadBridgeConfig({ NODE_ENV: "production", GATEWAY_URL: "http://gw:3000", BRIDGE_TOKEN: bridgeToken(), BRIDGE_AUTH: "off" });
    expect(open.callerAuth).to.equal("off");
    expect(open.jwt, "no key needed: callers are not checked and the token is given").to.equal(undefined);
  });

  it("reads its /bridge token from BRIDGE_TOKEN_FILE", async () => {
    const gw = await startGateway();
    await fakeUnit(gw.url, "U-1");
    const file = join(mkdtempSync(join(tmpdir(), "bridge-token-")), "token");
    writeFileSync(file, `${bridgeToken("bridge-from-file")}\n`);
    const bridge = await startBridge(gw, { env: { BRIDGE_TOKEN: "", BRIDGE_TOKEN_FILE: file } });
    expect(bridge.config.bridgeToken).to.deep.equal({ kind: "file", path: file });
    expect((await api(bridge, "GET", "/v1/units")).body.data.totals.bridge).to.equal(1);
  });

  it("mints its own /bridge token with the HS256 secret outside production when none is given", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const bridge = await startBridge(gw, { env: { BRIDGE_TOKEN: "", BRIDGE_SUB: "dev-bridge" } });
    expect(bridge.config.bridgeToken.kind).to.equal("dev");
    expect((await api(bridge, "POST", "/v1/units/U-1/requests", { body: { type: "unit.ping", payload: {} } })).status).to.equal(200);
    expect(unit.requests[0]?.from).to.deep.equal({ role: "bridge", sub: "dev-bridge" });
  });
});
