/** /admin: operators. Occupancy on connect and as a stream, and disconnecting a unit (logged with who did it). */
import { DisconnectCode, ERROR_MESSAGES, ErrorCode, EventName, type UnitDisconnectArgs } from "@care-gateway/shared";
import { unitDisconnectArgsSchema } from "@care-gateway/shared/schemas";
import type { Namespace } from "socket.io";
import { identityOf } from "../auth/principal.js";
import { watchTokenLifecycle } from "../auth/token-lifecycle.js";
import { unitRoom, type AdminNamespace, type AdminSocket, type UnitsNamespace } from "../connections/socket-types.js";
import { ackListener, describeError, type ListenerContext } from "../messages/ack-listener.js";
import { errorReply, okReply } from "../messages/replies.js";
import { guardUnknownEvents } from "../messages/unknown-events.js";
import type { NamespaceDeps } from "./namespace-deps.js";
import { occupancyGetListener } from "./occupancy-get.js";
import { principalRevokeListener } from "./principal-revoke.js";
import { trackConnection } from "./track-connection.js";

const KNOWN_EVENTS: ReadonlySet<string> = new Set([EventName.OCCUPANCY_GET, EventName.UNIT_DISCONNECT, EventName.AUTH_REFRESH, EventName.PRINCIPAL_REVOKE]);

export function attachAdminNamespace(ns: AdminNamespace, units: UnitsNamespace, namespaces: readonly Namespace[], deps: NamespaceDeps): void {
  const context: ListenerContext = { namespace: ns.name, logger: deps.logger, metrics: deps.metrics };
  ns.on("connection", (socket) => {
    trackConnection(socket, deps);
    guardUnknownEvents(socket, KNOWN_EVENTS, context);
    watchTokenLifecycle(socket, { verifier: deps.verifier, revocations: deps.revocations, ...deps.tokens, context });
    socket.on(EventName.PRINCIPAL_REVOKE, principalRevokeListener(socket, namespaces, deps, context));
    socket.on(EventName.OCCUPANCY_GET, occupancyGetListener(deps, context));
    socket.on(EventName.UNIT_DISCONNECT, unitDisconnectListener(socket, units, deps, context));
    sendOccupancy(socket, deps);
  });
}

function sendOccupancy(socket: AdminSocket, deps: NamespaceDeps): void {
  deps.occupancy
    .snapshot()
    .then((occupancy) => socket.emit(EventName.OCCUPANCY, occupancy))
    .catch((error: unknown) => deps.logger.warn("occupancy snapshot failed", { err: describeError(error).message }));
}

function unitDisconnectListener(socket: AdminSocket, units: UnitsNamespace, deps: NamespaceDeps, context: ListenerContext) {
  const { principal } = socket.data;
  return ackListener<UnitDisconnectArgs>(context, EventName.UNIT_DISCONNECT, unitDisconnectArgsSchema, async ({ unitId }, respond) => {
    const online = deps.sessions.get(unitId) !== undefined || (await deps.presence.locate(unitId)) !== undefined;
    deps.logger.info("admin unit disconnect", { sub: principal.sub, role: principal.role, unitId, outcome: online ? "ok" : ErrorCode.UNIT_OFFLINE });
    deps.audit.record({ action: "unit.disconnect", actor: identityOf(principal), unitId, outcome: online ? "ok" : ErrorCode.UNIT_OFFLINE, remote: socket.handshake.address });
    if (!online) return respond(errorReply(ErrorCode.UNIT_OFFLINE));
    const room = unitRoom(unitId);
    units.to(room).emit(EventName.SERVER_DISCONNECT, { code: DisconnectCode.ADMIN_DISCONNECT, message: ERROR_MESSAGES.ADMIN_DISCONNECT });
    units.in(room).disconnectSockets(true);
    respond(okReply(undefined));
  });
}
