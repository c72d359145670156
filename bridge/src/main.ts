#!/usr/bin/env node
/** Starts the API Bridge from the environment and prints where it listens. */
import { ConfigError } from "@care-gateway/server";
import { describeTokenSource } from "./bridge-token.js";
import { createBridgeApp } from "./app.js";
import { loadBridgeConfig, type BridgeConfig } from "./config.js";

function banner(config: BridgeConfig, url: string): string {
  return [
    `care-gateway API Bridge listening on ${url} (instance ${config.instanceId})`,
    `  gateway     ${config.gatewayUrl}/bridge   token: ${describeTokenSource(config.bridgeToken)}`,
    `  callers     ${config.callerAuth === "off" ? "NOT AUTHENTICATED (BRIDGE_AUTH=off): trusted networks only" : "Bearer JWT of role api (npm run token -- --role api --sub api-gateway)"}`,
    `  API         ${url}/v1/units   ${url}/v1/events   document ${url}/openapi.json`,
    `  health      ${url}/healthz   readiness ${url}/readyz   metrics ${url}/metrics`,
  ].join("\n");
}

async function main(): Promise<void> {
  let config: BridgeConfig;
  try {
    config = loadBridgeConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`care-bridge: configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const bridge = createBridgeApp(config, {
    onFatal: (error) => {
      process.stderr.write(`care-bridge: the gateway refused the bridge for good (${error.code}); exiting\n`);
      void bridge.stop().finally(() => process.exit(1));
    },
  });
  const { url } = await bridge.start();
  process.stdout.write(`${banner(config, url)}\n`);
  // PM2 (wait_ready) sends traffic to this instance, and stops the old one in a reload, only now.
  process.send?.("ready");
  const shutdown = (signal: string) => {
    process.stdout.write(`care-bridge: ${signal} received, stopping\n`);
    bridge.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`care-bridge: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
