/** What both pages share: element lookup, times, a token's claims for display, errors in words, the tab's token store. */
import { ConnectErrorCode, DisconnectCode, isGatewayError, type GatewayError } from "@care-gateway/client-sdk/browser";

/** The element with `id`, which must exist and be of `type` (a page/script mismatch fails loudly at start). */
export function byId<T extends HTMLElement>(id: string, type: abstract new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`#${id} is missing or not a ${type.name}`);
  return element;
}

/** A new element with text content and attributes (no HTML parsing, so nothing received is ever markup). */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attributes: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** Sets text only when it changed (keeps the DOM quiet for screen readers and selection). */
export function setText(node: Element, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
const dateAndClock = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

/** Local wall-clock time; with the date when it is not today. */
export function formatTime(ms: number, now = Date.now()): string {
  return new Date(ms).toDateString() === new Date(now).toDateString() ? clock.format(ms) : dateAndClock.format(ms);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return "<1 s";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} d`;
}

export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export interface TokenClaims {
  sub?: string;
  role?: string;
  exp?: number;
  units?: string[];
}

/** The claims of a JWT, for display only (the gateway verifies it); undefined when it is not a JWT. */
export function tokenClaims(token: string): TokenClaims | undefined {
  const part = token.split(".")[1];
  if (part === undefined) return undefined;
  try {
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "="));
    const claims: unknown = JSON.parse(json);
    if (typeof claims !== "object" || claims === null) return undefined;
    const c = claims as Record<string, unknown>;
    return {
      ...(typeof c["sub"] === "string" ? { sub: c["sub"] } : {}),
      ...(typeof c["role"] === "string" ? { role: c["role"] } : {}),
      ...(typeof c["exp"] === "number" ? { exp: c["exp"] } : {}),
      ...(Array.isArray(c["units"]) ? { units: c["units"].filter((u): u is string => typeof u === "string") } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Refusals of a handshake that retrying with the same token cannot cure: the page stops and says why. */
export const SIGN_IN_REFUSALS: ReadonlySet<string> = new Set([
  ConnectErrorCode.AUTH_REQUIRED,
  ConnectErrorCode.AUTH_INVALID,
  ConnectErrorCode.AUTH_EXPIRED,
  ConnectErrorCode.AUTH_FORBIDDEN,
  ConnectErrorCode.ORIGIN_FORBIDDEN,
  DisconnectCode.REVOKED,
]);

const EXPLANATIONS: Readonly<Record<string, string>> = {
  AUTH_REQUIRED: "No token was given.",
  AUTH_INVALID: "The gateway did not accept this token: it is malformed, signed with another key, not valid yet, or revoked.",
  AUTH_EXPIRED: "This token has expired. Ask for a new one.",
  AUTH_FORBIDDEN: "This token is valid but does not grant this role.",
  ORIGIN_FORBIDDEN: "The gateway does not allow connections from this page's address.",
  REVOKED: "Access was revoked by an operator.",
  RATE_LIMITED: "Too many attempts from this address; the page keeps trying.",
  SHUTTING_DOWN: "The gateway node is shutting down; the page reconnects elsewhere.",
};

/** A GatewayError (or anything thrown) as a code and a sentence. */
export function explain(error: unknown): { code: string; message: string } {
  if (isGatewayError(error)) return { code: String(error.code), message: EXPLANATIONS[error.code] ?? error.message };
  return { code: "ERROR", message: error instanceof Error ? error.message : String(error) };
}

export type { GatewayError };

const SOCKET_REASONS: Readonly<Record<string, string>> = {
  "transport close": "the network connection closed",
  "transport error": "a network error",
  "ping timeout": "no sign of life from the gateway (ping timeout)",
  "io server disconnect": "the gateway closed it",
  "parse error": "a malformed packet",
};

/** Why a connection ended, in words: the gateway's notice code when it sent one, else Socket.IO's reason. */
export function describeDisconnect(reason: string, code?: string): string {
  if (code !== undefined) return `${EXPLANATIONS[code] ?? code} (${code})`;
  return SOCKET_REASONS[reason] ?? reason;
}

/** A token kept for this tab only (sessionStorage), never in the URL; absent when storage is unavailable. */
export class TabTokenStore {
  constructor(private readonly key: string) {}

  read(): string | undefined {
    try {
      return sessionStorage.getItem(this.key) ?? undefined;
    } catch {
      return undefined;
    }
  }

  write(token: string | undefined): void {
    try {
      if (token === undefined) sessionStorage.removeItem(this.key);
      else sessionStorage.setItem(this.key, token);
    } catch {
      // Storage disabled: the token stays in memory only.
    }
  }
}
