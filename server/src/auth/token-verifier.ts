/**
 * Verifies a JWT and turns its claims into a Principal. The key is chosen by the algorithm family
 * the configuration allows for it (HS256 only with the secret, RS256/ES256 only with the public key),
 * so `none` and HS/RS confusion cannot happen. Failures carry a protocol code and nothing more.
 */
import jwt from "jsonwebtoken";
import { ALL_UNITS, ConnectErrorCode, Role, SOCKET_ROLES, UNIT_ID_PATTERN, type SocketRole } from "@care-gateway/shared";
import type { JwtConfig } from "../config/gateway-config.js";
import type { Principal } from "./principal.js";

export class AuthFailure extends Error {
  constructor(readonly code: ConnectErrorCode) {
    super(code);
    this.name = "AuthFailure";
  }
}

const MAX_TOKEN_LENGTH = 8192;
const MAX_UNITS_CLAIM = 10_000;
const MAX_SUB_LENGTH = 256;

export class TokenVerifier {
  constructor(private readonly config: JwtConfig) {}

  /** Returns the principal or throws AuthFailure. */
  verify(token: unknown): Principal {
    if (typeof token !== "string" || token.length === 0) throw new AuthFailure(ConnectErrorCode.AUTH_REQUIRED);
    if (token.length > MAX_TOKEN_LENGTH) throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === "string") throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
    const { key, algorithms } = this.keyFor(decoded.header.alg);
    let claims: jwt.JwtPayload;
    try {
      claims = jwt.verify(token, key, {
        algorithms,
        clockTolerance: this.config.clockToleranceS,
        ...(this.config.issuer ? { issuer: this.config.issuer } : {}),
        ...(this.config.audience ? { audience: this.config.audience } : {}),
      }) as jwt.JwtPayload;
    } catch (error) {
      throw new AuthFailure(error instanceof jwt.TokenExpiredError ? ConnectErrorCode.AUTH_EXPIRED : ConnectErrorCode.AUTH_INVALID);
    }
    return toPrincipal(claims);
  }

  private keyFor(alg: string): { key: string; algorithms: jwt.Algorithm[] } {
    const { secret, publicKey, secretAlgorithms, publicKeyAlgorithms } = this.config;
    if (secret && (secretAlgorithms as string[]).includes(alg)) return { key: secret, algorithms: secretAlgorithms };
    if (publicKey && (publicKeyAlgorithms as string[]).includes(alg)) return { key: publicKey, algorithms: publicKeyAlgorithms };
    throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
  }
}

function toPrincipal(claims: jwt.JwtPayload): Principal {
  const { sub, role, exp } = claims;
  if (typeof sub !== "string" || sub.length === 0 || sub.length > MAX_SUB_LENGTH) throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
  if (typeof exp !== "number") throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
  if (role === Role.API) throw new AuthFailure(ConnectErrorCode.AUTH_FORBIDDEN);
  if (typeof role !== "string" || !(SOCKET_ROLES as readonly string[]).includes(role)) throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
  const socketRole = role as SocketRole;
  if (socketRole === Role.UNIT && !UNIT_ID_PATTERN.test(sub)) throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
  return {
    sub,
    role: socketRole,
    units: socketRole === Role.PORTAL ? readUnitsClaim(claims["units"]) : new Set(),
    scopes: readScopeClaim(claims["scope"]),
    exp,
    ...(typeof claims.iat === "number" ? { iat: claims.iat } : {}),
  };
}

function readUnitsClaim(value: unknown): Principal["units"] {
  if (value === undefined) return new Set();
  if (!Array.isArray(value) || value.length > MAX_UNITS_CLAIM) throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
  if (value.length === 1 && value[0] === ALL_UNITS) return "all";
  for (const unit of value) {
    if (typeof unit !== "string" || !UNIT_ID_PATTERN.test(unit)) throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
  }
  return new Set(value as string[]);
}

function readScopeClaim(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.length > 4096) throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
  return value.split(" ").filter((s) => s.length > 0);
}
