/**
 * One route of the HTTP interface, described once: fastify registers it from this description and
 * the OpenAPI document is built from the same list, so neither can list a route the other lacks.
 */
import type { Caller, Permission } from "../caller-auth.js";
import type { HttpErrorCode } from "../error-codes.js";
import type { Outcome } from "../outcome.js";
import type { JsonSchema } from "./json-schema.js";

export type HttpMethod = "GET" | "POST" | "DELETE";

export interface RouteContext {
  requestId: string;
  caller: Caller;
  params: Record<string, string>;
  body: unknown;
}

/** A response that is not the `{ ok, ... }` JSON body: metrics text, the OpenAPI document. */
export interface RawResponse {
  status: number;
  contentType: string;
  payload: string;
}

export interface DocumentedResponse {
  description: string;
  /** Defaults to `application/json`. */
  contentType?: string;
  schema: JsonSchema;
  /** Error responses: the codes answered with this status on this route. */
  codes?: readonly HttpErrorCode[];
}

export interface RouteSpec {
  method: HttpMethod;
  /** fastify syntax: `/v1/units/:unitId`. */
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  /** `api`: caller authentication, refused while stopping. `infra`: health, metrics, the document. */
  kind: "api" | "infra";
  params?: JsonSchema;
  /** Validated by fastify; `bodyOptional` routes accept no body at all. */
  body?: JsonSchema;
  bodyOptional?: boolean;
  /** The body schema as documented, when it lists more (the catalogue's types). */
  documentedBody?: JsonSchema;
  /** Accepts Idempotency-Key. */
  idempotent?: boolean;
  /** What the caller's `scope` must allow. */
  permission?: (context: RouteContext) => Permission;
  responses: Readonly<Record<number, DocumentedResponse>>;
  handle(context: RouteContext): Promise<Outcome | RawResponse> | Outcome | RawResponse;
}

export function isRaw(result: Outcome | RawResponse): result is RawResponse {
  return "payload" in result;
}
