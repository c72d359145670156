/**
 * The `scope` claim: space-separated permissions such as `request:appointment.* publish:*`.
 * Absent means the role's defaults. A pattern ends in `*` (prefix) or names a type exactly.
 *
 * Every request asks this, so a principal's scopes are compiled once (per scope list, which a
 * principal keeps for its life) into what each action allows: everything, a set of exact types, or
 * type prefixes. A request then builds no `action:type` string and slices no pattern. The meaning is
 * the plain one: `action:type` starts with a pattern's text before its `*`, or equals a pattern
 * without one (test/src/scope-matcher.test.ts holds that definition and compares the two).
 */
import { Role } from "@care-gateway/shared";
import type { Principal } from "./principal.js";

export type ScopeAction = "request" | "publish";

const ACTIONS: readonly ScopeAction[] = ["request", "publish"];

const ROLE_DEFAULTS: Readonly<Record<string, readonly string[]>> = {
  [Role.PORTAL]: ["request:*"],
  [Role.BRIDGE]: ["request:*", "publish:*"],
};

/** What one action's patterns allow. */
interface ActionMatcher {
  /** A pattern allows every type. */
  readonly any: boolean;
  readonly exact: ReadonlySet<string>;
  /** Type prefixes (patterns ending in `*`, action and colon removed). */
  readonly prefixes: readonly string[];
}

type CompiledScopes = Readonly<Record<ScopeAction, ActionMatcher>>;

const COMPILED = new WeakMap<readonly string[], CompiledScopes>();
const NO_SCOPES = compile([]);
const COMPILED_DEFAULTS: Readonly<Record<string, CompiledScopes>> = Object.fromEntries(Object.entries(ROLE_DEFAULTS).map(([role, scopes]) => [role, compile(scopes)]));

export function scopeAllows(principal: Principal, action: ScopeAction, type: string): boolean {
  const { scopes } = principal;
  let compiled: CompiledScopes | undefined;
  if (scopes === undefined) compiled = COMPILED_DEFAULTS[principal.role] ?? NO_SCOPES;
  else {
    compiled = COMPILED.get(scopes);
    if (!compiled) {
      compiled = compile(scopes);
      COMPILED.set(scopes, compiled);
    }
  }
  const matcher = compiled[action];
  if (matcher.any || matcher.exact.has(type)) return true;
  for (const prefix of matcher.prefixes) if (type.startsWith(prefix)) return true;
  return false;
}

function compile(scopes: readonly string[]): CompiledScopes {
  const entries = ACTIONS.map((action): [ScopeAction, ActionMatcher] => {
    const head = `${action}:`;
    let any = false;
    const exact = new Set<string>();
    const prefixes: string[] = [];
    for (const scope of scopes) {
      if (scope.endsWith("*")) {
        const pattern = scope.slice(0, -1);
        // `wanted` = head + type starts with `pattern`: either the pattern ends within the head …
        if (pattern.length <= head.length) any ||= head.startsWith(pattern);
        // … or it covers the head, and the type must start with the rest.
        else if (pattern.startsWith(head)) prefixes.push(pattern.slice(head.length));
      } else if (scope.startsWith(head)) exact.add(scope.slice(head.length));
    }
    return [action, { any: any || prefixes.includes(""), exact, prefixes }];
  });
  return Object.fromEntries(entries) as Record<ScopeAction, ActionMatcher>;
}
