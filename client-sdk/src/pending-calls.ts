/**
 * Calls waiting for their acknowledgement. Each entry settles exactly once: by its reply, by its
 * local safety timer (TIMEOUT), or in bulk when the connection drops or the client closes. Whatever
 * comes later is ignored. The map is empty when traffic stops.
 */
import { ErrorCode, type ClientErrorCode } from "@care-gateway/shared";
import { GatewayError } from "./gateway-error.js";
import { readReply, type OkAck } from "./reply-outcome.js";

interface Entry {
  resolve: (reply: OkAck) => void;
  reject: (error: GatewayError) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class PendingCalls {
  #next = 0;
  readonly #entries = new Map<number, Entry>();

  get size(): number {
    return this.#entries.size;
  }

  /** Opens an entry that rejects with TIMEOUT after `timeoutMs` unless settled before; returns its key. */
  open(timeoutMs: number, resolve: (reply: OkAck) => void, reject: (error: GatewayError) => void): number {
    const key = ++this.#next;
    const timer = setTimeout(() => this.#reject(key, new GatewayError(ErrorCode.TIMEOUT, { details: { local: true } })), timeoutMs);
    this.#entries.set(key, { resolve, reject, timer });
    return key;
  }

  /** Settles the entry with what the gateway acknowledged; false when it had already ended. */
  settle(key: number, reply: unknown): boolean {
    const entry = this.#take(key);
    if (!entry) return false;
    const outcome = readReply(reply);
    if (outcome.ok) entry.resolve(outcome.reply);
    else entry.reject(outcome.error);
    return true;
  }

  /** Rejects every entry with `code` (connection lost, client closed). */
  rejectAll(code: ClientErrorCode): number {
    const keys = [...this.#entries.keys()];
    for (const key of keys) this.#reject(key, new GatewayError(code));
    return keys.length;
  }

  #reject(key: number, error: GatewayError): void {
    this.#take(key)?.reject(error);
  }

  #take(key: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    clearTimeout(entry.timer);
    return entry;
  }
}
