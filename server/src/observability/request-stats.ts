/**
 * This node's request traffic over the last minute, for occupancy (the admin page): requests per
 * second, p99 time to outcome, requests in flight. Cheap on the request path: `record()` is two
 * array increments. The window is 60 rows, one per second, each a count plus a small latency
 * histogram with log-spaced buckets (10% wide, 0.1 ms to ~6 min), so the p99 covers every
 * request of the minute at any rate, within 10%, in fixed memory (~38 KB).
 */
import type { RequestStats } from "@care-gateway/shared";

export const WINDOW_S = 60;
/** Upper bound of bucket 0, in ms. */
const MIN_MS = 0.1;
/** Each bucket's upper bound is this factor above the previous one's. */
const GROWTH = 1.1;
const BUCKETS = 160;
const LOG_GROWTH = Math.log(GROWTH);

export interface RequestStatsWindowOptions {
  /** Requests waiting for an outcome now. */
  inFlight: () => number;
  /** Epoch ms; tests may fix it. */
  now?: () => number;
}

export class RequestStatsWindow {
  readonly #inFlight: () => number;
  readonly #now: () => number;
  readonly #startSecond: number;
  /** The epoch second each row holds (a row is reused 60 s later). */
  readonly #rowSecond = new Float64Array(WINDOW_S).fill(-1);
  readonly #counts = new Uint32Array(WINDOW_S);
  readonly #buckets = new Uint32Array(WINDOW_S * BUCKETS);

  constructor(options: RequestStatsWindowOptions) {
    this.#inFlight = options.inFlight;
    this.#now = options.now ?? Date.now;
    this.#startSecond = Math.floor(this.#now() / 1000);
  }

  /** One request reached its outcome after `ms`. */
  record(ms: number): void {
    const second = Math.floor(this.#now() / 1000);
    const row = second % WINDOW_S;
    if (this.#rowSecond[row] !== second) {
      this.#rowSecond[row] = second;
      this.#counts[row] = 0;
      this.#buckets.fill(0, row * BUCKETS, (row + 1) * BUCKETS);
    }
    this.#counts[row] = (this.#counts[row] ?? 0) + 1;
    const index = row * BUCKETS + bucketOf(ms);
    this.#buckets[index] = (this.#buckets[index] ?? 0) + 1;
  }

  /** Over the last minute (or since start, when that is shorter). */
  snapshot(): RequestStats {
    const second = Math.floor(this.#now() / 1000);
    const merged = new Uint32Array(BUCKETS);
    let total = 0;
    for (let row = 0; row < WINDOW_S; row++) {
      const rowSecond = this.#rowSecond[row] ?? -1;
      if (rowSecond <= second - WINDOW_S || rowSecond > second) continue;
      total += this.#counts[row] ?? 0;
      for (let b = 0; b < BUCKETS; b++) merged[b] = (merged[b] ?? 0) + (this.#buckets[row * BUCKETS + b] ?? 0);
    }
    const seconds = Math.max(1, Math.min(WINDOW_S, second - this.#startSecond + 1));
    return { requestsPerSecond: round(total / seconds, 2), p99Ms: total === 0 ? 0 : percentile(merged, total, 0.99), inFlight: this.#inFlight() };
  }
}

function bucketOf(ms: number): number {
  if (!(ms > MIN_MS)) return 0;
  return Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / MIN_MS) / LOG_GROWTH));
}

/** The upper bound of the bucket that holds the `q` quantile. */
function percentile(buckets: Uint32Array, total: number, q: number): number {
  const rank = Math.ceil(total * q);
  let seen = 0;
  for (let b = 0; b < buckets.length; b++) {
    seen += buckets[b] ?? 0;
    if (seen >= rank) return round(MIN_MS * GROWTH ** b, 1);
  }
  return round(MIN_MS * GROWTH ** (buckets.length - 1), 1);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
