/**
 * Which browser origins may open a connection (OWASP: check Origin on the WebSocket handshake).
 * Exact matches against ALLOWED_ORIGINS, plus the gateway's own origin (its admin page). A request
 * without Origin is not from a browser (units, the bridge) and is not affected.
 */
import type { IncomingMessage } from "node:http";

export class OriginPolicy {
  readonly #allowed: ReadonlySet<string>;

  constructor(allowed: readonly string[]) {
    this.#allowed = new Set(allowed);
  }

  allows(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    if (this.#allowed.has(origin)) return true;
    const host = req.headers.host;
    return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
  }

  /** For Socket.IO's CORS option (long-polling from allowed pages). */
  get corsOrigins(): string[] {
    return [...this.#allowed];
  }
}
