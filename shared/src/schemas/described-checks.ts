/**
 * Fast accept paths for the catalogue's schemas, built once from Joi's own description of each schema
 * (`schema.describe()`). Like the envelope guards (`envelope-guards.ts`), a check only ever says
 * "accept" for values the schema accepts unchanged; "no" sends the value through Joi, which decides
 * and names the issues. So Joi stays the catalogue's one source of truth, and a check may be narrower:
 *
 * - Only what this file understands is compiled: object schemas with declared keys, whose keys are
 *   strings (`min`, `max`, `pattern`, `isoDate`), numbers (`integer`, `min`, `max`), booleans or such
 *   objects, each required or optional. A schema with anything else (another type or rule, a default,
 *   `allow`/`valid`, a rule argument given as a reference, preferences of its own) gets no check and
 *   always takes the Joi path.
 * - Values: plain objects (prototype `Object.prototype`, no own `__proto__` key) of plain data
 *   properties, as the Socket.IO parser builds them with JSON.parse; a field present with the value
 *   `undefined` goes to Joi.
 * - Unknown keys: refused by the strict check (what goes to a unit), passed through unchecked by the
 *   lenient one (what a unit answers), as Joi does with `allowUnknown`.
 * - `isoDate`: a narrower pattern than Joi's (calendar date, `T`, hours, minutes, seconds, optional
 *   fraction, `Z` or `±hh:mm`), every match of which Joi's pattern also matches, and then the same
 *   `Date.parse` test Joi makes. Joi, with `convert: false`, returns such a string as it is.
 * - Numbers: finite, not `-0`, within the safe-integer range (Joi's default `unsafe: false`).
 *
 * On acceptance Joi's result is a copy of the object with identical field values: the caller keeps the
 * value itself. `test/src/described-checks.test.ts` runs every catalogue schema through both paths.
 */
import type Joi from "joi";
import { hasOwn, isPlainObject } from "./plain-object.js";

/** True only for values the schema accepts unchanged. */
export type DescribedCheck = (value: unknown) => boolean;

type FieldCheck = (value: unknown) => boolean;

interface Description {
  type?: string;
  flags?: Record<string, unknown>;
  rules?: { name: string; args?: Record<string, unknown> }[];
  keys?: Record<string, Description>;
  [other: string]: unknown;
}

/** Calendar date and time with seconds, optional fraction, `Z` or `±hh:mm`: a subset of Joi's isoDate pattern. */
const ISO_DATE_TIME = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/** A check for `schema` validated with `allowUnknown` as given, or undefined when the schema uses what this file does not know. */
export function describedCheck(schema: Joi.Schema, allowUnknown: boolean): DescribedCheck | undefined {
  let description: Description;
  try {
    description = schema.describe() as Description;
  } catch {
    return undefined;
  }
  if (description.preferences !== undefined) return undefined;
  return objectCheck(description, allowUnknown) ?? undefined;
}

function objectCheck(description: Description, allowUnknown: boolean): FieldCheck | undefined {
  if (description.type !== "object" || !onlyKnownProperties(description, ["type", "flags", "keys"]) || presenceOf(description) === undefined) return undefined;
  const keys = description.keys;
  if (keys === undefined) return undefined;
  const fields: { name: string; required: boolean; check: FieldCheck }[] = [];
  for (const [name, field] of Object.entries(keys)) {
    const presence = presenceOf(field);
    const check = presence === undefined ? undefined : fieldCheck(field, allowUnknown);
    if (presence === undefined || check === undefined) return undefined;
    fields.push({ name, required: presence === "required", check });
  }
  const known = new Set(fields.map((f) => f.name));
  return (value) => {
    if (!isPlainObject(value)) return false;
    let present = 0;
    for (const field of fields) {
      if (!hasOwn.call(value, field.name)) {
        if (field.required) return false;
        continue;
      }
      const v = value[field.name];
      if (v === undefined || !field.check(v)) return false;
      present++;
    }
    if (allowUnknown) return true;
    // Strict: no key beyond the declared ones, and every declared one seen above is among the keys.
    const own = Object.keys(value);
    if (own.length !== present) return false;
    for (const key of own) if (!known.has(key)) return false;
    return true;
  };
}

