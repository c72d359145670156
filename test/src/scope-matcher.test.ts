/**
 * The compiled scope check (server/src/auth/scopes.ts) agrees with the plain definition
 * (`action:type` starts with a pattern's text before its `*`, or equals a pattern without one) over
 * every combination of awkward patterns, actions and types, for scope lists given in a token and for
 * the role defaults; and a principal's list compiled once still answers for each type asked.
 */
import { expect } from "chai";
import { prng } from "./helpers/prng.js";

type ScopeAction = "request" | "publish";
interface Principal {
  sub: string;
  role: string;
  units: "all";
  scopes: readonly string[] | undefined;
  exp: number;
}
interface ScopesModule {
  scopeAllows(principal: Principal, action: ScopeAction, type: string): boolean;
}

const MODULE = new URL("../../server/dist/auth/scopes.js", import.meta.url).href;
const { scopeAllows } = (await import(MODULE)) as ScopesModule;

/** The definition, one string per call: what the compiled check must always agree with. */
function scopeAllowsPlain(scopes: readonly string[], action: ScopeAction, type: string): boolean {
  const wanted = `${action}:${type}`;
  for (const scope of scopes) {
    if (scope.endsWith("*") ? wanted.startsWith(scope.slice(0, -1)) : scope === wanted) return true;
  }
  return false;
}

const PATTERNS = [
  "*", "r*", "request*", "request:*", "request:unit.*", "request:unit.ping", "request:unit.", "request:", "request",
  "publish:*", "publish:payment.*", "publish:payment.completed", "publish*", "p*", "pub", "requestx:*", "request:*x",
  "request:unit.ping*", "unit.ping", ":*", "request::*", "request:a:b", "",
];
const TYPES = ["unit.ping", "unit.info", "unit.", "unit", "", "payment.completed", "payment", "appointment.create", "a:b", ":x", "unit.ping.extra", "*", "request:unit.ping"];
const ACTIONS: ScopeAction[] = ["request", "publish"];

const principal = (role: string, scopes: readonly string[] | undefined): Principal => ({ sub: "s", role, units: "all", scopes, exp: 0 });

describe("security: compiled scope check", () => {
  it("agrees with the plain definition for single patterns and random lists", () => {
    const random = prng(0x5c0be);
    const lists: string[][] = [[], ...PATTERNS.map((p) => [p])];
    for (let i = 0; i < 400; i++) {
      const n = 1 + Math.floor(random() * 4);
      lists.push(Array.from({ length: n }, () => PATTERNS[Math.floor(random() * PATTERNS.length)] as string));
    }
    let allowed = 0;
    let checked = 0;
    for (const scopes of lists) {
      const who = principal("bridge", scopes);
      for (const action of ACTIONS) {
        for (const type of TYPES) {
          const expected = scopeAllowsPlain(scopes, action, type);
          // Asked twice: the first call compiles, the second uses what was compiled.
          expect(scopeAllows(who, action, type), `${JSON.stringify(scopes)} ${action}:${type}`).to.equal(expected);
          expect(scopeAllows(who, action, type)).to.equal(expected);
          if (expected) allowed++;
          checked++;
        }
      }
    }
    // Both answers occur often, or the comparison would prove little.
    expect(allowed).to.be.above(checked / 5);
    expect(allowed).to.be.below((checked * 4) / 5);
  });

  it("gives each role its defaults when the claim is absent", () => {
    for (const type of TYPES) {
      expect(scopeAllows(principal("bridge", undefined), "request", type)).to.equal(true);
      expect(scopeAllows(principal("bridge", undefined), "publish", type)).to.equal(true);
      expect(scopeAllows(principal("portal", undefined), "request", type)).to.equal(true);
      expect(scopeAllows(principal("portal", undefined), "publish", type)).to.equal(false);
      expect(scopeAllows(principal("unit", undefined), "request", type)).to.equal(false);
    }
  });
});
