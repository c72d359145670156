/**
 * Lines written in batches: `write(line)` encodes the line into a chunk buffer, and what is waiting goes
 * to the stream when `flushMs` has passed since the first line waiting, or at once when `maxBytes`
 * wait. A record per request then costs one UTF-8 encode into memory instead of a stream write each (for
 * a file, a trip through libuv's thread pool and a thread wake-up per write: about 16 µs of CPU per
 * record when each went alone). Lines are encoded into buffers as they come, not joined into a string:
 * a long concatenated string costs more to flatten and encode at the end than the lines did to make
 * (about 2.5 µs a line against 0.2; docs/benchmarks.md).
 *
 * Nothing is dropped: while the stream pushes back, lines wait in memory until it drains. What is
 * buffered when the process exits (an uncaught exception, `process.exit`) is written synchronously on
 * the way out; only a kill without warning (SIGKILL, power loss) can lose the last `flushMs` of lines.
 * `close()` writes what is left and ends a stream the batcher opened.
 */
import { writeSync } from "node:fs";
import type { Writable } from "node:stream";

export interface LineBatcherOptions {
  /** The longest a line waits before it is written (ms). */
  flushMs: number;
  /** Write at once when this many bytes wait. */
  maxBytes: number;
  /** The batcher ends the stream on close (a file it opened); stdout is left open. */
  owned: boolean;
}

export const DEFAULT_LINE_BATCHING: Omit<LineBatcherOptions, "owned"> = { flushMs: 50, maxBytes: 256 * 1024 };

/** Size of the buffers lines are encoded into. */
const CHUNK_BYTES = 64 * 1024;
/** A UTF-8 encoding takes at most 3 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_CHAR = 3;
const NEWLINE = 0x0a;

export class LineBatcher {
  /** Filled chunks waiting, then the one being filled (`#used` bytes of it). */
  #full: Buffer[] = [];
  #current: Buffer | undefined;
  #used = 0;
  #waitingBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #waitingForDrain = false;
  #closed: Promise<void> | undefined;
  readonly #onExit = () => this.#writeSyncOnExit();

  constructor(
    private readonly stream: Writable & { fd?: number | null },
    private readonly options: LineBatcherOptions,
  ) {
    stream.on("drain", () => {
      this.#waitingForDrain = false;
      this.#flush();
    });
    process.on("exit", this.#onExit);
  }

  write(line: string): void {
    const room = (this.#current?.length ?? 0) - this.#used;
    if (line.length * MAX_BYTES_PER_CHAR + 1 > room) this.#startChunk(line.length * MAX_BYTES_PER_CHAR + 1);
    const chunk = this.#current as Buffer;
    const bytes = chunk.write(line, this.#used, "utf8") + 1;
    chunk[this.#used + bytes - 1] = NEWLINE;
    this.#used += bytes;
    this.#waitingBytes += bytes;
    if (this.#waitingForDrain) return;
    if (this.#waitingBytes >= this.options.maxBytes) this.#flush();
    else if (this.#timer === undefined) this.#timer = setTimeout(() => this.#flush(), this.options.flushMs).unref();
  }

  /** Writes what is buffered; resolves once the stream has taken it (and, if owned, closed). */
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

  /** Everything waiting, as one buffer (undefined when nothing waits); the chunks start afresh. */
  #take(): Buffer | undefined {
    if (this.#current && this.#used > 0) this.#full.push(this.#current.subarray(0, this.#used));
    const chunks = this.#full;
    this.#full = [];
    this.#current = undefined;
    this.#used = 0;
    this.#waitingBytes = 0;
    if (chunks.length === 0) return undefined;
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  }

  /** A fresh chunk with room for `bytes`; the current one, if used, waits in `#full`. */
  #startChunk(bytes: number): void {
    if (this.#current && this.#used > 0) this.#full.push(this.#current.subarray(0, this.#used));
    this.#current = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
    this.#used = 0;
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
