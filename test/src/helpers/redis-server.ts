/**
 * A private redis-server on a free port for one test (never the machine's shared Redis), stoppable
 * and restartable on the same port to test outages. Nothing is persisted: a restart starts empty.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "./free-port.js";
import { registerTeardown } from "./teardown.js";

export interface TestRedis {
  url: string;
  port: number;
  /** Kills the server (SIGKILL: no goodbye to clients). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
}

function launch(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "notice"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let ready = false;
    // Keep reading after start-up too: a full pipe would block the server.
    child.stdout?.on("data", (chunk: Buffer) => {
      if (ready) return;
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        ready = true;
        resolve(child);
      }
    });
    child.stderr?.resume();
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
}

function kill(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port);
  const handle: TestRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await kill(child);
      child = undefined;
    },
    async restart() {
      await kill(child);
      child = await launch(port);
    },
  };
  registerTeardown(() => handle.stop());
  return handle;
}
