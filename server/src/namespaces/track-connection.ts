/** Connection bookkeeping shared by /portal, /bridge and /admin: a log line each way and an occupancy update. */
import { performance } from "node:perf_hooks";
import type { Socket } from "socket.io";
import { identityOf } from "../auth/principal.js";
import { principalRoom, type SocketData } from "../connections/socket-types.js";
import type { NamespaceDeps } from "./namespace-deps.js";

/** Audit records of a socket's opening and closing (every namespace). */
export function auditConnection(socket: Socket, deps: Pick<NamespaceDeps, "audit">): void {
  const { principal } = socket.data as SocketData;
  const base = { namespace: socket.nsp.name, actor: identityOf(principal), session: socket.id, remote: socket.handshake.address };
  const opened = performance.now();
  deps.audit.record({ action: "connection.open", ...base, outcome: "ok" });
  socket.on("disconnect", (reason) => deps.audit.record({ action: "connection.close", ...base, outcome: reason, ms: Math.round(performance.now() - opened) }));
}

export function trackConnection(socket: Socket, deps: NamespaceDeps): void {
  const { principal } = socket.data as SocketData;
  const namespace = socket.nsp.name;
  deps.logger.info("client connected", { namespace, sub: principal.sub, role: principal.role, session: socket.id, remote: socket.handshake.address });
  auditConnection(socket, deps);
  void socket.join(principalRoom(principal.sub));
  deps.occupancy.changed();
  socket.on("disconnect", (reason) => {
    deps.logger.info("client disconnected", { namespace, sub: principal.sub, role: principal.role, session: socket.id, reason });
    deps.occupancy.changed();
  });
}
