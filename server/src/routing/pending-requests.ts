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
 *
 * No Map gains and loses a key per request. When a V8 Map outgrows or sheds its table it makes a new
 * one, and the old table keeps every entry it had and a link to its successor until a full
 * collection; once one such table has reached the old generation, the scavenger treats its links as
 * live, so every later table, and every request object its entries hold, is copied and promoted in
 * turn (each request's sockets' packets, closures and buffers: about 1 KB per request, measured with
 * `--trace-gc-nvp` in docs/benchmarks.md, "Relay: what the gateway promoted to the old generation").
 * So local requests (number keys, counted up by one) sit in an array ring at `key & mask`; string
 * keys, and a number whose ring place is still taken by a much older request, go to a Map that
 * sees only those. The per-session heads keep their key while the registry is busy (an emptied
 * session is `undefined`, a value replaced in place), and empty ones are dropped once a second and
 * all at once when the registry empties.
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

/** Places in the ring of local keys at first; it doubles while more than half are taken. */
const RING_MIN = 1024;
/** How often sessions with no entry left lose their key in the per-session index (ms). */
const SESSION_PRUNE_MS = 1000;

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
  /** Local (number) keys at `key & (length - 1)`; see the file comment for why not a Map. */
  #ring: (Slot | undefined)[] = new Array<Slot | undefined>(RING_MIN).fill(undefined);
  #inRing = 0;
  /** String keys, and number keys whose ring place was taken when they opened. */
  readonly #others = new Map<PendingKey, Slot>();
  /** The first slot of each session's list; `undefined` once a session's list is empty, until pruned. */
  readonly #bySession = new Map<string, Slot | undefined>();
  #nextPrune = 0;
  /** Deadline buckets by index: bucket i holds the deadlines in ((i - 1) × G, i × G] of the monotonic clock. */
  readonly #buckets = new Map<number, Bucket>();
  /** The last bucket index swept: every bucket up to it has ended. */
  #swept = 0;
  #sweeper: NodeJS.Timeout | undefined;
  /** The bucket the last entry went to (most requests of a moment share one). */
  #recent: Bucket | undefined;

  get size(): number {
    return this.#inRing + this.#others.size;
  }

  /** Opens an entry; at `deadline` (epoch ms) it ends with `entry.timeoutReply()`. */
  open(key: PendingKey, entry: PendingEntry, deadline: number): void {
    if (this.#get(key)) throw new Error("duplicate pending request key");
    const next = this.#bySession.get(entry.sessionId);
    const slot: Slot = { key, entry, prev: undefined, next, bucket: undefined, earlier: undefined, later: undefined };
    if (next) next.prev = slot;
    this.#bySession.set(entry.sessionId, slot);
    this.#add(slot);
    // On the monotonic clock, as setTimeout would count it: a wall-clock step moves no deadline.
    const now = performance.now();
    if (this.#sweeper === undefined) this.#startSweeping(now);
    const index = Math.ceil((now + deadline - Date.now()) / DEADLINE_GRANULARITY_MS);
    // A deadline that is not a number ends at the next sweep (setTimeout's 1 ms for such a delay).
    this.#enqueue(slot, Number.isFinite(index) ? index : this.#swept + 1);
  }

  /** Ends the entry with `reply`; false when it had already ended. */
  settle(key: PendingKey, reply: Reply): boolean {
    const slot = this.#get(key);
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
    const slots: Slot[] = [];
    for (const slot of this.#ring) if (slot) slots.push(slot);
    for (const slot of this.#others.values()) slots.push(slot);
    const count = this.#settleEach(slots, make);
    if (this.size === 0) this.#stopSweeping();
    return count;
  }

  /** Settles each slot still open when its turn comes (a `finish` may have ended others meanwhile). */
  #settleEach(slots: readonly Slot[], make: (entry: PendingEntry) => Reply): number {
    let count = 0;
    for (const slot of slots) {
      if (this.#get(slot.key) === slot && this.settle(slot.key, make(slot.entry))) count++;
    }
    return count;
  }

  #get(key: PendingKey): Slot | undefined {
    if (typeof key === "number") {
      const slot = this.#ring[key & (this.#ring.length - 1)];
      if (slot?.key === key) return slot;
    }
    return this.#others.size > 0 ? this.#others.get(key) : undefined;
  }

  #add(slot: Slot): void {
    const { key } = slot;
    if (typeof key !== "number" || !Number.isSafeInteger(key) || key < 0) return void this.#others.set(key, slot);
    if (this.#ring[key & (this.#ring.length - 1)] !== undefined && this.#inRing * 2 >= this.#ring.length) this.#growRing();
    const index = key & (this.#ring.length - 1);
    if (this.#ring[index] !== undefined) return void this.#others.set(key, slot);
    this.#ring[index] = slot;
    this.#inRing++;
  }

  #remove(slot: Slot): void {
    const { key } = slot;
    if (typeof key === "number") {
      const index = key & (this.#ring.length - 1);
      if (this.#ring[index] === slot) {
        this.#ring[index] = undefined;
        this.#inRing--;
        return;
      }
    }
    this.#others.delete(key);
  }

  /** Doubles the ring. No two slots meet in it: the one at place i moves to i or i + the old length. */
  #growRing(): void {
    const old = this.#ring;
    const ring = new Array<Slot | undefined>(old.length * 2).fill(undefined);
    const mask = ring.length - 1;
    for (const slot of old) if (slot) ring[(slot.key as number) & mask] = slot;
    this.#ring = ring;
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
    this.#remove(slot);
    const { prev, next } = slot;
    if (next) next.prev = prev;
    if (prev) prev.next = next;
    else this.#bySession.set(slot.entry.sessionId, next);
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
    this.#nextPrune = now + SESSION_PRUNE_MS;
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
    this.#bySession.clear();
  }

  /** Drops the keys of sessions with no entry left (once a second while sweeping). */
  #pruneSessions(now: number): void {
    this.#nextPrune = now + SESSION_PRUNE_MS;
    for (const [sessionId, head] of this.#bySession) if (head === undefined) this.#bySession.delete(sessionId);
  }

  /** Ends every entry whose bucket's span has passed, in bucket order; sweeps on while entries remain. */
  static #sweep(this: void, registry: PendingRequests): void {
    const fired = registry.#sweeper;
    try {
      const now = performance.now();
      const last = Math.floor(now / DEADLINE_GRANULARITY_MS);
      if (now >= registry.#nextPrune) registry.#pruneSessions(now);
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
        if (registry.size > 0) registry.#armSweep(performance.now());
        else registry.#bySession.clear();
      }
    }
  }
}
