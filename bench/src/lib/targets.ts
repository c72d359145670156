/**
 * The servers a scenario runs against, each in its own child process: the gateway and the bare
 * Socket.IO baseline. A target also knows how its clients authenticate.
 */
import { randomBytes } from "node:crypto";
import { EventName, Role, type Occupancy, type Reply } from "@care-gateway/shared";
import type { Socket } from "socket.io-client";
import { serverScript } from "./paths.js";
import { execArgvOption } from "./scenario-kit.js";
import { spawnServer, type ServerHandle } from "./spawn-server.js";
import { mintToken } from "./tokens.js";

export type TargetName = "bare" | "bare-ack" | "gateway";

/** How a target's child starts: node flags, a port to listen on (a restart: the port it had; default a free one), more environment. */
export interface TargetSpawnOptions {
  execArgv?: string[] | undefined;
  port?: number;
  env?: Record<string, string>;
}

export interface Target {
  readonly name: TargetName;
  readonly description: string;
  spawn(options?: TargetSpawnOptions): Promise<ServerHandle>;
  /** The handshake `auth` of a unit socket. */
  unitAuth(unitId: string): Record<string, unknown>;
  /** The handshake `auth` of the bridge socket. */
  bridgeAuth(): Record<string, unknown>;
  /**
   * Units the server counts online: the gateway's occupancy (`occupancy:get` on the bridge socket,
   * `totals.units`), the bare server's open /units sockets (its stats over IPC).
   */
  unitsOnline(server: ServerHandle, bridge: Socket): Promise<number>;
}

export function bareTarget(): Target {
  return {
    name: "bare",
    description: "bare Socket.IO relay (WebSocket only, no auth, no validation, no logging)",
    spawn: (options = {}) => spawnServer({ name: "bare relay", script: serverScript("bare-relay"), env: { ...portEnv(options), ...options.env }, ...execArgvOption(options.execArgv) }),
    unitAuth: (unitId) => ({ unitId }),
    bridgeAuth: () => ({}),
    unitsOnline: async (server) => (await server.stats()).counts?.["units"] ?? Number.NaN,
  };
}

/**
 * The bare relay with its `{ all: true }` publish sent as Socket.IO's own broadcast with an ack
 * (`io.of("/units").timeout(ms).emit("event", ..., ack)`: one encoding, one ack id, and every unit
 * acks), for fan-out: what acknowledged delivery costs Socket.IO itself, beside the plain broadcast.
 */
export function bareAckTarget(): Target {
  const bare = bareTarget();
  return {
    ...bare,
    name: "bare-ack",
    description: "bare Socket.IO relay, publish to all as a broadcast with ack (every unit acks)",
    spawn: (options = {}) => bare.spawn({ ...options, env: { BARE_BROADCAST_ACK: "1", ...options.env } }),
  };
}

export function gatewayTarget(): Target {
  const secret = randomBytes(32).toString("hex");
  return {
    name: "gateway",
    description: "care-gateway (createGateway, NODE_ENV=production, LOG_LEVEL=warn)",
    spawn: (options = {}) =>
      spawnServer({
        name: "gateway",
        script: serverScript("gateway-server"),
        env: { ...gatewayEnv(secret), ...portEnv(options), ...options.env },
        ...execArgvOption(options.execArgv),
      }),
    unitAuth: (unitId) => ({ token: mintToken(secret, unitId, Role.UNIT) }),
    bridgeAuth: () => ({ token: mintToken(secret, "bench-bridge", Role.BRIDGE) }),
    unitsOnline: (_server, bridge) => occupancyUnits(bridge),
  };
}

const OCCUPANCY_TIMEOUT_MS = 10_000;

/** `totals.units` of the gateway's occupancy, asked on a /bridge (or /admin) socket. */
export function occupancyUnits(socket: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.timeout(OCCUPANCY_TIMEOUT_MS).emit(EventName.OCCUPANCY_GET, {}, (error: Error | null, reply: Reply<Occupancy> | undefined) => {
      if (error) return reject(new Error(`occupancy:get: no answer within ${OCCUPANCY_TIMEOUT_MS} ms`));
      if (reply?.ok !== true || reply.data === undefined) return reject(new Error(`occupancy:get: ${reply?.ok === false ? reply.error.code : "malformed reply"}`));
      resolve(reply.data.totals.units);
    });
  });
}

/** Past any connection count the bench makes (20,000 units, reconnecting) within a minute. */
const BENCH_CONNECTIONS_PER_MIN = 1_000_000;
/** Past any rate one bridge socket reaches on this machine. */
const BENCH_BRIDGE_REQUESTS_PER_S = 1_000_000;

/**
 * The environment of every gateway the bench starts (cluster nodes add REDIS_URL and their NODE_ID).
 * Audit records (one per connection and per request, by design) go to AUDIT_LOG_FILE=/dev/null: the
 * gateway still formats and writes each one, as in production, but they do not flood the bench's output.
 * The bench's load all comes from one address and one bridge socket, so the per-address handshake
 * rate and the per-bridge-socket request rate are raised well past what it sends: a limit that
 * refused the load would measure the limit, not the gateway. Every other limit keeps its default.
 */
export function gatewayEnv(secret: string): Record<string, string> {
  return {
    NODE_ENV: "production",
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    AUDIT_LOG_FILE: "/dev/null",
    JWT_SECRET: secret,
    CONNECTIONS_PER_MIN_PER_IP: String(BENCH_CONNECTIONS_PER_MIN),
    BRIDGE_REQUESTS_PER_S: String(BENCH_BRIDGE_REQUESTS_PER_S),
  };
}

function portEnv(options: TargetSpawnOptions): Record<string, string> {
  return options.port !== undefined ? { PORT: String(options.port) } : {};
}

export function allTargets(): Target[] {
  return [bareTarget(), gatewayTarget()];
}
