/** Validation outcomes that never echo the validated values (they may hold patient references). */
import type Joi from "joi";
import { ErrorCode } from "../error-codes.js";
import { describedCheck } from "./described-checks.js";

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

/**
 * A structural pre-check of a fixed envelope shape. It must only say true for values its schema accepts
 * under both STRICT and LENIENT, and for which Joi's result is the value itself up to a shallow copy
 * (`envelope-guards.ts` explains why that holds; `test/src/envelope-guards.test.ts` checks it).
 * It may say false for values Joi accepts: those simply take the Joi path.
 */
export type FastCheck = (value: unknown) => boolean;

const FAST_CHECKS = new WeakMap<Joi.Schema, FastCheck>();

/** Registers `check` as the fast accept path of `schema` in `runSchema` (STRICT and LENIENT only). */
export function withFastCheck<S extends Joi.Schema>(schema: S, check: FastCheck): S {
  FAST_CHECKS.set(schema, check);
  return schema;
}

/**
 * Validates `value`. A schema with a registered fast check skips Joi when the check accepts; whatever
 * it refuses goes through Joi, which decides and names the issues, so the outcome is Joi's either way.
 */
export function runSchema<T>(schema: Joi.Schema, value: unknown, options: Joi.ValidationOptions): Validated<T> {
  if (options === STRICT || options === LENIENT) {
    const check = FAST_CHECKS.get(schema);
    if (check && check(value)) return { ok: true, value: value as T };
  }
  return runJoi(schema, value, options);
}

function runJoi<T>(schema: Joi.Schema, value: unknown, options?: Joi.ValidationOptions): Validated<T> {
  const { error, value: checked } = schema.validate(value, options);
  if (!error) return { ok: true, value: checked as T };
  return {
    ok: false,
    code: ErrorCode.VALIDATION_FAILED,
    issues: error.details.slice(0, MAX_ISSUES).map((d) => ({ path: d.path.join("."), rule: d.type })),
  };
}

/**
 * A schema compiled once with its validation options, for the catalogue's per-message checks.
 * `schema.validate(value, options)` merges the options into Joi's defaults on every call; a schema with
 * the options bound (`schema.prefs(options)`) has that merge done once and cached by Joi. The outcome,
 * value and error details are the same. A schema that carries preferences of its own keeps the per-call
 * path: binding would let `options` override them, where per-call options yield to them.
 */
export type CompiledSchema = <T = unknown>(value: unknown) => Validated<T>;

export function compileSchema(schema: Joi.Schema, options: Joi.ValidationOptions): CompiledSchema {
  if (hasOwnPreferences(schema)) return <T>(value: unknown) => runJoi<T>(schema, value, options);
  const bound = schema.prefs(options);
  // The fast accept path (described-checks.ts) for the options the catalogue uses; Joi for the rest.
  const fast = options === STRICT || options === LENIENT ? describedCheck(schema, options === LENIENT) : undefined;
  if (fast) return <T>(value: unknown): Validated<T> => (fast(value) ? { ok: true, value: value as T } : runJoi<T>(bound, value));
  return <T>(value: unknown) => runJoi<T>(bound, value);
}

function hasOwnPreferences(schema: Joi.Schema): boolean {
  try {
    return schema.describe().preferences !== undefined;
  } catch {
    return true;
  }
}

export function unknownType(): Validated<never> {
  return { ok: false, code: ErrorCode.UNKNOWN_TYPE, issues: [{ path: "type", rule: "catalogue.unknown" }] };
}
