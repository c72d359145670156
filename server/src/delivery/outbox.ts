/**
 * The per-unit outbox of downstream events: every event for a unit is appended here before it is
 * sent, with an id that increases per unit, and kept until the unit acknowledges it or retention
 * (count, age) drops it. Single node: memory, with one id sequence for the node (a unit's ids
 * increase, with holes). Cluster: a Redis Stream per unit, with consecutive ids per unit.
 */
import type { DownstreamEvent } from "@care-gateway/shared";

export interface StoredEvent extends DownstreamEvent {
  /** The publishing bridge principal wants a `delivery:receipt` when the unit acknowledges. */
  receiptTo?: string;
}
export type EventDraft = Omit<StoredEvent, "id">;

/** The event as the unit receives it: as stored (no copy) unless it carries the receipt's addressee, which is not the unit's business. */
export function unitEventOf(stored: StoredEvent): DownstreamEvent {
  if (stored.receiptTo === undefined) return stored;
  const { receiptTo: _receiptTo, ...event } = stored;
  return event;
}

export interface AppendedLocated {
  /** As `appendMany` returns them. */
  events: StoredEvent[];
  /** Per unit, in the order given: the id of the node it is online on, or undefined (offline, or not looked up). */
  nodeIds: (string | undefined)[];
}

/** Events retention dropped before the unit acknowledged them: the unit must resync these ids over REST. */
export interface EventGap {
  from: number;
  to: number;
}

export interface OutboxRead {
  events: StoredEvent[];
  /** Set when events after the requested id were dropped by retention unacknowledged. */
  gap?: EventGap;
}

export interface Outbox {
  append(unitId: string, draft: EventDraft): Promise<StoredEvent>;
  /**
   * The same event appended to each unit's outbox, issued in the order given; the stored events in
   * that order. An outbox may store one event, with one id, for all of them: then the array holds
   * that same object for every unit (it must not be changed).
   */
  appendMany(unitIds: readonly string[], draft: EventDraft): Promise<StoredEvent[]>;
  /**
   * `appendMany`, and where `locate[i]` is true, the node unit i is online on now (undefined: offline),
   * looked up in the same store call as its append: one round trip per unit instead of two. An outbox
   * with no such look-up (a single node's) lacks this method.
   */
  appendManyLocating?(unitIds: readonly string[], draft: EventDraft, locate: readonly boolean[]): Promise<AppendedLocated>;
  /**
   * Up to `limit` events with id greater than `afterId`, oldest first. `withGap: false` when the
   * caller will not use the gap (the outbox may then skip looking it up).
   */
  read(unitId: string, afterId: number, limit: number, withGap?: boolean): Promise<OutboxRead>;
  /**
   * What follows `afterId` as far as this process knows it without a store read, up to `limit`
   * events, oldest first, or undefined when it does not know. Used between reads, once the replay is
   * over: it must never skip an event (what it returns is the unit's first events after `afterId`,
   * none missing between them), but it may return fewer than the store holds when every event beyond
   * is sure to wake the delivery again (each append is followed by a wake-up). No gap is reported.
   */
  peek(unitId: string, afterId: number, limit: number): StoredEvent[] | undefined;
  /** The unit has processed every event up to `id`. */
  acknowledge(unitId: string, id: number): Promise<void>;
  /** The highest id the unit acknowledged (where a unit that brings no lastEventId resumes). */
  acknowledgedThrough(unitId: string): Promise<number>;
  /** Events waiting (unacknowledged, retained) per unit, for metrics. */
  depths(): Promise<Map<string, number>>;
  /** Units that have an outbox (they connected or were published to within retention). */
  knownUnits(): Promise<string[]>;
  close(): Promise<void>;
}

export interface RetentionPolicy {
  maxEvents: number;
  maxAgeMs: number;
}

/**
 * The first id of a unit's stream: the current time in microseconds-ish, so ids keep increasing
 * across restarts that lost the store (a unit's remembered id is then always older).
 */
export function firstEventIdAt(nowMs: number): number {
  return nowMs * 1000;
}
