/**
 * Draining a node before it stops: every client is told `server:draining` with its own random
 * `reconnectAfterMs` (so they do not all reconnect to the next node at once), then requests in
 * flight get up to the grace period to finish. New connections and requests are refused
 * SHUTTING_DOWN meanwhile (the caller sets the draining flag first).
 */
import { DisconnectCode, ERROR_MESSAGES, EventName } from "@care-gateway/shared";
import type { Namespace } from "socket.io";

export interface DrainDeps {
  namespaces: readonly Namespace[];
  /** Requests still in flight on this node. */
  inFlight: () => number;
  graceMs: number;
  spreadMs: number;
  random?: () => number;
}

const CHECK_EVERY_MS = 25;
/** How long closing notices may take to reach the clients before the server closes regardless. */
const CLOSE_FLUSH_MS = 1000;

/**
 * Tells every client SHUTTING_DOWN and closes it cleanly, so the notice and the replies written
 * before it are flushed (closing the server outright would discard them).
 */
export async function closeClients(namespaces: readonly Namespace[], openConnections: () => number): Promise<void> {
  for (const ns of namespaces) {
    ns.local.emit(EventName.SERVER_DISCONNECT, { code: DisconnectCode.SHUTTING_DOWN, message: ERROR_MESSAGES.SHUTTING_DOWN });
    ns.local.disconnectSockets(true);
  }
  const deadline = Date.now() + CLOSE_FLUSH_MS;
  while (openConnections() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, CHECK_EVERY_MS));
}

/** Resolves when nothing is in flight any more, or the grace period is over. */
export async function drain(deps: DrainDeps): Promise<void> {
  const random = deps.random ?? Math.random;
  for (const ns of deps.namespaces) {
    for (const socket of ns.sockets.values()) {
      socket.emit(EventName.SERVER_DRAINING, { reconnectAfterMs: Math.floor(random() * deps.spreadMs) });
    }
  }
  const deadline = Date.now() + deps.graceMs;
  while (deps.inFlight() > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, CHECK_EVERY_MS));
  }
}
