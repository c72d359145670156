/**
 * Scenario "api-bridge": N units answer `unit.ping` on one gateway. The same closed loop of C
 * requests, each to the next unit in turn, is sent two ways in the same run, against the same
 * gateway and units:
 *
 * - direct: on a /bridge socket (socket.io-client), as the relay scenario does;
 * - API Bridge: as HTTP `POST /v1/units/{unitId}/requests` to the API Bridge (its own process, caller
 *   authentication on: an `api` Bearer token on every request), over keep-alive connections (one
 *   connection per outstanding request, no pipelining), which sends it on its /bridge socket. The
 *   client is the bench's own lean one (lib/http-keepalive.ts, requests encoded once per unit, as
 *   autocannon does): on a 2-core machine the load generator shares the CPU with both servers, and
 *   undici's Pool cost 15-35 µs more CPU a request (node:http's client about three times undici's).
 *
 * Target: the API Bridge's throughput ≥ 0.6x the direct socket's. Server CPU counts the gateway for
 * the direct run and the gateway plus the bridge for the HTTP run.
 */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Namespace, Role } from "@care-gateway/shared";
import jwt from "jsonwebtoken";
import type { Socket } from "socket.io-client";
import { BenchOutcome } from "../lib/bench-outcomes.js";
import type { Operation } from "../lib/closed-loop.js";
import { compare } from "../lib/compare.js";
import type { StatsSource } from "../lib/cpu-meter.js";
import { KeepAlivePool } from "../lib/http-keepalive.js";
import { measureLoad } from "../lib/load-run.js";
import { packageVersion } from "../lib/machine.js";
import { serverScript } from "../lib/paths.js";
import { runPingLoad } from "../lib/ping.js";
import { childExecArgv, execArgvOption, runRounds, scenarioParams, scenarioResult } from "../lib/scenario-kit.js";
import { closeAll, connectSocket } from "../lib/sockets.js";
import { spawnServer, type ServerHandle } from "../lib/spawn-server.js";
import { gatewayEnv } from "../lib/targets.js";
import { mintToken } from "../lib/tokens.js";
import { benchUnitIds, connectUnits } from "../lib/units.js";
import type { Scenario, ScenarioParams, ScenarioResult, ServerRun } from "./scenario.js";

export const API_BRIDGE_TARGET_RATIO = 0.6;

/** The two runs, by the name they carry in the results. */
export const ApiBridgeRun = {
  direct: "direct /bridge socket",
  http: "HTTP via API Bridge",
} as const;

const BRIDGE_SERVER_SCRIPT = fileURLToPath(new URL("./api-bridge-server.js", import.meta.url));
const PING_BODY = JSON.stringify({ type: "unit.ping", payload: {} });

export const apiBridgeScenario: Scenario = {
  name: "api-bridge",
  description: "unit.ping at fixed concurrency as HTTP requests through the API Bridge vs the same requests on a /bridge socket, same gateway and units",
  run: runApiBridge,
};

export async function runApiBridge(overrides: Partial<ScenarioParams> = {}): Promise<ScenarioResult> {
  const params = scenarioParams(overrides);
  const outcome = await runRounds(params, [ApiBridgeRun.direct, ApiBridgeRun.http], (forward) => measureRound(params, forward));
  return scenarioResult(apiBridgeScenario, params, outcome, [compare(outcome.runs, ApiBridgeRun.http, ApiBridgeRun.direct, API_BRIDGE_TARGET_RATIO)], {
    setup: [
      "One gateway child (`bench/dist/servers/gateway-server.js`, the bench's gateway environment as in every scenario: NODE_ENV=production, LOG_LEVEL=warn, AUDIT_LOG_FILE=/dev/null) and one API Bridge child (`bench/dist/scenarios/api-bridge-server.js`: createBridgeApp, NODE_ENV=production, LOG_LEVEL=warn, caller auth on), both on 127.0.0.1 with the load generator and the units",
      `Direct: a socket.io-client /bridge socket emits \`request\`; HTTP: the bench's lean keep-alive client (bench/src/lib/http-keepalive.ts: connections = concurrency, one per outstanding request, no pipelining, requests encoded once per unit; a non-200 counts as an error by its body's code), \`POST /v1/units/{unitId}/requests\` with a Bearer \`api\` token, no Idempotency-Key`,
      "server CPU and server µs/req: the gateway for the direct run, the gateway and the bridge for the HTTP run (per process below)",
    ],
    software: { fastify: packageVersion("fastify") },
  });
}

