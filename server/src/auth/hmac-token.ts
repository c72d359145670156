/**
 * HS256/384/512 tokens checked with a secret KeyObject the way jsonwebtoken 9 checks them, without
 * its per-call machinery: jsonwebtoken decodes the token twice more (its own decode, then `jws`),
 * copies its options, goes through callbacks, and `jwa` encodes the HMAC to base64 and rewrites it
 * with three regular expressions. In the reconnect storm that was the largest single cost of a
 * unit's handshake (docs/benchmarks.md). The rules are jsonwebtoken's, in its order; the token was
 * already decoded by `jwt.decode`, and its `alg` is one the key allows.
 */
import { createHmac, timingSafeEqual, type KeyObject } from "node:crypto";
import { ConnectErrorCode } from "@care-gateway/shared";
import type jwt from "jsonwebtoken";
import { AuthFailure } from "./auth-failure.js";

const HMAC_HASHES: Readonly<Record<string, string>> = { HS256: "sha256", HS384: "sha384", HS512: "sha512" };

/** Whether this `alg` is one `hmacClaims` checks. */
export function isHmacAlgorithm(alg: string): boolean {
  return Object.hasOwn(HMAC_HASHES, alg);
}

export interface ClaimRules {
  clockToleranceS: number;
  issuer?: string | undefined;
  audience?: string | undefined;
}

/**
 * The token's claims when `key` signed it (`alg`, HMAC); undefined when the signature is not this
 * key's. Throws AuthFailure when it is, but the token is refused: AUTH_EXPIRED when expired,
 * AUTH_INVALID for anything else (not yet valid, malformed time claims, issuer, audience).
 */
export function hmacClaims(token: string, alg: string, key: KeyObject, payload: unknown, rules: ClaimRules): jwt.JwtPayload | undefined {
  const hash = HMAC_HASHES[alg];
  if (hash === undefined) throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
  const dot = token.lastIndexOf(".");
  const signature = token.slice(dot + 1);
  if (signature.trim() === "") throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
  const expected = createHmac(hash, key).update(token.slice(0, dot)).digest("base64url");
  if (!sameText(signature, expected)) return undefined;
  return checkRegisteredClaims(payload, rules);
}

/** jsonwebtoken's checks after the signature, for the options the gateway uses: nbf, exp, aud, iss. */
export function checkRegisteredClaims(payload: unknown, rules: ClaimRules, nowS = Math.floor(Date.now() / 1000)): jwt.JwtPayload {
  if (typeof payload !== "object" || payload === null) throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
  const claims = payload as jwt.JwtPayload;
  const tolerance = rules.clockToleranceS || 0;
  if (claims.nbf !== undefined) {
    if (typeof claims.nbf !== "number" || claims.nbf > nowS + tolerance) throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
  }
  if (claims.exp !== undefined) {
    if (typeof claims.exp !== "number") throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
    if (nowS >= claims.exp + tolerance) throw new AuthFailure(ConnectErrorCode.AUTH_EXPIRED);
  }
  if (rules.audience) {
    const audiences: unknown[] = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(rules.audience)) throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
  }
  if (rules.issuer && claims.iss !== rules.issuer) throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
  return claims;
}

/** Constant-time comparison of two signatures as text (jwa compares the base64url strings). */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
