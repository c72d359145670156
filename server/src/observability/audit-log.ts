/**
 * The audit log: one record per security-relevant action (who, what, which unit, outcome, when,
 * node, from where), as its own Winston stream: AUDIT_LOG_FILE, or stdout tagged `"audit": true`.
 * Records name principals, units and types; never a payload, token or patient reference.
 */
import winston from "winston";

export interface AuditRecord {
  action: AuditAction;
  namespace?: string;
  session?: string;
  /** Request duration, or how long a connection lasted. */
  ms?: number;
  actor?: { sub: string; role: string };
  unitId?: string;
  /** The principal acted upon (revocation). */
  target?: string;
  type?: string;
  outcome: string;
  remote?: string;
  requestId?: string;
}

export type AuditAction =
  | "connection.open"
  | "connection.refused"
  | "connection.close"
  | "request"
  | "publish"
  | "principal.revoke"
  | "unit.disconnect";

export interface AuditLog {
  record(entry: AuditRecord): void;
}

/**
 * Records are flat objects of strings and numbers that this module builds itself, so each line is
 * written with one JSON.stringify instead of winston's general-purpose json() and timestamp()
 * formats: an audit record is written for every request, on the hot path.
 */
const line = winston.format.printf((info) => JSON.stringify(info));

export function createAuditLog(options: { nodeId: string; file?: string; transports?: winston.transport[] }): AuditLog {
  const logger = winston.createLogger({
    level: "info",
    format: line,
    transports: options.transports ?? [options.file ? new winston.transports.File({ filename: options.file }) : new winston.transports.Console()],
  });
  const node = options.nodeId;
  return {
    record(entry) {
      logger.log({ level: "info", message: entry.action, audit: true, node, ...entry, timestamp: new Date().toISOString() });
    },
  };
}
