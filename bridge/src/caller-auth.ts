/**
 * Who is calling the bridge. By default a Bearer JWT of role `api`, verified by the gateway's own
 * TokenVerifier with the gateway's key configuration (`verifyCaller`, since role `api` is accepted on
 * no namespace). With BRIDGE_AUTH=off every caller is the anonymous one: for trusted networks only.
 *
 * A verified token is remembered (by its exact text) until its `exp` or for VERIFIED_TOKEN_MAX_AGE_MS,
 * whichever comes first, so the API Gateway's token is not verified again on every call; a key
 * removed from the configuration (JWKS rotation) stops being honoured within that age.
 *
 * An `api` token may carry a `scope` claim to narrow what it may do, in the gateway's syntax
 * (a permission, or a prefix ending in `*`): `request:<type>`, `publish:<type>`, `units:read`,
 * `principals:revoke`. Without a `scope` claim every operation is allowed.
 */
import { ConnectErrorCode, ErrorCode, Role } from "@care-gateway/shared";
import { AuthFailure, type TokenVerifier } from "@care-gateway/server";
import type { CallerAuth } from "./config.js";
import { AUTH_CODES, type AuthCode } from "./error-codes.js";
import { errorOutcome, type Outcome } from "./outcome.js";

export interface Caller {
  sub: string;
  /** Undefined: every operation (no `scope` claim, or authentication off). */
  scopes: readonly string[] | undefined;
}

export const ANONYMOUS_CALLER: Caller = Object.freeze({ sub: "anonymous", scopes: undefined });

export type Permission = `request:${string}` | `publish:${string}` | "units:read" | "principals:revoke";

/** The roles the bridge's REST interface accepts. */
const CALLER_ROLES: readonly Role[] = [Role.API];
const BEARER = /^Bearer\s+(\S+)\s*$/i;
/** Verified tokens remembered at most: the API Gateway uses a handful. */
const VERIFIED_TOKENS_MAX = 1000;
const VERIFIED_TOKEN_MAX_AGE_MS = 60_000;

interface Verified {
  caller: Caller;
  /** Epoch ms until which the verification stands. */
  until: number;
}

export type Authentication = { ok: true; caller: Caller } | { ok: false; outcome: Outcome; code: AuthCode };

export class CallerAuthenticator {
  /** In insertion order: the oldest is dropped first. */
  readonly #verified = new Map<string, Verified>();
  #lastAuthorization: string | undefined;
  #lastToken: string | undefined;

  constructor(
    readonly mode: CallerAuth,
    private readonly verifier: TokenVerifier | undefined,
    private readonly now: () => number = Date.now,
  ) {
    if (mode === "jwt" && !verifier) throw new Error("caller authentication needs a token verifier");
  }

  /** The caller at once, without verifying, when authentication is off or the token was verified recently; else undefined. */
  known(authorization: string | undefined): Authentication | undefined {
    if (this.mode === "off" || !this.verifier) return { ok: true, caller: ANONYMOUS_CALLER };
    const token = this.#tokenOf(authorization);
    if (token === undefined) return undefined;
    const known = this.#verified.get(token);
    if (!known) return undefined;
    if (known.until > this.now()) return { ok: true, caller: known.caller };
    this.#verified.delete(token);
    return undefined;
  }

  async authenticate(authorization: string | undefined): Promise<Authentication> {
    const known = this.known(authorization);
    if (known) return known;
    const token = tokenOf(authorization);
    const now = this.now();
    try {
      const verified = await (this.verifier as TokenVerifier).verifyCaller(token, CALLER_ROLES);
      const caller: Caller = { sub: verified.sub, scopes: verified.scopes };
      if (token !== undefined) this.#remember(token, { caller, until: Math.min(verified.exp * 1000, now + VERIFIED_TOKEN_MAX_AGE_MS) });
      return { ok: true, caller };
    } catch (error) {
      if (!(error instanceof AuthFailure)) throw error;
      const code: AuthCode = (AUTH_CODES as readonly string[]).includes(error.code) ? (error.code as AuthCode) : ConnectErrorCode.AUTH_INVALID;
      return { ok: false, code, outcome: withChallenge(errorOutcome(code), code) };
    }
  }

  /** The API Gateway sends the same header on call after call: the last one's token is kept, not parsed again. */
  #tokenOf(authorization: string | undefined): string | undefined {
    if (authorization !== undefined && authorization === this.#lastAuthorization) return this.#lastToken;
    const token = tokenOf(authorization);
    this.#lastAuthorization = authorization;
    this.#lastToken = token;
    return token;
  }

  #remember(token: string, verified: Verified): void {
    if (this.#verified.size >= VERIFIED_TOKENS_MAX) {
      const oldest = this.#verified.keys().next();
      if (!oldest.done) this.#verified.delete(oldest.value);
    }
    this.#verified.set(token, verified);
  }
}

function tokenOf(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
}

export function callerMay(caller: Caller, permission: Permission): boolean {
  if (caller.scopes === undefined) return true;
  return caller.scopes.some((scope) => (scope.endsWith("*") ? permission.startsWith(scope.slice(0, -1)) : scope === permission));
}

export function forbidden(): Outcome {
  return errorOutcome(ErrorCode.FORBIDDEN);
}

/** RFC 6750: a 401 names the scheme; an invalid or expired token says so. */
function withChallenge(outcome: Outcome, code: AuthCode): Outcome {
  if (outcome.status !== 401) return outcome;
  const challenge = code === ConnectErrorCode.AUTH_REQUIRED ? 'Bearer realm="care-bridge"' : 'Bearer realm="care-bridge", error="invalid_token"';
  return { ...outcome, headers: { ...outcome.headers, "www-authenticate": challenge } };
}
