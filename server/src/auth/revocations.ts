/**
 * Revoked principals: `sub` → when. A token of that sub issued at or before that moment is refused
 * at the handshake and on refresh, for as long as such tokens can live (REVOCATION_TTL_S).
 * Single node: memory. Cluster: Redis keys with a TTL, so every node sees a revocation.
 */
import type { Redis } from "../cluster/redis-clients.js";
import type { RedisKeys } from "../cluster/redis-keys.js";
import type { Principal } from "./principal.js";

export interface Revocations {
  revoke(sub: string, at: number): Promise<void>;
  /** When `sub` was last revoked (epoch ms), if within the TTL. */
  revokedAt(sub: string): Promise<number | undefined>;
}

/** Whether a revocation at `revokedAt` covers this principal's token. */
export function isRevoked(principal: Principal, revokedAt: number | undefined): boolean {
  if (revokedAt === undefined) return false;
  return principal.iat === undefined || principal.iat * 1000 <= revokedAt;
}

export class MemoryRevocations implements Revocations {
  readonly #revoked = new Map<string, { at: number; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async revoke(sub: string, at: number): Promise<void> {
    this.#revoked.set(sub, { at, until: this.now() + this.ttlMs });
    for (const [key, entry] of this.#revoked) if (entry.until < this.now()) this.#revoked.delete(key);
  }

  async revokedAt(sub: string): Promise<number | undefined> {
    const entry = this.#revoked.get(sub);
    return entry && entry.until >= this.now() ? entry.at : undefined;
  }
}

export class RedisRevocations implements Revocations {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly ttlMs: number,
  ) {}

  async revoke(sub: string, at: number): Promise<void> {
    await this.redis.set(this.keys.revoked(sub), String(at), { PX: this.ttlMs });
  }

  async revokedAt(sub: string): Promise<number | undefined> {
    const value = await this.redis.get(this.keys.revoked(sub));
    return value === null ? undefined : Number(value);
  }
}
