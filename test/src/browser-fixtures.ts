/**
 * Browser tests: Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH) driven headless by
 * playwright-core, which downloads no browser of its own. One browser per test file
 * (`useBrowser()` in a describe), a fresh context per page (Playwright gives each launch its own
 * new user-data dir), closed at teardown. Page errors and console errors are collected so a test
 * can assert the page ran clean (a CSP violation shows up there too). Screenshots go to
 * test-output/screenshots/ (git-ignored).
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { registerTeardown } from "./helpers/teardown.js";

export const CHROMIUM_PATH = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-dev-shm-usage",
];
export const SCREENSHOTS = fileURLToPath(new URL("../../test-output/screenshots/", import.meta.url));
/** Laptop-sized viewport: what the pages must be readable on. */
export const LAPTOP = { width: 1366, height: 900 };
/** The bound for the admin page to show a unit's arrival or departure. */
export const WITHIN_2S = 2_000;

export interface TestPage {
  page: Page;
  /** Uncaught page errors, console errors and failed same-origin loads seen so far. */
  problems: string[];
  screenshot(name: string): Promise<string>;
}

/** Pages opened by the running test. */
const open: Page[] = [];

/** Launches Chromium before the describe's tests and closes it after; `browser()` gives it. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  before(async function () {
    this.timeout(60_000);
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  // A failed test leaves a picture of what its pages showed (before teardown closes them).
  afterEach(async function () {
    const pages = open.splice(0);
    if (this.currentTest?.state !== "failed") return;
    const name = `FAILED-${(this.currentTest.title || "test").replace(/[^A-Za-z0-9]+/g, "-").slice(0, 60)}`;
    await Promise.all(pages.map((page, i) => page.screenshot({ path: `${SCREENSHOTS}${name}-${i}.png`, fullPage: true }).catch(() => undefined)));
  });
  after(async () => {
    await browser?.close();
    browser = undefined;
  });
  return () => {
    if (!browser) throw new Error("the browser is not running (useBrowser() belongs in a describe)");
    return browser;
  };
}

/** A new page in a fresh context (no storage shared with other tests), closed at teardown. */
export async function openPage(browser: Browser, url: string, options: { allowConsoleErrors?: RegExp } = {}): Promise<TestPage> {
  const context = await browser.newContext({ viewport: LAPTOP, deviceScaleFactor: 1 });
  registerTeardown(() => context.close());
  const page = await context.newPage();
  open.push(page);
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (options.allowConsoleErrors?.test(message.text())) return;
    problems.push(`console error: ${message.text()}`);
  });
  page.on("requestfailed", (request) => {
    if (!request.url().includes("/socket.io/")) problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ""}`);
  });
  const response = await page.goto(url);
  if (!response?.ok()) throw new Error(`GET ${url} answered ${response?.status() ?? "nothing"}`);
  return {
    page,
    problems,
    async screenshot(name) {
      const path = `${SCREENSHOTS}${name}.png`;
      await page.screenshot({ path, fullPage: true });
      return path;
    },
  };
}
