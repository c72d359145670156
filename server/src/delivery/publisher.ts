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
}

export class Publisher {
  constructor(private readonly deps: PublisherDeps) {}

  async publish(envelope: PublishEnvelope): Promise<PublishReply> {
    const { deps } = this;
    if (deps.isDraining()) return errorReply(ErrorCode.SHUTTING_DOWN);
    const payload = deps.catalogue.checkEventPayload(envelope.type, envelope.payload, "downstream");
    if (!payload.ok) return errorReply(payload.code, { issues: payload.issues });
    const id = envelope.id ?? randomUUID();
    const units = await this.#resolve(envelope.target);
    const draft: Omit<StoredEvent, "id"> = { type: envelope.type, payload: payload.value as StoredEvent["payload"], ts: Date.now(), publishId: id };
    let delivered = 0;
    let queued = 0;
    for (const unitId of units) {
      await deps.outbox.append(unitId, draft);
      const session = deps.sessions.get(unitId);
      if (session) {
        session.delivery.pump();
        delivered++;
      } else {
        queued++;
      }
    }
    deps.metrics.eventsPublished.inc();
    return { ok: true, id, delivered, queued };
  }

  async #resolve(target: PublishTarget): Promise<string[]> {
    if ("unitId" in target) return [target.unitId];
    if ("unitIds" in target) return target.unitIds;
    const all = new Set<string>(this.deps.sessions.unitIds());
    for (const location of await this.deps.presence.list()) all.add(location.unitId);
    for (const unitId of await this.deps.outbox.knownUnits()) all.add(unitId);
    return [...all];
  }
}
