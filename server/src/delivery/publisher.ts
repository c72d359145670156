/**
 * Downstream publish: validate strictly, resolve the target units, append the event to each unit's
 * outbox, then wake the delivery of every unit online here. Units offline keep it queued.
 */
import { randomUUID } from "node:crypto";
import { ErrorCode, type PublishEnvelope, type PublishReply, type PublishTarget } from "@care-gateway/shared";
import type { MessageCatalogue } from "@care-gateway/shared/schemas";
import type { Presence } from "../connections/presence.js";
import type { UnitSessions } from "../connections/unit-sessions.js";
import { errorReply } from "../messages/replies.js";
import type { GatewayMetrics } from "../observability/metrics.js";
import { unitEventOf, type EventDraft, type Outbox, type StoredEvent } from "./outbox.js";
import { SharedEventPacket } from "./shared-event-packet.js";

export interface PublisherDeps {
  catalogue: MessageCatalogue;
  outbox: Outbox;
  sessions: UnitSessions;
  presence: Presence;
  metrics: GatewayMetrics;
  isDraining: () => boolean;
  /**
   * Cluster: tell the node that owns `unitId` to deliver what waits in its outbox; `event`, the one
   * just appended, may travel with the wake-up so that the owner need not read it back.
   */
  wakeRemote?: (nodeId: string, unitId: string, event?: StoredEvent) => boolean;
}

/**
 * The targets of a publish, as appended: per unit (same index), its stored event and the node that owns
 * it now (undefined: offline, or on this node).
 */
interface Appended {
  unitIds: readonly string[];
  events: StoredEvent[];
  owners: (string | undefined)[];
}

/** Each target unit with the node that owns it now (undefined: offline or on this node). */
type Owners = Map<string, string | undefined>;

const ignore = (): undefined => undefined;

export class Publisher {
  #order: Promise<void> = Promise.resolve();
  /** Publishes whose appends wait for an earlier one to resolve its targets (`{ all: true }`). */
  #chained = 0;

  constructor(private readonly deps: PublisherDeps) {}

  /** `receiptTo`: the publishing principal, when it asked for delivery receipts. */
  async publish(envelope: PublishEnvelope, receiptTo?: string): Promise<PublishReply> {
    const { deps } = this;
    if (deps.isDraining()) return errorReply(ErrorCode.SHUTTING_DOWN);
    const payload = deps.catalogue.checkEventPayload(envelope.type, envelope.payload, "downstream");
    if (!payload.ok) return errorReply(payload.code, { issues: payload.issues });
    const id = envelope.id ?? randomUUID();
    const draft: Omit<StoredEvent, "id"> = {
      type: envelope.type,
      payload: payload.value as StoredEvent["payload"],
      ts: Date.now(),
      publishId: id,
      ...(envelope.receipt === true && receiptTo !== undefined ? { receiptTo } : {}),
    };
    const { unitIds, events: stored, owners } = await this.#append(envelope.target, draft);
    let delivered = 0;
    // Where the outbox stored one event for many units, the units that are caught up get one packet
    // encoded once (each with its own acknowledgement); the others read their outbox as usual.
    let shared: SharedEventPacket | undefined;
    let sharedFor: StoredEvent | undefined;
    for (let i = 0; i < stored.length; i++) {
      const unitId = unitIds[i] as string;
      const event = stored[i] as StoredEvent;
      if (sharedFor !== event) {
        sharedFor = event;
        shared = stored[i + 1] === event ? new SharedEventPacket(unitEventOf(event)) : undefined;
      }
      if (this.#wake(unitId, owners[i], event, shared)) delivered++;
    }
    deps.metrics.eventsPublished.inc();
    return { ok: true, id, delivered, queued: stored.length - delivered };
  }

  /**
   * Appends are issued in publish order (one connection keeps that order), so events for a unit stay
   * in the order they were published; only the issuing is ordered, not the round trips. Named targets
   * are appended at once (located meanwhile: in the append's own store call where the outbox can),
   * unless a publish to all, whose targets are still being resolved, came first: then they wait their
   * turn behind it.
   */
  #append(target: PublishTarget, draft: EventDraft): Promise<Appended> {
    const { outbox } = this.deps;
    if (!("all" in target) && this.#chained === 0) {
      const unitIds = "unitId" in target ? [target.unitId] : target.unitIds;
      if (outbox.appendManyLocating) {
        const remote = unitIds.map((unitId) => this.deps.sessions.get(unitId) === undefined);
        return outbox.appendManyLocating(unitIds, draft, remote).then(({ events, nodeIds }) => ({ unitIds, events, owners: nodeIds }));
      }
      return Promise.all([outbox.appendMany(unitIds, draft), this.#locate(unitIds)]).then(([events, owners]) => ({
        unitIds,
        events,
        owners: unitIds.map((unitId) => owners.get(unitId)),
      }));
    }
    const resolved = this.#resolve(target);
    this.#chained++;
    const issued = this.#order.then(async () => {
      try {
        const owners = await resolved;
        const unitIds = [...owners.keys()];
        return { unitIds, events: outbox.appendMany(unitIds, draft), owners: [...owners.values()] };
      } finally {
        this.#chained--;
      }
    });
    this.#order = issued.then(ignore, ignore);
    return issued.then(async ({ unitIds, events, owners }) => ({ unitIds, events: await events, owners }));
  }

  /** Starts delivery where the unit is online; false when it is offline (the event stays queued). */
  #wake(unitId: string, owner: string | undefined, event: StoredEvent, shared: SharedEventPacket | undefined): boolean {
    const session = this.deps.sessions.get(unitId);
    if (session) {
      session.delivery.offer(event, shared);
      return true;
    }
    return owner !== undefined && this.deps.wakeRemote !== undefined && this.deps.wakeRemote(owner, unitId, event);
  }

  /** Named units: those connected here need no look-up. */
  async #locate(unitIds: readonly string[]): Promise<Owners> {
    const owners: Owners = new Map();
    const remote: Promise<void>[] = [];
    for (const unitId of unitIds) {
      if (this.deps.sessions.get(unitId)) owners.set(unitId, undefined);
      else remote.push(this.deps.presence.locate(unitId).then((location) => void owners.set(unitId, location?.nodeId)));
    }
    if (remote.length > 0) await Promise.all(remote);
    return owners;
  }

  async #resolve(target: PublishTarget): Promise<Owners> {
    if (!("all" in target)) return this.#locate("unitId" in target ? [target.unitId] : target.unitIds);
    const owners: Owners = new Map();
    for (const unitId of await this.deps.outbox.knownUnits()) owners.set(unitId, undefined);
    for (const location of await this.deps.presence.list()) owners.set(location.unitId, location.nodeId);
    return owners;
  }
}
