/**
 * The audit log: one record per security-relevant action (who, what, which unit, outcome, when,
 * node, from where), as a stream of its own, apart from the application log: AUDIT_LOG_FILE, or
 * stdout tagged `"audit": true`. Records name principals, units and types; never a payload, token or
 * patient reference.
 *
 * A record is written for every request, so this is on the hot path. Each record becomes one JSON
 * line (`audit-line.ts`: the JSON of a flat object in a fixed field order, written by hand), made when its batch is
 * written (`LineBatcher`: at most 50 ms late, flushed on stop and on exit). Going through a
 * Winston logger instead cost a chain of object-mode streams and a file write per record: about a
 * tenth of the gateway's CPU in the relay benchmark (docs/benchmarks.md). Winston transports can still
 * be given (tests capture records that way); the line format is the same either way.
 */
import { createWriteStream, openSync, type WriteStream } from "node:fs";
import winston from "winston";
import { auditFields, auditLine } from "./audit-line.js";
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
  // The timestamp is formatted once per millisecond at most.
  const clock = new IsoClock();
  if (options.transports) return winstonAuditLog(options.transports, (entry) => auditFields(node, entry, clock.format(Date.now())));

  const onError = options.onError ?? ((error: Error) => process.stderr.write(`audit log: ${error.message}\n`));
  const stream = options.file ? openAuditFile(options.file) : process.stdout;
  stream.on("error", onError);
  // The record and its time are kept; the line is made when the batch is written.
  const lines = new LineBatcher<AuditRecord>(stream, (entry, at) => auditLine(node, entry, clock.format(at)), {
    ...DEFAULT_LINE_BATCHING,
    ...options.batching,
    owned: options.file !== undefined,
  });
  let closed = false;
  return {
    record(entry) {
      if (!closed) lines.write(entry, Date.now());
    },
    close() {
      closed = true;
      return lines.close();
    },
  };
}

/**
 * The file is opened at once, synchronously, so that its descriptor is there from the first record:
 * records still waiting when the process exits are written with `writeSync` on that descriptor
 * (line-batcher.ts), which a stream still opening in the background would not have yet. Where the
 * open fails, the stream opens it again in the background and reports the error through "error",
 * as it always did (the gateway keeps running; operators are told).
 */
function openAuditFile(file: string): WriteStream {
  let fd: number;
  try {
    fd = openSync(file, "a");
  } catch {
    return createWriteStream(file, { flags: "a" });
  }
  return createWriteStream(file, { flags: "a", fd });
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
