/**
 * Events that travelled with their wake-up ("pump") message to the node their unit is connected to,
 * so that its delivery can send them without reading them back from the stream (`Outbox.peek`).
 * They are already in the stream: this is a copy, never the record.
 *
 * What it answers must be safe to send in place of a read: it answers only with events that follow
 * the cursor without a hole, and not at all for a unit that was woken without events (an older
 * node, or a wake-up that could not carry them) until a read of that unit's stream is issued, since
 * such a wake-up may stand for events no carried copy holds.
 *
 * Bounded: at most MAX_PER_UNIT events per unit and MAX_UNITS units (the oldest dropped), which
 * only costs a read when they are missed.
 */
import type { StoredEvent } from "../delivery/outbox.js";

const MAX_PER_UNIT = 256;
const MAX_UNITS = 20_000;

export class CarriedEvents {
  readonly #byUnit = new Map<string, StoredEvent[]>();
  readonly #mustRead = new Set<string>();

  /** A wake-up for `unitId` arrived here with these events (none: it carried nothing). */
  add(unitId: string, events: readonly StoredEvent[]): void {
    if (events.length === 0) {
      this.#mustRead.add(unitId);
      return;
    }
    let list = this.#byUnit.get(unitId);
    if (!list) {
      if (this.#byUnit.size >= MAX_UNITS) this.#dropOldestUnit();
      list = [];
      this.#byUnit.set(unitId, list);
    }
    for (const event of events) {
      const last = list[list.length - 1];
      // Out of order (wake-ups from two nodes crossed): keep only the newer run; a read covers the rest.
      if (last !== undefined && event.id <= last.id) list.length = 0;
      list.push(event);
    }
    if (list.length > MAX_PER_UNIT) list.splice(0, list.length - MAX_PER_UNIT);
  }

  /** A read of the unit's stream was issued: it covers every wake-up that arrived before it. */
  readIssued(unitId: string): void {
    this.#mustRead.delete(unitId);
  }

  /**
   * Up to `limit` carried events from `afterId + 1` on, without a hole, all newer than `cutoff` (ms);
   * undefined when there are none or a read is due. What it returns is forgotten (the cursor moves past it).
   */
  after(unitId: string, afterId: number, limit: number, cutoff: number): StoredEvent[] | undefined {
    if (this.#mustRead.has(unitId)) return undefined;
    const list = this.#byUnit.get(unitId);
    if (!list) return undefined;
    let start = 0;
    while (start < list.length && (list[start] as StoredEvent).id <= afterId) start++;
    if (start > 0) list.splice(0, start);
    let end = 0;
    while (end < list.length && end < limit) {
      const event = list[end] as StoredEvent;
      if (event.id !== afterId + 1 + end || event.ts < cutoff) break;
      end++;
    }
    if (end === 0) {
      if (list.length === 0) this.#byUnit.delete(unitId);
      return undefined;
    }
    const events = list.splice(0, end);
    if (list.length === 0) this.#byUnit.delete(unitId);
    return events;
  }

  #dropOldestUnit(): void {
    for (const unitId of this.#byUnit.keys()) {
      this.#byUnit.delete(unitId);
      return;
    }
  }
}
