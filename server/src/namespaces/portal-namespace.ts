/** /portal: staff browsers. They reach only the units their token lists. */
import type { PortalNamespace } from "../connections/socket-types.js";
import type { ListenerContext } from "../messages/ack-listener.js";
import { guardUnknownEvents } from "../messages/unknown-events.js";
import { CALLER_EVENTS, attachCallerHandlers } from "./caller-handlers.js";
import type { NamespaceDeps } from "./namespace-deps.js";
import { trackConnection } from "./track-connection.js";

const KNOWN_EVENTS: ReadonlySet<string> = new Set(CALLER_EVENTS);

export function attachPortalNamespace(ns: PortalNamespace, deps: NamespaceDeps): void {
  const context: ListenerContext = { namespace: ns.name, logger: deps.logger, metrics: deps.metrics };
  ns.on("connection", (socket) => {
    trackConnection(socket, deps);
    guardUnknownEvents(socket, KNOWN_EVENTS, context);
    attachCallerHandlers(socket, deps, context);
  });
}
