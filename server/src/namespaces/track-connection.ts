/** Connection bookkeeping shared by /portal, /bridge and /admin: a log line each way and an occupancy update. */
import type { Socket } from "socket.io";
import { principalRoom, type SocketData } from "../connections/socket-types.js";
import type { NamespaceDeps } from "./namespace-deps.js";

export function trackConnection(socket: Socket, deps: NamespaceDeps): void {
  const { principal } = socket.data as SocketData;
  const namespace = socket.nsp.name;
  deps.logger.info("client connected", { namespace, sub: principal.sub, role: principal.role, session: socket.id, remote: socket.handshake.address });
  void socket.join(principalRoom(principal.sub));
  deps.occupancy.changed();
  socket.on("disconnect", (reason) => {
    deps.logger.info("client disconnected", { namespace, sub: principal.sub, role: principal.role, session: socket.id, reason });
    deps.occupancy.changed();
  });
}
