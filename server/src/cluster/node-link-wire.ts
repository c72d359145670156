/**
 * The direct links between nodes (see node-links.ts): what a node advertises in Redis so that peers
 * can reach it, and the two lines of the handshake. After the handshake the connecting node sends
 * lines, each the same JSON text a PUBLISH to the node's inbox would carry (one NodeMessage or an
 * array of them); JSON.stringify never writes a raw newline, so a newline ends each one.
 */
import { timingSafeEqual } from "node:crypto";

/** Where a node's link listener is, and the token a peer must present (stored under RedisKeys.link). */
export interface LinkAddress {
  host: string;
  port: number;
  token: string;
}

/** First line from the connecting node. */
export interface LinkHello {
  from: string;
  token: string;
}

/** The listener's one line back: the link is accepted. */
export const LINK_WELCOME = '{"ok":true}';

/** The longest line accepted before the handshake (a hello is far shorter). */
export const MAX_HELLO_CHARS = 1024;

/** The longest line accepted on an open link (a batch of node messages). */
export const MAX_LINK_LINE_CHARS = 256 * 1024 * 1024;

export function parseLinkAddress(raw: string | null | undefined): LinkAddress | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<LinkAddress>;
    if (typeof value.host !== "string" || typeof value.port !== "number" || typeof value.token !== "string") return undefined;
    return { host: value.host, port: value.port, token: value.token };
  } catch {
    return undefined;
  }
}

/** The first line a connecting node sends. */
export function helloLine(from: string, token: string): string {
  return JSON.stringify({ from, token } satisfies LinkHello);
}

export function parseHello(line: string): LinkHello | undefined {
  try {
    const value = JSON.parse(line) as Partial<LinkHello>;
    return typeof value.from === "string" && typeof value.token === "string" ? { from: value.from, token: value.token } : undefined;
  } catch {
    return undefined;
  }
}

export function sameToken(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
