/**
 * The OpenAPI 3.1 document, built from the same route list fastify registers (so a route cannot be
 * in one and not the other) with the schemas fastify validates with; the response schemas are
 * checked against real answers by test/src/api-bridge-openapi.test.ts.
 */
import type { CallerAuth } from "./config.js";
import type { RouteSpec } from "./routes/route-spec.js";
import type { JsonSchema } from "./routes/json-schema.js";

export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: Record<string, unknown>;
  tags: { name: string; description: string }[];
};

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters: Record<string, unknown>[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; headers?: Record<string, unknown>; content: Record<string, { schema: JsonSchema }> }>;
  security: Record<string, string[]>[];
}

export interface OpenApiOptions {
  version: string;
  callerAuth: CallerAuth;
}

const TAGS = [
  { name: "units", description: "Requests to units and their presence." },
  { name: "events", description: "Downstream events (publish)." },
  { name: "principals", description: "Revocation." },
  { name: "operations", description: "Health, readiness, metrics and this document (no authentication)." },
];

const header = (description: string, schema: JsonSchema = { type: "string" }) => ({ description, schema });
const REQUEST_ID_HEADER = header("The request id: the caller's X-Request-Id when valid (1–128 printable ASCII characters), else one made by the bridge.", {
  type: "string",
  minLength: 1,
  maxLength: 128,
});

/** `/v1/units/:unitId` → `/v1/units/{unitId}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

export function buildOpenApi(routes: readonly RouteSpec[], options: OpenApiOptions): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  for (const route of routes) {
    const path = openApiPath(route.url);
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "care-gateway API Bridge",
      version: options.version,
      description: [
        "REST in front of the care-gateway: requests to units, downstream events, presence and revocation, over the bridge's privileged /bridge connection.",
        "Every JSON body is `{ ok: true, data }` or `{ ok: false, error: { code, message, details? } }`; every response carries `X-Request-Id`.",
        "An unknown route is answered 404 with code NOT_FOUND.",
        options.callerAuth === "off" ? "This instance runs with BRIDGE_AUTH=off: it does not check callers." : "Callers present a Bearer JWT of role `api`.",
      ].join(" "),
    },
    tags: TAGS,
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "A JWT of role `api`, signed with the gateway's keys." },
      },
    },
  };
}

function operation(route: RouteSpec): OpenApiOperation {
  const parameters: Record<string, unknown>[] = [];
  const pathParams = (route.params?.["properties"] ?? {}) as Record<string, JsonSchema>;
  for (const [name, schema] of Object.entries(pathParams)) {
    parameters.push({ name, in: "path", required: true, schema, ...(typeof schema["description"] === "string" ? { description: schema["description"] } : {}) });
  }
  parameters.push({ name: "X-Request-Id", in: "header", required: false, ...REQUEST_ID_HEADER });
  if (route.idempotent) {
    parameters.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description:
        "A retry with the same key (same caller, same request) within the window gets the first outcome and does not reach the unit again; while the first is in flight, the retry waits for it. Outcomes that reached no unit (validation, UNIT_OFFLINE, limits, NOT_CONNECTED, SHUTTING_DOWN) are not kept.",
      schema: { type: "string", minLength: 1, maxLength: 128 },
    });
  }
  const body = route.documentedBody ?? route.body;
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [...route.tags],
    parameters,
    ...(body ? { requestBody: { required: !route.bodyOptional, content: { "application/json": { schema: body } } } } : {}),
    responses: Object.fromEntries(
      Object.entries(route.responses).map(([status, response]) => {
        const codes = response.codes ? ` Codes: ${response.codes.map((code) => `\`${code}\``).join(", ")}.` : "";
        const headers: Record<string, unknown> = { "X-Request-Id": REQUEST_ID_HEADER };
        if (route.idempotent) headers["Idempotent-Replayed"] = header("`true` when this is the kept outcome of an earlier request with the same Idempotency-Key.");
        if (status === "429" || status === "503") headers["Retry-After"] = header("Seconds to wait before retrying.", { type: "string" });
        if (status === "401") headers["WWW-Authenticate"] = header("The Bearer challenge (RFC 6750).");
        return [status, { description: response.description + codes, headers, content: { [response.contentType ?? "application/json"]: { schema: response.schema } } }];
      }),
    ),
    security: route.kind === "api" ? [{ bearerAuth: [] }] : [],
  };
}
