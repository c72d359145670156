/** Reads the environment once, validates it and returns a frozen GatewayConfig. */
import { hostname, networkInterfaces } from "node:os";
import Joi from "joi";
import { devSecretPath, loadOrCreateDevSecret } from "./dev-secret.js";
import type { GatewayConfig, JwtConfig } from "./gateway-config.js";
import { ConfigError, algorithmsForPublicKey } from "./key-algorithms.js";

const MIN_SECRET_LENGTH = 32;

const envSchema = Joi.object({
  NODE_ENV: Joi.string().valid("development", "production", "test").default("development"),
  PORT: Joi.number().integer().min(0).max(65535).default(3000),
  HOST: Joi.string().default("0.0.0.0"),
  NODE_ID: Joi.string().pattern(/^[A-Za-z0-9._-]{1,64}$/),
  JWT_SECRET: Joi.string().min(MIN_SECRET_LENGTH).messages({
    "string.min": `must be at least ${MIN_SECRET_LENGTH} characters (use 32 random bytes or more)`,
  }),
  JWT_PUBLIC_KEY: Joi.string().pattern(/^(\s*-----BEGIN PUBLIC KEY-----[^-]+-----END PUBLIC KEY-----\s*)+$/).messages({
    "string.pattern.base": "must be a PEM public key (-----BEGIN PUBLIC KEY-----)",
  }),
  JWT_SECRET_PREVIOUS: Joi.string().min(MIN_SECRET_LENGTH),
  JWT_JWKS_URL: Joi.string().uri({ scheme: ["https", "http"] }),
  JWKS_CACHE_S: Joi.number().integer().min(10).default(600),
  JWKS_MIN_REFETCH_S: Joi.number().integer().min(1).default(30),
  JWT_ISSUER: Joi.string().max(512),
  JWT_AUDIENCE: Joi.string().max(512),
  JWT_CLOCK_TOLERANCE_S: Joi.number().integer().min(0).max(300).default(5),
  REQUEST_TIMEOUT_MS: Joi.number().integer().min(1).default(10_000),
  REQUEST_TIMEOUT_MAX_MS: Joi.number().integer().min(1).default(60_000),
  LOG_LEVEL: Joi.string().valid("error", "warn", "info", "http", "verbose", "debug", "silly").default("info"),
  LOG_FORMAT: Joi.string().valid("json", "pretty").default("json"),
  REDIS_URL: Joi.string().uri({ scheme: ["redis", "rediss"] }),
  REDIS_PREFIX: Joi.string().pattern(/^[A-Za-z0-9:_-]{1,32}$/).default("cg:"),
  PRESENCE_LEASE_MS: Joi.number().integer().min(1000).max(300_000).default(15_000),
  NODE_LINKS: Joi.boolean().truthy("on", "1").falsy("off", "0").default(true),
  NODE_LINK_HOST: Joi.string().hostname(),
  NODE_LINK_PORT: Joi.number().integer().min(0).max(65535).default(0),
  MAX_MESSAGE_BYTES: Joi.number().integer().min(1024).max(16 * 1024 * 1024).default(256 * 1024),
  OCCUPANCY_MIN_INTERVAL_MS: Joi.number().integer().min(50).default(1000),
  OCCUPANCY_INTERVAL_MS: Joi.number().integer().min(100).default(5000),
  OUTBOX_MAX_EVENTS: Joi.number().integer().min(1).default(1000),
  OUTBOX_MAX_AGE_S: Joi.number().integer().min(1).default(7 * 24 * 3600),
  PROCESS_METRICS: Joi.boolean().truthy("1").falsy("0").default(true),
  WRITE_COALESCING: Joi.string().valid("off", "bridge", "all").default("bridge"),
  ALLOWED_ORIGINS: Joi.string().default(""),
  CONNECT_TIMEOUT_MS: Joi.number().integer().min(500).max(60_000).default(5000),
  LISTEN_BACKLOG: Joi.number().integer().min(1).max(65_535).default(4096),
  PORTAL_REQUESTS_PER_S: Joi.number().integer().min(1).default(20),
  PORTAL_MAX_IN_FLIGHT: Joi.number().integer().min(1).default(20),
  BRIDGE_REQUESTS_PER_S: Joi.number().integer().min(1).default(20_000),
  BRIDGE_MAX_IN_FLIGHT: Joi.number().integer().min(1).default(5000),
  UNIT_EVENTS_PER_S: Joi.number().integer().min(1).default(50),
  CONNECTIONS_PER_MIN_PER_IP: Joi.number().integer().min(1).default(600),
  AUTH_EXPIRING_NOTICE_S: Joi.number().integer().min(1).max(3600).default(60),
  REVOCATION_TTL_S: Joi.number().integer().min(60).default(24 * 3600),
  SHUTDOWN_GRACE_MS: Joi.number().integer().min(0).max(120_000).default(10_000),
  DRAIN_SPREAD_MS: Joi.number().integer().min(0).max(60_000).default(2000),
  METRICS_PORT: Joi.number().integer().min(0).max(65535),
  AUDIT_LOG_FILE: Joi.string(),
})
  .unknown(true)
  .prefs({ convert: true, abortEarly: false });

