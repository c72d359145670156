/**
 * The fast accept paths of the hot-path envelopes agree with Joi: over a large generated set of
 * valid and invalid inputs, `runSchema` (fast check first) gives exactly what Joi alone gives
 * (same verdict, same value, same issues), and the check never accepts what Joi refuses.
 * Likewise the catalogue's compiled schemas agree with per-call `schema.validate(value, options)`.
 */
import { MALFORMED_REQUEST_ENVELOPES } from "./helpers/malformed-envelopes.js";
import { expect } from "chai";
import Joi from "joi";
import {
  EVENT_SCHEMAS,
  LENIENT,
  REQUEST_SCHEMAS,
  STRICT,
  compileSchema,
  isPublishEnvelope,
  isRequestEnvelope,
  isUnitAnswer,
  publishEnvelopeSchema,
  requestEnvelopeSchema,
  runSchema,
  unitAnswerSchema,
  type Validated,
} from "@care-gateway/shared/schemas";
import { prng } from "./helpers/prng.js";

const MISSING = Symbol("missing");
type Pool = readonly unknown[];

class Custom {
  constructor(readonly unitId = "U-1") {}
}

/** Object builders: what the Socket.IO parser makes, and odd shapes that must take the Joi path. */
const CONTAINERS: readonly ((fields: Record<string, unknown>) => unknown)[] = [
  (fields) => fields,
  (fields) => JSON.parse(JSON.stringify(fields)) as unknown,
  (fields) => Object.assign(Object.create(null) as object, fields),
  (fields) => Object.assign(new Custom(), fields),
  (fields) => Object.assign(JSON.parse('{"__proto__": {"id": 5, "ok": true}}') as object, fields),
  (fields) => Object.assign(Object.create({ inherited: true }) as object, fields),
  (fields) => [fields],
];

const EXTRAS: readonly Record<string, unknown>[] = [{}, { extra: 1 }, { constructor: 1, toString: "x" }, { hasOwnProperty: 2, valueOf: null }, { nested: { deep: [1, { a: 2 }] } }];

const deep = (depth: number): unknown => (depth === 0 ? {} : { a: deep(depth - 1) });

const REQUEST_FIELDS: Record<string, Pool> = {
  unitId: [MISSING, undefined, "U-1", "a", "bench-unit-0001", "x._-9", "A".repeat(64), "A".repeat(65), "", "-a", ".a", "a b", "../etc", "é", "U-1\n", 7, null, true, {}, ["U-1"]],
  type: [
    MISSING,
    undefined,
    "unit.ping",
    "appointment.create",
    "a.b",
    "aB9.c0D",
    `a.${"b".repeat(126)}`,
    `a.${"b".repeat(127)}`,
    "",
    "unit",
    "Unit.ping",
    "unit..ping",
    "unit.ping.",
    ".unit.ping",
    "UNIT PING",
    "unit.9ping",
    "x".repeat(10_000),
    5,
    null,
    ["unit.ping"],
  ],
  payload: [MISSING, undefined, {}, { a: 1 }, { patientRef: "P-1" }, deep(50), Buffer.from("binary"), new Date(0), Object.create(null), new Map(), new Custom(), [], [1], null, "x", "", 0, 1, true, () => 1],
  timeoutMs: [MISSING, undefined, 1, 2, 1000, 86_400_000, 86_400_001, 0, -0, -5, 1.5, 0.5, Number.NaN, Infinity, -Infinity, 2 ** 53, "100", "", null, true, [100], {}],
  id: [MISSING, undefined, "a", "req-1", "x".repeat(128), "x".repeat(129), "", " ", "a b", "a\tb", "\x7f", "\x20", "!~", "é", "☃", 5, null, true, ["a"], {}],
};

const manyUnits = (count: number): string[] => Array.from({ length: count }, (_, i) => `U-${i}`);
const withExtraKey = (items: string[]): string[] => Object.assign([...items], { extra: 1 });
const sparse = (): unknown[] => {
  const items: unknown[] = ["U-1"];
  items[2] = "U-3";
  return items;
};

