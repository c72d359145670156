/** Pure parts of the SDK: full-jitter backoff, the attempt counter, option validation, GatewayError. */
import { expect } from "chai";
import {
  Backoff,
  ClientErrorCode,
  DEFAULT_BACKOFF,
  ErrorCode,
  GatewayError,
  UnitClient,
  fullJitterDelay,
  resolveClientOptions,
} from "@care-gateway/client-sdk";
import { ERROR_MESSAGES } from "@care-gateway/shared";

describe("SDK backoff and options", () => {
  it("fullJitterDelay is uniform in [0, min(maxMs, baseMs * 2^attempt))", () => {
    const options = { baseMs: 100, maxMs: 1000 };
    expect(fullJitterDelay(0, options, () => 0)).to.equal(0);
    expect(fullJitterDelay(0, options, () => 0.999)).to.equal(99);
    expect(fullJitterDelay(2, options, () => 0.5)).to.equal(200);
    expect(fullJitterDelay(3, options, () => 0.999)).to.equal(799);
    expect(fullJitterDelay(4, options, () => 0.999), "capped").to.equal(999);
    expect(fullJitterDelay(500, options, () => 0.999), "huge attempts stay capped").to.equal(999);
    expect(fullJitterDelay(-3, options, () => 0.999), "negative attempts count as 0").to.equal(99);
    for (let attempt = 0; attempt < 40; attempt++) {
      const delay = fullJitterDelay(attempt);
      expect(delay).to.be.within(0, DEFAULT_BACKOFF.maxMs);
      expect(Number.isInteger(delay)).to.equal(true);
    }
  });

  it("Backoff counts attempts, grows the ceiling, resets on success, and adds jitter to a drain delay", () => {
    const backoff = new Backoff({ baseMs: 10, maxMs: 1000 }, () => 0.999);
    expect([backoff.next(), backoff.next(), backoff.next()]).to.deep.equal([9, 19, 39]);
    expect(backoff.attempt).to.equal(3);
    backoff.reset();
    expect(backoff.attempt).to.equal(0);
    expect(backoff.next()).to.equal(9);

    const drain = new Backoff({ baseMs: 10, maxMs: 1000 }, () => 0.5);
    expect(drain.after(300)).to.equal(300 + 150);
    expect(drain.after(0)).to.equal(5);
    expect(drain.attempt, "a drain delay is not a failed attempt").to.equal(0);
  });

  it("validates options once: defaults filled in, bad values named", () => {
    const resolved = resolveClientOptions({ url: "http://127.0.0.1:3000/", token: "t" });
    expect(resolved).to.deep.include({ url: "http://127.0.0.1:3000", transports: ["websocket"], path: "/socket.io" });
    expect(resolved.backoff).to.deep.equal(DEFAULT_BACKOFF);
    expect(Object.isFrozen(resolved)).to.equal(true);

    expect(() => resolveClientOptions({ url: "127.0.0.1:3000", token: "t" })).to.throw(TypeError, /options\.url/);
    expect(() => resolveClientOptions({ url: "http://h", token: "" })).to.throw(TypeError, /options\.token/);
    expect(() => resolveClientOptions({ url: "http://h", token: "t", backoff: { baseMs: 100, maxMs: 10 } })).to.throw(TypeError, /backoff\.maxMs/);
    expect(() => resolveClientOptions({ url: "http://h", token: "t", transports: [] })).to.throw(TypeError, /transports/);
    expect(() => new UnitClient({ url: "http://h", token: "t", lastEventId: -1 })).to.throw(TypeError, /lastEventId/);
  });

  it("GatewayError keeps shared's fixed message for known codes and the unit's for its own", () => {
    const known = new GatewayError(ErrorCode.UNIT_OFFLINE, { message: "ignored", requestId: "r-1" });
    expect(known.message).to.equal(ERROR_MESSAGES.UNIT_OFFLINE);
    expect(known).to.deep.include({ name: "GatewayError", code: ErrorCode.UNIT_OFFLINE, requestId: "r-1" });
    expect(known).to.be.instanceOf(Error);
    expect(new GatewayError(ClientErrorCode.NOT_CONNECTED).message).to.equal(ERROR_MESSAGES.NOT_CONNECTED);

    const fromUnit = GatewayError.fromBody({ code: ErrorCode.UNIT_ERROR, message: "x", details: { code: "SLOT_TAKEN", message: "slot taken" } });
    expect(fromUnit.unitCode).to.equal("SLOT_TAKEN");
    expect(new GatewayError("SLOT_TAKEN", { message: "slot taken" }).message).to.equal("slot taken");
    expect(new GatewayError(ErrorCode.TIMEOUT).unitCode).to.equal(undefined);
  });
});
