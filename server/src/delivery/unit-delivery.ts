/**
 * Delivery to one connected unit session: a cursor over the unit's outbox. `pump()` sends, in id
 * order, everything after the cursor; replay at connect and live events take the same path, so they
 * can neither reorder nor leave a gap. Each event is acknowledged by the unit, then trimmed.
 */
import { ERROR_MESSAGES } from "@care-gateway/shared";
import type { UnitSocket } from "../connections/socket-types.js";
import type { Logger } from "../observability/logger.js";
import type { GatewayMetrics } from "../observability/metrics.js";
import type { EventGap, Outbox } from "./outbox.js";

const BATCH = 256;

export interface UnitDeliveryDeps {
  outbox: Outbox;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Called once per connection when retention dropped events the unit had not acknowledged. */
  onGap?: (unitId: string, gap: EventGap) => void;
}

export class UnitDelivery {
  #cursor: number;
  #running = false;
  #again = false;
  #stopped = false;

  constructor(
    readonly unitId: string,
    private readonly socket: UnitSocket,
    lastEventId: number,
    private readonly deps: UnitDeliveryDeps,
  ) {
    this.#cursor = lastEventId;
  }

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
    let gapChecked = false;
    for (;;) {
      this.#again = false;
      const { events, gap } = await outbox.read(this.unitId, this.#cursor, BATCH);
      if (this.#stopped) return;
      if (gap && !gapChecked) this.deps.onGap?.(this.unitId, gap);
      gapChecked = true;
      for (const event of events) {
        this.socket.emit("event", event, (ack: unknown) => {
          if (isEventAck(ack, event.id)) void outbox.acknowledge(this.unitId, event.id);
        });
        this.#cursor = event.id;
      }
      metrics.eventsDelivered.inc(events.length);
      if (events.length < BATCH && !this.#again) return;
    }
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
