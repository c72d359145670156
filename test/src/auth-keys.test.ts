/** Public-key tokens (RS256, ES256) and the algorithm confusions an allow-list per key rules out. */
import { generateKeyPairSync } from "node:crypto";
import { expect } from "chai";
import jwt from "jsonwebtoken";
import { ConnectErrorCode, Namespace } from "@care-gateway/shared";
import { connect, rawSocket, refused } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";

function keyPair(type: "rsa" | "ec") {
  const pair = type === "rsa" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    publicPem: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
    privateKey: pair.privateKey,
  };
}

const claims = () => ({ sub: "U-1", role: "unit", exp: Math.floor(Date.now() / 1000) + 600 });

describe("auth: public keys and algorithm allow-lists", () => {
  it("accepts RS256 tokens with an RSA public key and refuses HS256 signed with that public key", async () => {
    const { publicPem, privateKey } = keyPair("rsa");
    const gw = await startGateway({ JWT_SECRET: "", JWT_PUBLIC_KEY: publicPem });
    await connect(gw.url, Namespace.unit, jwt.sign(claims(), privateKey, { algorithm: "RS256" }));
    const confused = jwt.sign(claims(), Buffer.from(publicPem), { algorithm: "HS256", allowInsecureKeySizes: true } as jwt.SignOptions);
    const error = await refused(rawSocket(gw.url, Namespace.unit, { auth: { token: confused } }));
    expect(error.message).to.equal(ConnectErrorCode.AUTH_INVALID);
  });

  it("accepts ES256 tokens with an EC public key and refuses RS256 ones", async () => {
    const ec = keyPair("ec");
    const rsa = keyPair("rsa");
    const gw = await startGateway({ JWT_SECRET: "", JWT_PUBLIC_KEY: ec.publicPem });
    await connect(gw.url, Namespace.unit, jwt.sign(claims(), ec.privateKey, { algorithm: "ES256" }));
    const error = await refused(rawSocket(gw.url, Namespace.unit, { auth: { token: jwt.sign(claims(), rsa.privateKey, { algorithm: "RS256" }) } }));
    expect(error.message).to.equal(ConnectErrorCode.AUTH_INVALID);
  });

  it("refuses HS384/HS512 even with the right secret (explicit allow-list)", async () => {
    const gw = await startGateway();
    const strong = jwt.sign(claims(), gw.secret, { algorithm: "HS512" });
    const error = await refused(rawSocket(gw.url, Namespace.unit, { auth: { token: strong } }));
    expect(error.message).to.equal(ConnectErrorCode.AUTH_INVALID);
  });
});
