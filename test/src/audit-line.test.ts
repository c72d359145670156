/**
 * An audit record's line written by hand (server/src/observability/audit-line.ts) is exactly
 * JSON.stringify of the record's fields object: over records with every field present or absent,
 * strings that need escaping (quotes, backslashes, control characters, lone surrogates, non-ASCII),
 * odd numbers, odd values where strings belong, and a frozen actor met again (served from its cache).
 */
import { expect } from "chai";
import { prng } from "./helpers/prng.js";

interface AuditLineModule {
  auditFields(node: string, entry: Record<string, unknown>, timestamp: string): object;
  auditLine(node: string, entry: Record<string, unknown>, timestamp: string): string;
}

const MODULE = new URL("../../server/dist/observability/audit-line.js", import.meta.url).href;
const { auditFields, auditLine } = (await import(MODULE)) as AuditLineModule;

const STRINGS: unknown[] = [
  "U-001", "", "a\"b", "back\\slash", "line\nbreak", "tab\there", "\u0000\u001f\u007f", "\ud800", "x\udc00y", "😀", "é", "node:1", "</script>", " ", "~",
];
const ODD: unknown[] = [undefined, null, 42, true, { a: 1 }, ["x"], () => 1, Symbol("s")];
const NUMBERS: unknown[] = [undefined, 0, -0, 12, 1.5, 1e21, -3, Number.NaN, Infinity, "7"];
const ACTIONS = ["request", "publish", "connection.open", "connection.close", "principal.revoke"];
const FIELDS = ["namespace", "session", "unitId", "target", "type", "outcome", "remote", "requestId"] as const;

describe("observability: an audit record's line", () => {
  it("is JSON.stringify of its fields, whatever the record holds", () => {
    const random = prng(0xa0d17);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const frozen = Object.freeze({ sub: "svc\"1", role: "bridge" });
    const actors: unknown[] = [undefined, frozen, { sub: "nurse-1", role: "portal" }, Object.freeze({ sub: "é\n", role: "admin" }), { role: "unit", sub: "U-1" }];
    for (let i = 0; i < 20_000; i++) {
      const entry: Record<string, unknown> = { action: random() < 0.95 ? pick(ACTIONS) : pick([...STRINGS, ...ODD]), outcome: random() < 0.9 ? pick(["ok", "TIMEOUT", "UNIT_ERROR"]) : pick([...STRINGS, ...ODD]) };
      for (const field of FIELDS) {
        const roll = random();
        if (roll < 0.4) continue;
        entry[field] = roll < 0.9 ? pick(STRINGS) : pick(ODD);
      }
      const ms = pick(NUMBERS);
      if (ms !== undefined) entry["ms"] = ms;
      const actor = pick(actors);
      if (actor !== undefined) entry["actor"] = actor;
      const node = random() < 0.9 ? "gw-1" : pick(STRINGS) as string;
      const timestamp = new Date(1_700_000_000_000 + i * 997).toISOString();
      expect(auditLine(node, entry, timestamp), JSON.stringify(entry, (_k, v: unknown) => (typeof v === "symbol" || typeof v === "function" ? String(v) : v))).to.equal(JSON.stringify(auditFields(node, entry, timestamp)));
    }
  });

  it("writes a request record as the audit log always has", () => {
    const actor = Object.freeze({ sub: "api-bridge", role: "bridge" });
    const entry = { action: "request", actor, unitId: "U-001", type: "unit.ping", outcome: "ok", requestId: "9f0c", ms: 3 };
    expect(auditLine("gw-1", entry, "2026-12-02T00:00:00.000Z")).to.equal(
      '{"level":"info","message":"request","audit":true,"node":"gw-1","action":"request","ms":3,"actor":{"sub":"api-bridge","role":"bridge"},"unitId":"U-001","type":"unit.ping","outcome":"ok","requestId":"9f0c","timestamp":"2026-12-02T00:00:00.000Z"}',
    );
    // Again: the frozen actor now comes from the cache.
    expect(auditLine("gw-1", entry, "2026-12-02T00:00:00.000Z")).to.equal(JSON.stringify(auditFields("gw-1", entry, "2026-12-02T00:00:00.000Z")));
  });
});
