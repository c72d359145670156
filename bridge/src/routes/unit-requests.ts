/** POST /v1/units/{unitId}/requests: a request to one unit, answered with the unit's result. */
import { ErrorCode, type RequestEnvelope, type RequestType } from "@care-gateway/shared";
import { STRICT, requestEnvelopeSchema, runSchema } from "@care-gateway/shared/schemas";
import type { RequestOptions } from "@care-gateway/client-sdk";
import { viaGateway } from "../gateway-outcome.js";
import { AUTH_ERRORS, IDEMPOTENCY_REUSED, RATE_LIMITS, UNAVAILABLE, badRequest, errorResponse } from "./responses.js";
import { okBody, requestBody, unitParams, unitResult } from "./json-schema.js";
import type { RouteDeps } from "./route-deps.js";
import type { RouteSpec } from "./route-spec.js";
import { unknownTypeOutcome, validationOutcome } from "./validation-issues.js";

interface RequestBody {
  type: string;
  payload: Record<string, unknown>;
  timeoutMs?: number;
}

export function unitRequestRoutes(deps: RouteDeps): RouteSpec[] {
  return [
    {
      method: "POST",
      url: "/v1/units/:unitId/requests",
      operationId: "requestUnit",
      summary: "Send a request to a unit and answer with its result",
      description:
        "The request goes to the unit through the gateway with the X-Request-Id as its id (the unit sees it as `request.id`). The payload is checked against the catalogue before it leaves the bridge.",
      tags: ["units"],
      kind: "api",
      params: unitParams,
      body: requestBody(),
      documentedBody: requestBody(deps.catalogue.requestTypes()),
      idempotent: true,
      permission: ({ body }) => `request:${(body as RequestBody).type}`,
      responses: {
        200: { description: "The unit's result.", schema: okBody(unitResult) },
        ...badRequest([ErrorCode.VALIDATION_FAILED, ErrorCode.UNKNOWN_TYPE]),
        ...AUTH_ERRORS,
        404: errorResponse("The unit has no live connection now (a property of the unit, not of the bridge: retry later).", [ErrorCode.UNIT_OFFLINE]),
        ...IDEMPOTENCY_REUSED,
        ...RATE_LIMITS,
        ...UNAVAILABLE,
        502: errorResponse("The unit answered with an error (its code in `details.code`), dropped while answering, or the gateway answered INTERNAL.", [
          ErrorCode.UNIT_ERROR,
          ErrorCode.UNIT_DISCONNECTED,
          ErrorCode.INTERNAL,
        ]),
        504: errorResponse("No answer before the deadline.", [ErrorCode.TIMEOUT]),
      },
      handle: ({ params, body, requestId }) => {
        const { type, payload, timeoutMs } = body as RequestBody;
        const unitId = params["unitId"] ?? "";
        if (!deps.catalogue.hasRequest(type)) return unknownTypeOutcome();
        // The envelope as the gateway will check it, and the payload against the catalogue: nothing invalid leaves the bridge.
        const envelope: RequestEnvelope = { unitId, type: type as RequestType, payload: payload as never, id: requestId };
        if (timeoutMs !== undefined) envelope.timeoutMs = timeoutMs;
        const checkedEnvelope = runSchema(requestEnvelopeSchema, envelope, STRICT);
        if (!checkedEnvelope.ok) return validationOutcome(checkedEnvelope);
        const checked = deps.catalogue.checkRequestPayload(type, payload);
        if (!checked.ok) return validationOutcome(checked, "payload.");
        const options: RequestOptions = { id: requestId };
        if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
        return viaGateway(() => deps.gateway.request(unitId, type as RequestType, checked.value as never, options));
      },
    },
  ];
}
