/**
 * Per-socket limits for callers: a request rate (token bucket from rate-limiter-flexible, per node)
 * and a cap on requests in flight. A refusal is RATE_LIMITED or OVERLOADED; other sockets are unaffected.
 */
import { ErrorCode } from "@care-gateway/shared";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { CallerLimits } from "../config/gateway-config.js";

export type LimitRefusal = typeof ErrorCode.RATE_LIMITED | typeof ErrorCode.OVERLOADED;

export class SocketCallLimits {
  readonly #rate: RateLimiterMemory;
  readonly #inFlight = new Map<string, number>();

  constructor(private readonly limits: CallerLimits) {
    this.#rate = new RateLimiterMemory({ points: limits.ratePerS, duration: 1 });
  }

  /** Admits one call from `socketId`, or says why not. On admission, `done()` must be called once when it ends. */
  async admit(socketId: string): Promise<LimitRefusal | undefined> {
    const inFlight = this.#inFlight.get(socketId) ?? 0;
    if (inFlight >= this.limits.maxInFlight) return ErrorCode.OVERLOADED;
    try {
      await this.#rate.consume(socketId);
    } catch {
      return ErrorCode.RATE_LIMITED;
    }
    this.#inFlight.set(socketId, (this.#inFlight.get(socketId) ?? 0) + 1);
    return undefined;
  }

  done(socketId: string): void {
    const left = (this.#inFlight.get(socketId) ?? 1) - 1;
    if (left <= 0) this.#inFlight.delete(socketId);
    else this.#inFlight.set(socketId, left);
  }

  /** The socket closed: forget it. */
  forget(socketId: string): void {
    this.#inFlight.delete(socketId);
    void this.#rate.delete(socketId);
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
