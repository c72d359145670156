/**
 * The admin page at /admin in a real browser (headless Chromium): sign-in, live occupancy within
 * 2 s of units connecting and leaving (at the production stream pacing), search, request traffic,
 * a confirmed and audited disconnect done by keyboard, a refused token, and its own connection
 * lost and restored.
 */
import { expect } from "chai";
import type { Page } from "playwright-core";
import { Namespace } from "@care-gateway/shared";
import { WITHIN_2S, openPage, useBrowser, type TestPage } from "./browser-fixtures.js";
import { startBlinkProxy } from "./helpers/blink-proxy.js";
import { fakeUnit } from "./helpers/fake-unit.js";
import { ask, connect } from "./helpers/raw-client.js";
import { node, startCluster } from "./helpers/test-cluster.js";
import { startGateway } from "./helpers/test-gateway.js";
import { adminToken, portalToken, token } from "./helpers/tokens.js";

/** The gateway's defaults: occupancy on change at most once a second, and every 5 s. */
const PRODUCTION_PACING = { OCCUPANCY_MIN_INTERVAL_MS: "1000", OCCUPANCY_INTERVAL_MS: "5000" };

const row = (unitId: string, status?: "online" | "offline") => `#units-body tr[data-unit-id="${unitId}"]${status ? `[data-status="${status}"]` : ""}`;

/**
 * The page's globals, for functions run in the page (the test's tsconfig has no DOM types; such a
 * function is serialised, so the cast is written inside it). Predicates are functions, not strings:
 * a string would be eval'd, which the page's CSP refuses.
 */
interface PageGlobals {
  document: { querySelector(selector: string): { textContent: string | null } | null; querySelectorAll(selector: string): { length: number } };
}

/** The id of the focused element (the test's tsconfig has no DOM types: the expression runs in the page). */
function activeId(page: Page): Promise<string | undefined> {
  return page.evaluate<string | undefined>("document.activeElement?.id");
}

async function signIn(tp: TestPage, tokenValue = adminToken()): Promise<void> {
  await tp.page.fill("#token", tokenValue);
  await tp.page.press("#token", "Enter");
  await tp.page.waitForSelector('#connection[data-state="live"]');
  await tp.page.waitForSelector("#dashboard:not([hidden])");
}

