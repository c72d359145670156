/**
 * A real gateway on port 0 for one test, with its teardown registered: `const gw = await startGateway(this)`.
 * Logs go to an in-memory sink the test can read (and, for the canary tests, scan).
 */
import { randomBytes } from "node:crypto";
import Transport from "winston-transport";
import { createAuditLog, createGateway, createLogger, loadConfig, type Gateway, type GatewayConfig, type GatewayOptions } from "@care-gateway/server";
import { registerTeardown } from "./teardown.js";

export class MemoryLog extends Transport {
  readonly lines: Record<string, unknown>[] = [];
  override log(info: Record<string, unknown>, next: () => void): void {
    this.lines.push(JSON.parse(JSON.stringify(info)) as Record<string, unknown>);
    next();
  }
  text(): string {
    return this.lines.map((line) => JSON.stringify(line)).join("\n");
  }
}

export interface TestGateway {
  gateway: Gateway;
  config: GatewayConfig;
  url: string;
  port: number;
  secret: string;
  log: MemoryLog;
  audit: MemoryLog;
}

export const TEST_SECRET = randomBytes(32).toString("hex");

/** Environment of a test gateway; `overrides` win. */
export function testEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: "debug",
    PROCESS_METRICS: "0",
    OCCUPANCY_MIN_INTERVAL_MS: "50",
    OCCUPANCY_INTERVAL_MS: "1000",
    SHUTDOWN_GRACE_MS: "200",
    DRAIN_SPREAD_MS: "100",
    ...overrides,
  };
}

export async function startGateway(env: Record<string, string> = {}, options: GatewayOptions = {}): Promise<TestGateway> {
  const config = loadConfig(testEnv(env));
  const log = new MemoryLog();
  const logger = createLogger({ level: config.log.level, format: "json", nodeId: config.nodeId, transports: [log] });
  const audit = new MemoryLog();
  const gateway = createGateway(config, { logger, audit: createAuditLog({ nodeId: config.nodeId, transports: [audit] }), ...options });
  const { port } = await gateway.start();
  registerTeardown(() => gateway.stop());
  return { gateway, config, url: `http://127.0.0.1:${port}`, port, secret: config.jwt.secret ?? "", log, audit };
}
