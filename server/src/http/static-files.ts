/**
 * The gateway's own pages (the admin page, the portal example) as static files: a fixed allow-list
 * of URL paths, each mapped to one file under a root directory. Nothing else under the root is
 * reachable: there is no directory listing and no path is ever built from the URL, so there is no
 * traversal to defend against (the resolved file is still checked to be inside the root).
 * Every answer carries a Content-Security-Policy that allows only the gateway's own scripts, styles
 * and connections, `nosniff`, and cache headers (revalidate by ETag: the file names are not hashed).
 */
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** `web/dist` of this checkout, where `npm run build` (and `npm start`) put the pages. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL("../../../web/dist/", import.meta.url));

/** URL path → file under the root. */
export const WEB_ROUTES: Readonly<Record<string, string>> = Object.freeze({
  "/admin": "admin/index.html",
  "/admin/": "admin/index.html",
  "/admin/admin.js": "admin/admin.js",
  "/admin/admin.js.map": "admin/admin.js.map",
  "/admin/admin.css": "admin/admin.css",
  "/examples/portal": "examples/portal/index.html",
  "/examples/portal/": "examples/portal/index.html",
  "/examples/portal/portal.js": "examples/portal/portal.js",
  "/examples/portal/portal.js.map": "examples/portal/portal.js.map",
  "/examples/portal/portal.css": "examples/portal/portal.css",
  "/assets/common.css": "assets/common.css",
  "/assets/care-gateway-client.min.js": "assets/care-gateway-client.min.js",
  "/assets/care-gateway-client.min.js.map": "assets/care-gateway-client.min.js.map",
  "/favicon.ico": "assets/favicon.svg",
  "/assets/favicon.svg": "assets/favicon.svg",
});

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** A Host header we are willing to echo into the CSP: host name or address and an optional port. */
const HOST_PATTERN = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

interface Cached {
  mtimeMs: number;
  size: number;
  body: Buffer;
  etag: string;
}

export class StaticFiles {
  readonly #root: string;
  readonly #routes: ReadonlyMap<string, string>;
  readonly #cache = new Map<string, Cached>();

  constructor(root: string, routes: Readonly<Record<string, string>> = WEB_ROUTES) {
    this.#root = resolve(root);
    this.#routes = new Map(Object.entries(routes));
  }

  has(path: string): boolean {
    return this.#routes.has(path);
  }

  /** Answers GET or HEAD for an allow-listed `path`: 200, 304, or 404/503 when the file is missing. */
  async serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const file = this.#routes.get(path);
    const full = file === undefined ? undefined : resolve(this.#root, file);
    if (full === undefined || !this.#inside(full)) return plain(res, 404, "not found\n");
    const content = await this.#read(full);
    if (!content) {
      const page = file?.endsWith(".html") === true;
      // Most likely a checkout that was never built: say how to fix it.
      return plain(res, page ? 503 : 404, page ? "This page is not built yet: run `npm run build` (or `npm start`).\n" : "not found\n");
    }
    const headers: Record<string, string> = {
      ...securityHeaders(req.headers.host),
      "content-type": CONTENT_TYPES[extname(full)] ?? "application/octet-stream",
      "cache-control": "no-cache",
      etag: content.etag,
      "last-modified": new Date(content.mtimeMs).toUTCString(),
    };
    if (req.headers["if-none-match"] === content.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, "content-length": String(content.size) });
    res.end(req.method === "HEAD" ? undefined : content.body);
  }

  #inside(full: string): boolean {
    const rel = relative(this.#root, full);
    return rel !== "" && !rel.startsWith("..") && !rel.startsWith(sep) && !rel.includes(`..${sep}`);
  }

  /** The file's bytes, re-read when its size or time changes (a rebuild while running is picked up). */
  async #read(full: string): Promise<Cached | undefined> {
    const info = await stat(full).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const cached = this.#cache.get(full);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
    const body = await readFile(full).catch(() => undefined);
    if (!body) return undefined;
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    const entry: Cached = { mtimeMs: info.mtimeMs, size: body.length, body, etag };
    this.#cache.set(full, entry);
    return entry;
  }
}

/** Only our own scripts and styles; connections only back to this gateway (HTTP for polling, WebSocket). */
export function contentSecurityPolicy(host: string | undefined): string {
  const sockets = host !== undefined && HOST_PATTERN.test(host) ? ` ws://${host} wss://${host}` : "";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src 'self'${sockets}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function securityHeaders(host: string | undefined): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(host),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
  };
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" });
  res.end(text);
}
