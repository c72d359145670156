/**
 * Winston logger: JSON lines (or a readable format for development). A last-line-of-defence format
 * drops fields that must never be logged (payloads, tokens, patient references), whatever a caller passes.
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
  return winston.createLogger({
    level: options.level,
    defaultMeta: { node: options.nodeId },
    format,
    transports: options.transports ?? [new winston.transports.Console()],
  });
}
