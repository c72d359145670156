/**
 * What portals and the bridge share: requests to units, subscriptions (restored after every
 * reconnect) and the upstream traffic of the units they watch.
 */
import {
  ClientErrorCode,
  EventName,
  type EventType,
  type NamespaceName,
  type PortalClientEvents,
  type PortalServerEvents,
  type RequestEnvelope,
  type RequestPayload,
  type RequestResult,
  type RequestType,
  type UnitEventBroadcast,
  type UnitStatus,
} from "@care-gateway/shared";
import type { TypedCall, TypedListen } from "./ack-types.js";
import { BaseClient } from "./base-client.js";
import type { ClientOptions } from "./client-options.js";
import { ConnectionCore } from "./connection-core.js";
import { ConnectionState } from "./connection-state.js";
import { GatewayError } from "./gateway-error.js";
import { typedCall, typedListen } from "./typed-calls.js";
import { TypedEmitter } from "./typed-emitter.js";

export interface RequestOptions {
  /** The gateway's deadline for this request (capped by its maximum); its default when absent. */
  timeoutMs?: number;
  /** Correlation and idempotency key; the gateway makes one when absent. */
  id?: string;
}

/** A unit's upstream event, discriminated by `type` so that `payload` narrows with it. */
export type AnyUnitEvent = { [T in EventType]: UnitEventBroadcast<T> }[EventType];

export interface SubscribeOutcome {
  subscribed: string[];
  denied: string[];
}

function resultOf(reply: { data: unknown }): unknown {
  return reply.data;
}

interface CallerNotices {
  resubscribed: (outcome: SubscribeOutcome) => void;
}

export abstract class CallerClient extends BaseClient {
  readonly #call: TypedCall<PortalClientEvents>;
  readonly #listen: TypedListen<PortalServerEvents>;
  readonly #subscriptions = new Set<string>();
  readonly #notices = new TypedEmitter<CallerNotices>();

  protected constructor(options: ClientOptions, namespace: NamespaceName) {
    super(new ConnectionCore({ ...options, namespace }));
    this.#call = typedCall<PortalClientEvents>(this.connection);
    this.#listen = typedListen<PortalServerEvents>(this.connection);
    this.connection.on("state", (state, previous) => {
      if (state === ConnectionState.CONNECTED && previous === ConnectionState.RECONNECTING) this.#resubscribe();
    });
  }

  /**
   * Sends a request to a unit; resolves with its result or rejects with a GatewayError (UNIT_OFFLINE,
   * UNIT_DISCONNECTED, UNIT_ERROR with the unit's code in `details`, TIMEOUT, FORBIDDEN, ...).
   */
  request<T extends RequestType>(unitId: string, type: T, payload: RequestPayload<T>, options: RequestOptions = {}): Promise<RequestResult<T>> {
    // Not async, and no spread objects: the API Bridge sends thousands of these a second. The call never throws; it rejects.
    const envelope: RequestEnvelope<T> = { unitId, type, payload };
    if (options.timeoutMs !== undefined) envelope.timeoutMs = options.timeoutMs;
    if (options.id !== undefined) envelope.id = options.id;
    return this.#call(EventName.REQUEST, envelope, options.timeoutMs ?? this.connection.options.requestTimeoutMs).then(resultOf) as Promise<RequestResult<T>>;
  }

  /** Subscribes to units' status and events; what is granted is subscribed again after every reconnect. */
  async subscribe(unitIds: readonly string[]): Promise<SubscribeOutcome> {
    const reply = await this.#call(EventName.SUBSCRIBE, { unitIds: [...unitIds] });
    for (const unitId of reply.subscribed) this.#subscriptions.add(unitId);
    return { subscribed: reply.subscribed, denied: reply.denied };
  }

  /** Unsubscribes; while disconnected it only forgets them (the gateway forgot them with the connection). */
  async unsubscribe(unitIds: readonly string[]): Promise<void> {
    for (const unitId of unitIds) this.#subscriptions.delete(unitId);
    if (!this.connected) return;
    await this.#call(EventName.UNSUBSCRIBE, { unitIds: [...unitIds] });
  }

  /** The units subscribed to (and restored after a reconnect). */
  get subscriptions(): string[] {
    return [...this.#subscriptions];
  }

  onUnitEvent(handler: (event: AnyUnitEvent) => void): () => void {
    return this.#listen(EventName.UNIT_EVENT, handler as PortalServerEvents[typeof EventName.UNIT_EVENT]);
  }

  onUnitStatus(handler: (status: UnitStatus) => void): () => void {
    return this.#listen(EventName.UNIT_STATUS, handler);
  }

  /** After a reconnect, once the subscriptions are restored. Failures are reported on `connection`'s `error`. */
  onResubscribed(handler: (outcome: SubscribeOutcome) => void): () => void {
    return this.#notices.on("resubscribed", handler);
  }

  #resubscribe(): void {
    const unitIds = [...this.#subscriptions];
    if (unitIds.length === 0) return;
    this.#call(EventName.SUBSCRIBE, { unitIds }).then(
      (reply) => {
        for (const unitId of reply.denied) this.#subscriptions.delete(unitId);
        this.#notices.emit("resubscribed", { subscribed: reply.subscribed, denied: reply.denied });
      },
      (error: unknown) => {
        // CONNECTION_LOST: the next reconnect tries again.
        if (error instanceof GatewayError && error.code !== ClientErrorCode.CLIENT_CLOSED) this.connection.reportError(error);
      },
    );
  }
}