function fieldCheck(description: Description, allowUnknown: boolean): FieldCheck | undefined {
  switch (description.type) {
    case "string":
      return onlyKnownProperties(description, ["type", "flags", "rules"]) ? stringCheck(description.rules ?? []) : undefined;
    case "number":
      return onlyKnownProperties(description, ["type", "flags", "rules"]) ? numberCheck(description.rules ?? []) : undefined;
    case "boolean":
      return onlyKnownProperties(description, ["type", "flags"]) ? (v) => v === true || v === false : undefined;
    case "object":
      return objectCheck(description, allowUnknown);
    default:
      return undefined;
  }
}

function stringCheck(rules: NonNullable<Description["rules"]>): FieldCheck | undefined {
  let min = 1; // a plain Joi.string() refuses ""
  let max = Infinity;
  const patterns: RegExp[] = [];
  let isoDate = false;
  for (const rule of rules) {
    const args = rule.args ?? {};
    if ((rule.name === "min" || rule.name === "max") && onlyKnownProperties(args, ["limit"]) && isLimit(args["limit"])) {
      if (rule.name === "min") min = Math.max(min, args["limit"]);
      else max = Math.min(max, args["limit"]);
    } else if (rule.name === "pattern" && onlyKnownProperties(args, ["regex"]) && typeof args["regex"] === "string") {
      const regex = parseRegex(args["regex"]);
      if (!regex) return undefined;
      patterns.push(regex);
    } else if (rule.name === "isoDate" && rule.args === undefined) {
      isoDate = true;
    } else {
      return undefined;
    }
  }
  return (v) => {
    if (typeof v !== "string" || v.length < min || v.length > max) return false;
    for (const pattern of patterns) if (!pattern.test(v)) return false;
    return !isoDate || (ISO_DATE_TIME.test(v) && !Number.isNaN(Date.parse(v)));
  };
}

function numberCheck(rules: NonNullable<Description["rules"]>): FieldCheck | undefined {
  let integer = false;
  let min = -Number.MAX_SAFE_INTEGER;
  let max = Number.MAX_SAFE_INTEGER;
  for (const rule of rules) {
    const args = rule.args ?? {};
    if (rule.name === "integer" && rule.args === undefined) integer = true;
    else if ((rule.name === "min" || rule.name === "max") && onlyKnownProperties(args, ["limit"]) && typeof args["limit"] === "number" && Number.isFinite(args["limit"])) {
      if (rule.name === "min") min = Math.max(min, args["limit"]);
      else max = Math.min(max, args["limit"]);
    } else return undefined;
  }
  return (v) => typeof v === "number" && Number.isFinite(v) && !Object.is(v, -0) && v >= min && v <= max && (!integer || Number.isSafeInteger(v));
}

/** "required" or "optional" from the flags; undefined for any other flag or presence. */
function presenceOf(description: Description): "required" | "optional" | undefined {
  const flags = description.flags ?? {};
  if (!onlyKnownProperties(flags, ["presence"])) return undefined;
  const presence = flags["presence"];
  if (presence === undefined || presence === "optional") return "optional";
  return presence === "required" ? "required" : undefined;
}

function onlyKnownProperties(object: object, known: readonly string[]): boolean {
  return Object.keys(object).every((key) => known.includes(key));
}

function isLimit(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** Joi describes a pattern as "/source/flags"; only flag-free, non-global patterns are taken. */
function parseRegex(text: string): RegExp | undefined {
  const end = text.lastIndexOf("/");
  if (!text.startsWith("/") || end <= 0 || end !== text.length - 1) return undefined;
  try {
    return new RegExp(text.slice(1, end));
  } catch {
    return undefined;
  }
}
