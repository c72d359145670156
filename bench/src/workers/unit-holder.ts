/**
 * A load-generator child that opens and holds idle unit sockets, so that one run can hold more
 * sockets than one process may have descriptors (RLIMIT_NOFILE), each child from its own 127.0.0.x
 * source address. Forked by lib/unit-holders.ts; it talks over IPC only:
 *
 * - parent → `{ type: "connect", url, auths, localAddress, parallelism }`: connects one /units socket
 *   per `auths` entry, `parallelism` handshakes at a time, and answers `connected` with each
 *   handshake's time and the failures by message;
 * - parent → `{ type: "close" }`, or the parent gone: disconnects them all and exits.
 */
import { performance } from "node:perf_hooks";
import { Namespace } from "@care-gateway/shared";
import type { Socket } from "socket.io-client";
import { connectSocket } from "../lib/sockets.js";
import { isHolderRequest, type HolderReply } from "../lib/unit-holders.js";

const sockets: Socket[] = [];

const send = (message: HolderReply) => {
  if (process.connected) process.send?.(message);
};

const closeAll = () => {
  for (const socket of sockets) socket.disconnect();
  process.exit(0);
};

process.on("message", (message: unknown) => {
  if (!isHolderRequest(message)) return;
  if (message.type === "close") return closeAll();
  const { url, auths, localAddress, parallelism } = message;
  const latenciesMs: number[] = [];
  const failures: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < auths.length) {
      const auth = auths[next++] ?? {};
      const started = performance.now();
      try {
        sockets.push(await connectSocket(url, Namespace.unit, auth, { localAddress }));
        latenciesMs.push(performance.now() - started);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        failures[reason] = (failures[reason] ?? 0) + 1;
      }
    }
  };
  void Promise.all(Array.from({ length: Math.min(parallelism, auths.length) }, worker)).then(() => send({ type: "connected", latenciesMs, failures }));
});
process.once("disconnect", closeAll);
send({ type: "ready" });