describe("browser: admin page", function () {
  this.timeout(30_000);
  const browser = useBrowser();

  it("signs in and shows units connecting and disconnecting within 2 s", async () => {
    const gw = await startGateway(PRODUCTION_PACING);
    const tp = await openPage(browser(), `${gw.url}/admin`);
    const { page } = tp;
    expect(await page.title()).to.contain("admin");
    // The token field has focus on arrival: keyboard users can paste and press Enter.
    expect(await activeId(page)).to.equal("token");
    await signIn(tp);
    expect(page.url()).to.equal(`${gw.url}/admin`); // never in the URL
    expect(await page.textContent("#identity")).to.contain("operator-1");
    expect(await page.evaluate<number>("sessionStorage.length")).to.equal(0); // memory only unless asked

    const u1 = await fakeUnit(gw.url, "U-1");
    await page.waitForSelector(row("U-1", "online"), { timeout: WITHIN_2S });
    await fakeUnit(gw.url, "U-2");
    await page.waitForSelector(row("U-2", "online"), { timeout: WITHIN_2S });
    expect(await page.textContent("#sum-online")).to.equal("2");
    expect(await page.textContent(`${row("U-1")} td.node`)).to.equal(gw.config.nodeId);
    expect(await page.textContent(`#nodes-body tr[data-node-id="${gw.config.nodeId}"] th`)).to.equal(gw.config.nodeId);

    u1.socket.disconnect();
    await page.waitForSelector(row("U-1", "offline"), { timeout: WITHIN_2S });
    expect(await page.textContent(`${row("U-1")} td.since`)).to.match(/ago\)$/);
    expect(await page.textContent("#sum-online")).to.equal("1");
    expect(await page.textContent("#sum-offline")).to.equal("1");
    await tp.screenshot("admin-occupancy");
    expect(tp.problems).to.deep.equal([]);
  });

  it("disconnects a unit after a confirmation, by keyboard, and the gateway audits it", async () => {
    const gw = await startGateway(PRODUCTION_PACING);
    const unit = await fakeUnit(gw.url, "U-7");
    const tp = await openPage(browser(), `${gw.url}/admin`);
    const { page } = tp;
    await signIn(tp, adminToken("operator-7"));
    await page.waitForSelector(row("U-7", "online"), { timeout: WITHIN_2S });

    // Search narrows the list; Tab reaches the unit's Disconnect button.
    await page.fill("#search", "u-7");
    await page.focus("#search");
    await page.keyboard.press("Tab");
    expect(await page.evaluate<string | null>("document.activeElement?.getAttribute('aria-label')")).to.equal("Disconnect U-7");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#confirm[open]");
    expect(await activeId(page)).to.equal("reason");
    expect(await page.textContent("#confirm-title")).to.equal("Disconnect U-7?");

    // Escape cancels: nothing happens to the unit.
    await page.keyboard.press("Escape");
    await page.waitForSelector("#confirm[open]", { state: "detached" });
    expect(unit.socket.connected).to.equal(true);

    await page.keyboard.press("Enter"); // focus went back to the Disconnect button
    await page.waitForSelector("#confirm[open]");
    await page.keyboard.type("maintenance window");
    await tp.screenshot("admin-disconnect-confirm");
    const told = new Promise<unknown>((resolve) => unit.socket.once("server:disconnect", resolve));
    await page.keyboard.press("Enter");
    expect(await told).to.deep.include({ code: "ADMIN_DISCONNECT" });
    await page.waitForSelector("#confirm[open]", { state: "detached" });
    expect(await page.textContent("#action-status")).to.contain("U-7 was disconnected");
    await page.waitForSelector(row("U-7", "offline"), { timeout: WITHIN_2S });
    expect(await activeId(page)).to.equal("search"); // the button went with the unit; focus did not get lost
    await tp.screenshot("admin-disconnected");

    const record = gw.audit.lines.find((line) => line["action"] === "unit.disconnect");
    expect(record).to.deep.include({ unitId: "U-7", outcome: "ok", actor: { sub: "operator-7", role: "admin" } });
    expect(JSON.stringify(gw.audit.lines)).to.not.contain("maintenance window"); // reasons are not recorded
    expect(tp.problems).to.deep.equal([]);
  });

  it("keeps the token in the tab's session storage only when asked, and forgets it at sign-out", async () => {
    const gw = await startGateway();
    const tp = await openPage(browser(), `${gw.url}/admin`);
    const { page } = tp;
    await page.check("#remember");
    await signIn(tp);
    expect(await page.evaluate<number>("sessionStorage.length")).to.equal(1);
    await page.reload();
    await page.waitForSelector('#connection[data-state="live"]'); // signed in again without typing
    expect(page.url()).to.equal(`${gw.url}/admin`);
    await page.click("#sign-out");
    await page.waitForSelector('#connection[data-state="signed-out"]');
    expect(await page.evaluate<number>("sessionStorage.length")).to.equal(0);
    expect(await page.isVisible("#dashboard")).to.equal(false);
    expect(await activeId(page)).to.equal("token");
    expect(tp.problems).to.deep.equal([]);
  });

  it("refuses a wrong token with a clear error and stays on the sign-in form", async () => {
    const gw = await startGateway();
    const tp = await openPage(browser(), `${gw.url}/admin`);
    const { page } = tp;
    await page.fill("#token", token({ sub: "operator-1", role: "admin" }, { secret: "not-the-gateway-secret-not-the-gateway-secret" }));
    await page.click("#sign-in-button");
    await page.waitForSelector('#connection[data-state="refused"]');
    const error = await page.textContent("#sign-in-error");
    expect(error).to.contain("Sign-in refused (AUTH_INVALID)");
    expect(error).to.contain("did not accept this token");
    expect(await page.isVisible("#dashboard")).to.equal(false);
    expect(await activeId(page)).to.equal("token");
    await tp.screenshot("admin-wrong-token");

    // A valid token of another role: AUTH_FORBIDDEN, said as such.
    await page.fill("#token", portalToken("nurse-1", ["U-1"]));
    await page.click("#sign-in-button");
    await page.waitForSelector("#sign-in-error:has-text('AUTH_FORBIDDEN')");
    expect(await page.textContent("#sign-in-error")).to.contain("does not grant this role");
    expect(tp.problems).to.deep.equal([]);
  });

  it("shows its own connection lost and restored, then keeps updating", async () => {
    const gw = await startGateway();
    const proxy = await startBlinkProxy(gw.url);
    // The page is loaded through the proxy, so its socket goes through it too (its own origin).
    const tp = await openPage(browser(), `${proxy.url}/admin`, { allowConsoleErrors: /WebSocket|ERR_CONNECTION|socket\.io/ });
    const { page } = tp;
    await signIn(tp);
    expect(proxy.cut()).to.be.greaterThan(0);
    await page.waitForSelector("#log li:has-text('Connection lost')");
    await page.waitForSelector("#log li:has-text('Connection restored')");
    await page.waitForSelector('#connection[data-state="live"]');
    expect(await page.textContent("#connection")).to.contain("reconnected");
    expect(await page.isVisible("#banner")).to.equal(false);
    await fakeUnit(gw.url, "U-9");
    await page.waitForSelector(row("U-9", "online"), { timeout: WITHIN_2S });
    await tp.screenshot("admin-reconnected");
  });

  it("keeps the banner up while the gateway is away", async () => {
    const gw = await startGateway();
    const tp = await openPage(browser(), `${gw.url}/admin`, { allowConsoleErrors: /WebSocket|ERR_CONNECTION|socket\.io/ });
    const { page } = tp;
    await signIn(tp);
    await gw.gateway.stop();
    await page.waitForSelector("#banner:not([hidden])");
    expect(await page.getAttribute("#connection", "data-state")).to.equal("lost");
    expect(await page.textContent("#banner")).to.contain("Connection to the gateway lost");
    expect(await page.getAttribute("#connection", "aria-live")).to.equal("polite");
    await tp.screenshot("admin-connection-lost");
  });

  it("searches by unit id and shows request traffic and requests in flight per node", async () => {
    const gw = await startGateway({ OCCUPANCY_INTERVAL_MS: "500" });
    const [, wardA2] = await Promise.all(["ward-A1", "ward-A2", "lab-B1"].map((unitId) => fakeUnit(gw.url, unitId)));
    const portal = await connect(gw.url, Namespace.portal, portalToken("nurse-1", ["*"]));
    for (let i = 0; i < 3; i++) await ask(portal, "request", { unitId: "ward-A1", type: "unit.ping", payload: {} });
    const tp = await openPage(browser(), `${gw.url}/admin`);
    const { page } = tp;
    await signIn(tp);
    await page.waitForSelector(row("lab-B1", "online"));
    await page.fill("#search", "WARD");
    await page.waitForFunction((n) => (globalThis as unknown as PageGlobals).document.querySelectorAll("#units-body tr").length === n, 2);
    expect(await page.textContent("#units-count")).to.equal("2 of 3 units match “WARD”.");
    await page.fill("#search", "nothing-like-this");
    await page.waitForFunction((n) => (globalThis as unknown as PageGlobals).document.querySelectorAll("#units-body tr").length === n, 0);
    expect(await page.textContent("#units-count")).to.contain("No unit id contains");
    await page.fill("#search", "");

    const node = `#nodes-body tr[data-node-id="${gw.config.nodeId}"]`;
    const cells = await page.locator(`${node} td`).allTextContents();
    expect(cells.slice(0, 4)).to.deep.equal(["3", "1", "0", "1"]); // units, portal, bridge, admin
    expect(Number(cells[4])).to.be.greaterThan(0); // requests per second over the last minute
    expect(cells[5]).to.match(/ms$/); // p99
    expect(cells[6]).to.equal("0"); // in flight
    expect(Number(await page.textContent("#sum-rps"))).to.be.greaterThan(0);

    // A request the unit does not answer yet is in flight until it does.
    wardA2?.answer(() => undefined);
    const answered = ask(portal, "request", { unitId: "ward-A2", type: "unit.ping", payload: {} });
    await wardA2?.receivedRequests(1);
    await page.waitForSelector("#sum-in-flight:text-is('1')");
    expect(await page.locator(`${node} td`).nth(6).textContent()).to.equal("1");
    await tp.screenshot("admin-search-and-traffic");
    const held = wardA2?.held.values().next().value;
    held?.({ ok: true, data: { at: new Date().toISOString() } });
    expect(await answered).to.deep.include({ ok: true });
    await page.waitForSelector("#sum-in-flight:text-is('0')");
    expect(tp.problems).to.deep.equal([]);
  });

  it("shows every node of a cluster with its connections and traffic, and units on other nodes within 2 s", async () => {
    // Leases beat every 500 ms here, so each node's figures reach the others quickly.
    const cluster = await startCluster(2, { ...PRODUCTION_PACING, PRESENCE_LEASE_MS: "1500" });
    const [a, b] = [node(cluster, 0), node(cluster, 1)];
    const tp = await openPage(browser(), `${a.url}/admin`);
    const { page } = tp;
    await signIn(tp);
    await page.waitForSelector('#nodes-body tr[data-node-id="node-b"]');

    await fakeUnit(b.url, "U-b1");
    await page.waitForSelector(row("U-b1", "online"), { timeout: WITHIN_2S });
    expect(await page.textContent(`${row("U-b1")} td.node`)).to.equal("node-b");
    const portal = await connect(b.url, Namespace.portal, portalToken("nurse-1", ["*"]));
    for (let i = 0; i < 5; i++) await ask(portal, "request", { unitId: "U-b1", type: "unit.ping", payload: {} });

    const nodeB = '#nodes-body tr[data-node-id="node-b"]';
    await page.waitForFunction((selector) => Number((globalThis as unknown as PageGlobals).document.querySelector(selector)?.textContent) > 0, `${nodeB} td:nth-of-type(5)`);
    const cells = await page.locator(`${nodeB} td`).allTextContents();
    expect(cells.slice(0, 4)).to.deep.equal(["1", "1", "0", "0"]); // units, portal, bridge, admin on node-b
    expect(cells[5]).to.match(/ms$/);
    const nodeA = await page.locator('#nodes-body tr[data-node-id="node-a"] td').allTextContents();
    expect(nodeA.slice(0, 4)).to.deep.equal(["0", "0", "0", "1"]); // this page's own socket
    expect(await page.textContent("#nodes-foot th")).to.equal("All 2 nodes");
    await tp.screenshot("admin-cluster");
    expect(tp.problems).to.deep.equal([]);
  });
});
