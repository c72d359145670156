#!/usr/bin/env node
/** Starts one gateway node from the environment and prints how to connect. */
import { ConfigError } from "./config/key-algorithms.js";
import { loadConfig } from "./config/load-config.js";
import type { GatewayConfig } from "./config/gateway-config.js";
import { createGateway } from "./gateway.js";
import { applyGatewayV8Flags } from "./runtime/v8-flags.js";

function banner(config: GatewayConfig, url: string): string {
  const lines = [
    `care-gateway listening on ${url} (node ${config.nodeId}, ${config.redisUrl ? "cluster mode" : "single node, no Redis"})`,
    `  namespaces  ${url}/units  /portal  /bridge  /admin   (Socket.IO path /socket.io)`,
    `  admin page  ${url}/admin   (sign in with: npm run token -- --role admin --sub operator-1)`,
    `  health      ${url}/healthz   readiness ${url}/readyz   metrics ${url}/metrics`,
    `  tokens      ${config.jwt.source}${config.jwt.devSecretFile ? ` (kept in ${config.jwt.devSecretFile}; development only)` : ""}`,
    `  mint one    npm run token -- --role unit --sub U-001`,
    `              npm run token -- --role portal --sub nurse-1 --units U-001,U-002`,
    `  connect     io("${url}/units", { auth: { token }, transports: ["websocket"] })`,
  ];
  return lines.join("\n");
}

async function main(): Promise<void> {
  applyGatewayV8Flags();
  let config: GatewayConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`care-gateway: configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const gateway = createGateway(config);
  const { url } = await gateway.start();
  process.stdout.write(`${banner(config, url)}\n`);
  // PM2 (wait_ready) starts sending traffic to this instance, and stops the old one in a reload, only now.
  process.send?.("ready");
  let stopping = false;
  const shutdown = (signal: string) => {
    // A second signal while draining changes nothing: the drain has its own deadline.
    if (stopping) return;
    stopping = true;
    process.stdout.write(`care-gateway: ${signal} received, draining (up to ${config.shutdownGraceMs} ms)\n`);
    gateway.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`care-gateway: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
