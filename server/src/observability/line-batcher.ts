/**
 * Records written as lines, in batches: `write(record)` only keeps the record, and what is waiting is
 * turned into lines (`format`), encoded and handed to the stream in one write when `flushMs` has
 * passed since the first record waiting, or at once when `maxRecords` wait.
 *
 * A record per request then costs an array push on the request path. Formatting and encoding run
 * together in one tight loop per batch, where they cost a fraction of what the same work costs
 * scattered between socket callbacks (about 11 µs of CPU per relayed request when each record was
 * formatted on the spot, 16 µs when each was also its own write; docs/benchmarks.md).
 *
 * Nothing is dropped: while the stream pushes back, records wait in memory until it drains. What is
 * waiting when the process exits (an uncaught exception, `process.exit`) is written synchronously on
 * the way out; only a kill without warning (SIGKILL, power loss) can lose the last `flushMs` of
 * records. `close()` writes what is left and ends a stream the batcher opened.
 */
import { writeSync } from "node:fs";
import type { Writable } from "node:stream";

export interface LineBatcherOptions {
  /** The longest a record waits before it is written (ms). */
  flushMs: number;
  /** Write at once when this many records wait. */
  maxRecords: number;
  /** The batcher ends the stream on close (a file it opened); stdout is left open. */
  owned: boolean;
}

export const DEFAULT_LINE_BATCHING: Omit<LineBatcherOptions, "owned"> = { flushMs: 50, maxRecords: 4096 };

/** Size of the buffers lines are encoded into. */
const CHUNK_BYTES = 64 * 1024;
/** A UTF-8 encoding takes at most 3 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_CHAR = 3;
const NEWLINE = 0x0a;

export class LineBatcher<T> {
  #waiting: T[] = [];
  /** Each waiting record's stamp (a number the caller gives with it, e.g. its time): no wrapper object per record. */
  #stamps: number[] = [];
  #timer: NodeJS.Timeout | undefined;
  #waitingForDrain = false;
  #closed: Promise<void> | undefined;
  readonly #onExit = () => this.#writeSyncOnExit();

  constructor(
    private readonly stream: Writable & { fd?: number | null },
    /** One record's line, without the newline; `stamp` is what was given with it to `write`. */
    private readonly format: (record: T, stamp: number) => string,
    private readonly options: LineBatcherOptions,
  ) {
    stream.on("drain", () => {
      this.#waitingForDrain = false;
      this.#flush();
    });
    process.on("exit", this.#onExit);
  }

  write(record: T, stamp = 0): void {
    this.#waiting.push(record);
    this.#stamps.push(stamp);
    if (this.#waitingForDrain) return;
    if (this.#waiting.length >= this.options.maxRecords) this.#flush();
    else if (this.#timer === undefined) this.#timer = setTimeout(() => this.#flush(), this.options.flushMs).unref();
  }

  /** Writes what is waiting; resolves once the stream has taken it (and, if owned, closed). */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      process.off("exit", this.#onExit);
      const rest = this.#take();
      const done = () => resolve();
      if (this.options.owned) this.stream.end(rest ?? "", done);
      else if (rest) this.stream.write(rest, done);
      else done();
    });
    return this.#closed;
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#closed) return;
    const chunk = this.#take();
    if (chunk && !this.stream.write(chunk)) this.#waitingForDrain = true;
  }

  /** Every waiting record as lines in one buffer (undefined when none waits). */
  #take(): Buffer | undefined {
    const records = this.#waiting;
    const stamps = this.#stamps;
    if (records.length === 0) return undefined;
    this.#waiting = [];
    this.#stamps = [];
    const chunks: Buffer[] = [];
    let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let used = 0;
    for (let i = 0; i < records.length; i++) {
      const line = this.format(records[i] as T, stamps[i] ?? 0);
      const most = line.length * MAX_BYTES_PER_CHAR + 1;
      if (most > chunk.length - used) {
        if (used > 0) chunks.push(chunk.subarray(0, used));
        chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, most));
        used = 0;
      }
      used += chunk.write(line, used, "utf8");
      chunk[used++] = NEWLINE;
    }
    if (used > 0) chunks.push(chunk.subarray(0, used));
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  }

  /** The process is exiting: no more turns of the event loop, so write synchronously. */
  #writeSyncOnExit(): void {
    if (this.#closed) return;
    const chunk = this.#take();
    if (!chunk) return;
    const fd = this.stream.fd;
    try {
      // A file stream that has opened has its fd; stdout's write is synchronous on Linux files and pipes.
      if (typeof fd === "number") writeSync(fd, chunk);
      else this.stream.write(chunk);
    } catch {
      // Exiting: nowhere left to report to.
    }
  }
}
