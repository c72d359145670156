/**
 * Winston logger: JSON lines (or a readable format for development). A last-line-of-defence format
 * drops fields that must never be logged (payloads, tokens, patient references), whatever a caller passes.
 *
 * A message below every transport's level is dropped before Winston sees it (`skipDisabledLevels`):
 * Winston itself formats each message (redaction, timestamp, JSON) and only then lets the transport
 * drop it, which cost about 15 µs for each `info` line at the production level `warn` (one per unit
 * connect and disconnect in the reconnect storm, docs/benchmarks.md).
 */
import winston from "winston";
import type { LogFormat } from "../config/gateway-config.js";

export type Logger = winston.Logger;

/** Field names that never reach a log line. */
export const FORBIDDEN_LOG_FIELDS: ReadonlySet<string> = new Set([
  "payload",
  "data",
  "token",
  "auth",
  "authorization",
  "patientRef",
  "result",
  "details",
]);

const redact = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (FORBIDDEN_LOG_FIELDS.has(key)) delete (info as Record<string, unknown>)[key];
  }
  return info;
});

export interface LoggerOptions {
  level: string;
  format: LogFormat;
  nodeId: string;
  /** Defaults to stdout. */
  transports?: winston.transport[];
}

export function createLogger(options: LoggerOptions): Logger {
  const format =
    options.format === "pretty"
      ? winston.format.combine(redact(), winston.format.timestamp(), winston.format.colorize(), winston.format.simple())
      : winston.format.combine(redact(), winston.format.timestamp(), winston.format.json());
  const logger = winston.createLogger({
    level: options.level,
    defaultMeta: { node: options.nodeId },
    format,
    transports: options.transports ?? [new winston.transports.Console()],
  });
  skipDisabledLevels(logger);
  return logger;
}

/**
 * Each level's method (`logger.info(...)`) returns at once when no transport would write that level
 * (`isLevelEnabled`, read at each call, so a level changed later still counts). Child loggers
 * inherit the guarded methods.
 */
export function skipDisabledLevels(logger: winston.Logger): void {
  const methods = logger as unknown as Record<string, winston.LeveledLogMethod>;
  for (const level of Object.keys(logger.levels)) {
    const write = methods[level];
    if (typeof write !== "function") continue;
    methods[level] = function (this: winston.Logger | undefined, ...args: unknown[]) {
      const self = this ?? logger;
      if (!self.isLevelEnabled(level)) return self;
      return (write as (...rest: unknown[]) => winston.Logger).apply(self, args);
    } as winston.LeveledLogMethod;
  }
}
