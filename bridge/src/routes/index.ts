/** Every route of the HTTP interface, in one list (registration and the OpenAPI document both read it). */
import { eventRoutes } from "./events.js";
import { operationRoutes } from "./operations.js";
import { principalRoutes } from "./principals.js";
import type { RouteDeps } from "./route-deps.js";
import type { RouteSpec } from "./route-spec.js";
import { unitRequestRoutes } from "./unit-requests.js";
import { unitRoutes } from "./units.js";

export function allRoutes(deps: RouteDeps): RouteSpec[] {
  return [...unitRequestRoutes(deps), ...eventRoutes(deps), ...unitRoutes(deps), ...principalRoutes(deps), ...operationRoutes(deps)];
}

export type { RouteDeps, Readiness } from "./route-deps.js";
export type { RouteSpec, RouteContext, RawResponse, DocumentedResponse } from "./route-spec.js";
