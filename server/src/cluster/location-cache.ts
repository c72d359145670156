/**
 * Where units are, remembered briefly, so a request to a unit on another node costs no Redis round
 * trip before it is forwarded. Correctness does not rest on the cache: a node that receives a
 * request for a unit it no longer holds looks the unit up afresh and passes the request on (see
 * RedisRoute), and every presence notice from the cluster empties the cache.
 */
import type { Presence, UnitLocation } from "../connections/presence.js";

export class LocationCache implements Presence {
  readonly #entries = new Map<string, { location: UnitLocation | undefined; until: number }>();

  constructor(
    private readonly presence: Presence,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async locate(unitId: string): Promise<UnitLocation | undefined> {
    const hit = this.#entries.get(unitId);
    if (hit && hit.until > this.now()) return hit.location;
    const location = await this.presence.locate(unitId);
    // Only positive answers are kept: a unit that comes online must be found at once.
    if (location) {
      if (this.#entries.size >= this.maxEntries) this.#entries.clear();
      this.#entries.set(unitId, { location, until: this.now() + this.ttlMs });
    } else {
      this.#entries.delete(unitId);
    }
    return location;
  }

  async claim(location: UnitLocation): Promise<UnitLocation | undefined> {
    this.#entries.delete(location.unitId);
    return this.presence.claim(location);
  }

  async release(unitId: string, sessionId: string): Promise<boolean> {
    this.#entries.delete(unitId);
    return this.presence.release(unitId, sessionId);
  }

  list(): Promise<UnitLocation[]> {
    return this.presence.list();
  }

  close(): Promise<void> {
    this.#entries.clear();
    return this.presence.close();
  }

  forget(unitId?: string): void {
    if (unitId === undefined) this.#entries.clear();
    else this.#entries.delete(unitId);
  }
}
