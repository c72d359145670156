/**
 * The outbox of a single node: per-unit arrays in memory. Ids come from one sequence for the whole
 * node (seeded at `firstEventIdAt(now)` when the outbox is made): a publish to many units is one
 * stored event, with one id, in every target unit's array. A unit's ids therefore increase but are
 * not consecutive (the ids of publishes that did not target it are missing).
 */
import type { EventDraft, Outbox, OutboxRead, RetentionPolicy, StoredEvent } from "./outbox.js";
import { firstEventIdAt } from "./outbox.js";

interface UnitStream {
  events: StoredEvent[];
  lastId: number;
  /** Highest id retention dropped before it was acknowledged. */
  lostThrough: number;
  ackedThrough: number;
}

export class MemoryOutbox implements Outbox {
  readonly #streams = new Map<string, UnitStream>();
  /** The last id issued, to any unit. */
  #lastId: number;

  constructor(
    private readonly retention: RetentionPolicy,
    private readonly now: () => number = Date.now,
  ) {
    this.#lastId = firstEventIdAt(now());
  }

  async append(unitId: string, draft: EventDraft): Promise<StoredEvent> {
    const event: StoredEvent = { ...draft, id: ++this.#lastId };
    this.#store(unitId, event, this.#oldestAllowed());
    return event;
  }

  /** One event, one id and one Promise for all of them (a publish to all units appends to thousands). */
  async appendMany(unitIds: readonly string[], draft: EventDraft): Promise<StoredEvent[]> {
    const event: StoredEvent = { ...draft, id: ++this.#lastId };
    const oldestAllowed = this.#oldestAllowed();
    for (let i = 0; i < unitIds.length; i++) this.#store(unitIds[i] as string, event, oldestAllowed);
    return new Array<StoredEvent>(unitIds.length).fill(event);
  }

  async read(unitId: string, afterId: number, limit: number): Promise<OutboxRead> {
    const stream = this.#streams.get(unitId);
    if (!stream) return { events: [] };
    this.#trim(stream, this.#oldestAllowed());
    const start = firstIndexAfter(stream.events, afterId);
    const events = stream.events.slice(start, start + limit);
    if (afterId < stream.lostThrough) return { events, gap: { from: afterId + 1, to: stream.lostThrough } };
    return { events };
  }

  /** The memory outbox is the store: it always knows. */
  peek(unitId: string, afterId: number, limit: number): StoredEvent[] {
    const stream = this.#streams.get(unitId);
    if (!stream || stream.lastId <= afterId) return [];
    this.#trim(stream, this.#oldestAllowed());
    const start = firstIndexAfter(stream.events, afterId);
    return stream.events.slice(start, start + limit);
  }

  async acknowledge(unitId: string, id: number): Promise<void> {
    const stream = this.#streams.get(unitId);
    if (!stream || id <= stream.ackedThrough) return;
    stream.ackedThrough = Math.min(id, stream.lastId);
    const keep = firstIndexAfter(stream.events, stream.ackedThrough);
    if (keep > 0) stream.events.splice(0, keep);
  }

  async acknowledgedThrough(unitId: string): Promise<number> {
    return this.#streams.get(unitId)?.ackedThrough ?? 0;
  }

  async depths(): Promise<Map<string, number>> {
    const depths = new Map<string, number>();
    const oldestAllowed = this.#oldestAllowed();
    for (const [unitId, stream] of this.#streams) {
      this.#trim(stream, oldestAllowed);
      depths.set(unitId, stream.events.length);
    }
    return depths;
  }

  async knownUnits(): Promise<string[]> {
    return [...this.#streams.keys()];
  }

  async close(): Promise<void> {
    this.#streams.clear();
  }

  /** Appends `event` (its id above every id stored so far) to the unit's array. */
  #store(unitId: string, event: StoredEvent, oldestAllowed: number): void {
    let stream = this.#streams.get(unitId);
    if (!stream) {
      // Nothing before this event was the unit's: a client that brings no lastEventId starts here.
      stream = { events: [], lastId: event.id - 1, lostThrough: 0, ackedThrough: event.id - 1 };
      this.#streams.set(unitId, stream);
    }
    if (stream.lastId >= event.id) return; // a unit named twice in one publish has it once
    stream.lastId = event.id;
    stream.events.push(event);
    this.#trim(stream, oldestAllowed);
  }

  #oldestAllowed(): number {
    return this.now() - this.retention.maxAgeMs;
  }

  #trim(stream: UnitStream, oldestAllowed: number): void {
    const { events } = stream;
    let drop = Math.max(0, events.length - this.retention.maxEvents);
    while (drop < events.length && (events[drop] as StoredEvent).ts < oldestAllowed) drop++;
    if (drop === 0) return;
    const lastDropped = (events[drop - 1] as StoredEvent).id;
    if (lastDropped > stream.ackedThrough) stream.lostThrough = Math.max(stream.lostThrough, lastDropped);
    events.splice(0, drop);
  }
}

/** Index of the first event with id > afterId (events are sorted by id). */
function firstIndexAfter(events: readonly StoredEvent[], afterId: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((events[mid] as StoredEvent).id <= afterId) low = mid + 1;
    else high = mid;
  }
  return low;
}
