/** Request envelopes the envelope schema itself refuses (shared by the wire test and the guard test). */
const deep = (depth: number): unknown => (depth === 0 ? {} : { a: deep(depth - 1) });

export const MALFORMED_REQUEST_ENVELOPES: readonly unknown[] = [
  undefined,
  null,
  42,
  "request",
  [],
  [{ unitId: "U-1" }],
  {},
  { unitId: "U-1" },
  { unitId: "U-1", type: "unit.ping" },
  { unitId: "U-1", type: "unit.ping", payload: "x" },
  { unitId: "U-1", type: "unit.ping", payload: [] },
  { unitId: 7, type: "unit.ping", payload: {} },
  { unitId: "../etc", type: "unit.ping", payload: {} },
  { unitId: "U-1", type: "UNIT PING", payload: {} },
  { unitId: "U-1", type: "unit.ping", payload: {}, timeoutMs: -5 },
  { unitId: "U-1", type: "unit.ping", payload: {}, timeoutMs: "100" },
  { unitId: "U-1", type: "unit.ping", payload: {}, id: "x".repeat(500) },
  { unitId: "U-1", type: "unit.ping", payload: {}, id: "" },
  { unitId: "U-1".repeat(100), type: "unit.ping", payload: {} },
  { unitId: "U-1", type: "x".repeat(10_000), payload: {} },
];

/** Well-formed envelopes whose payload the catalogue refuses (the envelope schema takes any object). */
export const MALFORMED_REQUEST_PAYLOADS: readonly unknown[] = [
  { unitId: "U-1", type: "unit.ping", payload: deep(200) },
  { unitId: "U-1", type: "unit.ping", payload: { huge: "x".repeat(100_000) } },
  { unitId: "U-1", type: "unit.ping", payload: Buffer.from("binary") },
];
