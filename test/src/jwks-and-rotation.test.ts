/** Keys: a JWKS URL (cached, refetched on an unknown kid, rate-limited) and rotation with two keys valid at once. */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import jwt from "jsonwebtoken";
import { ConnectErrorCode, Namespace } from "@care-gateway/shared";
import { connect, rawSocket, refused } from "./helpers/raw-client.js";
import { registerTeardown } from "./helpers/teardown.js";
import { startGateway } from "./helpers/test-gateway.js";
import { token } from "./helpers/tokens.js";

interface Signer {
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
  pem: string;
}

function signer(kid: string, type: "rsa" | "ec"): Signer {
  const pair = type === "rsa" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    kid,
    privateKey: pair.privateKey,
    jwk: { ...pair.publicKey.export({ format: "jwk" }), kid, use: "sig" },
    pem: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

const claims = () => ({ sub: "U-1", role: "unit", exp: Math.floor(Date.now() / 1000) + 600 });
const sign = (s: Signer, alg: jwt.Algorithm, kid = s.kid) => jwt.sign(claims(), s.privateKey, { algorithm: alg, keyid: kid });

async function jwksServer(initial: Signer[]) {
  const state = { keys: initial, fetches: 0 };
  const server = createServer((_req, res) => {
    state.fetches++;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys: state.keys.map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  registerTeardown(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`, state };
}

describe("auth: JWKS and key rotation", () => {
  it("verifies RS256 and ES256 tokens by kid from a JWKS URL", async () => {
    const rsa = signer("rsa-1", "rsa");
    const ec = signer("ec-1", "ec");
    const jwks = await jwksServer([rsa, ec]);
    const gw = await startGateway({ JWT_SECRET: "", JWT_JWKS_URL: jwks.url });
    await connect(gw.url, Namespace.unit, sign(rsa, "RS256"));
    await connect(gw.url, Namespace.unit, sign(ec, "ES256"));
    const wrongAlg = await refused(rawSocket(gw.url, Namespace.unit, { auth: { token: sign(ec, "ES256", "rsa-1") } }));
    expect(wrongAlg.message).to.equal(ConnectErrorCode.AUTH_INVALID);
    expect(jwks.state.fetches).to.equal(1);
  });

  it("refetches once on an unknown kid (a rotated-in key), and rate-limits refetches for forged kids", async () => {
    const first = signer("k1", "rsa");
    const next = signer("k2", "rsa");
    const jwks = await jwksServer([first]);
    const gw = await startGateway({ JWT_SECRET: "", JWT_JWKS_URL: jwks.url, JWKS_MIN_REFETCH_S: "30" });
    jwks.state.keys = [first, next];
    await connect(gw.url, Namespace.unit, sign(next, "RS256"));
    expect(jwks.state.fetches).to.equal(2);
    for (let i = 0; i < 20; i++) {
      const forged = jwt.sign(claims(), next.privateKey, { algorithm: "RS256", keyid: `ghost-${i}` });
      expect((await refused(rawSocket(gw.url, Namespace.unit, { auth: { token: forged } }))).message).to.equal(ConnectErrorCode.AUTH_INVALID);
    }
    expect(jwks.state.fetches).to.equal(2);
  });

  it("accepts the current and the previous HS256 secret during a rotation, and nothing else", async () => {
    const previous = "p".repeat(40);
    const gw = await startGateway({ JWT_SECRET_PREVIOUS: previous });
    await connect(gw.url, Namespace.unit, token({ sub: "U-1", role: "unit" }));
    await connect(gw.url, Namespace.unit, token({ sub: "U-2", role: "unit" }, { secret: previous }));
    const other = await refused(rawSocket(gw.url, Namespace.unit, { auth: { token: token({ sub: "U-3", role: "unit" }, { secret: "o".repeat(40) }) } }));
    expect(other.message).to.equal(ConnectErrorCode.AUTH_INVALID);
  });

  it("accepts tokens from each of several public keys during a rotation", async () => {
    const oldKey = signer("old", "rsa");
    const newKey = signer("new", "ec");
    const gw = await startGateway({ JWT_SECRET: "", JWT_PUBLIC_KEY: `${oldKey.pem}\n${newKey.pem}` });
    await connect(gw.url, Namespace.unit, jwt.sign(claims(), oldKey.privateKey, { algorithm: "RS256" }));
    await connect(gw.url, Namespace.unit, jwt.sign(claims(), newKey.privateKey, { algorithm: "ES256" }));
    const confused = jwt.sign(claims(), Buffer.from(oldKey.pem), { algorithm: "HS256" });
    expect((await refused(rawSocket(gw.url, Namespace.unit, { auth: { token: confused } }))).message).to.equal(ConnectErrorCode.AUTH_INVALID);
  });
});
