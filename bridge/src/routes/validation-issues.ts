/** Validation failures as the protocol reports them: `{ issues: [{ path, rule }] }`, never the values. */
import { ErrorCode } from "@care-gateway/shared";
import type { ValidationIssue, Validated } from "@care-gateway/shared/schemas";
import { errorOutcome, type Outcome } from "../outcome.js";

/** A failed shared-schema or catalogue check as a 400; `prefix` places the paths in the body (`payload.`). */
export function validationOutcome(result: Extract<Validated<unknown>, { ok: false }>, prefix = ""): Outcome {
  return errorOutcome(result.code, { issues: result.issues.map((issue) => ({ path: prefix + issue.path, rule: issue.rule })) });
}

export function unknownTypeOutcome(): Outcome {
  const issues: ValidationIssue[] = [{ path: "type", rule: "catalogue.unknown" }];
  return errorOutcome(ErrorCode.UNKNOWN_TYPE, { issues });
}
