/** The SDK refreshes its token by itself on auth:expiring, through its token provider, against a real gateway. */
import { expect } from "chai";
import { DisconnectCode, Namespace, type ServerDisconnect } from "@care-gateway/shared";
import { nextEvent, rawSocket } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { token } from "./helpers/tokens.js";
import { portalClient } from "./sdk-fixtures.js";

describe("sdk: token refresh", () => {
  it("keeps the session past the first token's exp by refreshing through the provider", async () => {
    const gw = await startGateway({ AUTH_EXPIRING_NOTICE_S: "1", JWT_CLOCK_TOLERANCE_S: "0" });
    const firstExp = Math.floor(Date.now() / 1000) + 2;
    let calls = 0;
    const client = portalClient(gw, "nurse", ["U-1"], {
      token: () => {
        calls++;
        return token({ sub: "nurse", role: "portal", units: ["U-1"], exp: calls === 1 ? firstExp : firstExp + 600 });
      },
    });
    await client.connect();
    // A raw socket whose token ends at the same moment serves as the clock: when it is cut off,
    // the SDK's first token has expired too.
    const clock = rawSocket(gw.url, Namespace.portal, { auth: { token: token({ sub: "clock", role: "portal", exp: firstExp }) } });
    const cutOff = nextEvent<ServerDisconnect>(clock, "server:disconnect");
    expect((await cutOff).code).to.equal(DisconnectCode.AUTH_EXPIRED);
    expect(calls).to.equal(2);
    expect(client.connected).to.equal(true);
    expect(await client.subscribe(["U-1"])).to.deep.include({ subscribed: ["U-1"] });
  });
});
