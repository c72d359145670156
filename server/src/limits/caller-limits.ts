/**
 * Per-socket limits for callers: a request rate and a cap on requests in flight, per node. A refusal
 * is RATE_LIMITED or OVERLOADED; other sockets are unaffected.
 *
 * The rate is a fixed one-second window per socket, as rate-limiter-flexible's memory limiter counts
 * it (the window opens at the socket's first call), kept in one small record per socket and checked
 * synchronously: this runs for every request, and the limiter's Promise per call was a measurable
 * share of the request path (docs/benchmarks.md).
 */
import { ErrorCode } from "@care-gateway/shared";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { CallerLimits } from "../config/gateway-config.js";

export type LimitRefusal = typeof ErrorCode.RATE_LIMITED | typeof ErrorCode.OVERLOADED;

const WINDOW_MS = 1000;

interface SocketBudget {
  /** When the current window opened (ms, monotonic). */
  windowStart: number;
  /** Calls admitted in it. */
  calls: number;
  inFlight: number;
}

export class SocketCallLimits {
  readonly #budgets = new Map<string, SocketBudget>();

  constructor(
    private readonly limits: CallerLimits,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Admits one call from `socketId`, or says why not. On admission, `done()` must be called once when it ends. */
  admit(socketId: string): LimitRefusal | undefined {
    const now = this.now();
    let budget = this.#budgets.get(socketId);
    if (!budget) {
      budget = { windowStart: now, calls: 0, inFlight: 0 };
      this.#budgets.set(socketId, budget);
    }
    if (budget.inFlight >= this.limits.maxInFlight) return ErrorCode.OVERLOADED;
    if (now - budget.windowStart >= WINDOW_MS) {
      budget.windowStart = now;
      budget.calls = 0;
    }
    if (budget.calls >= this.limits.ratePerS) return ErrorCode.RATE_LIMITED;
    budget.calls++;
    budget.inFlight++;
    return undefined;
  }

  done(socketId: string): void {
    const budget = this.#budgets.get(socketId);
    if (budget && budget.inFlight > 0) budget.inFlight--;
  }

  /** The socket closed: forget it. */
  forget(socketId: string): void {
    this.#budgets.delete(socketId);
  }
}

/** A plain rate per key (per unit upstream events, per address handshakes). */
export class KeyRate {
  readonly #rate: RateLimiterMemory;

  constructor(points: number, durationS: number) {
    this.#rate = new RateLimiterMemory({ points, duration: durationS });
  }

  async allow(key: string): Promise<boolean> {
    try {
      await this.#rate.consume(key);
      return true;
    } catch {
      return false;
    }
  }
}
