/**
 * The SDK's `coalesceWrites` option (client-sdk/src/write-coalescer.ts; the API Bridge turns it on):
 * the calls made during one turn of the event loop leave in one TCP write, each still answered. Writes
 * are counted where Node hands them to the kernel (`net.Socket`'s `_write`/`_writev`), on the client's
 * connection to the gateway only. Without the option the same calls take one write each; with it, if
 * the SDK could no longer reach the TCP socket under socket.io-client, they would too, and this fails.
 */
import { expect } from "chai";
import { ErrorCode, GatewayError, type BridgeClient } from "@care-gateway/client-sdk";
import { countKernelWrites } from "./helpers/kernel-writes.js";
import { startGateway } from "./helpers/test-gateway.js";
import { bridgeClient } from "./sdk-fixtures.js";

const CALLS = 10;

/** The writes handed to the kernel on client sockets connected to `port` while `work` runs. */
async function writesTo(port: number, work: () => Promise<unknown>): Promise<number> {
  const writes = await countKernelWrites((socket) => (socket.remotePort === port ? port : undefined), work);
  return writes.get(port) ?? 0;
}

/** CALLS requests in one synchronous turn, to units that are not there: the gateway answers each UNIT_OFFLINE. */
function burst(bridge: BridgeClient): Promise<unknown[]> {
  const calls = Array.from({ length: CALLS }, (_, i) =>
    bridge.request(`u-absent-${i}`, "unit.ping", {}).then(
      () => "answered",
      (error: unknown) => (error instanceof GatewayError ? error.code : error),
    ),
  );
  return Promise.all(calls);
}

describe("SDK write coalescing", () => {
  it("sends the calls of one turn in one write with coalesceWrites, one write per call without", async () => {
    const gw = await startGateway();
    const plain = bridgeClient(gw);
    const coalescing = bridgeClient(gw, { coalesceWrites: true });
    await Promise.all([plain.connect(), coalescing.connect()]);

    let plainCodes: unknown[] = [];
    const plainWrites = await writesTo(gw.port, async () => (plainCodes = await burst(plain)));
    let coalescedCodes: unknown[] = [];
    const coalescedWrites = await writesTo(gw.port, async () => (coalescedCodes = await burst(coalescing)));

    expect(plainCodes).to.deep.equal(Array(CALLS).fill(ErrorCode.UNIT_OFFLINE));
    expect(coalescedCodes).to.deep.equal(Array(CALLS).fill(ErrorCode.UNIT_OFFLINE));
    expect(plainWrites).to.be.at.least(CALLS);
    expect(coalescedWrites).to.equal(1);
  });

  it("refuses a coalesceWrites that is not a boolean", () => {
    expect(() => bridgeClient({ url: "http://127.0.0.1:1" }, { coalesceWrites: "yes" as unknown as boolean })).to.throw(TypeError, /coalesceWrites/);
  });
});