/** One gateway, one bridge, the units; both runs on them, in the given order. */
async function measureRound(params: ScenarioParams, directFirst: boolean): Promise<ServerRun[]> {
  const { log } = params;
  const execArgv = execArgvOption(childExecArgv(params));
  const secret = randomBytes(32).toString("hex");
  const gateway = await spawnServer({
    name: "gateway",
    script: serverScript("gateway-server"),
    // The same environment as every other gateway of the bench (audit records to /dev/null, not to
    // the bench's own stdout; the load's per-address and per-socket limits raised).
    env: gatewayEnv(secret),
    ...execArgv,
  });
  let bridge: ServerHandle | undefined;
  let units: Socket[] = [];
  try {
    bridge = await spawnServer({
      name: "api bridge",
      script: BRIDGE_SERVER_SCRIPT,
      env: {
        NODE_ENV: "production",
        GATEWAY_URL: gateway.url,
        BRIDGE_TOKEN: mintToken(secret, "bench-api-bridge", Role.BRIDGE),
        JWT_SECRET: secret,
        BRIDGE_PORT: "0",
        BRIDGE_HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
      },
      ...execArgv,
    });
    log(`[api-bridge] gateway pid ${gateway.pid} on ${gateway.url}, bridge pid ${bridge.pid} on ${bridge.url}`);
    const unitIds = benchUnitIds(params.units);
    const connected = await connectUnits(gateway.url, unitIds, (unitId) => ({ token: mintToken(secret, unitId, Role.UNIT) }));
    units = connected.sockets;
    const { connectMs } = connected;
    log(`[api-bridge] ${units.length} units connected in ${connectMs} ms; per run ${params.warmupS} s warm-up, ${params.durationS} s measured`);
    const gatewayCpu: StatsSource = { name: "gateway", stats: () => gateway.stats() };
    const bridgeHandle = bridge;
    const bridgeCpu: StatsSource = { name: "bridge", stats: () => bridgeHandle.stats() };
    const direct = async (): Promise<ServerRun> => {
      const socket = await connectSocket(gateway.url, Namespace.bridge, { token: mintToken(secret, "bench-bridge", Role.BRIDGE) });
      try {
        log(`[${ApiBridgeRun.direct}] running`);
        return await runPingLoad({ server: ApiBridgeRun.direct, description: "socket.io-client on /bridge, `request` with ack", bridge: socket, unitIds, params, cpu: [gatewayCpu], connectMs });
      } finally {
        socket.disconnect();
      }
    };
    const http = async (): Promise<ServerRun> => {
      log(`[${ApiBridgeRun.http}] running`);
      const token = jwt.sign({ role: Role.API }, secret, { algorithm: "HS256", subject: "bench-api-gateway", expiresIn: 3600 });
      return runHttpLoad({ url: bridgeHandle.url, token, unitIds, params, cpu: [gatewayCpu, bridgeCpu], connectMs });
    };
    const runs: ServerRun[] = [];
    for (const phase of directFirst ? [direct, http] : [http, direct]) runs.push(await phase());
    return runs;
  } finally {
    closeAll(units);
    await bridge?.stop();
    await gateway.stop();
  }
}

interface HttpLoadOptions {
  url: string;
  token: string;
  unitIds: readonly string[];
  params: ScenarioParams;
  cpu: readonly StatsSource[];
  connectMs: number;
}

async function runHttpLoad(options: HttpLoadOptions): Promise<ServerRun> {
  const { params } = options;
  const { hostname, port, host } = new URL(options.url);
  const pool = new KeepAlivePool({ host: hostname, port: Number(port), timeoutMs: params.requestTimeoutMs });
  try {
    return await measureLoad({
      server: ApiBridgeRun.http,
      description: "HTTP POST /v1/units/{unitId}/requests to the API Bridge (keep-alive), which sends it on its /bridge socket",
      params,
      cpu: options.cpu,
      connectMs: options.connectMs,
      operation: httpPingOperation(pool, host, options),
    });
  } finally {
    pool.close();
  }
}

/**
 * One POST to the next unit in turn, its bytes encoded once per unit before the run; a non-200
 * counts by the body's error code (or HTTP_<status>). The bench's own timeout bounds it.
 */
function httpPingOperation(pool: KeepAlivePool, host: string, options: HttpLoadOptions): Operation {
  const requests = options.unitIds.map((unitId) =>
    Buffer.from(
      `POST /v1/units/${unitId}/requests HTTP/1.1\r\nhost: ${host}\r\ncontent-type: application/json\r\nauthorization: Bearer ${options.token}\r\n` +
        `content-length: ${Buffer.byteLength(PING_BODY)}\r\n\r\n${PING_BODY}`,
      "latin1",
    ),
  );
  let cursor = 0;
  return (done) => {
    const request = requests[cursor] as Buffer;
    cursor = (cursor + 1) % requests.length;
    pool.send(request, (error, response) => {
      if (error !== undefined || !response) return done(error ?? BenchOutcome.httpError);
      if (response.status === 200) return done();
      done(errorCodeOf(response.body?.toString("utf8") ?? "") ?? `HTTP_${response.status}`);
    });
  };
}

function errorCodeOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown } };
    return typeof body.error?.code === "string" ? body.error.code : undefined;
  } catch {
    return undefined;
  }
}
