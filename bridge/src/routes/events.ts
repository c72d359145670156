/**
 * Downstream events: POST /v1/units/{unitId}/events (one unit) and POST /v1/events (a list of units,
 * or all). Answered with the publish result; with `receipt: true`, once every unit the event was
 * delivered to has acknowledged it (or `receiptTimeoutMs` passed), with their receipts.
 */
import { ErrorCode, type EventType, type PublishEnvelope, type PublishTarget } from "@care-gateway/shared";
import { STRICT, publishEnvelopeSchema, runSchema } from "@care-gateway/shared/schemas";
import { viaGateway } from "../gateway-outcome.js";
import type { Outcome } from "../outcome.js";
import { AUTH_ERRORS, IDEMPOTENCY_REUSED, RATE_LIMITS, UNAVAILABLE, badRequest } from "./responses.js";
import { eventsBody, okBody, publishResult, unitEventBody, unitParams } from "./json-schema.js";
import type { DocumentedResponse, RouteSpec } from "./route-spec.js";
import type { RouteDeps } from "./route-deps.js";
import { unknownTypeOutcome, validationOutcome } from "./validation-issues.js";

interface EventBody {
  type: string;
  payload: Record<string, unknown>;
  receipt?: boolean;
  receiptTimeoutMs?: number;
}

const DEFAULT_RECEIPT_TIMEOUT_MS = 5000;

interface EventsBody extends EventBody {
  target: PublishTarget;
}

const RESPONSES: Readonly<Record<number, DocumentedResponse>> = {
  202: { description: "Published: sent at once to the units online, kept for the others.", schema: okBody(publishResult) },
  ...badRequest([ErrorCode.VALIDATION_FAILED, ErrorCode.UNKNOWN_TYPE]),
  ...AUTH_ERRORS,
  ...IDEMPOTENCY_REUSED,
  ...RATE_LIMITS,
  ...UNAVAILABLE,
};

export function eventRoutes(deps: RouteDeps): RouteSpec[] {
  const eventTypes = deps.catalogue.eventTypes();
  const publish = (target: PublishTarget, body: EventBody, requestId: string): Promise<Outcome> | Outcome => {
    if (!deps.catalogue.hasEvent(body.type)) return unknownTypeOutcome();
    const envelope: PublishEnvelope = { target, type: body.type as EventType, payload: body.payload as never, id: requestId };
    const checkedEnvelope = runSchema(publishEnvelopeSchema, envelope, STRICT);
    if (!checkedEnvelope.ok) return validationOutcome(checkedEnvelope);
    const checked = deps.catalogue.checkEventPayload(body.type, body.payload, "downstream");
    if (!checked.ok) return validationOutcome(checked, "payload.");
    if (body.receipt !== true) return viaGateway(() => deps.gateway.publish(target, body.type as EventType, checked.value as never, { id: requestId }), 202);
    const collector = deps.receipts.open(requestId);
    return viaGateway(async () => {
      try {
        const result = await deps.gateway.publish(target, body.type as EventType, checked.value as never, { id: requestId, receipt: true });
        const receipts = await collector.wait(result.delivered, body.receiptTimeoutMs ?? DEFAULT_RECEIPT_TIMEOUT_MS);
        return {
          ...result,
          receipts: receipts.map(({ unitId, eventId, at }) => ({ unitId, eventId, at })),
          receiptsPending: Math.max(0, result.delivered - receipts.length),
        };
      } finally {
        collector.close();
      }
    }, 202);
  };
  return [
    {
      method: "POST",
      url: "/v1/units/:unitId/events",
      operationId: "publishToUnit",
      summary: "Publish an event to one unit",
      description: "At-least-once and in order per unit: an offline unit gets it when it reconnects. The publish id is the X-Request-Id.",
      tags: ["events"],
      kind: "api",
      params: unitParams,
      body: unitEventBody(),
      documentedBody: unitEventBody(eventTypes),
      idempotent: true,
      permission: ({ body }) => `publish:${(body as EventBody).type}`,
      responses: RESPONSES,
      handle: ({ params, body, requestId }) => publish({ unitId: params["unitId"] ?? "" }, body as EventBody, requestId),
    },
    {
      method: "POST",
      url: "/v1/events",
      operationId: "publish",
      summary: "Publish an event to a list of units, or to all",
      tags: ["events"],
      kind: "api",
      body: eventsBody(),
      documentedBody: eventsBody(eventTypes),
      idempotent: true,
      permission: ({ body }) => `publish:${(body as EventsBody).type}`,
      responses: RESPONSES,
      handle: ({ body, requestId }) => publish((body as EventsBody).target, body as EventsBody, requestId),
    },
  ];
}
