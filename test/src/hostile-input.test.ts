/**
 * The hostile-input suite: forged tokens refused with the right code and no connection event;
 * oversized frames; a thousand malformed packets with the process alive, every reply typed, and
 * memory back near where it started.
 */
import { expect } from "chai";
import jwt from "jsonwebtoken";
import { ConnectErrorCode, ErrorCode, Namespace, type Reply } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { ask, connect, nextEvent, rawSocket, refused } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { bridgeToken, portalToken, token } from "./helpers/tokens.js";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const inSeconds = (s: number) => Math.floor(Date.now() / 1000) + s;
const unsigned = (alg: string) => `${b64({ alg, typ: "JWT" })}.${b64({ sub: "U-1", role: "unit", exp: inSeconds(600) })}.`;

describe("security: hostile input", () => {
  it("refuses forged and malformed tokens with the right code, and runs no connection handler", async () => {
    const gw = await startGateway({ JWT_ISSUER: "https://idp.example", JWT_AUDIENCE: "care-gateway", JWT_CLOCK_TOLERANCE_S: "5" });
    const good = { iss: "https://idp.example", aud: "care-gateway" };
    const cases: [string, string, string][] = [
      ["alg none", unsigned("none"), ConnectErrorCode.AUTH_INVALID],
      ["alg noNE", unsigned("noNE"), ConnectErrorCode.AUTH_INVALID],
      ["alg NONE", unsigned("NONE"), ConnectErrorCode.AUTH_INVALID],
      ["wrong key", token({ sub: "U-1", role: "unit", ...good }, { secret: "k".repeat(40) }), ConnectErrorCode.AUTH_INVALID],
      ["unknown kid", jwt.sign({ sub: "U-1", role: "unit", ...good, exp: inSeconds(600) }, "z".repeat(40), { algorithm: "HS256", keyid: "ghost" }), ConnectErrorCode.AUTH_INVALID],
      ["expired beyond tolerance", token({ sub: "U-1", role: "unit", ...good, exp: inSeconds(-60) }), ConnectErrorCode.AUTH_EXPIRED],
      ["nbf in the future", token({ sub: "U-1", role: "unit", ...good, nbf: inSeconds(120) }), ConnectErrorCode.AUTH_INVALID],
      ["wrong iss", token({ sub: "U-1", role: "unit", iss: "https://evil", aud: "care-gateway" }), ConnectErrorCode.AUTH_INVALID],
      ["wrong aud", token({ sub: "U-1", role: "unit", iss: "https://idp.example", aud: "other" }), ConnectErrorCode.AUTH_INVALID],
      ["missing sub", token({ role: "unit", ...good }), ConnectErrorCode.AUTH_INVALID],
      ["missing role", token({ sub: "U-1", ...good }), ConnectErrorCode.AUTH_INVALID],
      ["unit id with a slash", token({ sub: "U/1", role: "unit", ...good }), ConnectErrorCode.AUTH_INVALID],
      ["unit id too long", token({ sub: "U".repeat(65), role: "unit", ...good }), ConnectErrorCode.AUTH_INVALID],
      ["units claim not a list", token({ sub: "nurse", role: "portal", units: "U-1" as unknown as string[], ...good }), ConnectErrorCode.AUTH_INVALID],
      ["tampered payload", (() => {
        const [h, , s] = token({ sub: "U-1", role: "unit", ...good }).split(".");
        return `${h}.${b64({ sub: "U-2", role: "unit", exp: inSeconds(600), ...good })}.${s}`;
      })(), ConnectErrorCode.AUTH_INVALID],
      ["token of 10 kB", "a".repeat(10_000), ConnectErrorCode.AUTH_INVALID],
      ["token not a string", 42 as unknown as string, ConnectErrorCode.AUTH_REQUIRED],
    ];
    for (const [name, forged, code] of cases) {
      const error = await refused(rawSocket(gw.url, Namespace.unit, { auth: { token: forged } }));
      expect(error.message, name).to.equal(code);
    }
    expect(gw.log.lines.filter((l) => l["message"] === "unit connected")).to.have.length(0);
    // Still within tolerance: accepted.
    await connect(gw.url, Namespace.unit, token({ sub: "U-1", role: "unit", ...good, exp: inSeconds(-2) }));
  });

  it("drops a frame larger than MAX_MESSAGE_BYTES by closing that socket only", async () => {
    const gw = await startGateway({ MAX_MESSAGE_BYTES: "4096" });
    await fakeUnit(gw.url, "U-1");
    const big = await connect(gw.url, Namespace.bridge, bridgeToken("big"));
    const other = await connect(gw.url, Namespace.bridge, bridgeToken("other"));
    const closed = nextEvent<string>(big, "disconnect");
    big.emit("request", { unitId: "U-1", type: "unit.ping", payload: { pad: "x".repeat(10_000) } }, () => undefined);
    expect(await closed).to.equal("transport close");
    expect((await ask<Reply>(other, "request", { unitId: "U-1", type: "unit.ping", payload: {} })).ok).to.equal(true);
  });

  it("survives 1,000 malformed packets with a typed reply each and memory back near its start", async function () {
    this.timeout(60_000);
    const gw = await startGateway({ PORTAL_REQUESTS_PER_S: "100000", PORTAL_MAX_IN_FLIGHT: "100000", UNIT_EVENTS_PER_S: "100000" });
    const unit = await fakeUnit(gw.url, "U-1");
    const portal = await connect(gw.url, Namespace.portal, portalToken("nurse", ["U-1"]));
    const gc = (globalThis as { gc?: () => void }).gc;
    const heap = () => {
      gc?.();
      return process.memoryUsage().heapUsed;
    };
    const nest = (depth: number): unknown => (depth === 0 ? "leaf" : [nest(depth - 1)]);
    const generators: ((i: number) => [string, unknown])[] = [
      (i) => ["request", i],
      (i) => ["request", { unitId: i, type: [], payload: null }],
      () => ["request", { unitId: "U-1", type: "unit.ping" }],
      () => ["request", { unitId: "U-1", type: "unit.ping", payload: nest(500) }],
      () => ["request", { unitId: "U-1", type: "appointment.create", payload: { patientRef: "p".repeat(100_000), start: "x", end: "y" } }],
      () => ["request", { unitId: "U-1", type: "unit.ping", payload: { blob: Buffer.alloc(1024, 7) } }],
      () => ["request", Buffer.from("binary envelope")],
      () => ["subscribe", { unitIds: Array.from({ length: 5000 }, (_, k) => `U-${k}`) }],
      () => ["subscribe", { unitIds: [{ $gt: "" }] }],
      () => ["request", { unitId: "U-1", type: "constructor", payload: { __proto__: { polluted: true } } }],
    ];
    const send = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const [event, args] = (generators[i % generators.length] as (i: number) => [string, unknown])(i);
        const reply = await ask<Reply>(portal, event, args);
        expect(reply.ok, `${event} #${i}`).to.equal(false);
        if (!reply.ok) expect([ErrorCode.VALIDATION_FAILED, ErrorCode.UNKNOWN_TYPE, ErrorCode.FORBIDDEN]).to.include(reply.error.code);
      }
      const badEvents = await Promise.all(Array.from({ length: 10 }, () => ask<Reply>(unit.socket, "event", { type: "x".repeat(1000), payload: nest(300) })));
      for (const reply of badEvents) expect(reply.ok).to.equal(false);
    };
    await send(100); // warm-up: code paths compiled, pools sized
    const before = heap();
    await send(1000);
    const after = heap();
    expect(after - before, `heap grew by ${after - before} bytes`).to.be.below(16 * 1024 * 1024);
    expect(({} as Record<string, unknown>)["polluted"]).to.equal(undefined);
    expect((await ask<Reply>(portal, "request", { unitId: "U-1", type: "unit.ping", payload: {} })).ok).to.equal(true);
    expect(gw.gateway.pendingRequests()).to.equal(0);
  });
});
