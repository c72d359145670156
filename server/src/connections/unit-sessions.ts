/** The unit connections live on this node: one session per unit id. */
import type { UnitDelivery } from "../delivery/unit-delivery.js";
import type { UnitSocket } from "./socket-types.js";

export interface UnitSession {
  unitId: string;
  /** The socket id. */
  sessionId: string;
  socket: UnitSocket;
  connectedAt: number;
  delivery: UnitDelivery;
}

export class UnitSessions {
  readonly #byUnit = new Map<string, UnitSession>();

  get size(): number {
    return this.#byUnit.size;
  }

  get(unitId: string): UnitSession | undefined {
    return this.#byUnit.get(unitId);
  }

  /** Makes `session` the unit's live session; returns the one it replaced, if any. */
  replace(session: UnitSession): UnitSession | undefined {
    const previous = this.#byUnit.get(session.unitId);
    this.#byUnit.set(session.unitId, session);
    return previous;
  }

  /** Forgets the unit's session if it is still `sessionId`; true when it was. */
  remove(unitId: string, sessionId: string): boolean {
    const current = this.#byUnit.get(unitId);
    if (!current || current.sessionId !== sessionId) return false;
    this.#byUnit.delete(unitId);
    return true;
  }

  isCurrent(unitId: string, sessionId: string): boolean {
    return this.#byUnit.get(unitId)?.sessionId === sessionId;
  }

  unitIds(): IterableIterator<string> {
    return this.#byUnit.keys();
  }
}
