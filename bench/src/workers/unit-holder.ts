/**
 * A load-generator child that opens and holds unit sockets, forked by lib/unit-holders.ts; it talks
 * over IPC only (lib/holder-protocol.ts). Two uses: idle socket.io-client sockets, so that one run can
 * hold more sockets than one process may have descriptors (RLIMIT_NOFILE), each child from its own
 * 127.0.0.x source address (connections); and receiving units that ack every event and record its
 * receipt time on the machine's monotonic clock, so that the fan-out's units are spread over several
 * processes as real units are over many machines (one unit's ack write does not delay another's receipt).
 */
import { performance } from "node:perf_hooks";
import { Namespace } from "@care-gateway/shared";
import { Arrivals } from "../lib/arrivals.js";
import { isHolderRequest, type HolderReply, type HolderRequest } from "../lib/holder-protocol.js";
import { LeanUnit } from "../lib/lean-unit.js";
import { monotonicMs } from "../lib/monotonic-clock.js";
import { CONNECT_TIMEOUT_MS, connectSocket, type Closable } from "../lib/sockets.js";

const units: Closable[] = [];
const arrivals = new Arrivals();
/** Per expected key: reports the receipts so far (on `forget`). */
const giveUps = new Map<string, () => void>();

const send = (message: HolderReply) => {
  if (process.connected) process.send?.(message);
};

const closeAll = () => {
  for (const unit of units) unit.disconnect();
  process.exit(0);
};

/** One unit of the kind asked: idle, or acking and recording every event. */
async function open(request: Extract<HolderRequest, { type: "connect" }>, auth: Record<string, unknown>): Promise<Closable> {
  const { url, localAddress, receive } = request;
  if (receive === "lean") {
    const unit = await LeanUnit.connect(url, Namespace.unit, auth, CONNECT_TIMEOUT_MS, localAddress);
    arrivals.attach(unit);
    return unit;
  }
  const socket = await connectSocket(url, Namespace.unit, auth, { localAddress });
  if (receive === "socket.io") arrivals.attach(socket);
  return socket;
}

function connectAll(request: Extract<HolderRequest, { type: "connect" }>): void {
  const { auths, parallelism } = request;
  const latenciesMs: number[] = [];
  const failures: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < auths.length) {
      const auth = auths[next++] ?? {};
      const started = performance.now();
      try {
        units.push(await open(request, auth));
        latenciesMs.push(performance.now() - started);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        failures[reason] = (failures[reason] ?? 0) + 1;
      }
    }
  };
  void Promise.all(Array.from({ length: Math.min(parallelism, auths.length) }, worker)).then(() => send({ type: "connected", latenciesMs, failures }));
}

function expect(key: string, count: number): void {
  const giveUp = arrivals.collect(key, count, (receipts) => {
    giveUps.delete(key);
    send({ type: "arrivals", key, ...receipts });
  });
  giveUps.set(key, giveUp);
  send({ type: "expecting", key });
}

function forget(key: string): void {
  giveUps.get(key)?.();
}

process.on("message", (message: unknown) => {
  if (!isHolderRequest(message)) return;
  if (message.type === "close") return closeAll();
  if (message.type === "clock") return send({ type: "clock", atMs: monotonicMs() });
  if (message.type === "expect") return expect(message.key, message.count);
  if (message.type === "forget") return forget(message.key);
  connectAll(message);
});
process.once("disconnect", closeAll);
send({ type: "ready" });