const PUBLISH_FIELDS: Record<string, Pool> = {
  target: [
    MISSING,
    undefined,
    null,
    "U-1",
    [],
    {},
    { unitId: "U-1" },
    { unitId: "A".repeat(64) },
    { unitId: "A".repeat(65) },
    { unitId: "" },
    { unitId: "-a" },
    { unitId: 7 },
    { unitId: undefined },
    { unitId: "U-1", extra: 1 },
    { unitId: "U-1", all: true },
    { unitId: "U-1", all: undefined },
    { unitIds: ["U-1"] },
    { unitIds: ["U-1", "U-2", "bench-unit-0001"] },
    { unitIds: [] },
    { unitIds: ["U-1", "U-1"] },
    { unitIds: ["U-1", 5] },
    { unitIds: ["U-1", ""] },
    { unitIds: ["U-1", null] },
    { unitIds: ["U-1", ["U-2"]] },
    { unitIds: "U-1" },
    { unitIds: { 0: "U-1", length: 1 } },
    { unitIds: sparse() },
    { unitIds: withExtraKey(["U-1", "U-2"]) },
    { unitIds: ["U-1"], unitId: "U-1" },
    { all: true },
    { all: false },
    { all: "true" },
    { all: 1 },
    { all: null },
    { all: true, extra: 1 },
    Object.assign(Object.create(null) as object, { unitId: "U-1" }),
    Object.assign(new Custom(), { all: true }),
    JSON.parse('{"__proto__": {"all": true}, "unitId": "U-1"}') as unknown,
    Object.assign(Object.create({ inherited: true }) as object, { all: true }),
    [{ unitId: "U-1" }],
  ],
  type: REQUEST_FIELDS["type"] as Pool,
  payload: REQUEST_FIELDS["payload"] as Pool,
  id: REQUEST_FIELDS["id"] as Pool,
  receipt: [MISSING, undefined, true, false, "yes", null],
};

const BASE_PUBLISH: Record<string, unknown> = { target: { unitId: "U-1" }, type: "appointment.updated", payload: { appointmentId: "A-1" } };

const BASE_REQUEST: Record<string, unknown> = { unitId: "U-1", type: "unit.ping", payload: {} };

const ANSWER_FIELDS: Record<string, Pool> = {
  ok: [MISSING, undefined, true, false, "true", "false", 1, 0, null, [true], {}],
  data: [MISSING, undefined, null, { at: "2026-11-26T10:00:00.000Z" }, { at: 5 }, [], "x", 0, Buffer.from("x"), new Custom()],
  error: [
    MISSING,
    undefined,
    null,
    "boom",
    [],
    {},
    { code: "E" },
    { message: "m" },
    { code: "E", message: "m" },
    { code: "E", message: "" },
    { code: "E", message: "m", details: { field: "x" } },
    { code: "E", message: "m", extra: [1] },
    { code: "x".repeat(64), message: "x".repeat(1024) },
    { code: "x".repeat(65), message: "m" },
    { code: "E", message: "x".repeat(1025) },
    { code: "", message: "m" },
    { code: 5, message: "m" },
    { code: "E", message: 5 },
    { code: null, message: "m" },
    { code: "E", message: null },
    Object.assign(Object.create(null) as object, { code: "E", message: "m" }),
    Object.assign(new Custom(), { code: "E", message: "m" }),
    JSON.parse('{"__proto__": {"code": "E"}, "message": "m"}') as unknown,
    Buffer.from("E"),
  ],
};

const BASE_ANSWERS: readonly Record<string, unknown>[] = [{ ok: true, data: { at: "2026-11-26T10:00:00.000Z" } }, { ok: false, error: { code: "E", message: "m" } }];

function build(base: Record<string, unknown>, fields: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(fields)) {
    if (value === MISSING) delete result[key];
    else result[key] = value;
  }
  return result;
}

/** Every single-field variation of each base, in each container with each extra; then random combinations. */
function generate(bases: readonly Record<string, unknown>[], pools: Record<string, Pool>, randomCount: number, seed: number): unknown[] {
  const inputs: unknown[] = [undefined, null, 42, "request", true, [], [{ unitId: "U-1" }], Buffer.from("x"), () => 1, new Date(0)];
  for (const base of bases) {
    for (const [key, pool] of Object.entries(pools)) {
      for (const value of pool) {
        for (const extra of EXTRAS) {
          for (const container of CONTAINERS) inputs.push(container(build({ ...base, ...extra }, { [key]: value })));
        }
      }
    }
  }
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const keys = Object.keys(pools);
  for (let i = 0; i < randomCount; i++) {
    const fields: Record<string, unknown> = {};
    for (const key of keys) fields[key] = pick(pools[key] ?? [MISSING]);
    inputs.push(pick(CONTAINERS)(build({ ...pick(EXTRAS) }, fields)));
  }
  return inputs;
}

function joiOnly(schema: Joi.Schema, value: unknown, options: Joi.ValidationOptions): Validated<unknown> {
  const { error, value: checked } = schema.validate(value, options);
  if (!error) return { ok: true, value: checked };
  return { ok: false, code: "VALIDATION_FAILED", issues: error.details.slice(0, 20).map((d) => ({ path: d.path.join("."), rule: d.type })) };
}

