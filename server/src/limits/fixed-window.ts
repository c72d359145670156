/**
 * Calls counted per key in fixed windows: each key's window opens at its first call and lasts
 * `windowMs`; within it at most `limit` calls are taken. This is how rate-limiter-flexible's memory
 * limiter counted them, kept here as one small record per key and checked synchronously: the limits
 * run on every request, publish, upstream event and handshake, and a Promise per check was a
 * measurable share of the request path (docs/benchmarks.md, "second pass").
 *
 * Keys whose window has passed are dropped once per window, so a key that stops calling (an
 * address, a unit) does not stay in memory.
 */
export class FixedWindowCounter {
  readonly #windows = new Map<string, { start: number; count: number }>();
  #lastSweep: number;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#lastSweep = now();
  }

  /** Counts one call of `key`; false (and not counted) when its window is full. */
  take(key: string): boolean {
    const now = this.now();
    if (now - this.#lastSweep >= this.windowMs) this.#sweep(now);
    let window = this.#windows.get(key);
    if (!window) {
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    } else if (now - window.start >= this.windowMs) {
      window.start = now;
      window.count = 0;
    }
    if (window.count >= this.limit) return false;
    window.count++;
    return true;
  }

  forget(key: string): void {
    this.#windows.delete(key);
  }

  /** Keys tracked now (tests). */
  get size(): number {
    return this.#windows.size;
  }

  #sweep(now: number): void {
    for (const [key, window] of this.#windows) if (now - window.start >= this.windowMs) this.#windows.delete(key);
    this.#lastSweep = now;
  }
}
