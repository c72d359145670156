/**
 * HMAC tokens (HS256/384/512 with the secrets) are checked by the gateway's own code
 * (server/src/auth/hmac-token.ts) instead of jsonwebtoken's `verify`, for speed. This pins it to
 * jsonwebtoken: over tokens that differ in signature, algorithm, time claims, issuer, audience and
 * payload shape, the verifier accepts exactly what `jwt.verify` accepts (tried with each secret in
 * turn, as before) and refuses with the same code (AUTH_EXPIRED for expiry, AUTH_INVALID otherwise).
 */
import { expect } from "chai";
import { createHmac, randomBytes } from "node:crypto";
import jwt from "jsonwebtoken";
import { AuthFailure, TokenVerifier, type GatewayConfig } from "@care-gateway/server";
import { Role } from "@care-gateway/shared";

type JwtConfig = GatewayConfig["jwt"];
type Outcome = { ok: true; sub: string; exp: number } | { ok: false; code: string };

const SECRET = randomBytes(32).toString("hex");
const PREVIOUS = randomBytes(32).toString("hex");
const OTHER = randomBytes(32).toString("hex");
const ROLES = Object.values(Role);

function config(overrides: Partial<JwtConfig> = {}): JwtConfig {
  return {
    secret: SECRET,
    previousSecret: PREVIOUS,
    publicKeys: [],
    secretAlgorithms: ["HS256", "HS384", "HS512"],
    publicKeyAlgorithms: [],
    clockToleranceS: 5,
    source: "test",
    ...overrides,
  };
}

/** What the verifier said before: jsonwebtoken with each secret in turn, then the caller checks. */
function reference(token: string, cfg: JwtConfig): Outcome {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === "string") return { ok: false, code: "AUTH_INVALID" };
  const secrets = [cfg.secret, cfg.previousSecret].filter((s): s is string => s !== undefined);
  if (!(cfg.secretAlgorithms as string[]).includes(decoded.header.alg)) return { ok: false, code: "AUTH_INVALID" };
  for (const secret of secrets) {
    let claims: jwt.JwtPayload;
    try {
      claims = jwt.verify(token, secret, {
        algorithms: cfg.secretAlgorithms,
        clockTolerance: cfg.clockToleranceS,
        ...(cfg.issuer ? { issuer: cfg.issuer } : {}),
        ...(cfg.audience ? { audience: cfg.audience } : {}),
      }) as jwt.JwtPayload;
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) return { ok: false, code: "AUTH_EXPIRED" };
      if (error instanceof jwt.JsonWebTokenError && error.message === "invalid signature") continue;
      return { ok: false, code: "AUTH_INVALID" };
    }
    const { sub, exp, role } = claims;
    if (typeof sub !== "string" || sub.length === 0 || typeof exp !== "number" || typeof role !== "string" || !(ROLES as string[]).includes(role)) {
      return { ok: false, code: "AUTH_INVALID" };
    }
    return { ok: true, sub, exp };
  }
  return { ok: false, code: "AUTH_INVALID" };
}

async function verified(token: string, cfg: JwtConfig): Promise<Outcome> {
  try {
    const caller = await new TokenVerifier(cfg).verifyCaller(token, ROLES);
    return { ok: true, sub: caller.sub, exp: caller.exp };
  } catch (error) {
    if (error instanceof AuthFailure) return { ok: false, code: error.code };
    throw error;
  }
}

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

/** A token with any header and payload text, its HMAC-SHA256 signature made with `secret` (the signing input as jws makes it). */
function raw(header: unknown, payload: unknown, secret = SECRET): string {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { sub: "api-bridge", role: "bridge", iat: now(), exp: now() + 600, ...extra };
}

