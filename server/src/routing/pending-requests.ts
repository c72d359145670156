/**
 * The pending-request registry: every request in flight, keyed by an internal key. Each entry ends
 * exactly once, by an answer, its session dropping, its deadline or shutdown; whatever comes later is
 * refused (and counted by the caller as late). When traffic stops the maps are empty.
 *
 * On the hot path (one open and one settle per request) it allocates one slot and one timer: the
 * deadline timer gets the slot as an argument instead of a closure, and each session's entries are a
 * list threaded through their slots instead of a Set made and dropped per request.
 */
import type { Reply } from "@care-gateway/shared";

/** What the registry holds for one request. */
export interface PendingEntry {
  readonly unitId: string;
  /** The unit session (socket id) the request was sent to, or the node it was forwarded to. */
  readonly sessionId: string;
  /** Called once with the outcome. */
  finish(reply: Reply): void;
  /** The outcome when the deadline passes first. */
  timeoutReply(): Reply;
}

interface Slot {
  readonly key: string;
  readonly entry: PendingEntry;
  timer: NodeJS.Timeout | undefined;
  /** Neighbours in the list of the entry's session. */
  prev: Slot | undefined;
  next: Slot | undefined;
}

export class PendingRequests {
  readonly #slots = new Map<string, Slot>();
  /** The first slot of each session's list. */
  readonly #bySession = new Map<string, Slot>();

  get size(): number {
    return this.#slots.size;
  }

  /** Opens an entry; at `deadline` (epoch ms) it ends with `entry.timeoutReply()`. */
  open(key: string, entry: PendingEntry, deadline: number): void {
    if (this.#slots.has(key)) throw new Error("duplicate pending request key");
    const next = this.#bySession.get(entry.sessionId);
    const slot: Slot = { key, entry, timer: undefined, prev: undefined, next };
    if (next) next.prev = slot;
    this.#bySession.set(entry.sessionId, slot);
    this.#slots.set(key, slot);
    slot.timer = setTimeout(PendingRequests.#expire, Math.max(0, deadline - Date.now()), this, slot);
  }

  /** Ends the entry with `reply`; false when it had already ended. */
  settle(key: string, reply: Reply): boolean {
    const slot = this.#slots.get(key);
    if (!slot) return false;
    this.#end(slot);
    slot.entry.finish(reply);
    return true;
  }

  /** Ends every entry sent to `sessionId` with the reply `make(entry)` builds. */
  settleSession(sessionId: string, make: (entry: PendingEntry) => Reply): number {
    const slots: Slot[] = [];
    for (let slot = this.#bySession.get(sessionId); slot; slot = slot.next) slots.push(slot);
    return this.#settleEach(slots, make);
  }

  /** Ends every entry (shutdown). */
  settleAll(make: (entry: PendingEntry) => Reply): number {
    return this.#settleEach([...this.#slots.values()], make);
  }

  /** Settles each slot still open when its turn comes (a `finish` may have ended others meanwhile). */
  #settleEach(slots: readonly Slot[], make: (entry: PendingEntry) => Reply): number {
    let count = 0;
    for (const slot of slots) {
      if (this.#slots.get(slot.key) === slot && this.settle(slot.key, make(slot.entry))) count++;
    }
    return count;
  }

  /** Removes `slot` from the maps and its session's list, and stops its timer. */
  #end(slot: Slot): void {
    this.#slots.delete(slot.key);
    clearTimeout(slot.timer);
    const { prev, next } = slot;
    if (next) next.prev = prev;
    if (prev) prev.next = next;
    else if (next) this.#bySession.set(slot.entry.sessionId, next);
    else this.#bySession.delete(slot.entry.sessionId);
    slot.prev = slot.next = undefined;
  }

  static #expire(this: void, registry: PendingRequests, slot: Slot): void {
    if (registry.#slots.get(slot.key) === slot) registry.settle(slot.key, slot.entry.timeoutReply());
  }
}
