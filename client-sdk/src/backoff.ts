/** The reconnect schedule: shared's pure full-jitter function plus an attempt counter reset on success. */
import { fullJitterDelay, type BackoffOptions } from "@care-gateway/shared";

export class Backoff {
  #attempt = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** Attempts scheduled since the last success. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next attempt; counts the attempt. */
  next(): number {
    return fullJitterDelay(this.#attempt++, this.options, this.random);
  }

  /** A delay of at least `minimumMs`, plus jitter of up to max(baseMs, minimumMs), capped at maxMs (server:draining). */
  after(minimumMs: number): number {
    const spread = Math.max(this.options.baseMs, minimumMs);
    return minimumMs + fullJitterDelay(0, { baseMs: spread, maxMs: Math.max(this.options.maxMs, 1) }, this.random);
  }

  reset(): void {
    this.#attempt = 0;
  }
}
