/** One live socket per unit: a newer connection supersedes the older one, which is told why. */
import { expect } from "chai";
import { DisconnectCode, ErrorCode, Namespace, type RequestReply, type ServerDisconnect, type UnitStatus } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { ask, connect, nextEvent } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { bridgeToken } from "./helpers/tokens.js";

describe("units: supersede", () => {
  it("closes the older socket with SUPERSEDED and routes to the newer one", async () => {
    const gw = await startGateway();
    const older = await fakeUnit(gw.url, "U-1");
    const notice = nextEvent<ServerDisconnect>(older.socket, "server:disconnect");
    const closed = nextEvent<string>(older.socket, "disconnect");
    const newer = await fakeUnit(gw.url, "U-1");
    expect((await notice).code).to.equal(DisconnectCode.SUPERSEDED);
    expect(await closed).to.equal("io server disconnect");
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const reply = await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {} });
    expect(reply.ok).to.equal(true);
    expect(newer.requests).to.have.length(1);
    expect(older.requests).to.have.length(0);
  });

  it("fails requests sent to the older socket with UNIT_DISCONNECTED and keeps the unit online", async () => {
    const gw = await startGateway();
    const older = await fakeUnit(gw.url, "U-1");
    older.answer(() => undefined);
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const statuses: UnitStatus[] = [];
    bridge.on("unit:status", (s: UnitStatus) => statuses.push(s));
    const pending = ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {}, timeoutMs: 60_000 });
    await older.receivedRequests(1);
    await fakeUnit(gw.url, "U-1");
    const reply = await pending;
    expect(!reply.ok && reply.error.code).to.equal(ErrorCode.UNIT_DISCONNECTED);
    const after = await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {} });
    expect(after.ok).to.equal(true);
    expect(statuses.filter((s) => !s.online)).to.have.length(0);
    const online = await gw.gateway.metrics.registry.getSingleMetricAsString("care_gateway_units_online");
    expect(online).to.match(/ 1$/m);
  });
});

