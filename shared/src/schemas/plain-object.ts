/**
 * What the fast accept paths (envelope-guards.ts, described-checks.ts) take as an object: a plain
 * one, as the Socket.IO parser builds it with JSON.parse (prototype `Object.prototype`, no own
 * `__proto__` key). Anything else (arrays, Buffers, class instances, null-prototype objects) takes
 * the Joi path.
 */
export type Fields = Record<string, unknown>;

export const hasOwn = Object.prototype.hasOwnProperty;

export function isPlainObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype && !hasOwn.call(value, "__proto__");
}
