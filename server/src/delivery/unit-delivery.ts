/**
 * Delivery to one connected unit session: a cursor over the unit's outbox. `pump()` sends, in id
 * order, everything after the cursor; replay at connect and live events take the same path, so they
 * can neither reorder nor leave a gap. Each event is acknowledged by the unit, then trimmed.
 *
 * The cursor starts at the unit's `auth.lastEventId`, or, when the unit says nothing (a plain
 * client), after the last event it acknowledged: unacknowledged events are always sent again.
 */
import { EventName, ERROR_MESSAGES, type DownstreamEvent } from "@care-gateway/shared";
import type { UnitSocket } from "../connections/socket-types.js";
import type { Logger } from "../observability/logger.js";
import type { GatewayMetrics } from "../observability/metrics.js";
import type { EventGap, Outbox, StoredEvent } from "./outbox.js";

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

  stop(): void {
    this.#stopped = true;
  }

  async #drain(): Promise<void> {
    const { outbox, metrics } = this.deps;
    this.#cursor ??= this.lastEventId ?? (await outbox.acknowledgedThrough(this.unitId));
    for (;;) {
      this.#again = false;
      const { events, gap } = await outbox.read(this.unitId, this.#cursor, BATCH);
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
    const { receiptTo: _receiptTo, ...event } = stored;
    this.socket.emit(EventName.EVENT, event satisfies DownstreamEvent, (ack: unknown) => {
      if (!isEventAck(ack, event.id)) return;
      void this.deps.outbox.acknowledge(this.unitId, event.id);
      this.deps.onAcknowledged(this.unitId, stored);
    });
    this.#cursor = event.id;
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
