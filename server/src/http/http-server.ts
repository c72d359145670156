/**
 * The HTTP side of the gateway's port: health, readiness and metrics (unless METRICS_PORT gives them
 * a listener of their own), and the gateway's own pages (/admin, /examples/portal) as static files.
 * Socket.IO takes `/socket.io` on the same server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import type { StaticFiles } from "./static-files.js";

export interface Readiness {
  ready: boolean;
  checks: Record<string, boolean>;
}

export interface HttpDeps {
  nodeId: string;
  readiness: () => Readiness;
  metrics: Registry;
  /** False when /metrics is served on a port of its own (METRICS_PORT). */
  serveMetrics: boolean;
  /** The admin page and the portal example; none on the metrics port. */
  staticFiles?: StaticFiles;
}

export function createHttpServer(deps: HttpDeps): Server {
  return createServer((req, res) => {
    handle(req, res, deps).catch(() => sendJson(res, 500, { status: "error" }));
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: HttpDeps): Promise<void> {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res, 405, { status: "method not allowed" });
  switch (path) {
    case "/healthz":
      return sendJson(res, 200, { status: "ok", node: deps.nodeId });
    case "/readyz": {
      const readiness = deps.readiness();
      return sendJson(res, readiness.ready ? 200 : 503, { status: readiness.ready ? "ready" : "not ready", node: deps.nodeId, checks: readiness.checks });
    }
    case deps.serveMetrics ? "/metrics" : undefined: {
      const body = await deps.metrics.metrics();
      res.writeHead(200, { "content-type": deps.metrics.contentType, "cache-control": "no-store" });
      res.end(body);
      return;
    }
    default:
      if (path !== undefined && deps.staticFiles?.has(path)) return deps.staticFiles.serve(req, res, path);
      return sendJson(res, 404, { status: "not found" });
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}
