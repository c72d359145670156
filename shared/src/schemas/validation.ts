/** Validation outcomes that never echo the validated values (they may hold patient references). */
import type Joi from "joi";
import { ErrorCode } from "../error-codes.js";

export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `amount.currency`. */
  path: string;
  /** Joi's rule name, e.g. `string.base`, `object.unknown`, `any.required`. */
  rule: string;
}

export type Validated<T> =
  | { ok: true; value: T }
  | { ok: false; code: typeof ErrorCode.VALIDATION_FAILED | typeof ErrorCode.UNKNOWN_TYPE; issues: ValidationIssue[] };

/** Strict: unknown keys refused, no type coercion. For everything sent to a unit and every envelope. */
export const STRICT: Joi.ValidationOptions = Object.freeze({ abortEarly: false, convert: false, allowUnknown: false });
/** Lenient: what a unit sends back may carry fields a newer unit version added. */
export const LENIENT: Joi.ValidationOptions = Object.freeze({ abortEarly: false, convert: false, allowUnknown: true });

const MAX_ISSUES = 20;

export function runSchema<T>(schema: Joi.Schema, value: unknown, options: Joi.ValidationOptions): Validated<T> {
  const { error, value: checked } = schema.validate(value, options);
  if (!error) return { ok: true, value: checked as T };
  return {
    ok: false,
    code: ErrorCode.VALIDATION_FAILED,
    issues: error.details.slice(0, MAX_ISSUES).map((d) => ({ path: d.path.join("."), rule: d.type })),
  };
}

export function unknownType(): Validated<never> {
  return { ok: false, code: ErrorCode.UNKNOWN_TYPE, issues: [{ path: "type", rule: "catalogue.unknown" }] };
}
