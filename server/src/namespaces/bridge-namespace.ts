/** /bridge: the API Bridge. Requests any unit, publishes downstream, reads occupancy, hears every unit. */
import { ErrorCode, EventName, type PublishEnvelope, type PublishReply } from "@care-gateway/shared";
import { publishEnvelopeSchema } from "@care-gateway/shared/schemas";
import type { Namespace } from "socket.io";
import { identityOf } from "../auth/principal.js";
import type { BridgeNamespace } from "../connections/socket-types.js";
import { scopeAllows } from "../auth/scopes.js";
import { ackListener, type ListenerContext } from "../messages/ack-listener.js";
import { errorReply } from "../messages/replies.js";
import { guardUnknownEvents } from "../messages/unknown-events.js";
import { CALLER_EVENTS, attachCallerHandlers } from "./caller-handlers.js";
import type { NamespaceDeps } from "./namespace-deps.js";
import { occupancyGetListener } from "./occupancy-get.js";
import { principalRevokeListener } from "./principal-revoke.js";
import { trackConnection } from "./track-connection.js";

const KNOWN_EVENTS: ReadonlySet<string> = new Set([...CALLER_EVENTS, EventName.PUBLISH, EventName.OCCUPANCY_GET, EventName.PRINCIPAL_REVOKE]);

export function attachBridgeNamespace(ns: BridgeNamespace, namespaces: readonly Namespace[], deps: NamespaceDeps): void {
  const context: ListenerContext = { namespace: ns.name, logger: deps.logger, metrics: deps.metrics };
  ns.on("connection", (socket) => {
    trackConnection(socket, deps);
    guardUnknownEvents(socket, KNOWN_EVENTS, context);
    attachCallerHandlers(socket, deps, context);
    socket.on(
      EventName.PUBLISH,
      ackListener<PublishEnvelope>(context, EventName.PUBLISH, publishEnvelopeSchema, async (envelope, respond) => {
        const { principal } = socket.data;
        const audited = (reply: PublishReply) => {
          const { target } = envelope;
          deps.audit.record({
            action: "publish",
            actor: identityOf(principal),
            type: envelope.type,
            target: "unitId" in target ? target.unitId : "unitIds" in target ? `${target.unitIds.length} units` : "all",
            outcome: reply.ok ? "ok" : reply.error.code,
            ...(reply.ok ? { requestId: reply.id } : envelope.id !== undefined ? { requestId: envelope.id } : {}),
          });
          respond(reply);
        };
        if (!scopeAllows(principal, "publish", envelope.type)) return audited(errorReply(ErrorCode.FORBIDDEN));
        const refusal = deps.limits.bridge.admit(socket.id);
        if (refusal) return audited(errorReply(refusal));
        try {
          audited(await deps.publisher.publish(envelope, principal.sub));
        } finally {
          deps.limits.bridge.done(socket.id);
        }
      }),
    );
    socket.on(EventName.OCCUPANCY_GET, occupancyGetListener(deps, context));
    socket.on(EventName.PRINCIPAL_REVOKE, principalRevokeListener(socket, namespaces, deps, context));
  });
}
