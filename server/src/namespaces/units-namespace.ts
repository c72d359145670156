/**
 * /units: one live socket per unit. A new connection supersedes the older one (anywhere in the
 * cluster, through the adapter's room operations); the unit answers requests, receives its outbox
 * and publishes its own events upstream.
 */
import { randomUUID } from "node:crypto";
import { DisconnectCode, ERROR_MESSAGES, ErrorCode, EventName, type UnitEventEnvelope } from "@care-gateway/shared";
import { unitEventEnvelopeSchema } from "@care-gateway/shared/schemas";
import { watchTokenLifecycle } from "../auth/token-lifecycle.js";
import { principalRoom, unitRoom, type UnitSocket, type UnitsNamespace } from "../connections/socket-types.js";
import type { UnitSession } from "../connections/unit-sessions.js";
import { UnitDelivery } from "../delivery/unit-delivery.js";
import { ackListener, describeError, type ListenerContext } from "../messages/ack-listener.js";
import { errorReply } from "../messages/replies.js";
import { guardUnknownEvents } from "../messages/unknown-events.js";
import type { NamespaceDeps } from "./namespace-deps.js";
import { auditConnection } from "./track-connection.js";

const KNOWN_EVENTS: ReadonlySet<string> = new Set([EventName.EVENT, EventName.AUTH_REFRESH]);

export function attachUnitsNamespace(ns: UnitsNamespace, deps: NamespaceDeps): void {
  const context: ListenerContext = { namespace: ns.name, logger: deps.logger, metrics: deps.metrics };
  ns.on("connection", (socket) => onConnection(ns, socket, deps, context));
}

function onConnection(ns: UnitsNamespace, socket: UnitSocket, deps: NamespaceDeps, context: ListenerContext): void {
  const { principal } = socket.data;
  const unitId = principal.sub;
  const room = unitRoom(unitId);
  const delivery = new UnitDelivery(unitId, socket, socket.data.lastEventId, {
    outbox: deps.outbox,
    metrics: deps.metrics,
    logger: deps.logger,
    onGap: (_unit, gap) => socket.emit(EventName.EVENT_GAP, gap),
    onAcknowledged: (_unit, event) => {
      if (event.receiptTo === undefined || event.publishId === undefined) return;
      deps.broadcasts.receipt(event.receiptTo, { id: event.publishId, unitId, eventId: event.id, at: Date.now() });
      deps.metrics.receipts.inc();
    },
  });
  const session: UnitSession = { unitId, sessionId: socket.id, socket, connectedAt: Date.now(), delivery };

  guardUnknownEvents(socket, KNOWN_EVENTS, context);
  watchTokenLifecycle(socket, { verifier: deps.verifier, revocations: deps.revocations, ...deps.tokens, context });
  void socket.join([room, principalRoom(unitId)]);
  if (deps.sessions.replace(session)) deps.metrics.supersededSessions.inc();
  deps.metrics.unitsOnline.set(deps.sessions.size);
  deps.logger.info("unit connected", { unitId, session: socket.id, remote: socket.handshake.address });
  auditConnection(socket, deps);

  // Claim presence first, then close older sockets anywhere: their release then finds the unit
  // owned by this session and leaves it online (no offline flicker for watchers).
  deps.presence
    .claim({ unitId, nodeId: deps.nodeId, sessionId: socket.id, connectedAt: session.connectedAt })
    .catch((error: unknown) => deps.logger.warn("presence claim failed", { unitId, err: describeError(error).message }))
    .finally(() => {
      if (!socket.connected) return;
      supersedeOthers(ns, socket, room);
      deps.broadcasts.unitStatus({ unitId, online: true, at: session.connectedAt });
      delivery.pump();
      deps.occupancy.changed();
    });

  socket.on(
    EventName.EVENT,
    ackListener<UnitEventEnvelope>(context, EventName.EVENT, unitEventEnvelopeSchema, (envelope, respond) => {
      if (!deps.limits.unitEvents.allow(unitId)) {
        deps.metrics.eventsUpstream.inc({ outcome: ErrorCode.RATE_LIMITED });
        return respond(errorReply(ErrorCode.RATE_LIMITED));
      }
      const payload = deps.catalogue.checkEventPayload(envelope.type, envelope.payload, "upstream");
      if (!payload.ok) {
        deps.metrics.eventsUpstream.inc({ outcome: payload.code });
        return respond(errorReply(payload.code, { issues: payload.issues }));
      }
      const id = envelope.id ?? randomUUID();
      deps.broadcasts.unitEvent({ unitId, id, type: envelope.type, payload: payload.value as UnitEventEnvelope["payload"], ts: Date.now() });
      deps.metrics.eventsUpstream.inc({ outcome: "ok" });
      respond({ ok: true, id });
    }),
  );

  socket.on("disconnect", (reason) => {
    delivery.stop();
    const wasCurrent = deps.sessions.remove(unitId, socket.id);
    deps.router.sessionDropped(socket.id);
    deps.metrics.unitsOnline.set(deps.sessions.size);
    deps.logger.info("unit disconnected", { unitId, session: socket.id, reason, current: wasCurrent });
    if (!wasCurrent) return;
    deps.presence
      .release(unitId, socket.id)
      .then((released) => {
        if (released) deps.broadcasts.unitStatus({ unitId, online: false, at: Date.now() });
      })
      .catch((error: unknown) => deps.logger.warn("presence release failed", { unitId, err: describeError(error).message }))
      .finally(() => deps.occupancy.changed());
  });
}

/** Tells every other socket of this unit (on any node) why, then closes it. */
function supersedeOthers(ns: UnitsNamespace, socket: UnitSocket, room: string): void {
  const notice = { code: DisconnectCode.SUPERSEDED, message: ERROR_MESSAGES.SUPERSEDED };
  ns.to(room).except(socket.id).emit(EventName.SERVER_DISCONNECT, notice);
  ns.in(room).except(socket.id).disconnectSockets(true);
}
