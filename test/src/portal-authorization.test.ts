/** A portal reaches only the units its token lists, for requests and subscriptions. */
import { expect } from "chai";
import { ErrorCode, Namespace, type RequestReply, type SubscribeReply } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { ask, connect } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { portalToken } from "./helpers/tokens.js";

describe("portal: authorization by the units claim", () => {
  it("answers requests to listed units and FORBIDDEN to others, without reaching the unit", async () => {
    const gw = await startGateway();
    const listed = await fakeUnit(gw.url, "U-1");
    const unlisted = await fakeUnit(gw.url, "U-2");
    const portal = await connect(gw.url, Namespace.portal, portalToken("nurse-1", ["U-1"]));
    const ok = await ask<RequestReply>(portal, "request", { unitId: "U-1", type: "unit.ping", payload: {} });
    expect(ok.ok).to.equal(true);
    const denied = await ask<RequestReply>(portal, "request", { unitId: "U-2", type: "unit.ping", payload: {} });
    expect(!denied.ok && denied.error.code).to.equal(ErrorCode.FORBIDDEN);
    const offlineButUnlisted = await ask<RequestReply>(portal, "request", { unitId: "U-3", type: "unit.ping", payload: {} });
    expect(!offlineButUnlisted.ok && offlineButUnlisted.error.code).to.equal(ErrorCode.FORBIDDEN);
    expect(listed.requests).to.have.length(1);
    expect(unlisted.requests).to.have.length(0);
  });

  it("subscribes to listed units only and reports the rest as denied", async () => {
    const gw = await startGateway();
    const portal = await connect(gw.url, Namespace.portal, portalToken("nurse-1", ["U-1", "U-2"]));
    const reply = await ask<SubscribeReply>(portal, "subscribe", { unitIds: ["U-1", "U-3", "U-2"] });
    expect(reply).to.deep.equal({ ok: true, subscribed: ["U-1", "U-2"], denied: ["U-3"] });
  });

  it("grants every unit to a token with units [\"*\"] and none to a token without the claim", async () => {
    const gw = await startGateway();
    await fakeUnit(gw.url, "U-7");
    const everything = await connect(gw.url, Namespace.portal, portalToken("supervisor", ["*"]));
    expect((await ask<RequestReply>(everything, "request", { unitId: "U-7", type: "unit.ping", payload: {} })).ok).to.equal(true);
    const nothing = await connect(gw.url, Namespace.portal, portalToken("visitor", []));
    const reply = await ask<RequestReply>(nothing, "request", { unitId: "U-7", type: "unit.ping", payload: {} });
    expect(!reply.ok && reply.error.code).to.equal(ErrorCode.FORBIDDEN);
    expect(await ask<SubscribeReply>(nothing, "subscribe", { unitIds: ["U-7"] })).to.deep.equal({ ok: true, subscribed: [], denied: ["U-7"] });
  });
});