interface Env {
  NODE_ENV: GatewayConfig["env"];
  PORT: number;
  HOST: string;
  NODE_ID?: string;
  JWT_SECRET?: string;
  JWT_PUBLIC_KEY?: string;
  JWT_SECRET_PREVIOUS?: string;
  JWT_JWKS_URL?: string;
  JWKS_CACHE_S: number;
  JWKS_MIN_REFETCH_S: number;
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
  JWT_CLOCK_TOLERANCE_S: number;
  REQUEST_TIMEOUT_MS: number;
  REQUEST_TIMEOUT_MAX_MS: number;
  LOG_LEVEL: string;
  LOG_FORMAT: GatewayConfig["log"]["format"];
  REDIS_URL?: string;
  REDIS_PREFIX: string;
  PRESENCE_LEASE_MS: number;
  NODE_LINKS: boolean;
  NODE_LINK_HOST?: string;
  NODE_LINK_PORT: number;
  MAX_MESSAGE_BYTES: number;
  OCCUPANCY_MIN_INTERVAL_MS: number;
  OCCUPANCY_INTERVAL_MS: number;
  OUTBOX_MAX_EVENTS: number;
  OUTBOX_MAX_AGE_S: number;
  PROCESS_METRICS: boolean;
  WRITE_COALESCING: GatewayConfig["writeCoalescing"];
  ALLOWED_ORIGINS: string;
  CONNECT_TIMEOUT_MS: number;
  LISTEN_BACKLOG: number;
  PORTAL_REQUESTS_PER_S: number;
  PORTAL_MAX_IN_FLIGHT: number;
  BRIDGE_REQUESTS_PER_S: number;
  BRIDGE_MAX_IN_FLIGHT: number;
  UNIT_EVENTS_PER_S: number;
  CONNECTIONS_PER_MIN_PER_IP: number;
  AUTH_EXPIRING_NOTICE_S: number;
  REVOCATION_TTL_S: number;
  SHUTDOWN_GRACE_MS: number;
  DRAIN_SPREAD_MS: number;
  METRICS_PORT?: number;
  AUDIT_LOG_FILE?: string;
}

/** Parses `env` (the process environment by default). Throws ConfigError naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): GatewayConfig {
  // An empty variable (`JWT_SECRET=`) means unset, as shells and orchestrators often write it.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const { error, value } = envSchema.validate(present);
  if (error) {
    const first = error.details[0];
    const variable = String(first?.path[0] ?? "environment");
    throw new ConfigError(variable, first?.message.replace(/^"[^"]*" /, "") ?? error.message);
  }
  const v = value as Env;
  const requestTimeoutMs = v.REQUEST_TIMEOUT_MS;
  const requestTimeoutMaxMs = v.REQUEST_TIMEOUT_MAX_MS;
  if (requestTimeoutMs > requestTimeoutMaxMs) {
    throw new ConfigError("REQUEST_TIMEOUT_MS", `(${requestTimeoutMs}) must not exceed REQUEST_TIMEOUT_MAX_MS (${requestTimeoutMaxMs})`);
  }
  const occupancyMin = v.OCCUPANCY_MIN_INTERVAL_MS;
  const occupancyEvery = v.OCCUPANCY_INTERVAL_MS;
  if (occupancyMin > occupancyEvery) {
    throw new ConfigError("OCCUPANCY_MIN_INTERVAL_MS", "must not exceed OCCUPANCY_INTERVAL_MS");
  }
  const nodeEnv = v.NODE_ENV;
  const config: GatewayConfig = {
    env: nodeEnv,
    port: v.PORT,
    host: v.HOST,
    nodeId: v.NODE_ID ?? `${hostname().slice(0, 40)}-${process.pid}`,
    jwt: readJwtConfig(v, nodeEnv, cwd),
    requestTimeoutMs,
    requestTimeoutMaxMs,
    log: { level: v.LOG_LEVEL, format: v.LOG_FORMAT },
    ...(v.REDIS_URL ? { redisUrl: v.REDIS_URL } : {}),
    redisPrefix: v.REDIS_PREFIX,
    presenceLeaseMs: v.PRESENCE_LEASE_MS,
    ...(v.NODE_LINKS ? { nodeLinks: { host: v.NODE_LINK_HOST ?? linkHost(v.HOST), port: v.NODE_LINK_PORT } } : {}),
    maxMessageBytes: v.MAX_MESSAGE_BYTES,
    occupancyMinIntervalMs: occupancyMin,
    occupancyIntervalMs: occupancyEvery,
    outbox: { maxEvents: v.OUTBOX_MAX_EVENTS, maxAgeS: v.OUTBOX_MAX_AGE_S },
    processMetrics: v.PROCESS_METRICS,
    writeCoalescing: v.WRITE_COALESCING,
    allowedOrigins: parseOrigins(v.ALLOWED_ORIGINS),
    connectTimeoutMs: v.CONNECT_TIMEOUT_MS,
    listenBacklog: v.LISTEN_BACKLOG,
    limits: {
      portal: { ratePerS: v.PORTAL_REQUESTS_PER_S, maxInFlight: v.PORTAL_MAX_IN_FLIGHT },
      bridge: { ratePerS: v.BRIDGE_REQUESTS_PER_S, maxInFlight: v.BRIDGE_MAX_IN_FLIGHT },
      unitEventsPerS: v.UNIT_EVENTS_PER_S,
      connectionsPerMinPerIp: v.CONNECTIONS_PER_MIN_PER_IP,
    },
    authExpiringNoticeS: v.AUTH_EXPIRING_NOTICE_S,
    revocationTtlS: v.REVOCATION_TTL_S,
    shutdownGraceMs: v.SHUTDOWN_GRACE_MS,
    drainSpreadMs: v.DRAIN_SPREAD_MS,
    ...(v.METRICS_PORT !== undefined ? { metricsPort: v.METRICS_PORT } : {}),
    ...(v.AUDIT_LOG_FILE ? { auditLogFile: v.AUDIT_LOG_FILE } : {}),
  };
  return deepFreeze(config);
}

/**
 * The address other nodes reach this one's link listener at, unless NODE_LINK_HOST says: the
 * gateway's own HOST when it names one interface, else this machine's first external IPv4 address
 * (loopback when it has none).
 */
