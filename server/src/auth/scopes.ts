/**
 * The `scope` claim: space-separated permissions such as `request:appointment.* publish:*`.
 * Absent means the role's defaults. A pattern ends in `*` (prefix) or names a type exactly.
 */
import { Role } from "@care-gateway/shared";
import type { Principal } from "./principal.js";

export type ScopeAction = "request" | "publish";

const ROLE_DEFAULTS: Readonly<Record<string, readonly string[]>> = {
  [Role.PORTAL]: ["request:*"],
  [Role.BRIDGE]: ["request:*", "publish:*"],
};

export function scopeAllows(principal: Principal, action: ScopeAction, type: string): boolean {
  const scopes = principal.scopes ?? ROLE_DEFAULTS[principal.role] ?? [];
  const wanted = `${action}:${type}`;
  for (const scope of scopes) {
    if (scope.endsWith("*") ? wanted.startsWith(scope.slice(0, -1)) : scope === wanted) return true;
  }
  return false;
}
