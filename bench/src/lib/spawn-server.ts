/**
 * Forks a compiled server script with an IPC channel, waits for its port, and keeps track of every
 * live child so that nothing outlives the bench (normal end, error, SIGINT or process exit).
 */
import { fork, type ChildProcess } from "node:child_process";
import type { ChildStats } from "./ipc.js";
import { isChildMessage, type ParentMessage } from "./ipc.js";

export interface SpawnOptions {
  /** A label for messages. */
  name: string;
  /** Absolute path of the compiled script. */
  script: string;
  /** The child's whole environment (PATH is added); the parent's is not inherited. */
  env: Record<string, string>;
  /** Node flags for the child, e.g. ["--cpu-prof"]. */
  execArgv?: string[];
  startTimeoutMs?: number;
}

export interface ServerHandle {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly pid: number;
  /** `gc`: the child collects garbage first (it must run with --expose-gc for that to do anything). */
  stats(options?: { gc?: boolean }): Promise<ChildStats>;
  /** SIGKILL, no drain (a crash); resolves once it has exited. */
  kill(): Promise<void>;
  /** Asks the child to stop, then kills it if it does not exit in time. */
  stop(): Promise<void>;
}

const STATS_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 8_000;

const live = new Set<ChildProcess>();

/** Kills every child still running (synchronous, safe in an "exit" handler). */
export function killAllServers(): void {
  for (const child of live) child.kill("SIGKILL");
  live.clear();
}

process.on("exit", killAllServers);

/**
 * Puts a child the bench started some other way (redis-server) under the same guard: killed by
 * `killAllServers()` on error, SIGINT or exit, forgotten once it has exited.
 */
export function trackChild(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  live.add(child);
  child.once("exit", () => live.delete(child));
}

export function spawnServer(options: SpawnOptions): Promise<ServerHandle> {
  const child = fork(options.script, [], {
    env: { PATH: process.env["PATH"] ?? "", ...options.env },
    execArgv: options.execArgv ?? [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  trackChild(child);
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
  });

  const send = (message: ParentMessage) => {
    if (child.connected) child.send(message);
  };

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    send({ type: "stop" });
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGKILL");
    await exited;
  };

  const stats = (request: { gc?: boolean } = {}) =>
    new Promise<ChildStats>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`${options.name}: no stats within ${STATS_TIMEOUT_MS} ms`)), STATS_TIMEOUT_MS);
      const onMessage = (message: unknown) => {
        if (isChildMessage(message) && message.type === "stats") done(undefined, message);
      };
      const done = (error?: Error, message?: { type: "stats" } & ChildStats) => {
        clearTimeout(timer);
        child.off("message", onMessage);
        if (error || !message) return reject(error ?? new Error("no stats"));
        const { type: _type, ...stats } = message;
        resolve(stats);
      };
      child.on("message", onMessage);
      send({ type: "stats", ...(request.gc ? { gc: true } : {}) });
    });

  return new Promise<ServerHandle>((resolve, reject) => {
    const fail = (error: Error) => {
      cleanup();
      child.kill("SIGKILL");
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`${options.name}: not ready within ${options.startTimeoutMs ?? 15_000} ms`)), options.startTimeoutMs ?? 15_000);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => fail(new Error(`${options.name}: exited before it was ready (code ${code}, signal ${signal})`));
    const onError = (error: Error) => fail(error);
    const onMessage = (message: unknown) => {
      if (!isChildMessage(message)) return;
      if (message.type === "failed") return fail(new Error(`${options.name}: ${message.message}`));
      if (message.type !== "ready") return;
      cleanup();
      resolve({
        name: options.name,
        port: message.port,
        url: `http://127.0.0.1:${message.port}`,
        pid: child.pid ?? -1,
        stats,
        kill,
        stop,
      });
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off("exit", onExit);
      child.off("error", onError);
      child.off("message", onMessage);
    };
    child.on("exit", onExit);
    child.on("error", onError);
    child.on("message", onMessage);
  });
}
