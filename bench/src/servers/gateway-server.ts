/**
 * The gateway under test, as production runs it: its V8 flags, then `createGateway(loadConfig(env))`. The parent sets
 * PORT=0 (a restarted node: the port it had), HOST=127.0.0.1, NODE_ENV=production, LOG_LEVEL=warn,
 * AUDIT_LOG_FILE=/dev/null and a random JWT_SECRET (`gatewayEnv` in lib/targets.ts); cluster nodes
 * also get REDIS_URL, REDIS_PREFIX and NODE_ID. Its stats carry the requests pending (`counts.pending`).
 */
import { applyGatewayV8Flags, createGateway, loadConfig } from "@care-gateway/server";
import { hostChild } from "../lib/child-host.js";

// As main.ts does first: the V8 settings the gateway runs with in production.
applyGatewayV8Flags();

hostChild(async () => {
  const gateway = createGateway(loadConfig(process.env));
  const { port } = await gateway.start();
  return { port, counts: () => ({ pending: gateway.pendingRequests() }), stop: () => gateway.stop() };
});
