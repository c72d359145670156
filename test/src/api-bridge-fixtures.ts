/**
 * The API Bridge for tests: `createBridgeApp` in-process on port 0 against a test gateway, its logs
 * in memory, its teardown registered; `api()` calls it over real HTTP (fetch) and returns status,
 * headers and the parsed body.
 */
import { createBridgeApp, loadBridgeConfig, type BridgeApp, type BridgeConfig, type BridgeDeps } from "@care-gateway/bridge";
import { createLogger } from "@care-gateway/server";
import { registerTeardown } from "./helpers/teardown.js";
import { MemoryLog, TEST_SECRET, type TestGateway } from "./helpers/test-gateway.js";
import { bridgeToken, token, type TokenClaims } from "./helpers/tokens.js";

export interface TestBridge {
  app: BridgeApp;
  config: BridgeConfig;
  url: string;
  port: number;
  log: MemoryLog;
}

/** Environment of a test bridge; `overrides` win. */
export function bridgeEnv(gatewayUrl: string, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: "test",
    BRIDGE_PORT: "0",
    BRIDGE_HOST: "127.0.0.1",
    GATEWAY_URL: gatewayUrl,
    BRIDGE_TOKEN: bridgeToken(),
    JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: "debug",
    PROCESS_METRICS: "0",
    BRIDGE_RECONNECT_BASE_MS: "5",
    BRIDGE_RECONNECT_MAX_MS: "50",
    BRIDGE_SHUTDOWN_GRACE_MS: "1000",
    ...overrides,
  };
}

export interface StartBridgeOptions {
  env?: Record<string, string>;
  deps?: BridgeDeps;
  /** Wait until the /bridge socket is connected (default true). */
  connected?: boolean;
}

export async function startBridge(gw: Pick<TestGateway, "url">, options: StartBridgeOptions = {}): Promise<TestBridge> {
  const config = loadBridgeConfig(bridgeEnv(gw.url, options.env));
  const log = new MemoryLog();
  const logger = createLogger({ level: config.log.level, format: "json", nodeId: config.instanceId, transports: [log] });
  const app = createBridgeApp(config, { logger, ...options.deps });
  const { port } = await app.start();
  registerTeardown(() => app.stop());
  if (options.connected !== false) await app.connected();
  return { app, config, url: `http://127.0.0.1:${port}`, port, log };
}

/** An API caller's token (role `api`). */
export function apiToken(sub = "api-gateway", claims: TokenClaims = {}): string {
  return token({ sub, role: "api", ...claims });
}

/** A parsed response body: its shape is what the assertions check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests assert on the shape
export type Json = any;

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: Json;
  text: string;
}

export interface ApiCall {
  body?: unknown;
  /** A token, `null` for none; default a valid api token. */
  token?: string | null;
  headers?: Record<string, string>;
  /** A raw body sent as is (with `headers` saying its type). */
  raw?: string;
}

/** One HTTP call to the bridge. */
export async function api(bridge: Pick<TestBridge, "url">, method: string, path: string, call: ApiCall = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...call.headers };
  const bearer = call.token === undefined ? apiToken() : call.token;
  if (bearer !== null) headers["authorization"] = `Bearer ${bearer}`;
  let body: string | undefined = call.raw;
  if (call.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body = JSON.stringify(call.body);
  }
  const res = await fetch(bridge.url + path, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export const SLOT = { patientRef: "p-9", start: "2026-01-05T09:00:00Z", end: "2026-01-05T09:30:00Z" };
export const APPOINTMENT_CREATED = { appointmentId: "a-1", patientRef: "p-9", start: "2026-01-05T09:00:00Z", end: "2026-01-05T09:30:00Z", status: "booked" };
