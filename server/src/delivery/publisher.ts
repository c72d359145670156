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
import type { Outbox, StoredEvent } from "./outbox.js";

export interface PublisherDeps {
  catalogue: MessageCatalogue;
  outbox: Outbox;
  sessions: UnitSessions;
  presence: Presence;
  metrics: GatewayMetrics;
  isDraining: () => boolean;
  /** Cluster: tell the node that owns `unitId` to deliver what waits in its outbox. */
  wakeRemote?: (nodeId: string, unitId: string) => boolean;
}

export class Publisher {
  #order: Promise<void> = Promise.resolve();

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
    const resolved = this.#resolve(envelope.target);
    // Appends are issued in publish order (one connection keeps that order), so events for a unit
    // stay in the order they were published; only the issuing is serialized, not the round trips.
    const issued = this.#order.then(async () => {
      const owners = await resolved;
      return [...owners].map(([unitId, owner]) => deps.outbox.append(unitId, draft).then(() => this.#wake(unitId, owner)));
    });
    this.#order = issued.then(
      () => undefined,
      () => undefined,
    );
    const outcomes = await Promise.all(await issued);
    const delivered = outcomes.filter(Boolean).length;
    const queued = outcomes.length - delivered;
    deps.metrics.eventsPublished.inc();
    return { ok: true, id, delivered, queued };
  }

  /** Starts delivery where the unit is online; false when it is offline (the event stays queued). */
  #wake(unitId: string, owner: string | undefined): boolean {
    const session = this.deps.sessions.get(unitId);
    if (session) {
      session.delivery.pump();
      return true;
    }
    return owner !== undefined && this.deps.wakeRemote !== undefined && this.deps.wakeRemote(owner, unitId);
  }

  /** Each target unit with the node that owns it now (undefined: offline or on this node). */
  async #resolve(target: PublishTarget): Promise<Map<string, string | undefined>> {
    const owners = new Map<string, string | undefined>();
    const locate = async (unitId: string) => {
      owners.set(unitId, this.deps.sessions.get(unitId) ? undefined : (await this.deps.presence.locate(unitId))?.nodeId);
    };
    if ("unitId" in target) await locate(target.unitId);
    else if ("unitIds" in target) await Promise.all(target.unitIds.map(locate));
    else {
      for (const unitId of await this.deps.outbox.knownUnits()) owners.set(unitId, undefined);
      for (const location of await this.deps.presence.list()) owners.set(location.unitId, location.nodeId);
    }
    return owners;
  }
}
