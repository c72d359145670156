/**
 * The JSON Schemas of the HTTP interface, written once: fastify validates requests with them and the
 * OpenAPI document (3.1, JSON Schema 2020-12) publishes them with the response schemas. Only keywords
 * that mean the same in draft-07 (fastify's Ajv) and 2020-12 are used.
 */
import { UNIT_ID_PATTERN } from "@care-gateway/shared";
import { HTTP_ERROR_CODES } from "../error-codes.js";

export type JsonSchema = { [keyword: string]: unknown };

/** Catalogue type names, as the shared schemas bound them (the catalogue itself decides which exist). */
const TYPE_NAME = { type: "string", minLength: 1, maxLength: 128 } as const;

export const unitIdSchema: JsonSchema = { type: "string", pattern: UNIT_ID_PATTERN.source, description: "A unit id (its token's `sub`)." };

export const unitParams: JsonSchema = {
  type: "object",
  required: ["unitId"],
  additionalProperties: false,
  properties: { unitId: unitIdSchema },
};

export const subParams: JsonSchema = {
  type: "object",
  required: ["sub"],
  additionalProperties: false,
  properties: { sub: { type: "string", minLength: 1, maxLength: 256, description: "The principal: a token's `sub`." } },
};

/** `types`: the catalogue's names, listed in the document only (the catalogue answers UNKNOWN_TYPE for others). */
function typeField(kind: "request" | "event", types?: readonly string[]): JsonSchema {
  return {
    ...TYPE_NAME,
    description: `A ${kind} type of the message catalogue; \`payload\` must match its schema exactly (no unknown or missing fields).`,
    ...(types ? { examples: [...types] } : {}),
  };
}

const receiptField: JsonSchema = {
  type: "boolean",
  description:
    "Ask for delivery receipts: the answer then waits (up to `receiptTimeoutMs`) until every unit the event was delivered to at once has acknowledged it, and lists their receipts. Units it was queued for acknowledge when they come back; their receipts are not in this answer.",
};

const receiptTimeoutField: JsonSchema = {
  type: "integer",
  minimum: 1,
  maximum: 30_000,
  description: "With `receipt: true`: how long to wait for the receipts, in ms (default 5000).",
};

export function requestBody(types?: readonly string[]): JsonSchema {
  return {
    type: "object",
    required: ["type", "payload"],
    additionalProperties: false,
    properties: {
      type: typeField("request", types),
      payload: { type: "object", description: "The request's payload, checked against the catalogue before it leaves the bridge." },
      timeoutMs: { type: "integer", minimum: 1, description: "The gateway's deadline for the answer; its default when absent, capped by its maximum." },
    },
  };
}

export function unitEventBody(types?: readonly string[]): JsonSchema {
  return {
    type: "object",
    required: ["type", "payload"],
    additionalProperties: false,
    properties: { type: typeField("event", types), payload: { type: "object" }, receipt: receiptField, receiptTimeoutMs: receiptTimeoutField },
  };
}

export function eventsBody(types?: readonly string[]): JsonSchema {
  return {
    type: "object",
    required: ["target", "type", "payload"],
    additionalProperties: false,
    properties: {
      target: {
        description: "One unit, a list of units, or all units (every unit online plus every unit the gateway holds an outbox for).",
        oneOf: [
          { type: "object", required: ["unitId"], additionalProperties: false, properties: { unitId: unitIdSchema } },
          {
            type: "object",
            required: ["unitIds"],
            additionalProperties: false,
            properties: { unitIds: { type: "array", items: unitIdSchema, minItems: 1, maxItems: 10_000, uniqueItems: true } },
          },
          { type: "object", required: ["all"], additionalProperties: false, properties: { all: { const: true } } },
        ],
      },
      type: typeField("event", types),
      payload: { type: "object" },
      receipt: receiptField,
      receiptTimeoutMs: receiptTimeoutField,
    },
  };
}

export const revokeBody: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: { reason: { type: "string", maxLength: 256, description: "Why (not recorded by the gateway's audit log: it could carry patient data)." } },
};

// ---- responses

export function okBody(data: JsonSchema): JsonSchema {
  return { type: "object", required: ["ok", "data"], additionalProperties: false, properties: { ok: { const: true }, data } };
}

