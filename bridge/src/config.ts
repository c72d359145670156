/**
 * The bridge's configuration: read from the environment once, validated, frozen. A bad value stops
 * start-up with a ConfigError naming the variable. The token keys (JWT_SECRET, JWT_PUBLIC_KEY,
 * JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, ...) are read by the gateway's own `loadConfig`, so both
 * programs understand them identically (and share the development secret).
 */
import { hostname } from "node:os";
import { ConfigError, loadConfig, type JwtConfig } from "@care-gateway/server";
import Joi from "joi";

export type CallerAuth = "jwt" | "off";

/** Where the bridge's own /bridge token comes from. */
export type BridgeTokenSource =
  | { kind: "static"; token: string }
  /** Read again on every connect attempt, so a rotated token is picked up without a restart. */
  | { kind: "file"; path: string }
  /** Development only: minted with the HS256 secret on every connect attempt. */
  | { kind: "dev"; secret: string; sub: string };

export interface BridgeConfig {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  /** This bridge's name in logs and metrics. */
  instanceId: string;
  /** Base URL of the gateway (no namespace). */
  gatewayUrl: string;
  bridgeToken: BridgeTokenSource;
  /** `jwt`: callers need a Bearer token of role `api`; `off`: no caller authentication (trusted networks only). */
  callerAuth: CallerAuth;
  /** The token keys and checks, as the gateway reads them; undefined when nothing needs them (auth off, static token). */
  jwt?: JwtConfig;
  idempotency: { ttlMs: number; maxKeys: number };
  bodyLimitBytes: number;
  /** On stop, how long HTTP requests in flight may take before their gateway calls are abandoned (503 SHUTTING_DOWN). */
  shutdownGraceMs: number;
  /** Backoff of the /bridge socket's reconnects. */
  reconnect: { baseMs: number; maxMs: number };
  /** The SDK's local bound on a request that names no `timeoutMs` (the gateway's REQUEST_TIMEOUT_MAX_MS). */
  requestTimeoutMaxMs: number;
  log: { level: string; format: "json" | "pretty" };
  processMetrics: boolean;
}

/** The variables the gateway's loadConfig reads for the keys; nothing else of the environment is passed to it. */
const KEY_VARIABLES = [
  "NODE_ENV",
  "JWT_SECRET",
  "JWT_SECRET_PREVIOUS",
  "JWT_PUBLIC_KEY",
  "JWT_JWKS_URL",
  "JWKS_CACHE_S",
  "JWKS_MIN_REFETCH_S",
  "JWT_ISSUER",
  "JWT_AUDIENCE",
  "JWT_CLOCK_TOLERANCE_S",
] as const;

const envSchema = Joi.object({
  NODE_ENV: Joi.string().valid("development", "production", "test").default("development"),
  BRIDGE_PORT: Joi.number().integer().min(0).max(65535).default(3001),
  BRIDGE_HOST: Joi.string().default("0.0.0.0"),
  BRIDGE_ID: Joi.string().pattern(/^[A-Za-z0-9._-]{1,64}$/),
  GATEWAY_URL: Joi.string().uri({ scheme: ["http", "https", "ws", "wss"] }),
  BRIDGE_TOKEN: Joi.string().max(8192),
  BRIDGE_TOKEN_FILE: Joi.string(),
  BRIDGE_SUB: Joi.string().min(1).max(256).default("api-bridge"),
  BRIDGE_AUTH: Joi.string().valid("jwt", "off").default("jwt"),
  BRIDGE_IDEMPOTENCY_TTL_S: Joi.number().integer().min(1).max(7 * 24 * 3600).default(24 * 3600),
  BRIDGE_IDEMPOTENCY_MAX_KEYS: Joi.number().integer().min(1).max(1_000_000).default(10_000),
  BRIDGE_BODY_LIMIT_BYTES: Joi.number().integer().min(1024).max(16 * 1024 * 1024).default(256 * 1024),
  BRIDGE_SHUTDOWN_GRACE_MS: Joi.number().integer().min(0).max(120_000).default(10_000),
  BRIDGE_RECONNECT_BASE_MS: Joi.number().integer().min(1).max(60_000).default(200),
  BRIDGE_RECONNECT_MAX_MS: Joi.number().integer().min(1).max(300_000).default(5_000),
  BRIDGE_REQUEST_TIMEOUT_MAX_MS: Joi.number().integer().min(1).default(60_000),
  LOG_LEVEL: Joi.string().valid("error", "warn", "info", "http", "verbose", "debug", "silly").default("info"),
  LOG_FORMAT: Joi.string().valid("json", "pretty").default("json"),
  PROCESS_METRICS: Joi.boolean().truthy("1").falsy("0").default(true),
})
  .unknown(true)
  .prefs({ convert: true, abortEarly: false });

