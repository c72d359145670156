/**
 * The pending-request registry: every request in flight, keyed by an internal key. Each entry ends
 * exactly once, by an answer, its session dropping, its deadline or shutdown; whatever comes later is
 * refused (and counted by the caller as late). When traffic stops the map is empty.
 */
import type { Reply } from "@care-gateway/shared";

export interface PendingEntry {
  unitId: string;
  /** The unit session (socket id) the request was sent to, or the node it was forwarded to. */
  sessionId: string;
  /** Called once with the outcome. */
  finish: (reply: Reply) => void;
  timer: NodeJS.Timeout;
}

export class PendingRequests {
  readonly #entries = new Map<string, PendingEntry>();
  readonly #bySession = new Map<string, Set<string>>();

  get size(): number {
    return this.#entries.size;
  }

  /** Opens an entry; at `deadline` (epoch ms) it ends with `onTimeout()`'s reply. */
  open(key: string, unitId: string, sessionId: string, deadline: number, finish: (reply: Reply) => void, onTimeout: () => Reply): void {
    if (this.#entries.has(key)) throw new Error("duplicate pending request key");
    const timer = setTimeout(() => this.settle(key, onTimeout()), Math.max(0, deadline - Date.now()));
    this.#entries.set(key, { unitId, sessionId, finish, timer });
    let keys = this.#bySession.get(sessionId);
    if (!keys) this.#bySession.set(sessionId, (keys = new Set()));
    keys.add(key);
  }

  /** Ends the entry with `reply`; false when it had already ended. */
  settle(key: string, reply: Reply): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    this.#entries.delete(key);
    clearTimeout(entry.timer);
    const keys = this.#bySession.get(entry.sessionId);
    if (keys) {
      keys.delete(key);
      if (keys.size === 0) this.#bySession.delete(entry.sessionId);
    }
    entry.finish(reply);
    return true;
  }

  /** Ends every entry sent to `sessionId` with the reply `make(key)` builds. */
  settleSession(sessionId: string, make: (entry: PendingEntry) => Reply): number {
    const keys = this.#bySession.get(sessionId);
    if (!keys) return 0;
    let count = 0;
    for (const key of [...keys]) {
      const entry = this.#entries.get(key);
      if (entry && this.settle(key, make(entry))) count++;
    }
    return count;
  }

  /** Ends every entry (shutdown). */
  settleAll(make: (entry: PendingEntry) => Reply): number {
    let count = 0;
    for (const [key, entry] of [...this.#entries]) if (this.settle(key, make(entry))) count++;
    return count;
  }
}
