/**
 * The baseline: the thinnest Socket.IO relay that does the gateway's job for this scenario.
 * WebSocket only, no auth, no validation, no deadlines, no logging, no metrics. A unit names itself
 * with `auth.unitId`; the bridge's `request` is forwarded to that unit with an ack and the unit's
 * answer is relayed back as is.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { EventName, Namespace, SOCKET_IO_PATH } from "@care-gateway/shared";
import { Server, type Socket } from "socket.io";
import { hostChild } from "../lib/child-host.js";

type Ack = (reply: unknown) => void;

hostChild(async () => {
  const http = createServer();
  const io = new Server(http, { path: SOCKET_IO_PATH, transports: ["websocket"], serveClient: false });
  const units = new Map<string, Socket>();

  io.of(Namespace.unit).on("connection", (socket) => {
    const unitId = String(socket.handshake.auth["unitId"]);
    units.set(unitId, socket);
    socket.on("disconnect", () => {
      if (units.get(unitId) === socket) units.delete(unitId);
    });
  });

  io.of(Namespace.bridge).on("connection", (socket) => {
    socket.on(EventName.REQUEST, (request: { unitId: string }, ack: Ack) => {
      const unit = units.get(request.unitId);
      if (!unit) return ack({ ok: false, error: { code: "UNIT_OFFLINE", message: "offline" } });
      unit.emit(EventName.REQUEST, request, (answer: unknown) => ack(answer));
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (http.address() as AddressInfo).port,
    stop: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
});
