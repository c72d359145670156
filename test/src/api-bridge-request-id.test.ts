/**
 * API Bridge: X-Request-Id is honoured (or made), becomes the gateway request id (the unit's
 * `request.id`, the publish id), is echoed in the response and written on the bridge's and the
 * gateway's log lines: one id from the API Gateway to the unit. Payload values never reach a log.
 */
import { expect } from "chai";
import { ErrorCode } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { startGateway } from "./helpers/test-gateway.js";
import { APPOINTMENT_CREATED, SLOT, api, startBridge } from "./api-bridge-fixtures.js";
import { unitClient, deferred } from "./sdk-fixtures.js";
import type { RequestContext } from "@care-gateway/client-sdk";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("API Bridge: request id propagation", () => {
  it("carries the caller's X-Request-Id to the unit, back in the response, and onto the bridge's and gateway's logs", async () => {
    const gw = await startGateway();
    const unit = unitClient(gw, "U-1");
    const seen = deferred<RequestContext>();
    unit.handle("appointment.create", (_payload, ctx) => {
      seen.resolve(ctx);
      return { appointmentId: "a-1", status: "booked" };
    });
    await unit.connect();
    const bridge = await startBridge(gw);

    const res = await api(bridge, "POST", "/v1/units/U-1/requests", { body: { type: "appointment.create", payload: SLOT }, headers: { "x-request-id": "apigw-7f3a-0001" } });

    expect(res.status).to.equal(200);
    expect(res.headers.get("x-request-id")).to.equal("apigw-7f3a-0001");
    expect((await seen.promise).id).to.equal("apigw-7f3a-0001");
    const bridgeLine = bridge.log.lines.find((line) => line["message"] === "http request" && line["requestId"] === "apigw-7f3a-0001");
    expect(bridgeLine).to.deep.include({ method: "POST", route: "/v1/units/:unitId/requests", status: 200, unitId: "U-1", caller: "api-gateway" });
    const gatewayLine = gw.log.lines.find((line) => line["message"] === "request ended" && line["requestId"] === "apigw-7f3a-0001");
    expect(gatewayLine).to.deep.include({ unitId: "U-1", type: "appointment.create", outcome: "ok", sub: "api-bridge" });
    for (const text of [bridge.log.text(), gw.log.text()]) expect(text, "no patient reference in any log").not.to.include(SLOT.patientRef);
  });

  it("makes an id when the caller sends none, or one that is not a valid correlation id, and uses it all the way", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const bridge = await startBridge(gw);

    const none = await api(bridge, "POST", "/v1/units/U-1/requests", { body: { type: "unit.ping", payload: {} } });
    const made = none.headers.get("x-request-id") ?? "";
    expect(made).to.match(UUID);
    expect(unit.requests[0]?.id).to.equal(made);

    const invalid = await api(bridge, "POST", "/v1/units/U-1/requests", { body: { type: "unit.ping", payload: {} }, headers: { "x-request-id": "has spaces in it" } });
    const replaced = invalid.headers.get("x-request-id") ?? "";
    expect(replaced).to.match(UUID);
    expect(unit.requests[1]?.id).to.equal(replaced);
    expect((await api(bridge, "GET", "/healthz", { headers: { "x-request-id": "x".repeat(129) } })).headers.get("x-request-id")).to.match(UUID);
  });

  it("uses it as the publish id: the unit's event carries it as publishId", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    const bridge = await startBridge(gw);

    const res = await api(bridge, "POST", "/v1/units/U-1/events", { body: { type: "appointment.created", payload: APPOINTMENT_CREATED }, headers: { "x-request-id": "apigw-pub-42" } });

    expect(res.body.data.id).to.equal("apigw-pub-42");
    const [event] = await unit.receivedEvents(1);
    expect(event?.publishId).to.equal("apigw-pub-42");
    expect(bridge.log.lines.some((line) => line["requestId"] === "apigw-pub-42" && line["status"] === 202)).to.equal(true);
  });

  it("echoes it on errors too", async () => {
    const gw = await startGateway();
    const bridge = await startBridge(gw);
    const offline = await api(bridge, "POST", "/v1/units/U-9/requests", { body: { type: "unit.ping", payload: {} }, headers: { "x-request-id": "apigw-off-1" } });
    expect(offline.status).to.equal(404);
    expect(offline.headers.get("x-request-id")).to.equal("apigw-off-1");
    const unauthenticated = await api(bridge, "GET", "/v1/units", { token: null, headers: { "x-request-id": "apigw-401" } });
    expect(unauthenticated.headers.get("x-request-id")).to.equal("apigw-401");
    const nowhere = await api(bridge, "GET", "/v2/nothing", { headers: { "x-request-id": "apigw-404" } });
    expect(nowhere.headers.get("x-request-id")).to.equal("apigw-404");
    expect(bridge.log.lines.find((line) => line["requestId"] === "apigw-off-1")).to.deep.include({ status: 404, code: ErrorCode.UNIT_OFFLINE });
  });
});
