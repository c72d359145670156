/** Handshake refusals: each protocol code, role/namespace mismatch, and no connection event on refusal. */
import { expect } from "chai";
import jwt from "jsonwebtoken";
import { ConnectErrorCode, ERROR_MESSAGES, Namespace } from "@care-gateway/shared";
import { connect, rawSocket, refused } from "./helpers/raw-client.js";
import { startGateway } from "./helpers/test-gateway.js";
import { token, unitToken } from "./helpers/tokens.js";

describe("auth: handshake refusals", () => {
  async function refusal(url: string, namespace: string, auth: Record<string, unknown>) {
    const error = await refused(rawSocket(url, namespace, { auth }));
    return { message: error.message, data: error.data };
  }

  it("refuses a handshake without a token with AUTH_REQUIRED", async () => {
    const { url } = await startGateway();
    const outcome = await refusal(url, Namespace.unit, {});
    expect(outcome).to.deep.equal({ message: "AUTH_REQUIRED", data: { code: "AUTH_REQUIRED", message: ERROR_MESSAGES.AUTH_REQUIRED } });
  });

  it("refuses a garbage token, a wrong signature and alg none with AUTH_INVALID", async () => {
    const { url } = await startGateway();
    const exp = Math.floor(Date.now() / 1000) + 60;
    const none = jwt.sign({ sub: "U-1", role: "unit", exp }, "", { algorithm: "none" });
    const wrongKey = token({ sub: "U-1", role: "unit" }, { secret: "x".repeat(40) });
    for (const bad of ["not-a-jwt", wrongKey, none]) {
      expect((await refusal(url, Namespace.unit, { token: bad })).message).to.equal(ConnectErrorCode.AUTH_INVALID);
    }
  });

  it("refuses an expired token with AUTH_EXPIRED", async () => {
    const { url } = await startGateway({ JWT_CLOCK_TOLERANCE_S: "0" });
    const expired = token({ sub: "U-1", role: "unit", exp: Math.floor(Date.now() / 1000) - 60 });
    expect((await refusal(url, Namespace.unit, { token: expired })).message).to.equal(ConnectErrorCode.AUTH_EXPIRED);
  });

  it("refuses tokens missing sub, role or exp, and unit ids with forbidden characters", async () => {
    const { url } = await startGateway();
    const cases = [
      token({ role: "unit" }),
      token({ sub: "U-1" }),
      jwt.sign({ sub: "U-1", role: "unit" }, (await import("./helpers/test-gateway.js")).TEST_SECRET, { algorithm: "HS256" }),
      token({ sub: "../U-1", role: "unit" }),
      token({ sub: "U 1", role: "unit" }),
      token({ sub: "U-1", role: "superuser" }),
    ];
    for (const bad of cases) expect((await refusal(url, Namespace.unit, { token: bad })).message).to.equal(ConnectErrorCode.AUTH_INVALID);
  });

  it("refuses a valid token on another role's namespace with AUTH_FORBIDDEN, and role api everywhere", async () => {
    const { url } = await startGateway();
    expect((await refusal(url, Namespace.portal, { token: unitToken("U-1") })).message).to.equal(ConnectErrorCode.AUTH_FORBIDDEN);
    expect((await refusal(url, Namespace.unit, { token: token({ sub: "p", role: "portal", units: ["U-1"] }) })).message).to.equal(
      ConnectErrorCode.AUTH_FORBIDDEN,
    );
    expect((await refusal(url, Namespace.admin, { token: token({ sub: "b", role: "bridge" }) })).message).to.equal(ConnectErrorCode.AUTH_FORBIDDEN);
    for (const ns of Object.values(Namespace)) {
      expect((await refusal(url, ns, { token: token({ sub: "caller", role: "api" }) })).message).to.equal(ConnectErrorCode.AUTH_FORBIDDEN);
    }
  });

  it("checks issuer and audience when configured", async () => {
    const { url } = await startGateway({ JWT_ISSUER: "https://idp.example", JWT_AUDIENCE: "care-gateway" });
    const good = token({ sub: "U-1", role: "unit", iss: "https://idp.example", aud: "care-gateway" });
    const wrongIss = token({ sub: "U-1", role: "unit", iss: "https://evil.example", aud: "care-gateway" });
    const wrongAud = token({ sub: "U-1", role: "unit", iss: "https://idp.example", aud: "other" });
    expect((await refusal(url, Namespace.unit, { token: wrongIss })).message).to.equal(ConnectErrorCode.AUTH_INVALID);
    expect((await refusal(url, Namespace.unit, { token: wrongAud })).message).to.equal(ConnectErrorCode.AUTH_INVALID);
    const socket = await connect(url, Namespace.unit, good);
    expect(socket.connected).to.equal(true);
  });

  it("counts refusals in metrics and never logs the token", async () => {
    const gw = await startGateway();
    const secretish = token({ sub: "U-1", role: "portal" });
    await refusal(gw.url, Namespace.unit, { token: secretish });
    const metrics = await gw.gateway.metrics.registry.metrics();
    expect(metrics).to.match(/care_gateway_auth_refusals_total\{namespace="\/units",code="AUTH_FORBIDDEN"[^}]*\} 1/);
    expect(gw.log.text()).not.to.include(secretish);
    expect(gw.log.text()).to.include("handshake refused");
  });

  it("runs no connection handler for a refused handshake", async () => {
    const gw = await startGateway();
    await refusal(gw.url, Namespace.unit, { token: "nope" });
    expect(gw.log.lines.filter((l) => l["message"] === "unit connected")).to.have.length(0);
    const occupancy = await gw.gateway.metrics.registry.getSingleMetricAsString("care_gateway_units_online");
    expect(occupancy).to.match(/care_gateway_units_online\{[^}]*\} 0|care_gateway_units_online 0/);
  });
});
