/** GET /healthz, /readyz, /metrics and /openapi.json: for the platform, not for callers (no authentication). */
import { ClientErrorCode, ErrorCode } from "@care-gateway/shared";
import { errorOutcome, okOutcome } from "../outcome.js";
import { errorResponse } from "./responses.js";
import { health, okBody, readiness } from "./json-schema.js";
import type { RouteDeps } from "./route-deps.js";
import type { RouteSpec } from "./route-spec.js";

export function operationRoutes(deps: RouteDeps): RouteSpec[] {
  return [
    {
      method: "GET",
      url: "/healthz",
      operationId: "health",
      summary: "Liveness: the process serves HTTP",
      tags: ["operations"],
      kind: "infra",
      responses: { 200: { description: "Alive.", schema: okBody(health) } },
      handle: () => okOutcome({ status: "ok", instance: deps.instanceId }),
    },
    {
      method: "GET",
      url: "/readyz",
      operationId: "ready",
      summary: "Readiness: ready only while the /bridge socket to the gateway is connected",
      tags: ["operations"],
      kind: "infra",
      responses: {
        200: { description: "Ready.", schema: okBody(readiness) },
        503: errorResponse("Not ready: the /bridge socket is down (NOT_CONNECTED) or the bridge is stopping (SHUTTING_DOWN).", [
          ClientErrorCode.NOT_CONNECTED,
          ErrorCode.SHUTTING_DOWN,
        ]),
      },
      handle: () => {
        const state = deps.readiness();
        if (state.ready) return okOutcome({ status: "ready", gateway: "connected" });
        return errorOutcome(state.reason === ErrorCode.SHUTTING_DOWN ? ErrorCode.SHUTTING_DOWN : ClientErrorCode.NOT_CONNECTED);
      },
    },
    {
      method: "GET",
      url: "/metrics",
      operationId: "metrics",
      summary: "Prometheus metrics (names prefixed care_bridge_)",
      tags: ["operations"],
      kind: "infra",
      responses: { 200: { description: "Prometheus text exposition.", contentType: "text/plain", schema: { type: "string" } } },
      handle: async () => ({ status: 200, contentType: deps.metrics.contentType, payload: await deps.metrics.metrics() }),
    },
    {
      method: "GET",
      url: "/openapi.json",
      operationId: "openapi",
      summary: "This API's OpenAPI 3.1 document",
      tags: ["operations"],
      kind: "infra",
      responses: {
        200: {
          description: "The document.",
          schema: {
            type: "object",
            required: ["openapi", "info", "paths"],
            properties: { openapi: { const: "3.1.0" }, info: { type: "object" }, paths: { type: "object" }, components: { type: "object" } },
          },
        },
      },
      handle: () => ({ status: 200, contentType: "application/json; charset=utf-8", payload: deps.openapi() }),
    },
  ];
}
