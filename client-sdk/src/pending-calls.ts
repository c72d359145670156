/**
 * Calls waiting for their acknowledgement. Each entry settles exactly once: by its reply, by its
 * local safety timer (TIMEOUT), or in bulk when the connection drops or the client closes. Whatever
 * comes later is ignored. The list is empty when traffic stops.
 *
 * The entries are a doubly linked list in opening order, not a Map keyed by a counter: a Map that
 * gains and loses a key per call replaces its hash table as it goes, and V8 keeps a replaced table
 * (in the old generation once the Map is) alive until the next full collection, with every entry it
 * held, so each call's resolve/reject closures, promise and whatever those reach (the API Bridge: the
 * HTTP request and reply) were promoted to the old generation. A settled entry is unlinked and its
 * links cleared, so nothing long-lived keeps a finished call.
 */
import { ErrorCode, type ClientErrorCode } from "@care-gateway/shared";
import { GatewayError } from "./gateway-error.js";
import { readReply, type OkAck } from "./reply-outcome.js";

/** An open call, as `open` returns it: pass it to `settle`. */
export interface PendingCall {
  readonly open: boolean;
}

class Entry implements PendingCall {
  prev: Entry | undefined = undefined;
  next: Entry | undefined = undefined;
  open = true;
  timer: ReturnType<typeof setTimeout> | undefined = undefined;

  constructor(
    readonly resolve: (reply: OkAck) => void,
    readonly reject: (error: GatewayError) => void,
  ) {}
}

export class PendingCalls {
  #head: Entry | undefined;
  #tail: Entry | undefined;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Opens an entry that rejects with TIMEOUT after `timeoutMs` unless settled before. */
  open(timeoutMs: number, resolve: (reply: OkAck) => void, reject: (error: GatewayError) => void): PendingCall {
    const entry = new Entry(resolve, reject);
    entry.timer = setTimeout(() => this.#reject(entry, new GatewayError(ErrorCode.TIMEOUT, { details: { local: true } })), timeoutMs);
    entry.prev = this.#tail;
    if (this.#tail) this.#tail.next = entry;
    else this.#head = entry;
    this.#tail = entry;
    this.#size++;
    return entry;
  }

  /** Settles the entry with what the gateway acknowledged; false when it had already ended. */
  settle(call: PendingCall, reply: unknown): boolean {
    const entry = call as Entry;
    if (!this.#take(entry)) return false;
    const outcome = readReply(reply);
    if (outcome.ok) entry.resolve(outcome.reply);
    else entry.reject(outcome.error);
    return true;
  }

  /** Rejects every entry with `code` (connection lost, client closed). */
  rejectAll(code: ClientErrorCode): number {
    const entries: Entry[] = [];
    for (let entry = this.#head; entry; entry = entry.next) entries.push(entry);
    for (const entry of entries) this.#reject(entry, new GatewayError(code));
    return entries.length;
  }

  #reject(entry: Entry, error: GatewayError): void {
    if (this.#take(entry)) entry.reject(error);
  }

  /** Unlinks an open entry and clears its timer; false when it had already ended. */
  #take(entry: Entry): boolean {
    if (!entry.open) return false;
    entry.open = false;
    clearTimeout(entry.timer);
    entry.timer = undefined;
    if (entry.prev) entry.prev.next = entry.next;
    else this.#head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.#tail = entry.prev;
    entry.prev = undefined;
    entry.next = undefined;
    this.#size--;
    return true;
  }
}
