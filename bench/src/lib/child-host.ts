/**
 * The child side of a server under test: starts it, reports its port to the parent over IPC,
 * answers stats requests, and stops on "stop", SIGTERM/SIGINT, or when the parent goes away.
 */
import type { ChildMessage } from "./ipc.js";
import { isParentMessage } from "./ipc.js";

export interface HostedServer {
  port: number;
  stop(): Promise<void>;
  /** Counts reported with the stats (open unit sockets, requests pending). */
  counts?(): Record<string, number>;
}

const HARD_EXIT_MS = 5_000;

export function hostChild(start: () => Promise<HostedServer>): void {
  if (!process.send) {
    process.stderr.write("this script is a bench server: run it through bench/dist/run.js (it needs an IPC channel)\n");
    process.exit(2);
  }
  const send = (message: ChildMessage) => {
    if (process.connected) process.send?.(message);
  };
  let server: HostedServer | undefined;
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(code), HARD_EXIT_MS).unref();
    (server ? server.stop() : Promise.resolve()).then(
      () => process.exit(code),
      () => process.exit(1),
    );
  };

  process.on("message", (message: unknown) => {
    if (!isParentMessage(message)) return;
    if (message.type === "stop") return stop(0);
    if (message.gc) (globalThis as { gc?: () => void }).gc?.();
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const counts = server?.counts?.();
    send({ type: "stats", userUs: cpu.user, systemUs: cpu.system, rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, ...(counts ? { counts } : {}) });
  });
  process.once("disconnect", () => stop(0));
  process.once("SIGTERM", () => stop(0));
  process.once("SIGINT", () => stop(0));

  start().then(
    (started) => {
      server = started;
      if (stopping) return void started.stop();
      send({ type: "ready", port: started.port });
    },
    (error: unknown) => {
      send({ type: "failed", message: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    },
  );
}