function describeInput(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 200) ?? String(value);
  } catch {
    return String(value);
  }
}

/** What the Socket.IO parser builds: an object with the plain prototype and no own `__proto__` key. */
function isPlain(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype && !Object.prototype.hasOwnProperty.call(value, "__proto__");
}

/**
 * Runs both paths over `inputs`: the fast check never accepts what Joi refuses, and `runSchema` gives
 * Joi's outcome exactly. Returns how many inputs the check accepted, and how many plain objects Joi accepted.
 */
function expectAgreement(
  schema: Joi.Schema,
  check: (value: unknown) => boolean,
  inputs: readonly unknown[],
  plain: (value: unknown) => boolean = isPlain,
): { accepted: number; plainAccepted: number } {
  let accepted = 0;
  let plainAccepted = 0;
  for (const input of inputs) {
    for (const options of [STRICT, LENIENT]) {
      const expected = joiOnly(schema, input, options);
      const fast = check(input);
      if (fast) {
        accepted++;
        if (!expected.ok) expect.fail(`the fast check accepts what Joi refuses: ${describeInput(input)}`);
      }
      if (expected.ok && plain(input)) {
        plainAccepted++;
        // Not needed for correctness (Joi decides what the check refuses), but the check must carry the common case.
        if (!fast) expect.fail(`the fast check refuses a plain object Joi accepts: ${describeInput(input)}`);
      }
      const actual = runSchema(schema, input, options);
      try {
        expect(actual).to.deep.equal(expected);
      } catch (error) {
        expect.fail(`${describeInput(input)}: ${(error as Error).message}`);
      }
    }
  }
  return { accepted, plainAccepted };
}

describe("messages: fast envelope checks agree with Joi", () => {
  it("request envelopes: same verdict, value and issues as Joi on every generated input", () => {
    const inputs = generate([BASE_REQUEST], REQUEST_FIELDS, 20_000, 0x5eed);
    const { accepted, plainAccepted } = expectAgreement(requestEnvelopeSchema, isRequestEnvelope, inputs);
    expect(inputs.length).to.be.greaterThan(23_000);
    expect(plainAccepted).to.be.greaterThan(500);
    expect(accepted).to.equal(plainAccepted);
  });

  it("publish envelopes: same verdict, value and issues as Joi on every generated input", () => {
    const bases = [BASE_PUBLISH, { ...BASE_PUBLISH, target: { all: true } }, { ...BASE_PUBLISH, target: { unitIds: ["U-1", "U-2"] }, receipt: true }];
    const inputs = generate(bases, PUBLISH_FIELDS, 20_000, 0x9b15);
    // Plain as the parser builds it: the envelope and its target (and the target's list, if any); and a
    // target of one key (LENIENT lets Joi accept more, which STRICT refuses: those take the Joi path).
    const plainPublish = (value: unknown) => {
      if (!isPlain(value)) return false;
      const target = (value as { target?: unknown }).target;
      if (!isPlain(target) || Object.keys(target as object).length !== 1) return false;
      const list = (target as { unitIds?: unknown }).unitIds;
      return list === undefined || (Array.isArray(list) && Object.keys(list).length === list.length);
    };
    const { accepted, plainAccepted } = expectAgreement(publishEnvelopeSchema, isPublishEnvelope, inputs, plainPublish);
    expect(inputs.length).to.be.greaterThan(23_000);
    expect(plainAccepted).to.be.greaterThan(2_000);
    expect(accepted).to.equal(plainAccepted);
    // The list's bounds, outside the generated set (Joi takes a while over 10,000 items).
    const sized = [1, 10_000, 10_001].map((count) => ({ ...BASE_PUBLISH, target: { unitIds: manyUnits(count) } }));
    const bounds = expectAgreement(publishEnvelopeSchema, isPublishEnvelope, [...sized, { ...BASE_PUBLISH, target: { unitIds: [...manyUnits(9_999), "U-0"] } }]);
    expect(bounds.accepted).to.equal(4);
  });

  it("request envelopes from the malformed-envelopes suite are refused by both", () => {
    // (`undefined` is left out: it cannot arrive over Socket.IO, which sends null, and Joi accepts it
    // for a schema without `.required()`; the agreement test above covers it.)
    const bad = MALFORMED_REQUEST_ENVELOPES.filter((input) => input !== undefined);
    for (const input of bad) {
      expect(isRequestEnvelope(input), describeInput(input)).to.equal(false);
      expect(runSchema(requestEnvelopeSchema, input, STRICT).ok, describeInput(input)).to.equal(false);
    }
    expectAgreement(requestEnvelopeSchema, isRequestEnvelope, bad);
    // Accepted by both (payload checks come later, from the catalogue): a deep payload and a Buffer payload.
    for (const payload of [deep(200), { huge: "x".repeat(100_000) }, Buffer.from("binary")]) {
      expectAgreement(requestEnvelopeSchema, isRequestEnvelope, [{ unitId: "U-1", type: "unit.ping", payload }]);
    }
  });

  it("unit answers: same verdict, value and issues as Joi on every generated input", () => {
    const inputs = generate(BASE_ANSWERS, ANSWER_FIELDS, 20_000, 0xa115);
    // Plain as the parser builds it: the answer and, when it is an error answer, its `error` too.
    const plainAnswer = (value: unknown) => isPlain(value) && ((value as { ok?: unknown }).ok === true || isPlain((value as { error?: unknown }).error));
    const { accepted, plainAccepted } = expectAgreement(unitAnswerSchema, isUnitAnswer, inputs, plainAnswer);
    expect(inputs.length).to.be.greaterThan(23_000);
    expect(plainAccepted).to.be.greaterThan(2_000);
    expect(accepted).to.equal(plainAccepted);
  });

  it("is used only with the STRICT and LENIENT options", () => {
    // Joi with convert would turn "100" into 100; other options must get Joi's own answer.
    const envelope = { unitId: "U-1", type: "unit.ping", payload: {}, timeoutMs: "100" };
    expect(runSchema(requestEnvelopeSchema, envelope, { convert: true })).to.deep.equal(joiOnly(requestEnvelopeSchema, envelope, { convert: true }));
    const required = { presence: "required" } as const;
    const minimal = { unitId: "U-1", type: "unit.ping", payload: {} };
    expect(isRequestEnvelope(minimal)).to.equal(true);
    expect(runSchema(requestEnvelopeSchema, minimal, required).ok).to.equal(false);
  });
});

