/** The API Bridge on /bridge: a portal's powers for every unit, plus downstream publish and occupancy. */
import {
  EventName,
  Namespace,
  type BridgeClientEvents,
  type BridgeServerEvents,
  type DeliveryReceipt,
  type EventPayload,
  type EventType,
  type Occupancy,
  type PublishTarget,
} from "@care-gateway/shared";
import type { TypedCall, TypedListen } from "./ack-types.js";
import { CallerClient } from "./caller-client.js";
import type { ClientOptions } from "./client-options.js";
import { typedCall, typedListen } from "./typed-calls.js";

export type BridgeClientOptions = ClientOptions;

export interface PublishOptions {
  /** The publish id (idempotency key); the gateway makes one when absent. */
  id?: string;
  /** Ask for a `delivery:receipt` (see `onReceipt`) as each target unit acknowledges the event. */
  receipt?: boolean;
}

export interface PublishOutcome {
  id: string;
  /** Units online now, sent the event at once. */
  delivered: number;
  /** Offline units for which it was stored. */
  queued: number;
}

export class BridgeClient extends CallerClient {
  readonly #bridgeCall: TypedCall<BridgeClientEvents>;
  readonly #bridgeListen: TypedListen<BridgeServerEvents>;

  constructor(options: BridgeClientOptions) {
    super(options, Namespace.bridge);
    this.#bridgeCall = typedCall<BridgeClientEvents>(this.connection);
    this.#bridgeListen = typedListen<BridgeServerEvents>(this.connection);
  }

  /**
   * Delivery receipts of this principal's publishes made with `receipt: true`: one per unit that
   * acknowledged the event (`id` is the publish id). Returns a function that stops listening.
   */
  onReceipt(handler: (receipt: DeliveryReceipt) => void): () => void {
    return this.#bridgeListen(EventName.DELIVERY_RECEIPT, handler);
  }

  /** Publishes an event downstream to one unit, a list of units or all of them. */
  async publish<T extends EventType>(target: PublishTarget, type: T, payload: EventPayload<T>, options: PublishOptions = {}): Promise<PublishOutcome> {
    const reply = await this.#bridgeCall(EventName.PUBLISH, {
      target,
      type,
      payload,
      ...(options.id === undefined ? {} : { id: options.id }),
      ...(options.receipt === true ? { receipt: true } : {}),
    });
    return { id: reply.id, delivered: reply.delivered, queued: reply.queued };
  }

  async occupancy(): Promise<Occupancy> {
    const reply = await this.#bridgeCall(EventName.OCCUPANCY_GET, {});
    return reply.data;
  }

  /**
   * Revokes a principal: the gateway closes every socket of `sub` in every namespace on every node
   * (REVOKED, after which the SDK does not reconnect) and refuses its tokens issued until now. Audited
   * by the gateway; `reason` is not recorded there (it could carry patient data).
   */
  async revoke(sub: string, reason?: string): Promise<void> {
    await this.#bridgeCall(EventName.PRINCIPAL_REVOKE, reason === undefined ? { sub } : { sub, reason });
  }
}
