/** Presence for a single node: a Map. */
import type { Presence, UnitLocation } from "./presence.js";

export class LocalPresence implements Presence {
  readonly #units = new Map<string, UnitLocation>();

  async claim(location: UnitLocation): Promise<UnitLocation | undefined> {
    const previous = this.#units.get(location.unitId);
    this.#units.set(location.unitId, { ...location });
    return previous;
  }

  async release(unitId: string, sessionId: string): Promise<boolean> {
    const current = this.#units.get(unitId);
    if (!current || current.sessionId !== sessionId) return false;
    this.#units.delete(unitId);
    return true;
  }

  async locate(unitId: string): Promise<UnitLocation | undefined> {
    return this.#units.get(unitId);
  }

  async list(): Promise<UnitLocation[]> {
    return [...this.#units.values()];
  }

  async close(): Promise<void> {
    this.#units.clear();
  }
}