describe("catalogue: compiled schemas agree with per-call validation", () => {
  const dates = ["2026-12-01T09:00:00Z", "2026-12-01T09:00:00.123+02:00", "2026-12-01", "2026-13-01T09:00:00Z", "yesterday", "", 5, null];
  const texts = ["P-1", "", "x".repeat(128), "x".repeat(129), 7, null, undefined];
  // (No Buffer at the top: Joi's shallow copy of one is a broken Buffer that chai cannot compare.)
  const values: unknown[] = [undefined, null, "x", [], new Date(0), {}, { extra: 1 }];
  for (const at of dates) values.push({ at }, { at, extra: true });
  for (const ref of texts) {
    for (const start of dates.slice(0, 5)) {
      values.push({ patientRef: ref, start, end: start }, { patientRef: ref, start, end: start, reason: ref, practitionerRef: ref, other: 1 });
      values.push({ referenceId: ref, amount: { value: 100, currency: "EUR" } }, { referenceId: ref, amount: { value: "100", currency: "eur" }, method: ref });
      values.push({ appointmentId: ref, status: ref }, { unitId: ref, softwareVersion: ref }, { registrationId: ref, queueNumber: -1 });
      values.push({ paymentId: ref, referenceId: ref, amount: { value: 1.5, currency: "EUR" }, at: start, reason: ref });
    }
  }

  it("request payloads (strict) and results (lenient), event payloads both ways", () => {
    const schemas: Joi.Schema[] = [...Object.values(REQUEST_SCHEMAS).flatMap((s) => [s.payload, s.result]), ...Object.values(EVENT_SCHEMAS)];
    for (const schema of schemas) {
      for (const options of [STRICT, LENIENT]) {
        const compiled = compileSchema(schema, options);
        for (const value of values) expect(compiled(value), describeInput(value)).to.deep.equal(joiOnly(schema, value, options));
      }
    }
  });

  it("keeps a schema's own preferences above the options, as per-call validation does", () => {
    const schema = Joi.object({ count: Joi.number().required() }).prefs({ convert: true, allowUnknown: true });
    const compiled = compileSchema(schema, STRICT);
    for (const value of [{ count: "5" }, { count: 5, more: 1 }, { count: "x" }, {}]) {
      expect(compiled(value)).to.deep.equal(joiOnly(schema, value, STRICT));
    }
    expect(compiled({ count: "5" })).to.deep.equal({ ok: true, value: { count: 5 } });
  });
});
