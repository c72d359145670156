/**
 * X-Request-Id: the caller's id when it is a valid protocol correlation id (1–128 printable ASCII
 * characters, the gateway's own rule), otherwise one made here. It becomes the gateway request id
 * (the request envelope's `id`, the publish id), so one id traces API Gateway → bridge → gateway →
 * unit, and it is echoed in the response and written on the bridge's log lines.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { correlationId } from "@care-gateway/shared/schemas";

export const REQUEST_ID_HEADER = "x-request-id";

export function isCorrelationId(value: unknown): value is string {
  return typeof value === "string" && correlationId.validate(value, { convert: false }).error === undefined;
}

/** Fastify's `genReqId`: honour the caller's X-Request-Id, or make one. */
export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers[REQUEST_ID_HEADER];
  return isCorrelationId(header) ? header : randomUUID();
}
