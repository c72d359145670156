/**
 * Downstream events on the unit side. Events are handled one at a time, in arrival order (which is id
 * order), and acknowledged after their handlers resolve; the last handled id is remembered (and offered
 * to `onEventAcknowledged` to persist) and sent as `lastEventId` on every (re)connect. An event whose id
 * is not above it is a redelivery: acknowledged again, not handled again.
 */
import { isEventId, type DownstreamEvent, type EventGapNotice, type EventPayload, type EventType } from "@care-gateway/shared";
import { TypedEmitter } from "./typed-emitter.js";

export type EventHandler<T extends EventType> = (payload: EventPayload<T>, event: DownstreamEvent<T>) => void | Promise<void>;

export interface DownstreamEventsOptions {
  lastEventId: number;
  /** Called after the handlers of event `id` resolved, before it is acknowledged: persist `id` here. */
  onEventAcknowledged?: ((id: number) => void | Promise<void>) | undefined;
}

export interface UnitNotices {
  /** Retention dropped events `from`..`to` before this unit acknowledged them: resync them over REST. */
  gap: (gap: EventGapNotice) => void;
  /** A redelivered event was dropped (already handled). */
  duplicate: (event: DownstreamEvent) => void;
  /** A handler (or `onEventAcknowledged`) failed; the event still counts as handled and is acknowledged. */
  eventError: (error: unknown, event: DownstreamEvent) => void;
}

type StoredHandler = (payload: never, event: never) => unknown;

export class DownstreamEvents {
  readonly notices = new TypedEmitter<UnitNotices>();
  readonly #handlers = new Map<string, Set<StoredHandler>>();
  readonly #persist: DownstreamEventsOptions["onEventAcknowledged"];
  #lastEventId: number;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: DownstreamEventsOptions) {
    this.#lastEventId = options.lastEventId;
    this.#persist = options.onEventAcknowledged;
  }

  /** The last event id handled (what the handshake sends as `lastEventId`). */
  get lastEventId(): number {
    return this.#lastEventId;
  }

  add<T extends EventType>(type: T, handler: EventHandler<T>): () => void {
    let set = this.#handlers.get(type);
    if (!set) this.#handlers.set(type, (set = new Set()));
    const stored = handler as StoredHandler;
    set.add(stored);
    return () => {
      set.delete(stored);
    };
  }

  /** Queues an event; `ack` is called once it is handled (or recognised as a redelivery). */
  receive(event: DownstreamEvent, ack: () => void): void {
    this.#queue = this.#queue
      .then(() => this.#handle(event, ack))
      .catch((error: unknown) => this.notices.emit("eventError", error, event));
  }

  /** Stops handling: queued events are left unacknowledged (the gateway keeps them). */
  close(): void {
    this.#closed = true;
  }

  async #handle(event: DownstreamEvent, ack: () => void): Promise<void> {
    if (this.#closed) return;
    if (!isEventId(event.id)) return ack();
    if (event.id <= this.#lastEventId) {
      this.notices.emit("duplicate", event);
      return ack();
    }
    for (const handler of [...(this.#handlers.get(event.type) ?? [])]) {
      if (this.#closed) return;
      try {
        await (handler as (payload: unknown, event: DownstreamEvent) => unknown)(event.payload, event);
      } catch (error) {
        this.notices.emit("eventError", error, event);
      }
    }
    if (this.#closed) return;
    this.#lastEventId = event.id;
    try {
      await this.#persist?.(event.id);
    } catch (error) {
      this.notices.emit("eventError", error, event);
    }
    ack();
  }
}