function linkHost(host: string): string {
  if (host !== "0.0.0.0" && host !== "::" && host !== "") return host;
  for (const addresses of Object.values(networkInterfaces())) {
    const external = addresses?.find((address) => address.family === "IPv4" && !address.internal);
    if (external) return external.address;
  }
  return "127.0.0.1";
}

function readJwtConfig(v: Env, nodeEnv: GatewayConfig["env"], cwd: string): JwtConfig {
  const secret = v.JWT_SECRET;
  if (v.JWT_SECRET_PREVIOUS && !secret) throw new ConfigError("JWT_SECRET_PREVIOUS", "needs JWT_SECRET (the new secret) beside it");
  const pems = (v.JWT_PUBLIC_KEY?.replace(/\\n/g, "\n").match(/-----BEGIN PUBLIC KEY-----[^-]+-----END PUBLIC KEY-----/g) ?? []).map((pem) => pem.trim());
  const publicKeys = pems.map((pem) => ({ pem, algorithms: algorithmsForPublicKey(pem) }));
  const common = {
    ...(v.JWT_ISSUER ? { issuer: v.JWT_ISSUER } : {}),
    ...(v.JWT_AUDIENCE ? { audience: v.JWT_AUDIENCE } : {}),
    clockToleranceS: v.JWT_CLOCK_TOLERANCE_S,
    publicKeys,
    publicKeyAlgorithms: [...new Set(publicKeys.flatMap((k) => k.algorithms))],
    ...(v.JWT_JWKS_URL ? { jwks: { url: v.JWT_JWKS_URL, cacheS: v.JWKS_CACHE_S, minRefetchS: v.JWKS_MIN_REFETCH_S } } : {}),
  };
  const sources = [secret ? "JWT_SECRET" : "", v.JWT_SECRET_PREVIOUS ? "JWT_SECRET_PREVIOUS" : "", pems.length > 0 ? `JWT_PUBLIC_KEY (${pems.length})` : "", v.JWT_JWKS_URL ? "JWT_JWKS_URL" : ""].filter(Boolean);
  if (sources.length > 0) {
    return {
      ...common,
      ...(secret ? { secret } : {}),
      ...(v.JWT_SECRET_PREVIOUS ? { previousSecret: v.JWT_SECRET_PREVIOUS } : {}),
      secretAlgorithms: secret ? ["HS256"] : [],
      source: sources.join(" + "),
    };
  }
  if (nodeEnv === "production") {
    throw new ConfigError("JWT_SECRET", "no token key is configured: set JWT_SECRET (HS256), JWT_PUBLIC_KEY or JWT_JWKS_URL (RS256/ES256); NODE_ENV=production never generates one");
  }
  const file = devSecretPath(cwd);
  return {
    ...common,
    secret: loadOrCreateDevSecret(file),
    secretAlgorithms: ["HS256"],
    source: "development secret",
    devSecretFile: file,
  };
}

/** `https://a.example, https://b.example:8443` → exact origins; each must be scheme://host[:port]. */
function parseOrigins(list: string): string[] {
  const origins = list.split(",").map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new ConfigError("ALLOWED_ORIGINS", `${origin} is not an origin (scheme://host[:port])`);
    }
    if (parsed.origin !== origin) throw new ConfigError("ALLOWED_ORIGINS", `${origin} is not an origin: write it as ${parsed.origin}`);
  }
  return origins;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
