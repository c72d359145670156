/**
 * API Bridge: the OpenAPI 3.1 document at /openapi.json is true. Every route fastify registered is
 * in it and every operation in it is registered; and real answers of every route (successes and the
 * error mappings) have a documented status, content type and X-Request-Id, and a body that validates
 * against the documented schema (Ajv, JSON Schema 2020-12).
 */
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { ClientErrorCode } from "@care-gateway/shared";
import { BridgeErrorCode, HTTP_ERROR_CODES, openApiPath, type OpenApiDocument, type OpenApiOperation } from "@care-gateway/bridge";
import { fakeUnit } from "./helpers/fake-unit.js";
import { startGateway } from "./helpers/test-gateway.js";
import { token } from "./helpers/tokens.js";
import { eventually } from "./helpers/eventually.js";
import { APPOINTMENT_CREATED, SLOT, api, apiToken, startBridge, type ApiCall, type ApiResponse, type TestBridge } from "./api-bridge-fixtures.js";

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

function operations(doc: OpenApiDocument): { method: string; path: string; operation: OpenApiOperation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => (METHODS as readonly string[]).includes(method))
      .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}

/** The documented operation a concrete method and path fall under. */
function operationFor(doc: OpenApiDocument, method: string, path: string): { path: string; operation: OpenApiOperation } | undefined {
  const bare = path.split("?")[0] ?? path;
  return operations(doc).find((candidate) => {
    if (candidate.method !== method) return false;
    const pattern = new RegExp(`^${candidate.path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    return pattern.test(bare);
  });
}

/** Checks answers against the document and remembers which operations and statuses were seen. */
class Conformance {
  readonly #ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
  readonly #validators = new Map<string, ValidateFunction>();
  readonly seen = new Map<string, Set<number>>();

  constructor(private readonly doc: OpenApiDocument) {}

  async call(bridge: TestBridge, method: string, path: string, call: ApiCall = {}): Promise<ApiResponse> {
    const res = await api(bridge, method, path, call);
    const found = operationFor(this.doc, method, path);
    const label = `${method} ${path} → ${res.status}`;
    expect(found, `${label}: no documented operation`).not.to.equal(undefined);
    if (!found) return res;
    const response = found.operation.responses[String(res.status)];
    expect(response, `${label}: status not documented for ${found.operation.operationId}`).not.to.equal(undefined);
    if (!response) return res;
    expect(res.headers.get("x-request-id"), `${label}: X-Request-Id`).to.be.a("string");
    const [contentType, media] = Object.entries(response.content)[0] ?? [];
    expect(res.headers.get("content-type") ?? "", `${label}: content type`).to.include(contentType ?? "?");
    const key = `${found.operation.operationId} ${res.status}`;
    let validate = this.#validators.get(key);
    if (!validate) {
      validate = this.#ajv.compile(media?.schema ?? {});
      this.#validators.set(key, validate);
    }
    const value = contentType === "application/json" ? res.body : res.text;
    expect(validate(value), `${label}: ${this.#ajv.errorsText(validate.errors)} in ${res.text.slice(0, 300)}`).to.equal(true);
    const statuses = this.seen.get(found.operation.operationId) ?? new Set<number>();
    statuses.add(res.status);
    this.seen.set(found.operation.operationId, statuses);
    return res;
  }
}

describe("API Bridge: OpenAPI 3.1 document", () => {
  it("has every code the bridge answers documented in docs/api-bridge.md, with its status", () => {
    const doc = readFileSync(new URL("../../docs/api-bridge.md", import.meta.url), "utf8");
    for (const code of HTTP_ERROR_CODES) expect(doc, code).to.match(new RegExp(`^\\| \\d{3} \\| [^\\n]*\`${code}\``, "m"));
  });

  it("is served at /openapi.json, and is the document the app built", async () => {
    const gw = await startGateway();
    const bridge = await startBridge(gw);
    const res = await api(bridge, "GET", "/openapi.json", { token: null });
    expect(res.status).to.equal(200);
    expect(res.body.openapi).to.equal("3.1.0");
    expect(res.body).to.deep.equal(JSON.parse(JSON.stringify(bridge.app.openapi)));
  });

  it("lists every route fastify registered, and nothing else", async () => {
    const gw = await startGateway();
    const bridge = await startBridge(gw);
    const registered = bridge.app.registeredRoutes().map((route) => `${route.method} ${openApiPath(route.url)}`);
    const documented = operations(bridge.app.openapi).map((op) => `${op.method} ${op.path}`);
    expect(registered).to.have.length.at.least(10);
    expect([...new Set(registered)].sort()).to.deep.equal([...new Set(documented)].sort());
    expect(registered.length, "no route registered twice").to.equal(new Set(registered).size);
  });

  it("is well-formed: unique operation ids, declared path parameters, a schema for every response, known codes", async () => {
    const gw = await startGateway();
    const bridge = await startBridge(gw);
    const ops = operations(bridge.app.openapi);
    expect(new Set(ops.map((op) => op.operation.operationId)).size).to.equal(ops.length);
    const ajv = new Ajv2020({ strict: true, strictTypes: false });
    for (const { method, path, operation } of ops) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = operation.parameters.filter((p) => p["in"] === "path").map((p) => p["name"]);
      expect(declared, `${method} ${path}`).to.deep.equal(inPath);
      expect(Object.keys(operation.responses).some((status) => status.startsWith("2")), `${method} ${path}: a success`).to.equal(true);
      if (operation.requestBody) ajv.compile(operation.requestBody.content["application/json"]?.schema ?? {});
      for (const [status, response] of Object.entries(operation.responses)) {
        expect(Number(status)).to.be.within(200, 599);
        for (const media of Object.values(response.content)) ajv.compile(media.schema);
        expect(response.headers).to.have.property("X-Request-Id");
        const codes = [...response.description.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1] ?? "");
        for (const code of codes) expect(HTTP_ERROR_CODES as readonly string[], `${method} ${path} ${status}`).to.include(code);
      }
    }
  });

  it("describes every real answer of every route: successes and error mappings validate against the documented schemas", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer((request) => {
      if (request.type === "appointment.cancel") return { ok: false, error: { code: "NOT_CANCELLABLE", message: "too late" } };
      if (request.type === "unit.info") return undefined;
      return { ok: true, data: request.type === "unit.ping" ? { at: new Date().toISOString() } : { appointmentId: "a-1", status: "booked" } };
    });
    const bridge = await startBridge(gw, { env: { BRIDGE_BODY_LIMIT_BYTES: "4096" } });
    const check = new Conformance(bridge.app.openapi);
    const request = (unitId: string, body: unknown, call: ApiCall = {}) => check.call(bridge, "POST", `/v1/units/${unitId}/requests`, { body, ...call });

    // POST /v1/units/{unitId}/requests
    expect((await request("U-1", { type: "appointment.create", payload: SLOT })).status).to.equal(200);
    expect((await request("U-1", { type: "appointment.create", payload: {} })).status).to.equal(400);
    expect((await request("U-1", { type: "lab.order", payload: {} })).status).to.equal(400);
    expect((await request("U-1", { type: "unit.ping", payload: {} }, { token: null })).status).to.equal(401);
    expect((await request("U-1", { type: "unit.ping", payload: {} }, { token: token({ sub: "n", role: "portal" }) })).status).to.equal(403);
    expect((await request("U-1", { type: "unit.ping", payload: {} }, { token: apiToken("narrow", { scope: "units:read" }) })).status).to.equal(403);
    expect((await request("U-404", { type: "unit.ping", payload: {} })).status).to.equal(404);
    expect((await request("U-1", { type: "appointment.cancel", payload: { appointmentId: "a-1" } })).status).to.equal(502);
    expect((await request("U-1", { type: "unit.info", payload: {}, timeoutMs: 50 })).status).to.equal(504);
    expect((await check.call(bridge, "POST", "/v1/units/U-1/requests", { raw: "ping", headers: { "content-type": "text/plain" } })).status).to.equal(415);
    expect((await request("U-1", { type: "appointment.create", payload: { ...SLOT, reason: "x".repeat(5000) } })).status).to.equal(413);
    const key = { "idempotency-key": "conformance-1" };
    expect((await request("U-1", { type: "unit.ping", payload: {} }, { headers: key })).status).to.equal(200);
    const replay = await request("U-1", { type: "unit.ping", payload: {} }, { headers: key });
    expect(replay.headers.get("idempotent-replayed")).to.equal("true");
    expect((await request("U-1", { type: "unit.info", payload: {} }, { headers: key })).status).to.equal(422);

    // events
    const event = { type: "appointment.created", payload: APPOINTMENT_CREATED };
    expect((await check.call(bridge, "POST", "/v1/units/U-1/events", { body: event })).status).to.equal(202);
    expect((await check.call(bridge, "POST", "/v1/units/U-1/events", { body: { ...event, receipt: true, receiptTimeoutMs: 100 } })).status).to.equal(202);
    expect((await check.call(bridge, "POST", "/v1/units/U-1/events", { body: { ...event, payload: {} } })).status).to.equal(400);
    expect((await check.call(bridge, "POST", "/v1/events", { body: { ...event, target: { unitIds: ["U-1", "U-2"] } } })).status).to.equal(202);
    expect((await check.call(bridge, "POST", "/v1/events", { body: { ...event, target: { all: true } } })).status).to.equal(202);
    expect((await check.call(bridge, "POST", "/v1/events", { body: { ...event, target: { everyone: true } } })).status).to.equal(400);

    // units, principals, operations
    expect((await check.call(bridge, "GET", "/v1/units")).status).to.equal(200);
    expect((await check.call(bridge, "GET", "/v1/units/U-1")).status).to.equal(200);
    expect((await check.call(bridge, "GET", "/v1/units/U-2")).status).to.equal(200);
    expect((await check.call(bridge, "GET", "/v1/units/not%20a%20unit")).status).to.equal(400);
    expect((await check.call(bridge, "DELETE", "/v1/principals/nurse-1/connections", { body: { reason: "left" } })).status).to.equal(200);
    expect((await check.call(bridge, "DELETE", "/v1/principals/nurse-1/connections", { body: { why: "left" } })).status).to.equal(400);
    for (const path of ["/healthz", "/readyz", "/metrics", "/openapi.json"]) expect((await check.call(bridge, "GET", path, { token: null })).status, path).to.equal(200);

    // the gateway gone: 503 everywhere that needs it
    await gw.gateway.stop();
    await eventually(async () => (await api(bridge, "GET", "/readyz", { token: null })).status === 503);
    expect((await check.call(bridge, "GET", "/readyz", { token: null })).body.error.code).to.equal(ClientErrorCode.NOT_CONNECTED);
    expect((await request("U-1", { type: "unit.ping", payload: {} })).status).to.equal(503);
    expect((await check.call(bridge, "POST", "/v1/units/U-1/events", { body: event })).status).to.equal(503);
    expect((await check.call(bridge, "POST", "/v1/events", { body: { ...event, target: { all: true } } })).status).to.equal(503);
    expect((await check.call(bridge, "GET", "/v1/units")).status).to.equal(503);
    expect((await check.call(bridge, "GET", "/v1/units/U-1")).status).to.equal(503);
    expect((await check.call(bridge, "DELETE", "/v1/principals/nurse-1/connections")).status).to.equal(503);

    // an unknown route: no operation, the one error shape
    const nowhere = await api(bridge, "GET", "/v1/nowhere");
    expect(nowhere.body).to.deep.equal({ ok: false, error: { code: BridgeErrorCode.NOT_FOUND, message: nowhere.body.error.message } });

    // every operation was answered successfully at least once
    for (const { operation } of operations(bridge.app.openapi)) {
      const statuses = [...(check.seen.get(operation.operationId) ?? [])];
      expect(statuses.some((status) => status < 300), `${operation.operationId} seen with ${statuses.join(", ")}`).to.equal(true);
    }
  });
});
