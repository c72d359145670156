/** Operators on /admin: occupancy (on request and as a stream) and disconnecting a unit. */
import { EventName, Namespace, type AdminClientEvents, type AdminServerEvents, type Occupancy } from "@care-gateway/shared";
import type { TypedCall, TypedListen } from "./ack-types.js";
import { BaseClient } from "./base-client.js";
import type { ClientOptions } from "./client-options.js";
import { ConnectionCore } from "./connection-core.js";
import { typedCall, typedListen } from "./typed-calls.js";

export type AdminClientOptions = ClientOptions;

export class AdminClient extends BaseClient {
  readonly #call: TypedCall<AdminClientEvents>;
  readonly #listen: TypedListen<AdminServerEvents>;

  constructor(options: AdminClientOptions) {
    super(new ConnectionCore({ ...options, namespace: Namespace.admin }));
    this.#call = typedCall<AdminClientEvents>(this.connection);
    this.#listen = typedListen<AdminServerEvents>(this.connection);
  }

  async occupancy(): Promise<Occupancy> {
    const reply = await this.#call(EventName.OCCUPANCY_GET, {});
    return reply.data;
  }

  /** Occupancy pushed by the gateway: on connect, on change (at most once a second) and every few seconds. */
  onOccupancy(handler: (occupancy: Occupancy) => void): () => void {
    return this.#listen(EventName.OCCUPANCY, handler);
  }

  /** Disconnects a unit (audited by the gateway); rejects with UNIT_OFFLINE when it has no live connection. */
  async disconnectUnit(unitId: string, reason: string): Promise<void> {
    await this.#call(EventName.UNIT_DISCONNECT, { unitId, reason });
  }
}
