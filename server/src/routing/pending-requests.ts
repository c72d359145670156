/**
 * The pending-request registry: every request in flight, keyed by an internal key. Each entry ends
 * exactly once, by an answer, its session dropping, its deadline or shutdown; whatever comes later is
 * refused (and counted by the caller as late). When traffic stops the maps are empty.
 *
 * On the hot path (one open and one settle per request) it allocates one slot and no timer. Deadlines
 * are kept in buckets of DEADLINE_GRANULARITY_MS on the monotonic clock, and one sweep timer for the
 * whole registry ends what is due: an entry ends at its deadline or at most one granularity (plus
 * event-loop lag) after it, never before. A `setTimeout` and `clearTimeout` per request (a Timeout
 * object, timer-list and async-id bookkeeping) cost more than the bucket links, and left one object per
 * request in flight for the garbage collector. Each session's entries are a list threaded through
 * their slots as well, instead of a Set made and dropped per request.
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

/**
 * An entry's key: a number for a request sent on this node (no string to build and hash per
 * request), a string for what crosses nodes (it names the node, so it is unique in the cluster).
 * The two never collide: a Map tells 1 from "1".
 */
export type PendingKey = number | string;

/**
 * How coarse deadlines are (ms): an entry whose deadline has passed ends at the next sweep, at most
 * this long after its deadline (plus whatever else holds the event loop), never before it.
 */
export const DEADLINE_GRANULARITY_MS = 10;

/** The entries due in one span of DEADLINE_GRANULARITY_MS, as a list through their slots. */
interface Bucket {
  readonly index: number;
  head: Slot | undefined;
}

interface Slot {
  readonly key: PendingKey;
  readonly entry: PendingEntry;
  /** Neighbours in the list of the entry's session. */
  prev: Slot | undefined;
  next: Slot | undefined;
  /** The deadline bucket it is in, and its neighbours there. */
  bucket: Bucket | undefined;
  earlier: Slot | undefined;
  later: Slot | undefined;
}

export class PendingRequests {
  readonly #slots = new Map<PendingKey, Slot>();
  /** The first slot of each session's list. */
  readonly #bySession = new Map<string, Slot>();
  /** Deadline buckets by index: bucket i holds the deadlines in ((i - 1) × G, i × G] of the monotonic clock. */
  readonly #buckets = new Map<number, Bucket>();
  /** The last bucket index swept: every bucket up to it has ended. */
  #swept = 0;
  #sweeper: NodeJS.Timeout | undefined;
  /** The bucket the last entry went to (most requests of a moment share one). */
  #recent: Bucket | undefined;

  get size(): number {
    return this.#slots.size;
  }

  /** Opens an entry; at `deadline` (epoch ms) it ends with `entry.timeoutReply()`. */
  open(key: PendingKey, entry: PendingEntry, deadline: number): void {
    if (this.#slots.has(key)) throw new Error("duplicate pending request key");
    const next = this.#bySession.get(entry.sessionId);
    const slot: Slot = { key, entry, prev: undefined, next, bucket: undefined, earlier: undefined, later: undefined };
    if (next) next.prev = slot;
    this.#bySession.set(entry.sessionId, slot);
    this.#slots.set(key, slot);
    // On the monotonic clock, as setTimeout would count it: a wall-clock step moves no deadline.
    const now = performance.now();
    if (this.#sweeper === undefined) this.#startSweeping(now);
    const index = Math.ceil((now + deadline - Date.now()) / DEADLINE_GRANULARITY_MS);
    // A deadline that is not a number ends at the next sweep (setTimeout's 1 ms for such a delay).
    this.#enqueue(slot, Number.isFinite(index) ? index : this.#swept + 1);
  }

  /** Ends the entry with `reply`; false when it had already ended. */
  settle(key: PendingKey, reply: Reply): boolean {
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
    const count = this.#settleEach([...this.#slots.values()], make);
    if (this.#slots.size === 0) this.#stopSweeping();
    return count;
  }

  /** Settles each slot still open when its turn comes (a `finish` may have ended others meanwhile). */
  #settleEach(slots: readonly Slot[], make: (entry: PendingEntry) => Reply): number {
    let count = 0;
    for (const slot of slots) {
      if (this.#slots.get(slot.key) === slot && this.settle(slot.key, make(slot.entry))) count++;
    }
    return count;
  }

  /** Puts `slot` in bucket `index`, or in the next one to be swept when that one has been swept already. */
  #enqueue(slot: Slot, index: number): void {
    const due = Math.max(index, this.#swept + 1);
    let bucket = this.#recent;
    if (bucket?.index !== due) {
      bucket = this.#buckets.get(due);
      if (!bucket) {
        bucket = { index: due, head: undefined };
        this.#buckets.set(due, bucket);
      }
      this.#recent = bucket;
    }
    const later = bucket.head;
    slot.bucket = bucket;
    slot.later = later;
    if (later) later.earlier = slot;
    bucket.head = slot;
  }

  /** Removes `slot` from the maps, its session's list and its bucket. */
  #end(slot: Slot): void {
    this.#slots.delete(slot.key);
    const { prev, next } = slot;
    if (next) next.prev = prev;
    if (prev) prev.next = next;
    else if (next) this.#bySession.set(slot.entry.sessionId, next);
    else this.#bySession.delete(slot.entry.sessionId);
    slot.prev = slot.next = undefined;

    const { bucket, earlier, later } = slot;
    if (later) later.earlier = earlier;
    if (earlier) earlier.later = later;
    else if (bucket) {
      bucket.head = later;
      if (!later && this.#buckets.get(bucket.index) === bucket) this.#forget(bucket);
    }
    slot.bucket = slot.earlier = slot.later = undefined;
  }

  #forget(bucket: Bucket): void {
    this.#buckets.delete(bucket.index);
    if (this.#recent === bucket) this.#recent = undefined;
  }

  #startSweeping(now: number): void {
    this.#swept = Math.floor(now / DEADLINE_GRANULARITY_MS);
    this.#armSweep(now);
  }

  /** The sweep runs when the next bucket's span has passed. */
  #armSweep(now: number): void {
    const wait = Math.max(1, Math.ceil((this.#swept + 1) * DEADLINE_GRANULARITY_MS - now));
    this.#sweeper = setTimeout(PendingRequests.#sweep, wait, this);
  }

  #stopSweeping(): void {
    clearTimeout(this.#sweeper);
    this.#sweeper = undefined;
  }

  /** Ends every entry whose bucket's span has passed, in bucket order; sweeps on while entries remain. */
  static #sweep(this: void, registry: PendingRequests): void {
    const fired = registry.#sweeper;
    try {
      const last = Math.floor(performance.now() / DEADLINE_GRANULARITY_MS);
      while (registry.#swept < last) {
        // Marked swept first: an entry a `finish` opens now for this bucket goes to the next one.
        const index = ++registry.#swept;
        const bucket = registry.#buckets.get(index);
        if (!bucket) continue;
        registry.#forget(bucket);
        for (let slot = bucket.head; slot; slot = bucket.head) registry.settle(slot.key, slot.entry.timeoutReply());
      }
    } finally {
      // Unless a `finish` emptied the registry and another open started a new sweep meanwhile, this
      // one goes on while entries remain; an empty registry stops sweeping until the next open.
      if (registry.#sweeper === fired) {
        registry.#sweeper = undefined;
        if (registry.#slots.size > 0) registry.#armSweep(performance.now());
      }
    }
  }
}
