/**
 * The gateway's write coalescing (server/src/connections/turn-writes.ts, WRITE_COALESCING): the
 * packets the gateway sends to one client during one turn of the event loop leave in one TCP write.
 * Writes are counted where Node hands them to the kernel (`net.Socket`'s `_write`/`_writev`), on the
 * gateway's side of its connections (local port = the gateway's port). If the gateway could no
 * longer reach Engine.IO's flush or the TCP socket under ws, every packet would take a write of its
 * own again and the "one write" expectations here fail.
 */
import { expect } from "chai";
import { ErrorCode, GatewayError, type BridgeClient } from "@care-gateway/client-sdk";
import { fakeUnit } from "./helpers/fake-unit.js";
import { countKernelWrites } from "./helpers/kernel-writes.js";
import { startGateway, type TestGateway } from "./helpers/test-gateway.js";
import { bridgeClient } from "./sdk-fixtures.js";

const CALLS = 10;

/** The gateway's writes to the kernel, per remote port, on its connections while `work` runs. */
function gatewayWrites(gw: TestGateway, work: () => Promise<unknown>): Promise<Map<number, number>> {
  return countKernelWrites((socket) => (socket.localPort === gw.port ? socket.remotePort : undefined), work);
}

const total = (writes: Map<number, number>) => [...writes.values()].reduce((sum, n) => sum + n, 0);

/** CALLS requests in one synchronous turn (the client coalesces too, so they arrive in one read). */
function burst(bridge: BridgeClient, unitId: (i: number) => string): Promise<unknown[]> {
  const calls = Array.from({ length: CALLS }, (_, i) =>
    bridge.request(unitId(i), "unit.ping", {}).then(
      (reply) => (reply === undefined ? "none" : "answered"),
      (error: unknown) => (error instanceof GatewayError ? error.code : error),
    ),
  );
  return Promise.all(calls);
}

describe("gateway write coalescing", () => {
  it("answers a turn's requests on /bridge in one write by default, one write each with WRITE_COALESCING=off", async () => {
    const results: { codes: unknown[]; writes: number }[] = [];
    const envs: Record<string, string>[] = [{}, { WRITE_COALESCING: "off" }];
    for (const env of envs) {
      const gw = await startGateway(env);
      const bridge = bridgeClient(gw, { coalesceWrites: true });
      await bridge.connect();
      let codes: unknown[] = [];
      const writes = await gatewayWrites(gw, async () => (codes = await burst(bridge, (i) => `u-absent-${i}`)));
      results.push({ codes, writes: total(writes) });
    }
    const [coalesced, plain] = results;
    expect(coalesced?.codes).to.deep.equal(Array(CALLS).fill(ErrorCode.UNIT_OFFLINE));
    expect(plain?.codes).to.deep.equal(Array(CALLS).fill(ErrorCode.UNIT_OFFLINE));
    expect(coalesced?.writes).to.equal(1);
    expect(plain?.writes).to.be.at.least(CALLS);
  });

  it("with WRITE_COALESCING=all, sends a unit the requests of one turn in one write, and relays every answer", async () => {
    const gw = await startGateway({ WRITE_COALESCING: "all" });
    const unit = await fakeUnit(gw.url, "U-1");
    const bridge = bridgeClient(gw, { coalesceWrites: true });
    await bridge.connect();
    let codes: unknown[] = [];
    const writes = await gatewayWrites(gw, async () => (codes = await burst(bridge, () => "U-1")));
    expect(codes).to.deep.equal(Array(CALLS).fill("answered"));
    expect(unit.requests).to.have.length(CALLS);
    // One connection got the ten requests (one write), the other the ten answers: in all, at most
    // one write each per turn; the unit answers in one turn too, but its acks may be read in pieces.
    const counts = [...writes.values()].sort((a, b) => a - b);
    expect(counts).to.have.length(2);
    expect(counts[0]).to.equal(1);
    expect(counts[1]).to.be.at.most(2);
  });

  it("refuses a WRITE_COALESCING that is not off, bridge or all", async () => {
    let error: unknown;
    try {
      await startGateway({ WRITE_COALESCING: "yes" });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.have.property("variable", "WRITE_COALESCING");
  });
});
