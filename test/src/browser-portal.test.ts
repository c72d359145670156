/**
 * The portal example at /examples/portal in a real browser (headless Chromium): connect with a
 * portal token, subscribe to a unit and see its status and events arrive, send appointment.create
 * and see the answer, see typed errors, and a clear refusal for a wrong token.
 */
import { expect } from "chai";
import type { UnitRequest } from "@care-gateway/shared";
import { openPage, useBrowser, type TestPage } from "./browser-fixtures.js";
import { fakeUnit } from "./helpers/fake-unit.js";
import { startGateway } from "./helpers/test-gateway.js";
import { portalToken, token } from "./helpers/tokens.js";

async function connectPage(tp: TestPage, tokenValue: string): Promise<void> {
  await tp.page.fill("#token", tokenValue);
  await tp.page.click("#sign-in-button");
  await tp.page.waitForSelector('#connection[data-state="live"]');
  await tp.page.waitForSelector("#workspace:not([hidden])");
}

describe("browser: portal example", function () {
  this.timeout(30_000);
  const browser = useBrowser();

  it("subscribes to a unit, sees its events, sends appointment.create and shows the answer", async () => {
    const gw = await startGateway();
    const unit = await fakeUnit(gw.url, "U-1");
    unit.answer((request: UnitRequest) =>
      request.type === "appointment.create" ? { ok: true, data: { appointmentId: "APT-42", status: "booked" } } : { ok: true, data: { at: new Date().toISOString() } },
    );
    const tp = await openPage(browser(), `${gw.url}/examples/portal`);
    const { page } = tp;
    await connectPage(tp, portalToken("nurse-1", ["U-1", "U-2"]));
    expect(page.url()).to.equal(`${gw.url}/examples/portal`);
    expect(await page.textContent("#identity")).to.equal("nurse-1 · units: U-1, U-2");
    expect(await page.inputValue("#unit-id")).to.equal("U-1"); // the token's first unit

    await page.click("#subscribe-button");
    await page.waitForSelector("#subscribe-status:has-text('Subscribed to U-1')");

    // An upstream event of the unit arrives on the page.
    const published = await unit.socket.emitWithAck("event", {
      type: "appointment.cancelled",
      payload: { appointmentId: "APT-7", cancelledAt: "2026-03-01T09:00:00.000Z" },
    });
    expect(published).to.deep.include({ ok: true });
    await page.waitForSelector('#events li[data-kind="event"][data-unit-id="U-1"]:has-text("appointment.cancelled")');
    expect(await page.textContent('#events li[data-kind="event"] pre')).to.contain('"appointmentId": "APT-7"');

    // The request: the unit receives exactly what the form says, the page shows its answer.
    await page.fill("#patient-ref", "P-1001");
    await page.fill("#start", "2026-03-02T10:00");
    await page.fill("#end", "2026-03-02T10:30");
    await page.fill("#practitioner-ref", "DR-5");
    await page.click("#send");
    await page.waitForSelector('#result[data-outcome="ok"]');
    expect(await page.textContent("#result-title")).to.match(/^U-1 answered in \d+ ms: appointment APT-42 is booked\.$/);
    expect(JSON.parse((await page.textContent("#result-body")) ?? "")).to.deep.equal({ appointmentId: "APT-42", status: "booked" });
    const received = unit.requests.find((request) => request.type === "appointment.create");
    expect(received?.payload).to.deep.equal({
      patientRef: "P-1001",
      start: await page.evaluate<string>("new Date('2026-03-02T10:00').toISOString()"),
      end: await page.evaluate<string>("new Date('2026-03-02T10:30').toISOString()"),
      practitionerRef: "DR-5",
    });
    expect(received?.from).to.deep.equal({ role: "portal", sub: "nurse-1" });

    // The unit leaving shows as a status event.
    unit.socket.disconnect();
    await page.waitForSelector('#events li[data-kind="status"][data-unit-id="U-1"]:has-text("went offline")');
    await tp.screenshot("portal-answer");
    expect(tp.problems).to.deep.equal([]);
  });

  it("shows the typed error of a request: UNIT_OFFLINE, VALIDATION_FAILED, FORBIDDEN", async () => {
    const gw = await startGateway();
    const tp = await openPage(browser(), `${gw.url}/examples/portal`);
    const { page } = tp;
    await connectPage(tp, portalToken("nurse-2", ["U-2"]));

    await page.fill("#request-unit", "U-2");
    await page.click("#send");
    await page.waitForSelector('#result[data-outcome="error"]');
    expect(await page.textContent("#result-title")).to.equal("Error UNIT_OFFLINE: The unit has no live connection.");
    expect(JSON.parse((await page.textContent("#result-body")) ?? "")).to.deep.include({ code: "UNIT_OFFLINE" });

    await page.fill("#patient-ref", "");
    await page.click("#send");
    await page.waitForSelector('#result[data-outcome="error"]:has-text("VALIDATION_FAILED")');
    expect(await page.textContent("#result-body")).to.contain("patientRef");

    await page.fill("#patient-ref", "P-1");
    await page.fill("#request-unit", "U-somebody-else");
    await page.click("#send");
    await page.waitForSelector('#result[data-outcome="error"]:has-text("FORBIDDEN")');

    // A unit the token does not list cannot be subscribed to either.
    await page.fill("#unit-id", "U-somebody-else");
    await page.press("#unit-id", "Enter");
    await page.waitForSelector("#subscribe-status:has-text('not among the units your token lists')");
    await tp.screenshot("portal-typed-error");
    expect(tp.problems).to.deep.equal([]);
  });

  it("refuses a wrong token with a clear error", async () => {
    const gw = await startGateway();
    const tp = await openPage(browser(), `${gw.url}/examples/portal`);
    const { page } = tp;
    await page.fill("#token", token({ sub: "nurse-1", role: "portal", units: ["U-1"], exp: Math.floor(Date.now() / 1000) - 3600 }));
    await page.press("#token", "Enter");
    await page.waitForSelector('#connection[data-state="refused"]');
    expect(await page.textContent("#sign-in-error")).to.equal("Connection refused (AUTH_EXPIRED): This token has expired. Ask for a new one.");
    expect(await page.isVisible("#workspace")).to.equal(false);

    await page.fill("#token", "not-a-token");
    await page.press("#token", "Enter");
    await page.waitForSelector("#sign-in-error:has-text('AUTH_INVALID')");
    await tp.screenshot("portal-wrong-token");
    expect(tp.problems).to.deep.equal([]);
  });
});
