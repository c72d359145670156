/**
 * The audit log: one record per security-relevant action (who, what, which unit, outcome, when,
 * node, from where), as a stream of its own, apart from the application log: AUDIT_LOG_FILE, or
 * stdout tagged `"audit": true`. Records name principals, units and types; never a payload, token or
 * patient reference.
 *
 * A record is written for every request, so this is on the hot path. Records are flat objects this
 * module builds itself: each becomes one JSON line with one JSON.stringify, made when its batch is
 * written (`LineBatcher`: at most 50 ms late, flushed on stop and on exit). Going through a
 * Winston logger instead cost a chain of object-mode streams and a file write per record: about a
 * tenth of the gateway's CPU in the relay benchmark (docs/benchmarks.md). Winston transports can still
 * be given (tests capture records that way); the line format is the same either way.
 */
import { createWriteStream } from "node:fs";
import winston from "winston";
import { DEFAULT_LINE_BATCHING, LineBatcher } from "./line-batcher.js";

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
  /** Writes what is buffered and releases the file; records after it are dropped. */
  close?(): Promise<void>;
}

export interface AuditLogOptions {
  nodeId: string;
  /** Append records to this file; stdout when absent. */
  file?: string;
  /** Winston transports instead of the file or stdout (tests). */
  transports?: winston.transport[];
  /** Told when the audit file cannot be written (the records are lost: operators must hear of it). */
  onError?: (error: Error) => void;
  /** How records are batched on their way to the file or stdout (DEFAULT_LINE_BATCHING). */
  batching?: Partial<typeof DEFAULT_LINE_BATCHING>;
}

export function createAuditLog(options: AuditLogOptions): AuditLog {
  const node = options.nodeId;
  const clock = new IsoClock();
  // One object shape for every record (fields left undefined are not written): JSON.stringify of
  // a fixed shape is the fast one, and the timestamp is formatted once per millisecond at most.
  const fields = (entry: AuditRecord, timestamp: string) => ({
    level: "info",
    message: entry.action,
    audit: true,
    node,
    action: entry.action,
    namespace: entry.namespace,
    session: entry.session,
    ms: entry.ms,
    actor: entry.actor,
    unitId: entry.unitId,
    target: entry.target,
    type: entry.type,
    outcome: entry.outcome,
    remote: entry.remote,
    requestId: entry.requestId,
    timestamp,
  });
  if (options.transports) return winstonAuditLog(options.transports, (entry) => fields(entry, clock.format(Date.now())));

  const stream = options.file ? createWriteStream(options.file, { flags: "a" }) : process.stdout;
  const onError = options.onError ?? ((error: Error) => process.stderr.write(`audit log: ${error.message}\n`));
  stream.on("error", onError);
  // The record and its time are kept; the line is made when the batch is written.
  const lines = new LineBatcher<Timed>(stream, ({ entry, at }) => JSON.stringify(fields(entry, clock.format(at))), {
    ...DEFAULT_LINE_BATCHING,
    ...options.batching,
    owned: options.file !== undefined,
  });
  let closed = false;
  return {
    record(entry) {
      if (!closed) lines.write({ entry, at: Date.now() });
    },
    close() {
      closed = true;
      return lines.close();
    },
  };
}

/** A record and when it was made (epoch ms). */
interface Timed {
  entry: AuditRecord;
  at: number;
}

/** `new Date(ms).toISOString()`, formatted again only when the millisecond changes. */
class IsoClock {
  #ms = -1;
  #iso = "";

  format(ms: number): string {
    if (ms !== this.#ms) {
      this.#ms = ms;
      this.#iso = new Date(ms).toISOString();
    }
    return this.#iso;
  }
}

function winstonAuditLog(transports: winston.transport[], fields: (entry: AuditRecord) => object): AuditLog {
  const logger = winston.createLogger({ level: "info", format: winston.format.printf((info) => JSON.stringify(info)), transports });
  return {
    record(entry) {
      // The same fields as a file line has: those left undefined are not there.
      const defined = Object.entries(fields(entry)).filter(([, value]) => value !== undefined);
      logger.log(Object.fromEntries(defined) as winston.LogEntry);
    },
  };
}
