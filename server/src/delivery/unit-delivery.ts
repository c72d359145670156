/**
 * Delivery to one connected unit session: a cursor over the unit's outbox. `pump()` sends, in id
 * order, everything after the cursor; replay at connect and live events take the same path, so they
 * can neither reorder nor leave a gap. Each event is acknowledged by the unit, then trimmed.
 *
 * The cursor starts at the unit's `auth.lastEventId`, or, when the unit says nothing (a plain
 * client), after the last event it acknowledged: unacknowledged events are always sent again.
 */
import { EventName, ERROR_MESSAGES } from "@care-gateway/shared";
import type { UnitSocket } from "../connections/socket-types.js";
import type { Logger } from "../observability/logger.js";
import type { GatewayMetrics } from "../observability/metrics.js";
import { unitEventOf, type EventGap, type Outbox, type StoredEvent } from "./outbox.js";
import type { EventAckCallback, SharedEventPacket } from "./shared-event-packet.js";

const BATCH = 256;

export interface UnitDeliveryDeps {
  outbox: Outbox;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Retention dropped events the unit had not acknowledged: tell it (once per connection). */
  onGap: (unitId: string, gap: EventGap) => void;
  /** The unit acknowledged an event (for delivery receipts). */
  onAcknowledged: (unitId: string, event: StoredEvent) => void;
}

export class UnitDelivery {
  #cursor: number | undefined;
  #running = false;
  #again = false;
  #stopped = false;
  #replaying = true;
  /** A wake-up that `peek` cannot stand for came since the last read was issued. */
  #mustRead = false;
  /**
   * A store that failed to record an acknowledgement (Redis unreachable, say) keeps the event until a
   * later acknowledgement trims past it or retention drops it; the unit has it, so nothing is resent
   * on this connection. Logged, never left as an unhandled rejection (which would end the process).
   */
  readonly #acknowledgeFailed = (error: unknown): void => {
    this.deps.logger.warn("outbox acknowledgement not stored", { unitId: this.unitId, err: error instanceof Error ? error.message : ERROR_MESSAGES.INTERNAL });
  };

  constructor(
    readonly unitId: string,
    private readonly socket: UnitSocket,
    /** The unit's own last processed id, if it said. */
    private readonly lastEventId: number | undefined,
    private readonly deps: UnitDeliveryDeps,
  ) {}

  /** Sends whatever the unit has not been sent yet. Safe to call at any time, any number of times. */
  pump(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (!this.#mustRead && this.#sendKnown()) return;
    this.#running = true;
    this.#drain()
      .catch((error: unknown) => {
        this.deps.logger.error("delivery failed", { unitId: this.unitId, err: error instanceof Error ? error.message : ERROR_MESSAGES.INTERNAL });
      })
      .finally(() => {
        this.#running = false;
        if (this.#again && !this.#stopped) {
          this.#again = false;
          this.pump();
        }
      });
  }

  /**
   * `event` was just appended to this unit's outbox. When it is the unit's next event after the
   * cursor (the replay is over and nothing is being read), it is sent as it is, without reading it
   * back: through `shared`, the packet encoded once for every unit of a publish, when given;
   * otherwise this is `pump()`. Either way the order is the outbox's: it is sent only if nothing lies
   * between the last one sent and it, and an id at or below the cursor has been sent already.
   */
  offer(event: StoredEvent, shared?: SharedEventPacket): void {
    if (this.#stopped) return;
    if (!this.#running && !this.#replaying && !this.#mustRead && this.#cursor !== undefined && this.#isNext(event.id, this.#cursor)) {
      if (shared?.event.id === event.id) shared.send(this.socket, this.#sent(event));
      else this.#send(event);
      this.deps.metrics.eventsDelivered.inc();
      return;
    }
    if (this.#cursor !== undefined && event.id <= this.#cursor) return;
    this.#mustRead = true;
    this.pump();
  }

  stop(): void {
    this.#stopped = true;
  }

  /**
   * Live (after the replay), when the outbox can say without a store read what follows the cursor
   * (`peek`), sends that at once. False when it cannot, or when there may be more than one batch: then
   * the cursor reads the store.
   */
  #sendKnown(): boolean {
    if (this.#replaying || this.#cursor === undefined) return false;
    const events = this.deps.outbox.peek(this.unitId, this.#cursor, BATCH);
    if (events === undefined || events.length >= BATCH) return false;
    for (const event of events) this.#send(event);
    if (events.length > 0) this.deps.metrics.eventsDelivered.inc(events.length);
    return true;
  }

  /**
   * Whether `id` is the first event the outbox holds after `cursor`. Ids increase per unit but need
   * not be consecutive (one node-wide sequence on a single node), so an id other than `cursor + 1`
   * asks the outbox what follows the cursor, as far as it knows without a store read.
   */
  #isNext(id: number, cursor: number): boolean {
    if (id === cursor + 1) return true;
    if (id <= cursor) return false;
    return this.deps.outbox.peek(this.unitId, cursor, 1)?.[0]?.id === id;
  }

  async #drain(): Promise<void> {
    const { outbox, metrics } = this.deps;
    this.#cursor ??= this.lastEventId ?? (await outbox.acknowledgedThrough(this.unitId));
    for (;;) {
      this.#again = false;
      this.#mustRead = false;
      // Gaps are told only in the replay, so only the replay's reads ask for them.
      const { events, gap } = await outbox.read(this.unitId, this.#cursor, BATCH, this.#replaying);
      if (this.#stopped) return;
      if (gap && this.#replaying) {
        metrics.outboxGaps.inc();
        this.deps.onGap(this.unitId, gap);
      }
      for (const event of events) this.#send(event);
      metrics.eventsDelivered.inc(events.length);
      if (this.#replaying) metrics.eventsReplayed.inc(events.length);
      if (events.length < BATCH && !this.#again) break;
    }
    this.#replaying = false;
  }

  #send(stored: StoredEvent): void {
    this.socket.emit(EventName.EVENT, unitEventOf(stored), this.#sent(stored));
  }

  /** Moves the cursor past `stored`, which is being sent now; returns the callback for the unit's ack. */
  #sent(stored: StoredEvent): EventAckCallback {
    const id = stored.id;
    this.#cursor = id;
    return (ack: unknown) => {
      if (!isEventAck(ack, id)) return;
      this.deps.outbox.acknowledge(this.unitId, id).catch(this.#acknowledgeFailed);
      this.deps.onAcknowledged(this.unitId, stored);
    };
  }
}

/**
 * An event's ack is `{ ok: true }` (optionally echoing `id`). Anything else, such as a request's late
 * answer that a reconnected client sent under a reused ack id, must not trim the outbox.
 */
function isEventAck(ack: unknown, id: number): boolean {
  if (typeof ack !== "object" || ack === null) return false;
  const { ok, id: echoed, data } = ack as { ok?: unknown; id?: unknown; data?: unknown };
  return ok === true && data === undefined && (echoed === undefined || echoed === id);
}
