/** Browser origins on the handshake: exact matches of ALLOWED_ORIGINS (and the gateway's own origin) only. */
import { expect } from "chai";
import { Namespace } from "@care-gateway/shared";
import { connect, connected, rawSocket } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { portalToken, unitToken } from "./helpers/tokens.js";

const ALLOWED = "https://portal.example.com";

async function handshake(url: string, origin: string | undefined): Promise<{ status: number; body: string }> {
  const res = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers: origin ? { origin } : {} });
  return { status: res.status, body: await res.text() };
}

describe("security: origins", () => {
  it("refuses look-alike and foreign origins with HTTP 403 ORIGIN_FORBIDDEN before any token work", async () => {
    const gw = await startGateway({ ALLOWED_ORIGINS: `${ALLOWED}, https://admin.example.com:8443` });
    for (const origin of ["https://portal.example.com.evil.test", "http://portal.example.com", "https://evil.test", "https://portal.example.com:444", "null"]) {
      const { status, body } = await handshake(gw.url, origin);
      expect(status, origin).to.equal(403);
      expect(body, origin).to.include("ORIGIN_FORBIDDEN");
    }
    expect((await handshake(gw.url, ALLOWED)).status).to.equal(200);
    expect((await handshake(gw.url, "https://admin.example.com:8443")).status).to.equal(200);
    expect(gw.log.text()).not.to.include("handshake refused");
  });

  it("lets an allowed browser origin reach /portal and refuses a socket from a look-alike", async () => {
    const gw = await startGateway({ ALLOWED_ORIGINS: ALLOWED });
    const good = rawSocket(gw.url, Namespace.portal, { auth: { token: portalToken("nurse", ["U-1"]) }, extraHeaders: { origin: ALLOWED } });
    await connected(good);
    const bad = rawSocket(gw.url, Namespace.portal, { auth: { token: portalToken("nurse", ["U-1"]) }, extraHeaders: { origin: `${ALLOWED}.evil.test` } });
    const error = await connected(bad).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).to.be.instanceOf(Error);
  });

  it("accepts the gateway's own origin and clients that send no Origin (units, the bridge)", async () => {
    const gw = await startGateway({ ALLOWED_ORIGINS: ALLOWED });
    expect((await handshake(gw.url, gw.url)).status).to.equal(200);
    await connect(gw.url, Namespace.unit, unitToken("U-1"));
  });
});
