/**
 * A gateway in a process of its own (`server/dist/main.js`), as in production: for cluster tests
 * that need several nodes, SIGKILL, and real process boundaries. Its JSON log lines are kept.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { registerTeardown } from "./teardown.js";
import { testEnv } from "./test-gateway.js";

const MAIN = fileURLToPath(new URL("../../../server/dist/main.js", import.meta.url));

export interface GatewayProcess {
  nodeId: string;
  url: string;
  child: ChildProcess;
  logs: Record<string, unknown>[];
  /** SIGKILL: the node dies without a word to anyone. */
  kill(): Promise<void>;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Resolves with the exit code once the process has exited (sends nothing). */
  exited: Promise<number | null>;
  /** Resolves when a log line matches. */
  waitForLog(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

export async function startGatewayProcess(nodeId: string, env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [MAIN], {
    // At least info: the helper waits for the "gateway started" line.
    env: { ...process.env, ...testEnv({ NODE_ID: nodeId, ...env, LOG_LEVEL: env["LOG_LEVEL"] === "debug" ? "debug" : "info" }) } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  const watchers: { match: (line: Record<string, unknown>) => boolean; resolve: (line: Record<string, unknown>) => void }[] = [];
  let buffered = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const text = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (!text.startsWith("{")) continue;
      const line = JSON.parse(text) as Record<string, unknown>;
      logs.push(line);
      for (const watcher of [...watchers]) {
        if (watcher.match(line)) {
          watchers.splice(watchers.indexOf(watcher), 1);
          watcher.resolve(line);
        }
      }
    }
  });
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const waitForLog = (match: (line: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const found = logs.find(match);
      if (found) return resolve(found);
      watchers.push({ match, resolve });
      void exited.then((code) => reject(new Error(`gateway ${nodeId} exited (${code}) ${stderr}`)));
    });
  const alive = () => child.exitCode === null && child.signalCode === null;
  const handle: GatewayProcess = {
    nodeId,
    url: "",
    child,
    logs,
    waitForLog,
    exited,
    async kill() {
      if (alive()) child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (alive()) child.kill("SIGTERM");
      return exited;
    },
  };
  registerTeardown(() => handle.kill());
  const started = await waitForLog((line) => line["message"] === "gateway started");
  handle.url = `http://127.0.0.1:${String(started["port"])}`;
  return handle;
}
