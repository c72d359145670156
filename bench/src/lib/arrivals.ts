/**
 * Downstream events as the bench's units receive them. Every unit acks each `event` with
 * `{ ok: true }` (the gateway redelivers what is not acknowledged) and reports it here by its key,
 * the `appointmentId` of the payload the bench published. A publish waits for its key to reach the
 * number of units it targeted. The receipt time is read before the ack is written (the ack's write
 * is the unit's own cost, not part of its receipt), on the machine's monotonic clock, so that
 * times taken in load-generator children compare with the parent's.
 */
import { EventName, type EventPayload } from "@care-gateway/shared";
import { startLoadMeter } from "./load-meter.js";
import { monotonicMs } from "./monotonic-clock.js";

/** What a unit's `event` listener is attached to: `on(name, listener)`, as socket.io-client and the lean unit have it. */
interface EventListening {
  on(event: string, listener: (event: unknown, ack?: (reply: { ok: true }) => void) => void): unknown;
}

/** One key's receipts, with this process's load from the start of the recording to the last receipt (NaN unless `complete`). */
export interface Receipts {
  /** Each unit's receipt, monotonicMs() taken before its ack, in the order they came. */
  atMs: number[];
  /** Event-loop utilisation, 0..1. */
  busy: number;
  /** CPU time over the same wall time, 0..1. */
  cpu: number;
  /** Every unit counted on had the event. */
  complete: boolean;
}

interface Waiter {
  remaining: number;
  onArrival: ((atMs: number) => void) | undefined;
  done: () => void;
}

export class Arrivals {
  readonly #waiting = new Map<string, Waiter>();
  /** Events whose key nobody waited for (any more): duplicates, or late after a bench timeout. */
  unexpected = 0;

  /** Makes `unit` (a socket.io-client socket or a lean unit) a receiving unit: acks every event and reports it. */
  attach(unit: EventListening): void {
    unit.on(EventName.EVENT, this.#onEvent);
  }

  /** A unit's `event` listener: takes the receipt time, acks, then reports the event by its key. */
  readonly #onEvent = (event: unknown, ack?: (reply: { ok: true }) => void): void => {
    const atMs = monotonicMs();
    ack?.({ ok: true });
    const key = (event as { payload?: { appointmentId?: unknown } } | undefined)?.payload?.appointmentId;
    this.arrived(typeof key === "string" ? key : "", atMs);
  };

  /** Calls `done` once `count` units have had the event `key`; `onArrival` at each (monotonicMs(), taken before the unit's ack). */
  expect(key: string, count: number, done: () => void, onArrival?: (atMs: number) => void): void {
    this.#waiting.set(key, { remaining: count, onArrival, done });
  }

  /**
   * Records the receipts of `key` and this process's load until `count` units have it, then gives
   * them to `onEnd`; the function returned ends the recording early (the bench gave up), with the
   * receipts so far. `onEnd` is called once.
   */
  collect(key: string, count: number, onEnd: (receipts: Receipts) => void): () => void {
    const atMs: number[] = [];
    const load = startLoadMeter();
    let ended = false;
    const end = (complete: boolean) => {
      if (ended) return;
      ended = true;
      const { busy, cpu } = complete ? load() : { busy: Number.NaN, cpu: Number.NaN };
      onEnd({ atMs, busy, cpu, complete });
    };
    this.expect(key, count, () => end(true), (at) => atMs.push(at));
    return () => {
      this.forget(key);
      end(false);
    };
  }

  /** Stops waiting for `key` (the bench's timeout). */
  forget(key: string): void {
    this.#waiting.delete(key);
  }

  /** A unit had the event `key` at `atMs` (monotonicMs()). */
  arrived(key: string, atMs = monotonicMs()): void {
    const waiter = this.#waiting.get(key);
    if (!waiter) {
      this.unexpected++;
      return;
    }
    waiter.onArrival?.(atMs);
    if (--waiter.remaining > 0) return;
    this.#waiting.delete(key);
    waiter.done();
  }
}

/** A valid `appointment.updated` payload (the catalogue's strict schema) whose `appointmentId` is the key. */
export function benchEventPayload(key: string): EventPayload<"appointment.updated"> {
  return { appointmentId: key, patientRef: "bench-patient", start: "2026-12-01T09:00:00.000Z", end: "2026-12-01T09:30:00.000Z", status: "confirmed" };
}
