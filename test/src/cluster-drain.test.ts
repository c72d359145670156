/** Cluster drain: SIGTERM on a node lets its in-flight request finish, its SDK clients move to another node, and it exits 0. */
import { expect } from "chai";
import { ConnectionState } from "@care-gateway/client-sdk";
import { eventually } from "./helpers/eventually.js";
import { startReadyProxy } from "./helpers/ready-proxy.js";
import { node, startCluster } from "./helpers/test-cluster.js";
import { bridgeClient, unitClient } from "./sdk-fixtures.js";

describe("cluster: drain on SIGTERM", function () {
  this.timeout(60_000);

  it("answers the request in flight, moves the clients to the other node, and exits 0", async () => {
    const cluster = await startCluster(2, { SHUTDOWN_GRACE_MS: "5000", DRAIN_SPREAD_MS: "200" });
    const [a, b] = [node(cluster, 0), node(cluster, 1)];
    const balancer = await startReadyProxy([a.url, b.url]);
    let release: (() => void) | undefined;
    const unit = unitClient(balancer, "U-1");
    unit.handle("unit.ping", async () => {
      if (!release) await new Promise<void>((resolve) => (release = resolve));
      return { at: new Date().toISOString() };
    });
    await unit.connect();
    const bridge = bridgeClient(balancer);
    await bridge.connect();
    await eventually(async () => a.logs.some((l) => l["message"] === "unit connected") && a.logs.some((l) => l["message"] === "client connected"));

    const inFlight = bridge.request("U-1", "unit.ping", {}, { timeoutMs: 30_000 });
    await eventually(async () => release !== undefined);
    a.child.kill("SIGTERM");
    await a.waitForLog((l) => l["message"] === "draining");
    release?.();
    expect(await inFlight).to.have.property("at");
    expect(await a.exited).to.equal(0);

    // Both clients are back, on node B, and traffic flows.
    await eventually(async () => unit.state === ConnectionState.CONNECTED && bridge.state === ConnectionState.CONNECTED && b.logs.some((l) => l["message"] === "unit connected"));
    const answer = await eventually(async () => bridge.request("U-1", "unit.ping", {}).catch(() => undefined));
    expect(answer).to.have.property("at");
  });
});
