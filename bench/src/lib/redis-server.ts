/**
 * A private redis-server for one bench run: on a free port of 127.0.0.1, nothing persisted, and
 * killed by its own pid when the run ends (normally, on error, on SIGINT). The machine's shared
 * Redis (port 6379) is never touched.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import type { ChildStats } from "./ipc.js";
import { trackChild } from "./spawn-server.js";
import { processStats } from "./system-cpu.js";

export interface PrivateRedis {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** redis-server's version, from its start-up banner ("unknown" if it did not say). */
  readonly version: string;
  /** Its CPU time and memory, read from /proc (NaN off Linux). */
  stats(): Promise<ChildStats>;
  /** SIGTERM, then SIGKILL if it has not exited within a few seconds. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 3_000;
const START_ATTEMPTS = 3;

export async function startPrivateRedis(): Promise<PrivateRedis> {
  let lastError: unknown;
  // The port was free a moment before redis-server binds it; another process may take it meanwhile.
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    try {
      return await launch(await freePort());
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

function launch(port: number): Promise<PrivateRedis> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  trackChild(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    let output = "";
    let ready = false;
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`redis-server on port ${port}: not ready within ${START_TIMEOUT_MS} ms: ${output.trim()}`)), START_TIMEOUT_MS);
    // Keep draining stdout after start-up as well: a full pipe would block the server.
    child.stdout.on("data", (chunk: Buffer) => {
      if (ready) return;
      output += chunk.toString();
      if (!output.includes("Ready to accept connections")) return;
      ready = true;
      clearTimeout(timer);
      resolve(handle(child, port, versionIn(output), exited));
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (!ready) output += chunk.toString();
    });
    child.once("error", (error) => fail(new Error(`redis-server: ${error.message} (is it installed?)`)));
    child.once("exit", (code, signal) => {
      if (!ready) fail(new Error(`redis-server on port ${port} exited before it was ready (code ${code}, signal ${signal}): ${output.trim()}`));
    });
  });
}

function handle(child: ChildProcess, port: number, version: string, exited: Promise<void>): PrivateRedis {
  const pid = child.pid ?? -1;
  return {
    name: "redis",
    url: `redis://127.0.0.1:${port}`,
    port,
    pid,
    version,
    stats: () => Promise.resolve(processStats(pid)),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

function versionIn(banner: string): string {
  return /Redis version=(\S+?),/.exec(banner)?.[1] ?? /v=(\d+\.\d+\.\d+)/.exec(banner)?.[1] ?? "unknown";
}

/** A TCP port of 127.0.0.1 that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}
