/** Signed tokens for tests. */
import jwt from "jsonwebtoken";
import { TEST_SECRET } from "./test-gateway.js";

export interface TokenClaims {
  sub?: string;
  role?: string;
  units?: string[];
  scope?: string;
  [claim: string]: unknown;
}

/** An HS256 token valid for an hour, signed with the test secret unless `secret` is given. */
export function token(claims: TokenClaims, options: { secret?: string; expiresIn?: number } = {}): string {
  const body: Record<string, unknown> = { ...claims };
  if (body["exp"] === undefined) body["exp"] = Math.floor(Date.now() / 1000) + (options.expiresIn ?? 3600);
  return jwt.sign(body, options.secret ?? TEST_SECRET, { algorithm: "HS256" });
}

export const unitToken = (unitId: string) => token({ sub: unitId, role: "unit" });
export const portalToken = (sub: string, units: string[]) => token({ sub, role: "portal", units });
export const bridgeToken = (sub = "api-bridge") => token({ sub, role: "bridge" });
export const adminToken = (sub = "operator-1") => token({ sub, role: "admin" });
