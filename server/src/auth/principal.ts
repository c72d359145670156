/** Who is on the other end of a socket, as established by its token. */
import type { SocketRole } from "@care-gateway/shared";

export interface Principal {
  sub: string;
  role: SocketRole;
  /** Portal only: the units this principal may reach; "all" for the `["*"]` claim. */
  units: ReadonlySet<string> | "all";
  /** Space-separated `scope` claim, split; undefined means the role's defaults. */
  scopes: readonly string[] | undefined;
  /** Token expiry, epoch seconds. */
  exp: number;
  /** Token issue time, epoch seconds, when the token says. */
  iat?: number;
}

/** Whether this principal may reach the unit: bridge and admin reach all units, a portal those its token lists. */
export function mayReachUnit(principal: Principal, unitId: string): boolean {
  if (principal.role !== "portal") return principal.role === "bridge" || principal.role === "admin";
  return principal.units === "all" || principal.units.has(unitId);
}

/** Who a principal is, as requests (`from`) and audit records (`actor`) name it. */
export interface Identity {
  readonly sub: string;
  readonly role: SocketRole;
}

const IDENTITIES = new WeakMap<Principal, Identity>();

/**
 * The principal's identity, made once per principal (a refreshed token is a new principal) instead
 * of once per request and record: it is frozen, so every request and record can share it. `sub`
 * comes first, as audit lines have always written it.
 */
export function identityOf(principal: Principal): Identity {
  let identity = IDENTITIES.get(principal);
  if (!identity) {
    identity = Object.freeze({ sub: principal.sub, role: principal.role });
    IDENTITIES.set(principal, identity);
  }
  return identity;
}
