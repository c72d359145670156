/** Turns what a unit answered into the caller's reply: its result (checked, extra fields kept) or UNIT_ERROR. */
import { ErrorCode, type Reply, type UnitAnswer } from "@care-gateway/shared";
import { LENIENT, runSchema, unitAnswerSchema, type MessageCatalogue, type ValidationIssue } from "@care-gateway/shared/schemas";
import { errorReply, okReply } from "../messages/replies.js";

const MISSING: ValidationIssue[] = [{ path: "", rule: "any.required" }];

export function replyFromUnitAnswer(catalogue: MessageCatalogue, type: string, answer: unknown): Reply {
  // `ack()` with nothing, or `{ ok: true }` without a result: malformed, never a crash or an empty success.
  if (answer === undefined || answer === null) return errorReply(ErrorCode.UNIT_ERROR, { reason: "malformed answer", issues: MISSING });
  const shape = runSchema<UnitAnswer>(unitAnswerSchema, answer, LENIENT);
  if (!shape.ok) return errorReply(ErrorCode.UNIT_ERROR, { reason: "malformed answer", issues: shape.issues });
  const unitAnswer = shape.value;
  if (!unitAnswer.ok) {
    const { code, message, details } = unitAnswer.error;
    return errorReply(ErrorCode.UNIT_ERROR, details === undefined ? { code, message } : { code, message, details });
  }
  if (unitAnswer.data === undefined) return errorReply(ErrorCode.UNIT_ERROR, { reason: "result does not match the catalogue", issues: [{ path: "data", rule: "any.required" }] });
  const result = catalogue.checkRequestResult(type, unitAnswer.data);
  if (!result.ok) return errorReply(ErrorCode.UNIT_ERROR, { reason: "result does not match the catalogue", issues: result.issues });
  return okReply(result.value);
}
