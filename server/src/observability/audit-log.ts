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

export function createAuditLog(options: { nodeId: string; file?: string; transports?: winston.transport[] }): AuditLog {
  const logger = winston.createLogger({
    level: "info",
    defaultMeta: { audit: true, node: options.nodeId },
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: options.transports ?? [options.file ? new winston.transports.File({ filename: options.file }) : new winston.transports.Console()],
  });
  return {
    record(entry) {
      logger.info(entry.action, entry);
    },
  };
}
