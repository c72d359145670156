/**
 * The baseline: the thinnest Socket.IO server that does the gateway's job for the bench's scenarios.
 * WebSocket only, no auth, no validation, no deadlines, no outbox, no logging, no metrics. A unit
 * names itself with `auth.unitId`.
 *
 * - `request` from the bridge: looked up in a `Map` and forwarded to the unit with an ack; the unit's
 *   answer goes back as it is.
 * - `publish` from the bridge: `{ unitId }` and `{ unitIds }` are sent to each unit online as a plain
 *   `emit("event", { id, type, payload, ts })` with an ack (the ack is not waited for, as the gateway
 *   does not wait for it before it answers the publish); `{ all: true }` is one broadcast,
 *   `io.of("/units").emit("event", ...)`. The bridge's ack gets `{ ok, id, delivered, queued: 0 }`.
 *   With `BARE_BROADCAST_ACK=1` (the fan-out scenario's "bare-ack" run) that broadcast asks every unit
 *   for an ack, `io.of("/units").timeout(ms).emit("event", ..., ack)`: Socket.IO's own broadcast with
 *   ack (one encoding, one ack id shared by all sockets), whose acks it reads and drops.
 *
 * It reports the number of open unit sockets with its stats (`counts.units`).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { EventName, Namespace, SOCKET_IO_PATH } from "@care-gateway/shared";
import { Server, type Socket } from "socket.io";
import { hostChild } from "../lib/child-host.js";

type Ack = (reply: unknown) => void;

interface Publish {
  target: { unitId: string } | { unitIds: string[] } | { all: true };
  type: string;
  payload: unknown;
  id?: string;
}

const ignoreAck = () => undefined;
/** How long a broadcast with ack keeps its ack callbacks (the bench's own publish bound). */
const BROADCAST_ACK_TIMEOUT_MS = 10_000;

hostChild(async () => {
  const http = createServer();
  const io = new Server(http, { path: SOCKET_IO_PATH, transports: ["websocket"], serveClient: false });
  const unitsNamespace = io.of(Namespace.unit);
  const units = new Map<string, Socket>();
  let eventId = 0;
  let publishId = 0;
  const broadcastWithAck = process.env["BARE_BROADCAST_ACK"] === "1";

  unitsNamespace.on("connection", (socket) => {
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
    socket.on(EventName.PUBLISH, ({ target, type, payload, id = `bare-${++publishId}` }: Publish, ack: Ack) => {
      const event = { id: ++eventId, type, payload, ts: Date.now() };
      if ("all" in target) {
        if (broadcastWithAck) unitsNamespace.timeout(BROADCAST_ACK_TIMEOUT_MS).emit(EventName.EVENT, event, ignoreAck);
        else unitsNamespace.emit(EventName.EVENT, event);
        return ack({ ok: true, id, delivered: unitsNamespace.sockets.size, queued: 0 });
      }
      const unitIds = "unitId" in target ? [target.unitId] : target.unitIds;
      let delivered = 0;
      for (const unitId of unitIds) {
        const unit = units.get(unitId);
        if (!unit) continue;
        unit.emit(EventName.EVENT, event, ignoreAck);
        delivered++;
      }
      ack({ ok: true, id, delivered, queued: 0 });
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(Number(process.env["PORT"] ?? 0), "127.0.0.1", () => resolve());
  });
  return {
    port: (http.address() as AddressInfo).port,
    counts: () => ({ units: unitsNamespace.sockets.size }),
    stop: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
});
