/**
 * Unit sockets held by load-generator children (workers/unit-holder.ts) instead of this process:
 * every process may hold only RLIMIT_NOFILE descriptors, and one source address only so many
 * ephemeral ports towards one server port; and one process's units receive one after the other,
 * where real units are separate machines. Child i connects from 127.0.0.(2 + i).
 */
import { fork, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { join } from "node:path";
import type { UnitClientKind } from "../scenarios/scenario.js";
import type { StatsSource } from "./cpu-meter.js";
import { isHolderReply, type HolderReply, type HolderRequest } from "./holder-protocol.js";
import { monotonicMs } from "./monotonic-clock.js";
import { BENCH_DIST } from "./paths.js";
import { trackChild } from "./spawn-server.js";
import { processStats } from "./system-cpu.js";

/** Sockets one holder child keeps at the most when the caller does not say how many holders. */
export const SOCKETS_PER_HOLDER = 2_500;
const HOLDER_SCRIPT = join(BENCH_DIST, "workers", "unit-holder.js");
const START_TIMEOUT_MS = 15_000;

export interface HeldUnits {
  /** Sockets connected. */
  connected: number;
  /** Each successful handshake's time, ms (all holders). */
  latenciesMs: number[];
  /** Failed handshakes by message. */
  failures: Record<string, number>;
  /** From the first connect request to the last holder's answer, ms. */
  elapsedMs: number;
}

/** One holder's receipts of an expected event (see HolderReply `arrivals`). */
export type HolderArrivals = Omit<Extract<HolderReply, { type: "arrivals" }>, "type" | "key">;

export interface HeldExpectation {
  /** Each holder's receipts once all its units have the event. */
  readonly arrived: Promise<HolderArrivals[]>;
  /** Stops waiting: each holder's receipts so far (or all, if it had them all). */
  forget(): Promise<HolderArrivals[]>;
}

export interface UnitHolders {
  /** The source address of each holder. */
  readonly sourceAddresses: readonly string[];
  /** The holders' CPU time (they are the load generator too). */
  readonly cpuSources: readonly StatsSource[];
  /**
   * Connects one /units socket per `auths` entry, spread evenly over the holders, `parallelism`
   * handshakes at a time in each; `receive`: units of that kind that ack and record every event.
   */
  connect(url: string, auths: readonly Record<string, unknown>[], parallelism: number, receive?: UnitClientKind): Promise<HeldUnits>;
  /** Every holder with units starts recording the event `key`; resolves once they all are (emit it then). */
  expect(key: string): Promise<HeldExpectation>;
  /** Disconnects every socket and ends the holders. */
  close(): Promise<void>;
}

/** Starts `processes` holders, by default enough for `sockets` sockets (SOCKETS_PER_HOLDER each). */
export async function startUnitHolders(sockets: number, processes = Math.ceil(sockets / SOCKETS_PER_HOLDER)): Promise<UnitHolders> {
  const count = Math.max(1, Math.min(processes, sockets));
  const settled = await Promise.allSettled(Array.from({ length: count }, () => startHolder()));
  const holders = settled.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
  const close = async () => {
    await Promise.all(holders.map((holder) => closeHolder(holder)));
  };
  const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
  if (failed) {
    await close();
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }
  const sourceAddresses = holders.map((_, index) => `127.0.0.${2 + index}`);
  /** Units each holder holds. */
  const held = holders.map(() => 0);
  return {
    sourceAddresses,
    cpuSources: holders.map((holder, index) => ({ name: `unit holder ${index + 1}`, stats: () => Promise.resolve(processStats(holder.pid ?? -1)) })),
    close,
    async connect(url, auths, parallelism, receive) {
      const per = Math.ceil(auths.length / holders.length);
      const started = performance.now();
      const replies = await Promise.all(
        holders.map((holder, index) => {
          const reply = nextReply(holder, "connected");
          const request: HolderRequest = {
            type: "connect",
            url,
            auths: auths.slice(index * per, (index + 1) * per),
            localAddress: sourceAddresses[index] ?? "127.0.0.1",
            parallelism,
            ...(receive !== undefined ? { receive } : {}),
          };
          holder.send(request);
          return reply;
        }),
      );
      const elapsedMs = performance.now() - started;
      const failures: Record<string, number> = {};
      const latenciesMs: number[] = [];
      replies.forEach((reply, index) => {
        held[index] = (held[index] ?? 0) + reply.latenciesMs.length;
        latenciesMs.push(...reply.latenciesMs);
        for (const [reason, n] of Object.entries(reply.failures)) failures[reason] = (failures[reason] ?? 0) + n;
      });
      return { connected: latenciesMs.length, latenciesMs, failures, elapsedMs };
    },
    async expect(key) {
      const receiving = holders.filter((_, index) => (held[index] ?? 0) > 0);
      const counts = held.filter((n) => n > 0);
      const ready = receiving.map((holder) => nextReply(holder, "expecting", key));
      const arrivals = receiving.map((holder) => nextReply(holder, "arrivals", key).then(({ atMs, busy, cpu, complete }) => ({ atMs, busy, cpu, complete })));
      const arrived = Promise.all(arrivals);
      // Awaited later, or not at all if the caller gives up first: a holder's exit must not be an unhandled rejection meanwhile.
      arrived.catch(() => undefined);
      receiving.forEach((holder, index) => holder.send({ type: "expect", key, count: counts[index] ?? 0 } satisfies HolderRequest));
      await Promise.all(ready);
      return {
        arrived,
        forget() {
          for (const holder of receiving) if (holder.connected) holder.send({ type: "forget", key } satisfies HolderRequest);
          return arrived;
        },
      };
    },
  };
}

async function startHolder(): Promise<ChildProcess> {
  const child = fork(HOLDER_SCRIPT, [], { stdio: ["ignore", "inherit", "inherit", "ipc"], env: { PATH: process.env["PATH"] ?? "" } });
  trackChild(child);
  try {
    await nextReply(child, "ready", undefined, START_TIMEOUT_MS);
    await checkClock(child);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return child;
}

/**
 * The child's receipt times are subtracted from this process's emit time: its monotonicMs() must
 * be this process's clock, so it must fall between the request and the answer.
 */
async function checkClock(child: ChildProcess): Promise<void> {
  const before = monotonicMs();
  const reply = nextReply(child, "clock", undefined, START_TIMEOUT_MS);
  child.send({ type: "clock" } satisfies HolderRequest);
  const { atMs } = await reply;
  const after = monotonicMs();
  if (!(atMs >= before && atMs <= after)) throw new Error(`unit holder: its clock read ${atMs} ms, outside this process's ${before}..${after} ms: the clocks are not comparable`);
}

/** The child's next reply of `type` (for `key` if given); rejects if it exits first or (with a timeout) takes longer. */
function nextReply<T extends HolderReply["type"]>(child: ChildProcess, type: T, key?: string, timeoutMs?: number): Promise<Extract<HolderReply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => fail(new Error(`unit holder: no ${type} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: unknown) => {
      if (!isHolderReply(message) || message.type !== type) return;
      if (key !== undefined && (!("key" in message) || message.key !== key)) return;
      cleanup();
      resolve(message as Extract<HolderReply, { type: T }>);
    };
    const onExit = (code: number | null) => fail(new Error(`unit holder exited (code ${code}) before ${type}`));
    const fail = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

function closeHolder(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send({ type: "close" } satisfies HolderRequest);
    else child.kill("SIGKILL");
  });
}
