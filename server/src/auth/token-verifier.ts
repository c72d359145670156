/**
 * Verifies a JWT and turns its claims into a Principal. The keys tried are those the configuration
 * allows for the token's `alg` (HS256 only with the secrets, RS256/ES256 only with public keys, by
 * `kid` from the JWKS), so `none` and HS/RS confusion cannot happen. During a rotation two secrets
 * or several public keys are valid at once. Failures carry a protocol code and nothing more.
 */
import { createPublicKey, createSecretKey, type KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import { ALL_UNITS, ConnectErrorCode, Role, SOCKET_ROLES, UNIT_ID_PATTERN, type SocketRole } from "@care-gateway/shared";
import type { JwtConfig } from "../config/gateway-config.js";
import { AuthFailure } from "./auth-failure.js";
import { hmacClaims, isHmacAlgorithm } from "./hmac-token.js";
import type { JwksKeys } from "./jwks-keys.js";
import type { Principal } from "./principal.js";

export { AuthFailure };

const MAX_TOKEN_LENGTH = 8192;
const MAX_UNITS_CLAIM = 10_000;
const MAX_SUB_LENGTH = 256;

/** A caller verified for a role set of its own (`verifyCaller`): the API Bridge's REST callers (role `api`). */
export interface VerifiedCaller {
  sub: string;
  role: Role;
  /** Space-separated `scope` claim, split; undefined means the role's defaults. */
  scopes: readonly string[] | undefined;
  /** Token expiry, epoch seconds. */
  exp: number;
  iat?: number;
}

const ROLES: readonly string[] = Object.values(Role);

interface Candidate {
  key: KeyObject;
  algorithms: jwt.Algorithm[];
}

export class TokenVerifier {
  readonly #secrets: Candidate[];
  readonly #publicKeys: Candidate[];

  constructor(
    private readonly config: JwtConfig,
    private readonly jwks?: JwksKeys,
  ) {
    // Key objects made once: jsonwebtoken would otherwise parse a string secret on every token.
    const secrets = [config.secret, config.previousSecret].filter((s): s is string => s !== undefined);
    this.#secrets = secrets.map((secret) => ({ key: createSecretKey(Buffer.from(secret, "utf8")), algorithms: config.secretAlgorithms }));
    this.#publicKeys = config.publicKeys.map(({ pem, algorithms }) => ({ key: createPublicKey(pem), algorithms }));
  }

  /** Returns the principal or throws AuthFailure. */
  async verify(token: unknown): Promise<Principal> {
    return toPrincipal(await this.#claims(token));
  }

  /**
   * Verifies a token with the same keys and checks as `verify`, for a caller outside the namespaces:
   * its role must be one of `roles` (else AUTH_FORBIDDEN). The API Bridge checks its REST callers
   * (role `api`, accepted on no namespace) with it. Throws AuthFailure.
   */
  async verifyCaller(token: unknown, roles: readonly Role[]): Promise<VerifiedCaller> {
    const claims = await this.#claims(token);
    const { sub, role, exp } = claims;
    if (typeof sub !== "string" || sub.length === 0 || sub.length > MAX_SUB_LENGTH) throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
    if (typeof exp !== "number") throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
    if (typeof role !== "string" || !ROLES.includes(role)) throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
    if (!(roles as readonly string[]).includes(role)) throw new AuthFailure(ConnectErrorCode.AUTH_FORBIDDEN);
    return {
      sub,
      role: role as Role,
      scopes: readScopeClaim(claims["scope"]),
      exp,
      ...(typeof claims.iat === "number" ? { iat: claims.iat } : {}),
    };
  }

  /** The verified claims of a token, or AuthFailure. */
  async #claims(token: unknown): Promise<jwt.JwtPayload> {
    if (typeof token !== "string" || token.length === 0) throw new AuthFailure(ConnectErrorCode.AUTH_REQUIRED);
    if (token.length > MAX_TOKEN_LENGTH) throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === "string") throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
    const { alg, kid } = decoded.header;
    const candidates = await this.#candidates(alg, kid);
    for (const candidate of candidates) {
      // A secret and an HMAC alg: checked here with jsonwebtoken's rules (hmac-token.ts); anything else by jsonwebtoken.
      const claims =
        candidate.key.type === "secret" && isHmacAlgorithm(alg) ? hmacClaims(token, alg, candidate.key, decoded.payload, this.config) : this.#tryKey(token, candidate);
      if (claims) return claims;
    }
    throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
  }

  /** The keys allowed to verify a token of this `alg` (and `kid`): chosen by configuration, never by the token. */
  async #candidates(alg: string, kid: string | undefined): Promise<Candidate[]> {
    const allows = (c: Candidate) => (c.algorithms as string[]).includes(alg);
    if (kid !== undefined && this.jwks) {
      const found = await this.jwks.key(kid);
      return found && (found.algorithms as string[]).includes(alg) ? [found] : [];
    }
    return [...this.#secrets, ...this.#publicKeys].filter(allows);
  }

  /** Claims when this key verifies the token; undefined when the signature does not match it. */
  #tryKey(token: string, candidate: Candidate): jwt.JwtPayload | undefined {
    try {
      return jwt.verify(token, candidate.key, {
        algorithms: candidate.algorithms,
        clockTolerance: this.config.clockToleranceS,
        ...(this.config.issuer ? { issuer: this.config.issuer } : {}),
        ...(this.config.audience ? { audience: this.config.audience } : {}),
      }) as jwt.JwtPayload;
    } catch (error) {
      // The signature is checked first: any later failure means this was the right key.
      if (error instanceof jwt.TokenExpiredError) throw new AuthFailure(ConnectErrorCode.AUTH_EXPIRED);
      if (error instanceof jwt.JsonWebTokenError && error.message === "invalid signature") return undefined;
      throw new AuthFailure(ConnectErrorCode.AUTH_INVALID);
    }
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
