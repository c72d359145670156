/**
 * Per-socket limits for callers: a request rate and a cap on requests in flight, per node. A refusal
 * is RATE_LIMITED or OVERLOADED; other sockets are unaffected. And a plain rate per key (upstream
 * events per unit, handshakes per address). All of them count with `FixedWindowCounter`, synchronously.
 */
import { ErrorCode } from "@care-gateway/shared";
import type { CallerLimits } from "../config/gateway-config.js";
import { FixedWindowCounter } from "./fixed-window.js";

export type LimitRefusal = typeof ErrorCode.RATE_LIMITED | typeof ErrorCode.OVERLOADED;

export class SocketCallLimits {
  readonly #rate: FixedWindowCounter;
  readonly #inFlight = new Map<string, number>();

  constructor(
    private readonly limits: CallerLimits,
    now?: () => number,
  ) {
    this.#rate = new FixedWindowCounter(limits.ratePerS, 1000, now);
  }

  /** Admits one call from `socketId`, or says why not. On admission, `done()` must be called once when it ends. */
  admit(socketId: string): LimitRefusal | undefined {
    const inFlight = this.#inFlight.get(socketId) ?? 0;
    if (inFlight >= this.limits.maxInFlight) return ErrorCode.OVERLOADED;
    if (!this.#rate.take(socketId)) return ErrorCode.RATE_LIMITED;
    this.#inFlight.set(socketId, inFlight + 1);
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
    this.#rate.forget(socketId);
  }
}

/** A plain rate per key (per unit upstream events, per address handshakes). */
export class KeyRate {
  readonly #rate: FixedWindowCounter;

  constructor(points: number, durationS: number, now?: () => number) {
    this.#rate = new FixedWindowCounter(points, durationS * 1000, now);
  }

  allow(key: string): boolean {
    return this.#rate.take(key);
  }
}