function tokens(): Record<string, string> {
  const sign = (payload: object, secret = SECRET, alg: jwt.Algorithm = "HS256", header: Partial<jwt.JwtHeader> = {}) =>
    jwt.sign(payload, secret, { algorithm: alg, header: { alg, typ: "JWT", ...header } as jwt.JwtHeader });
  const good = sign(claims());
  const [h, p, s] = good.split(".") as [string, string, string];
  const lastChar = s.slice(-1);
  return {
    hs256: good,
    hs384: sign(claims(), SECRET, "HS384"),
    hs512: sign(claims(), SECRET, "HS512"),
    previousSecret: sign(claims(), PREVIOUS),
    otherSecret: sign(claims(), OTHER),
    tamperedSignature: `${h}.${p}.${s.slice(0, -2)}${s.slice(-2) === "AA" ? "AB" : "AA"}`,
    nonCanonicalSignature: `${h}.${p}.${s.slice(0, -1)}${String.fromCharCode(lastChar.charCodeAt(0) ^ 1)}`,
    tamperedPayload: `${h}.${b64(claims({ role: "admin" }))}.${s}`,
    emptySignature: `${h}.${p}.`,
    paddedSignature: `${h}.${p}.${s}=`,
    noneAlgorithm: jwt.sign(claims(), "", { algorithm: "none" }),
    rsHeaderWithHmac: raw({ alg: "RS256", typ: "JWT" }, claims()),
    expired: sign(claims({ exp: now() - 30 })),
    expiredWithinTolerance: sign(claims({ exp: now() - 2 })),
    notYetValid: sign(claims({ nbf: now() + 30 })),
    notYetValidWithinTolerance: sign(claims({ nbf: now() + 2 })),
    notYetValidAndExpired: sign(claims({ nbf: now() + 30, exp: now() - 30 })),
    nbfText: raw({ alg: "HS256", typ: "JWT" }, claims({ nbf: String(now()) })),
    expText: raw({ alg: "HS256", typ: "JWT" }, claims({ exp: String(now() + 600) })),
    noExp: sign({ sub: "api-bridge", role: "bridge" }),
    issuerRight: sign(claims({ iss: "issuer-1" })),
    issuerWrong: sign(claims({ iss: "issuer-2" })),
    audienceRight: sign(claims({ aud: "aud-1" })),
    audienceInList: sign(claims({ aud: ["aud-0", "aud-1"] })),
    audienceWrong: sign(claims({ aud: ["aud-0"] })),
    issuerAndAudience: sign(claims({ iss: "issuer-1", aud: "aud-1" })),
    nullPayload: raw({ alg: "HS256", typ: "JWT" }, "null"),
    numberPayload: raw({ alg: "HS256", typ: "JWT" }, "5"),
    arrayPayload: raw({ alg: "HS256" }, [1, 2]),
    textPayload: raw({ alg: "HS256" }, "not json"),
    garbage: "a.b.c",
    twoParts: `${h}.${p}`,
  };
}

describe("auth: HMAC tokens checked as jsonwebtoken checks them", () => {
  const configs: Record<string, JwtConfig> = {
    "HS256/384/512, two secrets, 5 s tolerance": config(),
    "HS256 only, no tolerance": config({ secretAlgorithms: ["HS256"], clockToleranceS: 0, previousSecret: undefined }),
    "issuer and audience required": config({ issuer: "issuer-1", audience: "aud-1" }),
  };
  for (const [name, cfg] of Object.entries(configs)) {
    it(`accepts and refuses the same tokens as jwt.verify: ${name}`, async () => {
      const all = tokens();
      const differ: string[] = [];
      let accepted = 0;
      for (const [label, token] of Object.entries(all)) {
        const expected = reference(token, cfg);
        const actual = await verified(token, cfg);
        if (expected.ok) accepted++;
        if (JSON.stringify(actual) !== JSON.stringify(expected)) differ.push(`${label}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      }
      expect(differ).to.deep.equal([]);
      expect(accepted, "some tokens are accepted").to.be.greaterThan(0);
    });
  }
});
