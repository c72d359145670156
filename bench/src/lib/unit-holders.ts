/**
 * Unit sockets held by load-generator children (workers/unit-holder.ts) instead of this process:
 * every process may hold only RLIMIT_NOFILE descriptors, and one source address only so many
 * ephemeral ports towards one server port. Child i connects from 127.0.0.(2 + i).
 */
import { fork, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { BENCH_DIST } from "./paths.js";
import { join } from "node:path";
import type { StatsSource } from "./cpu-meter.js";
import { trackChild } from "./spawn-server.js";
import { processStats } from "./system-cpu.js";

/** Sockets one holder child keeps at the most. */
export const SOCKETS_PER_HOLDER = 2_500;
const HOLDER_SCRIPT = join(BENCH_DIST, "workers", "unit-holder.js");
const START_TIMEOUT_MS = 15_000;

export type HolderRequest = { type: "connect"; url: string; auths: Record<string, unknown>[]; localAddress: string; parallelism: number } | { type: "close" };
export type HolderReply = { type: "ready" } | { type: "connected"; latenciesMs: number[]; failures: Record<string, number> };

export function isHolderRequest(value: unknown): value is HolderRequest {
  const type = typeof value === "object" && value !== null ? (value as { type?: unknown }).type : undefined;
  return type === "connect" || type === "close";
}

function isHolderReply(value: unknown): value is HolderReply {
  const type = typeof value === "object" && value !== null ? (value as { type?: unknown }).type : undefined;
  return type === "ready" || type === "connected";
}

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

export interface UnitHolders {
  /** The source address of each holder. */
  readonly sourceAddresses: readonly string[];
  /** The holders' CPU time (they are the load generator too). */
  readonly cpuSources: readonly StatsSource[];
  /** Connects one /units socket per `auths` entry, spread over the holders, `parallelism` handshakes at a time in each. */
  connect(url: string, auths: readonly Record<string, unknown>[], parallelism: number): Promise<HeldUnits>;
  /** Disconnects every socket and ends the holders. */
  close(): Promise<void>;
}

/** Starts enough holders for `sockets` sockets. */
export async function startUnitHolders(sockets: number): Promise<UnitHolders> {
  const count = Math.max(1, Math.ceil(sockets / SOCKETS_PER_HOLDER));
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
  return {
    sourceAddresses,
    cpuSources: holders.map((holder, index) => ({ name: `unit holder ${index + 1}`, stats: () => Promise.resolve(processStats(holder.pid ?? -1)) })),
    close,
    async connect(url, auths, parallelism) {
      const per = Math.ceil(auths.length / holders.length);
      const started = performance.now();
      const replies = await Promise.all(
        holders.map((holder, index) => {
          const reply = nextReply(holder, "connected");
          const request: HolderRequest = { type: "connect", url, auths: auths.slice(index * per, (index + 1) * per), localAddress: sourceAddresses[index] ?? "127.0.0.1", parallelism };
          holder.send(request);
          return reply;
        }),
      );
      const elapsedMs = performance.now() - started;
      const failures: Record<string, number> = {};
      const latenciesMs: number[] = [];
      for (const reply of replies) {
        if (reply.type !== "connected") continue;
        latenciesMs.push(...reply.latenciesMs);
        for (const [reason, n] of Object.entries(reply.failures)) failures[reason] = (failures[reason] ?? 0) + n;
      }
      return { connected: latenciesMs.length, latenciesMs, failures, elapsedMs };
    },
  };
}

async function startHolder(): Promise<ChildProcess> {
  const child = fork(HOLDER_SCRIPT, [], { stdio: ["ignore", "inherit", "inherit", "ipc"], env: { PATH: process.env["PATH"] ?? "" } });
  trackChild(child);
  await nextReply(child, "ready", START_TIMEOUT_MS);
  return child;
}

/** The child's next reply of `type`; rejects if it exits first or (with a timeout) takes longer. */
function nextReply(child: ChildProcess, type: HolderReply["type"], timeoutMs?: number): Promise<HolderReply> {
  return new Promise((resolve, reject) => {
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => fail(new Error(`unit holder: no ${type} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: unknown) => {
      if (!isHolderReply(message) || message.type !== type) return;
      cleanup();
      resolve(message);
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
