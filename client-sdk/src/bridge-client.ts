/** The API Bridge on /bridge: a portal's powers for every unit, plus downstream publish and occupancy. */
import { EventName, Namespace, type BridgeClientEvents, type EventPayload, type EventType, type Occupancy, type PublishTarget } from "@care-gateway/shared";
import type { TypedCall } from "./ack-types.js";
import { CallerClient } from "./caller-client.js";
import type { ClientOptions } from "./client-options.js";
import { typedCall } from "./typed-calls.js";

export type BridgeClientOptions = ClientOptions;

export interface PublishOptions {
  /** The publish id (idempotency key); the gateway makes one when absent. */
  id?: string;
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

  constructor(options: BridgeClientOptions) {
    super(options, Namespace.bridge);
    this.#bridgeCall = typedCall<BridgeClientEvents>(this.connection);
  }

  /** Publishes an event downstream to one unit, a list of units or all of them. */
  async publish<T extends EventType>(target: PublishTarget, type: T, payload: EventPayload<T>, options: PublishOptions = {}): Promise<PublishOutcome> {
    const reply = await this.#bridgeCall(EventName.PUBLISH, {
      target,
      type,
      payload,
      ...(options.id === undefined ? {} : { id: options.id }),
    });
    return { id: reply.id, delivered: reply.delivered, queued: reply.queued };
  }

  async occupancy(): Promise<Occupancy> {
    const reply = await this.#bridgeCall(EventName.OCCUPANCY_GET, {});
    return reply.data;
  }
}
