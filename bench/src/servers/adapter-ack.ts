/**
 * The cross-node baseline: one node of a bare Socket.IO cluster on `@socket.io/redis-adapter` (redis
 * v4 client), routing a bridge's request with Socket.IO's own broadcast-with-ack across nodes.
 * WebSocket only, no auth, no validation, no logging, no metrics. A unit names itself with
 * `auth.unitId` and joins room `unit:<id>`; the bridge's `request` is emitted to that room with
 * `.timeout(ms)` through the adapter (every node hears it, the unit's node delivers it, each node
 * reports its client count and the unit's ack comes back through Redis), and the unit's answer is
 * relayed back as it is.
 *
 * Environment (set by the bench): REDIS_URL, ADAPTER_KEY (channel prefix), ACK_TIMEOUT_MS,
 * ADAPTER_SPECIFIC_RESPONSE_CHANNEL ("1": the adapter's `publishOnSpecificResponseChannel`).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { EventName, Namespace, SOCKET_IO_PATH } from "@care-gateway/shared";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import { Server } from "socket.io";
import { hostChild } from "../lib/child-host.js";

type Ack = (reply: unknown) => void;

hostChild(async () => {
  const url = required("REDIS_URL");
  const ackTimeoutMs = Number(required("ACK_TIMEOUT_MS"));
  const pub = createClient({ url });
  const sub = pub.duplicate();
  // A client without an error listener would crash the process on a lost connection; the bench
  // sees the failures as errors in its results instead.
  for (const client of [pub, sub]) client.on("error", (error: Error) => process.stderr.write(`adapter-ack: redis: ${error.message}\n`));
  await Promise.all([pub.connect(), sub.connect()]);

  const http = createServer();
  const io = new Server(http, { path: SOCKET_IO_PATH, transports: ["websocket"], serveClient: false });
  io.adapter(
    createAdapter(pub, sub, {
      key: required("ADAPTER_KEY"),
      publishOnSpecificResponseChannel: process.env["ADAPTER_SPECIFIC_RESPONSE_CHANNEL"] === "1",
    }),
  );
  const units = io.of(Namespace.unit);

  units.on("connection", (socket) => {
    void socket.join(`unit:${String(socket.handshake.auth["unitId"])}`);
  });

  io.of(Namespace.bridge).on("connection", (socket) => {
    socket.on(EventName.REQUEST, (request: { unitId: string }, ack: Ack) => {
      units
        .to(`unit:${request.unitId}`)
        .timeout(ackTimeoutMs)
        .emit(EventName.REQUEST, request, (error: Error | null, responses: unknown[]) => {
          if (error) return ack({ ok: false, error: { code: "TIMEOUT", message: "no answer in time" } });
          if (responses.length === 0) return ack({ ok: false, error: { code: "UNIT_OFFLINE", message: "offline" } });
          ack(responses[0]);
        });
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (http.address() as AddressInfo).port,
    stop: async () => {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await Promise.all([pub, sub].map((client) => client.quit().catch(() => undefined)));
    },
  };
});

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
