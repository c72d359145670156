/**
 * A healthcare unit's software on /units: answers requests (`handle`), receives downstream events
 * (`on`, acknowledged after the handler resolves, redeliveries dropped by id) and publishes its own (`publish`).
 */
import {
  ErrorCode,
  EventName,
  Namespace,
  NO_EVENT_ID,
  isEventId,
  type DownstreamEvent,
  type EventGapNotice,
  type EventPayload,
  type EventType,
  type RequestType,
  type UnitClientEvents,
  type UnitServerEvents,
} from "@care-gateway/shared";
import type { TypedCall, TypedListen } from "./ack-types.js";
import { BaseClient } from "./base-client.js";
import type { ClientOptions } from "./client-options.js";
import { ConnectionCore } from "./connection-core.js";
import { ConnectionState } from "./connection-state.js";
import { GatewayError } from "./gateway-error.js";
import { typedCall, typedListen } from "./typed-calls.js";
import { DownstreamEvents, type EventHandler } from "./unit-events.js";
import { RequestHandlers, type RequestHandler } from "./unit-requests.js";

export interface UnitClientOptions extends ClientOptions {
  /** The last downstream event id this unit handled (e.g. read from disk at start-up). Default 0. */
  lastEventId?: number;
  /** Called with each handled event's id before it is acknowledged, to persist it. */
  onEventAcknowledged?: (id: number) => void | Promise<void>;
}

export interface UnitPublishOptions {
  /** The event's id (idempotency key); the gateway makes one when absent. */
  id?: string;
}

export class UnitClient extends BaseClient {
  readonly #requests = new RequestHandlers();
  readonly #events: DownstreamEvents;
  readonly #call: TypedCall<UnitClientEvents>;

  constructor(options: UnitClientOptions) {
    const lastEventId = options.lastEventId ?? NO_EVENT_ID;
    if (!isEventId(lastEventId)) throw new TypeError("options.lastEventId must be a non-negative safe integer");
    const events = new DownstreamEvents({ lastEventId, onEventAcknowledged: options.onEventAcknowledged });
    super(new ConnectionCore({ ...options, namespace: Namespace.unit, handshake: () => ({ lastEventId: events.lastEventId }) }));
    this.#events = events;
    this.#call = typedCall<UnitClientEvents>(this.connection);
    const listen: TypedListen<UnitServerEvents> = typedListen<UnitServerEvents>(this.connection);
    listen(EventName.REQUEST, (request, ack) => {
      const answer = this.connection.guardAck(ack);
      void this.connection.holdWhile(this.#requests.answer(request)).then(answer);
    });
    listen(EventName.EVENT, (event, ack) => {
      const acknowledge = this.connection.guardAck(ack);
      this.#events.receive(event, () => acknowledge({ ok: true }));
    });
    listen(EventName.EVENT_GAP, (gap) => this.#events.notices.emit("gap", gap));
    this.connection.on("state", (state) => {
      if (state === ConnectionState.CLOSED) this.#events.close();
    });
  }

  /** The last downstream event id handled; sent as `lastEventId` on every (re)connect. */
  get lastEventId(): number {
    return this.#events.lastEventId;
  }

  /**
   * Answers requests of `type`: the handler's result is sent as `{ ok: true, data }`; a thrown error as
   * `{ ok: false, error: { code: err.code ?? "UNIT_HANDLER_ERROR", message } }` (the caller sees UNIT_ERROR
   * with that code in `details`). Types without a handler are answered UNKNOWN_TYPE. Returns a remover.
   */
  handle<T extends RequestType>(type: T, handler: RequestHandler<T>): () => void {
    return this.#requests.set(type, handler);
  }

  /**
   * Handles downstream events of `type`, one at a time, in order; acknowledged after the handler resolves.
   * Register before `connect()`: events are replayed at connect, and an event of a type without a
   * handler is acknowledged as handled.
   */
  on<T extends EventType>(type: T, handler: EventHandler<T>): () => void {
    return this.#events.add(type, handler);
  }

  /** Publishes an event of this unit upstream (to subscribed portals and the bridge); resolves with its id. */
  async publish<T extends EventType>(type: T, payload: EventPayload<T>, options: UnitPublishOptions = {}): Promise<{ id: string }> {
    const reply = await this.#call(EventName.EVENT, { type, payload, ...(options.id === undefined ? {} : { id: options.id }) });
    if (typeof reply.id !== "string") throw new GatewayError(ErrorCode.INTERNAL, { details: { reason: "reply without id" } });
    return { id: reply.id };
  }

  /** Retention dropped events this unit had not acknowledged (`from`..`to`): resync them over REST. */
  onGap(handler: (gap: EventGapNotice) => void): () => void {
    return this.#events.notices.on("gap", handler);
  }

  /** A redelivered event was recognised by its id and dropped. */
  onDuplicate(handler: (event: DownstreamEvent) => void): () => void {
    return this.#events.notices.on("duplicate", handler);
  }

  /** An event handler or `onEventAcknowledged` failed (the event is still acknowledged). */
  onEventError(handler: (error: unknown, event: DownstreamEvent) => void): () => void {
    return this.#events.notices.on("eventError", handler);
  }
}
