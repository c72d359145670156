/** Publish to all: 500 units, the online ones get it now and the known offline ones have it queued. */
import { expect } from "chai";
import { Namespace, type PublishReply } from "@care-gateway/shared";
import { ask, connect, rawSocket } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { bridgeToken, unitToken } from "./helpers/tokens.js";

const ONLINE = 350;
const OFFLINE = 150;

describe("delivery: publish to all", function () {
  this.timeout(60_000);

  it(`reaches ${ONLINE + OFFLINE} units with delivered=${ONLINE} and queued=${OFFLINE}`, async () => {
    const gw = await startGateway({ CONNECTIONS_PER_MIN_PER_IP: "100000", LOG_LEVEL: "warn" });
    const bridge = await connect(gw.url, Namespace.bridge, bridgeToken());
    const notice = { registrationId: "R", patientRef: "P", status: "open", at: "2026-12-01T09:00:00Z" };
    // The offline units are known to the gateway: something was published to them before.
    await ask(bridge, "publish", { target: { unitIds: Array.from({ length: OFFLINE }, (_, i) => `OFF-${i}`) }, type: "registration.updated", payload: notice });
    let received = 0;
    let allReceived: () => void = () => undefined;
    const everyone = new Promise<void>((resolve) => (allReceived = resolve));
    await Promise.all(
      Array.from({ length: ONLINE }, async (_, i) => {
        const socket = rawSocket(gw.url, Namespace.unit, { auth: { token: unitToken(`ON-${i}`) } });
        socket.on("event", (event: { type: string }, ack: (a: unknown) => void) => {
          ack({ ok: true });
          if (event.type === "registration.created" && ++received === ONLINE) allReceived();
        });
        await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      }),
    );
    const reply = await ask<PublishReply>(bridge, "publish", { target: { all: true }, type: "registration.created", payload: notice });
    expect(reply).to.deep.include({ ok: true, delivered: ONLINE, queued: OFFLINE });
    await everyone;
    expect(received).to.equal(ONLINE);
  });
});
