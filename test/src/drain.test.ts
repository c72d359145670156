/** Graceful drain: not ready, new work refused, clients told to move, in-flight requests finish within the grace. */
import { expect } from "chai";
import { ConnectErrorCode, ErrorCode, Namespace, type RequestReply, type ServerDraining } from "@care-gateway/shared";
import { fakeUnit } from "./helpers/fake-unit.js";
import { holdRequest } from "./helpers/held-request.js";
import { sample, scrape } from "./helpers/prom-text.js";
import { ask, connect, nextEvent, rawSocket, refused } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { bridgeToken, unitToken } from "./helpers/tokens.js";

describe("operations: graceful drain", () => {
  it("flips readiness, refuses new work, tells clients to move, and ends each in-flight request once", async () => {
    const gw = await startGateway({ SHUTDOWN_GRACE_MS: "5000", DRAIN_SPREAD_MS: "1000" });
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer(() => undefined);
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const replies: RequestReply[] = [];
    const first = new Promise<RequestReply>((resolve) =>
      bridge.emit("request", { unitId: "U-1", type: "unit.ping", payload: {}, timeoutMs: 60_000 }, (r: RequestReply) => {
        replies.push(r);
        resolve(r);
      }),
    );
    await unit.receivedRequests(1);
    const notices = [nextEvent<ServerDraining>(bridge, "server:draining"), nextEvent<ServerDraining>(unit.socket, "server:draining")];
    const stopping = gw.gateway.stop();
    for (const notice of await Promise.all(notices)) expect(notice.reconnectAfterMs).to.be.within(0, 999);

    expect((await fetch(`${gw.url}/readyz`)).status).to.equal(503);
    expect(sample(await scrape(gw.url), "care_gateway_draining")).to.equal(1);
    expect((await refused(rawSocket(gw.url, Namespace.unit, { auth: { token: unitToken("U-2") } }))).message).to.equal(ConnectErrorCode.SHUTTING_DOWN);
    const late = await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {} });
    expect(!late.ok && late.error.code).to.equal(ErrorCode.SHUTTING_DOWN);

    // The request in flight is still answered within the grace period.
    const [request] = unit.requests;
    unit.held.get(request?.id ?? "")?.({ ok: true, data: { at: new Date().toISOString() } });
    expect((await first).ok).to.equal(true);
    await stopping;
    expect(replies).to.have.length(1);
    expect(gw.gateway.pendingRequests()).to.equal(0);
  });

  it("ends what is still in flight after the grace period with SHUTTING_DOWN", async () => {
    const gw = await startGateway({ SHUTDOWN_GRACE_MS: "300" });
    const held = await holdRequest(gw.url);
    const disconnectNotice = nextEvent<{ code: string }>(held.bridge, "server:disconnect");
    await gw.gateway.stop();
    const reply = await held.reply;
    expect(!reply.ok && reply.error.code).to.equal(ErrorCode.SHUTTING_DOWN);
    expect((await disconnectNotice).code).to.equal("SHUTTING_DOWN");
  });
});
