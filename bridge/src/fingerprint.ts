/** A request's fingerprint for its Idempotency-Key: the same key with another request is refused. */
import { createHash } from "node:crypto";

/** SHA-256 of the route, its parameters and body, with object keys sorted (key order carries no meaning in JSON). */
export function fingerprint(route: string, params: unknown, body: unknown): string {
  return createHash("sha256").update(stableJson([route, params ?? null, body ?? null])).digest("base64url");
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${stableJson(record[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
