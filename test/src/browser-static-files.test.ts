/**
 * The gateway's own pages over HTTP: an allow-list of files with their content types, a CSP that
 * allows only the gateway's own scripts, styles and connections, nosniff, revalidation by ETag, no
 * traversal, and /healthz, /readyz, /metrics as before. No page loads anything from elsewhere.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { startGateway } from "./helpers/test-gateway.js";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with the path sent exactly as written (fetch would normalise `..` away). */
function raw(url: string, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: options.method ?? "GET", headers: options.headers ?? {} }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const WEB_DIST = fileURLToPath(new URL("../../web/dist/", import.meta.url));
const PAGES = ["/admin", "/admin/", "/examples/portal", "/examples/portal/"];
const ASSETS: Record<string, string> = {
  "/admin/admin.js": "text/javascript; charset=utf-8",
  "/admin/admin.css": "text/css; charset=utf-8",
  "/examples/portal/portal.js": "text/javascript; charset=utf-8",
  "/examples/portal/portal.css": "text/css; charset=utf-8",
  "/assets/common.css": "text/css; charset=utf-8",
  "/assets/care-gateway-client.min.js": "text/javascript; charset=utf-8",
  "/assets/favicon.svg": "image/svg+xml",
};

describe("browser: the gateway's pages over HTTP", () => {
  it("serves the pages and their assets with content types, CSP, nosniff and cache headers", async () => {
    const gw = await startGateway();
    for (const path of PAGES) {
      const res = await raw(gw.url, path);
      expect(res.status, path).to.equal(200);
      expect(res.headers["content-type"], path).to.equal("text/html; charset=utf-8");
      expect(res.body, path).to.match(/^<!doctype html>/);
      const csp = String(res.headers["content-security-policy"]);
      expect(csp).to.contain("default-src 'none'");
      expect(csp).to.contain("script-src 'self';");
      expect(csp).to.contain("style-src 'self';");
      expect(csp).to.contain(`connect-src 'self' ws://127.0.0.1:${gw.port} wss://127.0.0.1:${gw.port};`);
      expect(csp).to.contain("frame-ancestors 'none'");
      expect(res.headers["x-content-type-options"]).to.equal("nosniff");
      expect(res.headers["cache-control"]).to.equal("no-cache");
      expect(res.headers["etag"]).to.match(/^"[A-Za-z0-9_-]+"$/);
    }
    for (const [path, type] of Object.entries(ASSETS)) {
      const res = await raw(gw.url, path);
      expect(res.status, path).to.equal(200);
      expect(res.headers["content-type"], path).to.equal(type);
      expect(res.headers["x-content-type-options"], path).to.equal("nosniff");
    }
  });

  it("answers 304 to a matching ETag and HEAD without a body", async () => {
    const gw = await startGateway();
    const first = await raw(gw.url, "/admin/admin.js");
    const etag = String(first.headers["etag"]);
    const again = await raw(gw.url, "/admin/admin.js", { headers: { "if-none-match": etag } });
    expect(again.status).to.equal(304);
    expect(again.body).to.equal("");
    const head = await raw(gw.url, "/admin", { method: "HEAD" });
    expect(head.status).to.equal(200);
    expect(head.body).to.equal("");
    expect(Number(head.headers["content-length"])).to.be.greaterThan(500);
  });

  it("serves nothing outside the allow-list: no traversal, no listing, no other files", async () => {
    const gw = await startGateway();
    const attempts = [
      "/admin/../package.json",
      "/admin/%2e%2e/%2e%2e/package.json",
      "/assets/..%2f..%2fpackage.json",
      "/assets/../../server/dist/main.js",
      "/admin/index.html",
      "/assets/",
      "/assets",
      "/web/dist/admin/index.html",
      "/admin/admin.ts",
      "//etc/passwd",
      "/admin%00.html",
      "/examples/portal/../../admin/admin.js",
    ];
    for (const path of attempts) {
      const res = await raw(gw.url, path);
      expect(res.status, path).to.equal(404);
      expect(res.body, path).to.not.contain("care-gateway-client");
    }
    expect((await raw(gw.url, "/admin", { method: "POST" })).status).to.equal(405);
  });

  it("keeps /healthz, /readyz and /metrics as they were", async () => {
    const gw = await startGateway();
    const health = await raw(gw.url, "/healthz");
    expect(health.status).to.equal(200);
    expect(JSON.parse(health.body)).to.deep.equal({ status: "ok", node: gw.config.nodeId });
    expect(health.headers["content-security-policy"]).to.equal(undefined);
    const ready = await raw(gw.url, "/readyz");
    expect(ready.status).to.equal(200);
    expect(JSON.parse(ready.body)).to.include({ status: "ready" });
    const metrics = await raw(gw.url, "/metrics");
    expect(metrics.status).to.equal(200);
    expect(metrics.body).to.contain("care_gateway_connections");
    expect((await raw(gw.url, "/nothing-here")).status).to.equal(404);
  });

  it("says how to build the pages when they are missing, and serves none when told not to", async () => {
    const empty = await mkdtemp(join(tmpdir(), "cg-web-"));
    const unbuilt = await startGateway({}, { webRoot: empty });
    const res = await raw(unbuilt.url, "/admin");
    expect(res.status).to.equal(503);
    expect(res.body).to.contain("npm run build");
    expect((await raw(unbuilt.url, "/admin/admin.js")).status).to.equal(404);
    const none = await startGateway({}, { webRoot: false });
    expect((await raw(none.url, "/admin")).status).to.equal(404);
  });

  it("pages reference only the gateway's own files: no fonts, CDNs or inline code", async () => {
    for (const file of ["admin/index.html", "examples/portal/index.html", "admin/admin.css", "examples/portal/portal.css", "assets/common.css"]) {
      const text = await readFile(join(WEB_DIST, file), "utf8");
      const references = [...text.matchAll(/(?:src|href)="([^"]*)"|url\(([^)]*)\)|@import\s+([^;]+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
      for (const reference of references) expect(reference, `${file}: ${reference}`).to.match(/^(\/[^/]|#)/);
      expect(text, file).to.not.match(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline scripts (the CSP would block them)
      expect(text, file).to.not.match(/\sstyle="/); // no inline styles either
      expect(text, file).to.not.match(/\son[a-z]+="/); // nor inline handlers
    }
  });
});
