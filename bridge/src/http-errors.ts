/** What fastify itself refuses (schema validation, body parsing, media type, size) as the bridge's outcomes. */
import { ErrorCode } from "@care-gateway/shared";
import type { FastifyError } from "fastify";
import { BridgeErrorCode } from "./error-codes.js";
import { errorOutcome, type Outcome } from "./outcome.js";

const MAX_ISSUES = 20;

/** The outcome of a refusal by fastify; undefined for anything else (a fault: 500). */
export function outcomeOfHttpError(error: FastifyError): Outcome | undefined {
  if (error.validation) {
    // Body paths start at the body's root; parameters and headers say where they are.
    const prefix = error.validationContext === "body" ? "" : `${error.validationContext ?? "request"}.`;
    const issues = error.validation.slice(0, MAX_ISSUES).map((issue) => ({ path: prefix + issuePath(issue), rule: issue.keyword }));
    return errorOutcome(ErrorCode.VALIDATION_FAILED, { issues });
  }
  const status = error.statusCode ?? 500;
  if (status === 415) return errorOutcome(BridgeErrorCode.UNSUPPORTED_MEDIA_TYPE);
  if (status === 413) return errorOutcome(BridgeErrorCode.PAYLOAD_TOO_LARGE);
  // Malformed or empty JSON, a bad content length: fastify's code is the rule.
  if (status >= 400 && status < 500) return errorOutcome(ErrorCode.VALIDATION_FAILED, { issues: [{ path: "body", rule: error.code ?? "invalid" }] });
  return undefined;
}

/** `instancePath` `/target/unitIds/0` plus the missing or extra property → `target.unitIds.0`. */
function issuePath(issue: { instancePath: string; params: Record<string, unknown> }): string {
  const segments = issue.instancePath.split("/").filter(Boolean);
  const extra = issue.params["missingProperty"] ?? issue.params["additionalProperty"];
  if (typeof extra === "string") segments.push(extra);
  return segments.join(".");
}
