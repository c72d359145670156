/** Configuration: defaults, validation naming the variable, production without a key refused, dev secret never fixed. */
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPairSync } from "node:crypto";
import { expect } from "chai";
import { ConfigError, loadConfig } from "@care-gateway/server";

const secret = "s".repeat(32);
const tempDir = () => mkdtempSync(join(tmpdir(), "care-gw-config-"));

describe("config: environment", () => {
  it("applies the documented defaults", () => {
    const config = loadConfig({ JWT_SECRET: secret }, tempDir());
    expect(config).to.deep.include({ port: 3000, host: "0.0.0.0", requestTimeoutMs: 10_000, requestTimeoutMaxMs: 60_000, maxMessageBytes: 262_144, listenBacklog: 4096 });
    expect(config.jwt.secretAlgorithms).to.deep.equal(["HS256"]);
    expect(config.jwt.publicKeyAlgorithms).to.deep.equal([]);
    expect(config.redisUrl).to.equal(undefined);
    expect(Object.isFrozen(config) && Object.isFrozen(config.jwt)).to.equal(true);
  });

  it("names the variable at fault", () => {
    const cases: [Record<string, string>, string][] = [
      [{ JWT_SECRET: secret, PORT: "http" }, "PORT"],
      [{ JWT_SECRET: "short" }, "JWT_SECRET"],
      [{ JWT_SECRET: secret, REQUEST_TIMEOUT_MS: "90000" }, "REQUEST_TIMEOUT_MS"],
      [{ JWT_SECRET: secret, REDIS_URL: "http://x" }, "REDIS_URL"],
      [{ JWT_SECRET: secret, LOG_LEVEL: "loud" }, "LOG_LEVEL"],
      [{ JWT_SECRET: secret, LISTEN_BACKLOG: "0" }, "LISTEN_BACKLOG"],
      [{ JWT_PUBLIC_KEY: "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----" }, "JWT_PUBLIC_KEY"],
    ];
    for (const [env, variable] of cases) {
      expect(() => loadConfig(env, tempDir()), variable).to.throw(ConfigError).with.property("variable", variable);
    }
  });

  it("opens direct node links on the gateway's interface unless told otherwise", () => {
    expect(loadConfig({ JWT_SECRET: secret, HOST: "127.0.0.1" }, tempDir()).nodeLinks).to.deep.equal({ host: "127.0.0.1", port: 0 });
    expect(loadConfig({ JWT_SECRET: secret, NODE_LINK_HOST: "10.0.0.7", NODE_LINK_PORT: "7400" }, tempDir()).nodeLinks).to.deep.equal({ host: "10.0.0.7", port: 7400 });
    expect(loadConfig({ JWT_SECRET: secret }, tempDir()).nodeLinks?.host).to.be.a("string").and.not.equal("0.0.0.0");
    expect(loadConfig({ JWT_SECRET: secret, NODE_LINKS: "off" }, tempDir()).nodeLinks).to.equal(undefined);
    expect(() => loadConfig({ JWT_SECRET: secret, NODE_LINKS: "maybe" }, tempDir())).to.throw(ConfigError).with.property("variable", "NODE_LINKS");
  });

  it("refuses to start in production without a key", () => {
    expect(() => loadConfig({ NODE_ENV: "production" }, tempDir())).to.throw(ConfigError, /no token key is configured/);
  });

  it("generates a random development secret once, kept private, never a fixed one", () => {
    const dirA = tempDir();
    const first = loadConfig({}, dirA);
    const again = loadConfig({}, dirA);
    const other = loadConfig({}, tempDir());
    expect(first.jwt.source).to.equal("development secret");
    expect(first.jwt.secret).to.have.length.greaterThan(32);
    expect(again.jwt.secret).to.equal(first.jwt.secret);
    expect(other.jwt.secret).not.to.equal(first.jwt.secret);
    const file = first.jwt.devSecretFile ?? "";
    expect(readFileSync(file, "utf8").trim()).to.equal(first.jwt.secret);
    expect(statSync(file).mode & 0o077).to.equal(0);
  });

  it("derives algorithms from the public key type", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(loadConfig({ JWT_PUBLIC_KEY: rsa }, tempDir()).jwt.publicKeyAlgorithms).to.deep.equal(["RS256"]);
    expect(loadConfig({ JWT_PUBLIC_KEY: ec }, tempDir()).jwt.publicKeyAlgorithms).to.deep.equal(["ES256"]);
    expect(loadConfig({ JWT_PUBLIC_KEY: rsa }, tempDir()).jwt.secret).to.equal(undefined);
  });
});
