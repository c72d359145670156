/** GET /v1/units (occupancy) and GET /v1/units/{unitId} (presence of one unit). */
import type { Occupancy } from "@care-gateway/shared";
import { viaGateway } from "../gateway-outcome.js";
import { AUTH_ERRORS, RATE_LIMITS, UNAVAILABLE, invalidRequest } from "./responses.js";
import { occupancy, okBody, unitParams, unitPresence } from "./json-schema.js";
import type { RouteDeps } from "./route-deps.js";
import type { RouteSpec } from "./route-spec.js";

export interface UnitPresence {
  unitId: string;
  online: boolean;
  node?: string;
  since?: number;
}

export function presenceOf(snapshot: Occupancy, unitId: string): UnitPresence {
  const found = snapshot.units.find((unit) => unit.unitId === unitId);
  return found ? { unitId, online: true, node: found.nodeId, since: found.connectedAt } : { unitId, online: false };
}

export function unitRoutes(deps: RouteDeps): RouteSpec[] {
  return [
    {
      method: "GET",
      url: "/v1/units",
      operationId: "listUnits",
      summary: "Occupancy: the gateway nodes, their connection counts and every unit online",
      tags: ["units"],
      kind: "api",
      permission: () => "units:read",
      responses: { 200: { description: "The gateway's occupancy (times in epoch ms).", schema: okBody(occupancy) }, ...AUTH_ERRORS, ...RATE_LIMITS, ...UNAVAILABLE },
      handle: () => viaGateway(() => deps.gateway.occupancy()),
    },
    {
      method: "GET",
      url: "/v1/units/:unitId",
      operationId: "getUnit",
      summary: "Whether a unit is online, on which gateway node, and since when",
      description: "A unit without a live connection is `online: false` (the gateway cannot tell an unknown unit from an offline one).",
      tags: ["units"],
      kind: "api",
      params: unitParams,
      permission: () => "units:read",
      responses: {
        200: { description: "The unit's presence.", schema: okBody(unitPresence) },
        ...invalidRequest(),
        ...AUTH_ERRORS,
        ...RATE_LIMITS,
        ...UNAVAILABLE,
      },
      handle: async ({ params }) => {
        const unitId = params["unitId"] ?? "";
        const outcome = await viaGateway(() => deps.gateway.occupancy());
        return outcome.body.ok ? { ...outcome, body: { ok: true, data: presenceOf(outcome.body.data as Occupancy, unitId) } } : outcome;
      },
    },
  ];
}
