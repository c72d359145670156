/**
 * DELETE /v1/principals/{sub}/connections: revocation. The gateway closes every socket of that
 * principal on every node (REVOKED, final for the SDK) and refuses its tokens issued until now.
 */
import { STRICT, principalRevokeArgsSchema, runSchema } from "@care-gateway/shared/schemas";
import { viaGateway } from "../gateway-outcome.js";
import { AUTH_ERRORS, RATE_LIMITS, UNAVAILABLE, badRequest } from "./responses.js";
import { okBody, revokeBody, revokeResult, subParams } from "./json-schema.js";
import type { RouteDeps } from "./route-deps.js";
import type { RouteSpec } from "./route-spec.js";
import { validationOutcome } from "./validation-issues.js";

export function principalRoutes(deps: RouteDeps): RouteSpec[] {
  return [
    {
      method: "DELETE",
      url: "/v1/principals/:sub/connections",
      operationId: "revokePrincipal",
      summary: "Revoke a principal: close its connections everywhere and refuse its current tokens",
      description:
        "Every socket of `sub`, in every namespace and on every gateway node, is told REVOKED and closed; its tokens issued at or before now are refused for the gateway's REVOCATION_TTL_S. Audited by the gateway. Repeating it is harmless.",
      tags: ["principals"],
      kind: "api",
      params: subParams,
      body: revokeBody,
      bodyOptional: true,
      permission: () => "principals:revoke",
      responses: { 200: { description: "Revoked.", schema: okBody(revokeResult) }, ...badRequest(), ...AUTH_ERRORS, ...RATE_LIMITS, ...UNAVAILABLE },
      handle: async ({ params, body }) => {
        const sub = params["sub"] ?? "";
        const reason = (body as { reason?: string } | undefined)?.reason;
        const checked = runSchema(principalRevokeArgsSchema, reason === undefined ? { sub } : { sub, reason }, STRICT);
        if (!checked.ok) return validationOutcome(checked);
        const outcome = await viaGateway(() => deps.gateway.revoke(sub, reason));
        return outcome.body.ok ? { ...outcome, body: { ok: true, data: { sub, revoked: true } } } : outcome;
      },
    },
  ];
}
