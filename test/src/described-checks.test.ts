/**
 * The catalogue's fast accept paths (shared/src/schemas/described-checks.ts) never accept what Joi
 * refuses, and never change a value Joi would return: over every catalogue schema, strict and lenient,
 * every single-field variation of a valid value (edge strings, dates, numbers, wrong types, missing,
 * undefined) in several kinds of container, with and without unknown keys. They also do accept the
 * ordinary valid values (or they would be dead code), and schemas using what they do not understand
 * get no check at all.
 */
import { expect } from "chai";
import Joi from "joi";
import { EVENT_SCHEMAS, LENIENT, REQUEST_SCHEMAS, STRICT, describedCheck } from "@care-gateway/shared/schemas";

interface Description {
  type: string;
  flags?: { presence?: string };
  rules?: { name: string; args?: { limit?: number; regex?: string } }[];
  keys?: Record<string, Description>;
}

const MISSING = Symbol("missing");

const DATES: readonly unknown[] = [
  "2026-12-01T09:00:00Z",
  "2026-12-01T09:00:00.123Z",
  "2026-12-01T09:00:00.123456789+02:00",
  "2026-12-01T23:59:59-11:30",
  "2026-02-29T09:00:00Z",
  "2024-02-29T09:00:00Z",
  "2026-02-30T09:00:00Z",
  "2026-04-31T09:00:00Z",
  "2026-12-01T24:00:00Z",
  "2026-12-01T09:60:00Z",
  "2026-12-01T09:00:60Z",
  "2026-12-01T09:00:00.1234567890Z",
  "2026-12-01T09:00:00",
  "2026-12-01 09:00:00Z",
  "2026-12-01t09:00:00z",
  "2026-12-01T09:00Z",
  "2026-12-01T09:00:00+0200",
  "2026-12-01T09:00:00+02",
  "2026-12-01T09:00:00+24:00",
  "+002026-12-01T09:00:00Z",
  "20261201T090000Z",
  "2026-12-01",
  "2026-13-01T09:00:00Z",
  "2026-12-00T09:00:00Z",
  "2026-12-01T09:00:00Z ",
  " 2026-12-01T09:00:00Z",
  "2026-12-01T09:00:00Z\n",
  `2026-12-01T09:00:00.${"1".repeat(60)}Z`,
  "yesterday",
];

const STRINGS: readonly unknown[] = ["x", "", " ", "EUR", "eur", "EURO", "EU", "A1C", "x".repeat(64), "x".repeat(65), "x".repeat(128), "x".repeat(129), "x".repeat(256), "x".repeat(257), "é", "\u0000"];

const NUMBERS: readonly unknown[] = [0, -0, 1, -1, 1.5, 7, 100, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, 2 ** 60, -(2 ** 60), 1e-9];

const OTHERS: readonly unknown[] = [MISSING, undefined, null, true, false, "5", {}, [], ["x"], new Date(0), { value: 1 }];

class Custom {}

const CONTAINERS: readonly ((fields: Record<string, unknown>) => unknown)[] = [
  (fields) => fields,
  (fields) => Object.assign(Object.create(null) as object, fields),
  (fields) => Object.assign(new Custom(), fields),
  (fields) => Object.assign(JSON.parse('{"__proto__": {"x": 1}}') as object, fields),
  (fields) => Object.assign(Object.create({ inherited: true }) as object, fields),
  (fields) => [fields],
];

const EXTRAS: readonly Record<string, unknown>[] = [{}, { extra: 1 }, { toString: "x" }, { nested: { deep: [1] } }];

/** A valid value for a described schema (the catalogue's kinds of field). */
function validValue(description: Description): unknown {
  if (description.type === "object") {
    return Object.fromEntries(Object.entries(description.keys ?? {}).map(([key, field]) => [key, validValue(field)]));
  }
  if (description.type === "number") return 5;
  const rules = description.rules ?? [];
  if (rules.some((rule) => rule.name === "isoDate")) return "2026-12-01T09:00:00Z";
  if (rules.some((rule) => rule.name === "pattern")) return "EUR";
  return "x";
}

