/**
 * Public keys from a JWKS URL, by `kid`. Fetched at start, refreshed when older than the cache
 * time, and refetched when a token names an unknown `kid` (at most once per `minRefetchMs`, so a
 * flood of forged kids cannot turn into a flood of fetches). A failed fetch keeps the keys it had.
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import type { Algorithm } from "jsonwebtoken";
import type { Logger } from "../observability/logger.js";

export interface JwksKey {
  kid: string;
  key: KeyObject;
  algorithms: Algorithm[];
}

export interface JwksOptions {
  url: string;
  cacheMs: number;
  minRefetchMs: number;
  logger: Logger;
  fetchTimeoutMs?: number;
}

const ALGORITHMS_BY_TYPE: Record<string, Algorithm[]> = { rsa: ["RS256"], ec: ["ES256"] };

export class JwksKeys {
  #keys = new Map<string, JwksKey>();
  #fetchedAt = 0;
  /** Last refetch caused by an unknown kid: those are rate-limited. */
  #lastUnknownKidFetch = Number.NEGATIVE_INFINITY;
  #inflight: Promise<void> | undefined;

  constructor(private readonly options: JwksOptions) {}

  async start(): Promise<void> {
    await this.#refresh();
  }

  /** The key for `kid`, refetching once (rate-limited) when it is unknown or the cache is stale. */
  async key(kid: string): Promise<JwksKey | undefined> {
    const now = Date.now();
    if (now - this.#fetchedAt > this.options.cacheMs) {
      await this.#refresh();
    } else if (!this.#keys.has(kid) && now - this.#lastUnknownKidFetch >= this.options.minRefetchMs) {
      this.#lastUnknownKidFetch = now;
      await this.#refresh();
    }
    return this.#keys.get(kid);
  }

  #refresh(): Promise<void> {
    this.#inflight ??= this.#fetch().finally(() => (this.#inflight = undefined));
    return this.#inflight;
  }

  async #fetch(): Promise<void> {
    try {
      const res = await fetch(this.options.url, { signal: AbortSignal.timeout(this.options.fetchTimeoutMs ?? 5000), headers: { accept: "application/json" } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = (await res.json()) as { keys?: unknown };
      if (!Array.isArray(body.keys)) throw new Error("no keys array");
      const keys = new Map<string, JwksKey>();
      for (const jwk of body.keys as (JsonWebKey & { kid?: string; use?: string; alg?: string })[]) {
        const parsed = toKey(jwk);
        if (parsed) keys.set(parsed.kid, parsed);
      }
      this.#keys = keys;
      this.#fetchedAt = Date.now();
    } catch (error) {
      // Try again at the next token rather than at once: a dead endpoint is not hammered.
      this.#fetchedAt = Math.max(this.#fetchedAt, Date.now() - this.options.cacheMs + this.options.minRefetchMs);
      this.options.logger.warn("JWKS fetch failed; keeping the keys we had", { err: (error as Error).message, keys: this.#keys.size });
    }
  }
}

function toKey(jwk: JsonWebKey & { kid?: string; use?: string; alg?: string }): JwksKey | undefined {
  if (typeof jwk.kid !== "string" || (jwk.use !== undefined && jwk.use !== "sig")) return undefined;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk, format: "jwk" });
  } catch {
    return undefined;
  }
  const byType = ALGORITHMS_BY_TYPE[key.asymmetricKeyType ?? ""];
  if (!byType) return undefined;
  if (key.asymmetricKeyType === "ec" && jwk.crv !== "P-256") return undefined;
  const algorithms = jwk.alg === undefined ? byType : byType.filter((a) => a === jwk.alg);
  return algorithms.length > 0 ? { kid: jwk.kid, key, algorithms } : undefined;
}