/** An error body whose code is one of `codes`. */
export function errorBodyWith(codes: readonly string[]): JsonSchema {
  const properties = errorBody["properties"] as { error: { properties: Record<string, unknown> } };
  const error = properties.error;
  return {
    ...errorBody,
    properties: { ...properties, error: { ...error, properties: { ...error.properties, code: { type: "string", enum: [...new Set(codes)] } } } },
  };
}

export const errorBody: JsonSchema = {
  type: "object",
  required: ["ok", "error"],
  additionalProperties: false,
  properties: {
    ok: { const: false },
    error: {
      type: "object",
      required: ["code", "message"],
      additionalProperties: false,
      properties: {
        code: { type: "string", enum: [...HTTP_ERROR_CODES] },
        message: { type: "string" },
        details: { description: "VALIDATION_FAILED/UNKNOWN_TYPE: `{ issues: [{ path, rule }] }` (never the values); UNIT_ERROR: the unit's `{ code, message, details? }`." },
      },
    },
  },
};

export const unitResult: JsonSchema = {
  type: "object",
  description: "The unit's result: the catalogue's result fields for the type, and any a newer unit adds.",
};

export const publishResult: JsonSchema = {
  type: "object",
  required: ["id", "delivered", "queued"],
  properties: {
    id: { type: "string", description: "The publish id: the request's X-Request-Id." },
    delivered: { type: "integer", minimum: 0, description: "Units online now, sent the event at once." },
    queued: { type: "integer", minimum: 0, description: "Offline units the event is kept for." },
    receipts: {
      type: "array",
      description: "With `receipt: true`: the units that acknowledged (processed) the event before the answer.",
      items: {
        type: "object",
        required: ["unitId", "eventId", "at"],
        properties: {
          unitId: { type: "string" },
          eventId: { type: "integer", description: "The event's id in the unit's stream." },
          at: { type: "integer", description: "When the gateway received the acknowledgement (epoch ms)." },
        },
      },
    },
    receiptsPending: { type: "integer", minimum: 0, description: "With `receipt: true`: units the event was delivered to whose acknowledgement had not arrived within `receiptTimeoutMs`." },
  },
};

const counts: JsonSchema = {
  type: "object",
  required: ["units", "portal", "bridge", "admin"],
  properties: {
    units: { type: "integer", minimum: 0 },
    portal: { type: "integer", minimum: 0 },
    bridge: { type: "integer", minimum: 0 },
    admin: { type: "integer", minimum: 0 },
  },
};

export const occupancy: JsonSchema = {
  type: "object",
  required: ["at", "nodes", "totals", "units"],
  properties: {
    at: { type: "integer", description: "Epoch ms." },
    nodes: { type: "array", items: { type: "object", required: ["nodeId", "connections"], properties: { nodeId: { type: "string" }, connections: counts } } },
    totals: counts,
    units: {
      type: "array",
      items: {
        type: "object",
        required: ["unitId", "nodeId", "connectedAt"],
        properties: { unitId: { type: "string" }, nodeId: { type: "string" }, connectedAt: { type: "integer", description: "Epoch ms." } },
      },
    },
  },
};

export const unitPresence: JsonSchema = {
  type: "object",
  required: ["unitId", "online"],
  additionalProperties: false,
  properties: {
    unitId: unitIdSchema,
    online: { type: "boolean" },
    node: { type: "string", description: "The gateway node the unit is connected to (online only)." },
    since: { type: "integer", description: "When its connection started, epoch ms (online only)." },
  },
};

export const revokeResult: JsonSchema = {
  type: "object",
  required: ["sub", "revoked"],
  additionalProperties: false,
  properties: { sub: { type: "string" }, revoked: { const: true } },
};

export const health: JsonSchema = {
  type: "object",
  required: ["status", "instance"],
  additionalProperties: false,
  properties: { status: { const: "ok" }, instance: { type: "string" } },
};

export const readiness: JsonSchema = {
  type: "object",
  required: ["status", "gateway"],
  additionalProperties: false,
  properties: { status: { const: "ready" }, gateway: { const: "connected" } },
};
