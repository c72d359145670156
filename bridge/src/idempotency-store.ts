/**
 * Idempotency keys and the outcomes they stand for, bounded in count and in time.
 *
 * The first request with a key runs; a retry with the same key (and the same request) gets the same
 * outcome: at once when it is kept, or when it arrives, if the first is still in flight. A kept
 * outcome lives `ttlMs` after it was reached; an outcome that is not kept (see `isKeptOutcome`) is
 * handed to the requests already waiting for it and then forgotten, so a later retry runs again.
 * At most `maxKeys` keys are held: the oldest kept outcome makes room for a new key; keys still in
 * flight are never dropped (a retry must find them), so when every held key is in flight a new one
 * is refused ("full").
 */
import type { Outcome } from "./outcome.js";

export interface IdempotencyStoreOptions {
  ttlMs: number;
  maxKeys: number;
  /** Epoch ms; tests pass a clock of their own. */
  now?: () => number;
}

export type Admission =
  /** The first request with this key: run it, then `finish` with its outcome (always, exactly once). */
  | { kind: "first"; finish: (outcome: Outcome, keep: boolean) => void }
  /** The key is known for the same request: its outcome, now or when the first request ends. */
  | { kind: "replay"; outcome: Promise<Outcome> }
  /** The key is known for a different request. */
  | { kind: "mismatch" }
  /** Every held key is in flight and the store is at its bound. */
  | { kind: "full" };

interface Entry {
  fingerprint: string;
  outcome: Promise<Outcome>;
  /** Infinity while in flight. */
  expiresAt: number;
}

export class IdempotencyStore {
  /** In insertion order; a kept entry is moved to the end when it settles, so kept entries are in expiry order. */
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  #waiting = 0;

  constructor(options: IdempotencyStoreOptions) {
    this.#ttlMs = options.ttlMs;
    this.#maxKeys = options.maxKeys;
    this.#now = options.now ?? Date.now;
  }

  /** Keys held: in flight and kept. */
  get size(): number {
    this.#purgeExpired();
    return this.#entries.size;
  }

  /** Retries waiting for the outcome of a first request still in flight. */
  get waiting(): number {
    return this.#waiting;
  }

  admit(key: string, fingerprint: string): Admission {
    this.#purgeExpired();
    const existing = this.#entries.get(key);
    if (existing) {
      if (existing.fingerprint !== fingerprint) return { kind: "mismatch" };
      if (existing.expiresAt !== Number.POSITIVE_INFINITY) return { kind: "replay", outcome: existing.outcome };
      this.#waiting++;
      return { kind: "replay", outcome: existing.outcome.finally(() => this.#waiting--) };
    }
    if (this.#entries.size >= this.#maxKeys && !this.#evictOldestKept()) return { kind: "full" };
    let resolve!: (outcome: Outcome) => void;
    const entry: Entry = { fingerprint, outcome: new Promise<Outcome>((r) => (resolve = r)), expiresAt: Number.POSITIVE_INFINITY };
    this.#entries.set(key, entry);
    let finished = false;
    return {
      kind: "first",
      finish: (outcome, keep) => {
        if (finished) return;
        finished = true;
        resolve(outcome);
        if (this.#entries.get(key) !== entry) return;
        this.#entries.delete(key);
        if (!keep) return;
        entry.expiresAt = this.#now() + this.#ttlMs;
        this.#entries.set(key, entry);
      },
    };
  }

  /** Forgets every key (the bridge is stopping). */
  clear(): void {
    this.#entries.clear();
  }

  #purgeExpired(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt === Number.POSITIVE_INFINITY) continue;
      if (entry.expiresAt > now) return;
      this.#entries.delete(key);
    }
  }

  #evictOldestKept(): boolean {
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt === Number.POSITIVE_INFINITY) continue;
      this.#entries.delete(key);
      return true;
    }
    return false;
  }
}