/** The value with the field at `path` replaced (MISSING deletes it). */
function withField(value: unknown, path: readonly string[], replacement: unknown): unknown {
  const [head, ...rest] = path;
  const copy = { ...(value as Record<string, unknown>) };
  if (head === undefined) return replacement;
  if (rest.length === 0) {
    if (replacement === MISSING) delete copy[head];
    else copy[head] = replacement;
  } else {
    copy[head] = withField(copy[head], rest, replacement);
  }
  return copy;
}

function fieldPaths(description: Description, prefix: readonly string[] = []): { path: string[]; field: Description }[] {
  return Object.entries(description.keys ?? {}).flatMap(([key, field]) => {
    const path = [...prefix, key];
    return [{ path, field }, ...(field.type === "object" ? fieldPaths(field, path) : [])];
  });
}

function inputsFor(schema: Joi.Schema): unknown[] {
  const description = schema.describe() as Description;
  const base = validValue(description);
  const variants: unknown[] = [base];
  for (const { path, field } of fieldPaths(description)) {
    const pool = [...OTHERS, ...(field.type === "number" ? NUMBERS : field.type === "string" ? [...STRINGS, ...DATES] : [])];
    for (const replacement of pool) variants.push(withField(base, path, replacement));
  }
  const inputs: unknown[] = [undefined, null, "x", 5, []];
  for (const variant of variants) {
    for (const extra of EXTRAS) {
      for (const container of CONTAINERS) inputs.push(container({ ...(variant as Record<string, unknown>), ...extra }));
    }
  }
  return inputs;
}

const CATALOGUE: readonly [string, Joi.Schema][] = [
  ...Object.entries(REQUEST_SCHEMAS).flatMap(([type, s]): [string, Joi.Schema][] => [
    [`${type} payload`, s.payload],
    [`${type} result`, s.result],
  ]),
  ...Object.entries(EVENT_SCHEMAS).map(([type, s]): [string, Joi.Schema] => [`${type} event`, s]),
];

describe("messages: described fast checks of the catalogue agree with Joi", () => {
  for (const [name, schema] of CATALOGUE) {
    it(`${name}: accepts only what Joi accepts, unchanged, and accepts the plain valid value`, () => {
      let accepted = 0;
      let total = 0;
      for (const [options, allowUnknown] of [
        [STRICT, false],
        [LENIENT, true],
      ] as const) {
        const check = describedCheck(schema, allowUnknown);
        expect(check, "the catalogue's schemas are all compiled").to.be.a("function");
        if (!check) continue;
        for (const input of inputsFor(schema)) {
          total++;
          if (!check(input)) continue;
          accepted++;
          const { error, value } = schema.validate(input, options);
          expect(error?.message, `accepted ${JSON.stringify(input)} that Joi refuses`).to.equal(undefined);
          expect(value, `value of ${JSON.stringify(input)}`).to.deep.equal(input);
        }
        const { error } = schema.validate(validValue(schema.describe() as Description), options);
        expect(error).to.equal(undefined);
        expect(check(validValue(schema.describe() as Description)), "the plain valid value").to.equal(true);
      }
      expect(accepted).to.be.greaterThan(0);
      expect(total).to.be.greaterThan(accepted);
    });
  }

  it("gives no check to schemas using what it does not understand", () => {
    const unsupported: Joi.Schema[] = [
      Joi.object(),
      Joi.object({ a: Joi.string().allow("") }),
      Joi.object({ a: Joi.string().default("x") }),
      Joi.object({ a: Joi.string().valid("x", "y") }),
      Joi.object({ a: Joi.string().trim() }),
      Joi.object({ a: Joi.string().pattern(/x/i) }),
      Joi.object({ a: Joi.string().pattern(/x/, { invert: true }) }),
      Joi.object({ a: Joi.number().greater(1) }),
      Joi.object({ a: Joi.number().unsafe() }),
      Joi.object({ a: Joi.string().forbidden() }),
      Joi.object({ a: Joi.any() }),
      Joi.object({ a: Joi.array() }),
      Joi.object({ a: Joi.string().label("A") }),
      Joi.object({ a: Joi.number().min(Joi.ref("b")), b: Joi.number() }),
      Joi.object({ a: Joi.string() }).unknown(true),
      Joi.object({ a: Joi.string() }).prefs({ convert: true }),
      Joi.object({ a: Joi.string() }).or("a", "b"),
      Joi.string(),
    ];
    for (const schema of unsupported) expect(describedCheck(schema, false), JSON.stringify(schema.describe())).to.equal(undefined);
  });
});