interface Env {
  NODE_ENV: BridgeConfig["env"];
  BRIDGE_PORT: number;
  BRIDGE_HOST: string;
  BRIDGE_ID?: string;
  GATEWAY_URL?: string;
  BRIDGE_TOKEN?: string;
  BRIDGE_TOKEN_FILE?: string;
  BRIDGE_SUB: string;
  BRIDGE_AUTH: CallerAuth;
  BRIDGE_IDEMPOTENCY_TTL_S: number;
  BRIDGE_IDEMPOTENCY_MAX_KEYS: number;
  BRIDGE_BODY_LIMIT_BYTES: number;
  BRIDGE_SHUTDOWN_GRACE_MS: number;
  BRIDGE_RECONNECT_BASE_MS: number;
  BRIDGE_RECONNECT_MAX_MS: number;
  BRIDGE_REQUEST_TIMEOUT_MAX_MS: number;
  LOG_LEVEL: string;
  LOG_FORMAT: BridgeConfig["log"]["format"];
  PROCESS_METRICS: boolean;
}

const DEV_GATEWAY_URL = "http://127.0.0.1:3000";

/** Parses `env` (the process environment by default). Throws ConfigError naming the variable at fault. */
export function loadBridgeConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): BridgeConfig {
  // An empty variable means unset, as for the gateway.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const { error, value } = envSchema.validate(present);
  if (error) {
    const first = error.details[0];
    throw new ConfigError(String(first?.path[0] ?? "environment"), first?.message.replace(/^"[^"]*" /, "") ?? error.message);
  }
  const v = value as Env;
  const production = v.NODE_ENV === "production";
  if (v.BRIDGE_TOKEN && v.BRIDGE_TOKEN_FILE) throw new ConfigError("BRIDGE_TOKEN_FILE", "set BRIDGE_TOKEN or BRIDGE_TOKEN_FILE, not both");
  if (!v.GATEWAY_URL && production) throw new ConfigError("GATEWAY_URL", "is required (the gateway's base URL, e.g. http://gateway:3000)");
  if (v.BRIDGE_RECONNECT_BASE_MS > v.BRIDGE_RECONNECT_MAX_MS) throw new ConfigError("BRIDGE_RECONNECT_BASE_MS", "must not exceed BRIDGE_RECONNECT_MAX_MS");

  const needsKeys = v.BRIDGE_AUTH === "jwt" || (!v.BRIDGE_TOKEN && !v.BRIDGE_TOKEN_FILE);
  const jwt = needsKeys ? loadConfig(pick(env, KEY_VARIABLES), cwd).jwt : undefined;
  const config: BridgeConfig = {
    env: v.NODE_ENV,
    port: v.BRIDGE_PORT,
    host: v.BRIDGE_HOST,
    instanceId: v.BRIDGE_ID ?? `bridge-${hostname().slice(0, 40)}-${process.pid}`,
    gatewayUrl: (v.GATEWAY_URL ?? DEV_GATEWAY_URL).replace(/\/+$/, ""),
    bridgeToken: tokenSource(v, jwt),
    callerAuth: v.BRIDGE_AUTH,
    ...(jwt ? { jwt } : {}),
    idempotency: { ttlMs: v.BRIDGE_IDEMPOTENCY_TTL_S * 1000, maxKeys: v.BRIDGE_IDEMPOTENCY_MAX_KEYS },
    bodyLimitBytes: v.BRIDGE_BODY_LIMIT_BYTES,
    shutdownGraceMs: v.BRIDGE_SHUTDOWN_GRACE_MS,
    reconnect: { baseMs: v.BRIDGE_RECONNECT_BASE_MS, maxMs: v.BRIDGE_RECONNECT_MAX_MS },
    requestTimeoutMaxMs: v.BRIDGE_REQUEST_TIMEOUT_MAX_MS,
    log: { level: v.LOG_LEVEL, format: v.LOG_FORMAT },
    processMetrics: v.PROCESS_METRICS,
  };
  return deepFreeze(config);
}

function tokenSource(v: Env, jwt: JwtConfig | undefined): BridgeTokenSource {
  if (v.BRIDGE_TOKEN) return { kind: "static", token: v.BRIDGE_TOKEN };
  if (v.BRIDGE_TOKEN_FILE) return { kind: "file", path: v.BRIDGE_TOKEN_FILE };
  if (v.NODE_ENV === "production") throw new ConfigError("BRIDGE_TOKEN", "is required in production (a /bridge token: npm run token -- --role bridge --sub api-bridge)");
  if (!jwt?.secret) throw new ConfigError("BRIDGE_TOKEN", "is required when no HS256 secret is configured to mint a development token with");
  return { kind: "dev", secret: jwt.secret, sub: v.BRIDGE_SUB };
}

function pick(env: NodeJS.ProcessEnv, names: readonly string[]): NodeJS.ProcessEnv {
  return Object.fromEntries(names.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]]])));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
