/**
 * Hand-written structural checks of the envelopes on the hot paths: the caller's request envelope,
 * a unit's answer and the bridge's publish envelope. Each is the fast accept path of its Joi schema (`withFastCheck` in
 * `envelope-schemas.ts`): true only for values the schema accepts, false sends the value through Joi,
 * which decides and names the issues. They are deliberately narrower than the schemas:
 *
 * - Only plain objects (prototype `Object.prototype`, what the Socket.IO parser builds) without an
 *   own `__proto__` key. Arrays, Buffers, class instances and anything odd take the Joi path. (The
 *   parser's objects come from JSON.parse, so their fields are plain data properties: reading one
 *   twice gives the same value, as the argument below assumes.)
 * - Every field is checked by the same rule as its Joi schema with `convert: false` (no coercion):
 *   `typeof` first, then length bounds and the same pattern constants (`fields.ts`, `names.ts`).
 *   Joi refuses the empty string for a plain `Joi.string()`; every string field here needs at least
 *   one character except the answer's `error.message`, which allows "" in its schema too.
 * - Unknown keys are accepted: the envelope schemas are `.unknown(true)`, and Joi's `payload`
 *   (`Joi.object()`, no keys), `data` and `details` (`Joi.any()`) accept any object or value as is.
 *
 * On acceptance Joi would return a shallow copy of the envelope (and of `error`) with every field
 * value identical, so the caller receiving the envelope itself reads the same values.
 * `test/src/envelope-guards.test.ts` runs both over a large generated set of inputs.
 */
import { UNIT_ID_PATTERN } from "../names.js";
import { CORRELATION_ID_MAX_LENGTH, CORRELATION_ID_PATTERN, TYPE_NAME_MAX_LENGTH, TYPE_NAME_PATTERN } from "./fields.js";
import { isPlainObject } from "./plain-object.js";

/** `timeoutMs` bounds of the request envelope: 1 ms to 24 h, an integer. */
export const REQUEST_TIMEOUT_MIN_MS = 1;
export const REQUEST_TIMEOUT_MAX_MS = 24 * 3600 * 1000;
/** Bounds of a unit's error answer. */
export const ANSWER_CODE_MAX_LENGTH = 64;
export const ANSWER_MESSAGE_MAX_LENGTH = 1024;
/** Most units one publish may name in `target.unitIds`. */
export const MAX_TARGET_UNITS = 10_000;

function isBoundedString(value: unknown, max: number): value is string {
  return typeof value === "string" && value.length >= 1 && value.length <= max;
}

/** `{ unitId, type, payload, timeoutMs?, id? }` as `requestEnvelopeSchema` accepts it. */
export function isRequestEnvelope(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const { unitId, type, payload, timeoutMs, id } = value;
  return (
    typeof unitId === "string" &&
    UNIT_ID_PATTERN.test(unitId) &&
    isBoundedString(type, TYPE_NAME_MAX_LENGTH) &&
    TYPE_NAME_PATTERN.test(type) &&
    typeof payload === "object" &&
    payload !== null &&
    !Array.isArray(payload) &&
    (timeoutMs === undefined ||
      (typeof timeoutMs === "number" && Number.isInteger(timeoutMs) && timeoutMs >= REQUEST_TIMEOUT_MIN_MS && timeoutMs <= REQUEST_TIMEOUT_MAX_MS)) &&
    (id === undefined || (isBoundedString(id, CORRELATION_ID_MAX_LENGTH) && CORRELATION_ID_PATTERN.test(id)))
  );
}

function isCorrelationId(value: unknown): boolean {
  return value === undefined || (isBoundedString(value, CORRELATION_ID_MAX_LENGTH) && CORRELATION_ID_PATTERN.test(value));
}

function isTypeName(value: unknown): boolean {
  return isBoundedString(value, TYPE_NAME_MAX_LENGTH) && TYPE_NAME_PATTERN.test(value);
}

/** What `Joi.object()` accepts with `convert: false`: any non-null object that is not an array. */
function isPayloadObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `{ unitId }`, `{ unitIds: [1–10,000 distinct unit ids] }` or `{ all: true }`, with no other own key
 * (the three alternatives declare their keys, so STRICT refuses any other). The list must be a plain
 * dense array of strings with no own keys beyond its indices.
 */
function isPublishTarget(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1) return false;
  const { unitId, unitIds, all } = value;
  if (keys[0] === "unitId") return typeof unitId === "string" && UNIT_ID_PATTERN.test(unitId);
  if (keys[0] === "all") return all === true;
  if (keys[0] !== "unitIds" || !Array.isArray(unitIds) || Object.getPrototypeOf(unitIds) !== Array.prototype) return false;
  const count = unitIds.length;
  if (count < 1 || count > MAX_TARGET_UNITS || Object.keys(unitIds).length !== count) return false;
  for (let i = 0; i < count; i++) {
    const item: unknown = unitIds[i];
    if (typeof item !== "string" || !UNIT_ID_PATTERN.test(item)) return false;
  }
  return count === 1 || new Set(unitIds).size === count;
}

/** `{ target, type, payload, id? }` (any other key, such as `receipt`, passes) as `publishEnvelopeSchema` accepts it. */
export function isPublishEnvelope(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const { target, type, payload, id } = value;
  return isTypeName(type) && isPayloadObject(payload) && isCorrelationId(id) && isPublishTarget(target);
}

/** `{ ok: true, data? }` or `{ ok: false, error: { code, message, details? } }` as `unitAnswerSchema` accepts it. */
export function isUnitAnswer(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  if (value["ok"] === true) return true;
  if (value["ok"] !== false) return false;
  const error = value["error"];
  if (!isPlainObject(error)) return false;
  const { code, message } = error;
  return isBoundedString(code, ANSWER_CODE_MAX_LENGTH) && typeof message === "string" && message.length <= ANSWER_MESSAGE_MAX_LENGTH;
}
