/** The outbox of a single node: per-unit arrays in memory. */
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

  constructor(
    private readonly retention: RetentionPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  async append(unitId: string, draft: EventDraft): Promise<StoredEvent> {
    return this.#append(unitId, draft);
  }

  /** One Promise for all of them (a publish to all units appends to thousands). */
  async appendMany(unitIds: readonly string[], draft: EventDraft): Promise<StoredEvent[]> {
    const events: StoredEvent[] = new Array<StoredEvent>(unitIds.length);
    for (let i = 0; i < unitIds.length; i++) events[i] = this.#append(unitIds[i] as string, draft);
    return events;
  }

  async read(unitId: string, afterId: number, limit: number): Promise<OutboxRead> {
    const stream = this.#streams.get(unitId);
    if (!stream) return { events: [] };
    this.#trim(stream);
    const start = firstIndexAfter(stream.events, afterId);
    const events = stream.events.slice(start, start + limit);
    if (afterId < stream.lostThrough) return { events, gap: { from: afterId + 1, to: stream.lostThrough } };
    return { events };
  }

  /** The memory outbox is the store: it always knows. */
  peek(unitId: string, afterId: number, limit: number): StoredEvent[] {
    const stream = this.#streams.get(unitId);
    if (!stream || stream.lastId <= afterId) return [];
    this.#trim(stream);
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
    for (const [unitId, stream] of this.#streams) {
      this.#trim(stream);
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

  #append(unitId: string, draft: EventDraft): StoredEvent {
    const stream = this.#stream(unitId);
    stream.lastId += 1;
    const event: StoredEvent = { ...draft, id: stream.lastId };
    stream.events.push(event);
    this.#trim(stream);
    return event;
  }

  #stream(unitId: string): UnitStream {
    let stream = this.#streams.get(unitId);
    if (!stream) {
      const base = firstEventIdAt(this.now());
      stream = { events: [], lastId: base, lostThrough: 0, ackedThrough: base };
      this.#streams.set(unitId, stream);
    }
    return stream;
  }

  #trim(stream: UnitStream): void {
    const { events } = stream;
    const oldestAllowed = this.now() - this.retention.maxAgeMs;
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
