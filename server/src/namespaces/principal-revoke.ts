/**
 * `principal:revoke { sub }` (bridge, admin): remembered so older tokens of that sub are refused,
 * then every socket of the principal in every namespace is told REVOKED and closed, on every node
 * (the adapter's room operations). Audited.
 */
import { DisconnectCode, ERROR_MESSAGES, EventName, type PrincipalRevokeArgs } from "@care-gateway/shared";
import { principalRevokeArgsSchema } from "@care-gateway/shared/schemas";
import type { Namespace, Socket } from "socket.io";
import { identityOf } from "../auth/principal.js";
import { principalRoom, type SocketData } from "../connections/socket-types.js";
import { ackListener, type ListenerContext } from "../messages/ack-listener.js";
import { okReply } from "../messages/replies.js";
import type { NamespaceDeps } from "./namespace-deps.js";

export function principalRevokeListener(socket: Socket, namespaces: readonly Namespace[], deps: NamespaceDeps, context: ListenerContext) {
  return ackListener<PrincipalRevokeArgs>(context, EventName.PRINCIPAL_REVOKE, principalRevokeArgsSchema, async ({ sub }, respond) => {
    const { principal } = socket.data as SocketData;
    await deps.revocations.revoke(sub, Date.now());
    const room = principalRoom(sub);
    for (const ns of namespaces) {
      ns.to(room).emit(EventName.SERVER_DISCONNECT, { code: DisconnectCode.REVOKED, message: ERROR_MESSAGES.REVOKED });
      ns.in(room).disconnectSockets(true);
    }
    deps.audit.record({ action: "principal.revoke", actor: identityOf(principal), target: sub, outcome: "ok", remote: socket.handshake.address });
    respond(okReply(undefined));
  });
}
