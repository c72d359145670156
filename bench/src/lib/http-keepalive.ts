/**
 * A lean HTTP/1.1 load client for the closed loop, in the manner of autocannon: requests encoded
 * once up front (the caller passes their bytes), one keep-alive TCP connection per outstanding
 * request (no pipelining: a connection carries its next request only after the whole previous
 * response), and a response parser that reads the status line, `Content-Length` or a chunked body,
 * and `Connection: close`. Only what the bench needs: no redirects, no 1xx, no compression.
 *
 * The bench's own timeout bounds each request (one sweep timer for all connections, not a timer
 * per request): a request older than `timeoutMs` ends CLIENT_TIMEOUT and its connection is dropped.
 */
import { connect, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { BenchOutcome } from "./bench-outcomes.js";

export interface HttpResponse {
  status: number;
  /** The body when the status is not 200 (a 200's body is not kept). */
  body: Buffer | undefined;
}

/** `error` is a transport failure: CLIENT_TIMEOUT, HTTP_ERROR (connection lost or refused) or HTTP_MALFORMED. */
export type ResponseCallback = (error: BenchOutcome | undefined, response?: HttpResponse) => void;

export interface KeepAliveOptions {
  host: string;
  port: number;
  timeoutMs: number;
}

const CRLFCRLF = Buffer.from("\r\n\r\n");
const CRLF = Buffer.from("\r\n");
const STATUS_AT = "HTTP/1.1 ".length;
const CONTENT_LENGTH = "\r\ncontent-length:";

/** A set of keep-alive connections; `send` uses an idle one (or opens one). Close it with `close()`. */
export class KeepAlivePool {
  readonly #idle: Connection[] = [];
  readonly #all = new Set<Connection>();
  readonly #sweep: NodeJS.Timeout;
  #closed = false;

  constructor(private readonly options: KeepAliveOptions) {
    const sweepMs = Math.max(10, Math.min(1000, Math.floor(options.timeoutMs / 4)));
    this.#sweep = setInterval(() => this.#expire(), sweepMs);
    this.#sweep.unref();
  }

  /** Sends one request (its complete bytes) on an idle connection, or on a new one. */
  send(request: Buffer, callback: ResponseCallback): void {
    if (this.#closed) return callback(BenchOutcome.httpError);
    let connection = this.#idle.pop();
    while (connection && !connection.usable) connection = this.#idle.pop();
    if (!connection) {
      connection = new Connection(this.options, (done) => this.#release(done));
      this.#all.add(connection);
    }
    connection.send(request, callback);
  }

  /** Open connections (idle or busy). */
  get size(): number {
    return this.#all.size;
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#sweep);
    for (const connection of this.#all) connection.destroy(BenchOutcome.httpError);
    this.#all.clear();
    this.#idle.length = 0;
  }

  #release(connection: Connection): void {
    if (connection.usable) return void this.#idle.push(connection);
    this.#all.delete(connection);
    const at = this.#idle.indexOf(connection);
    if (at >= 0) this.#idle.splice(at, 1);
  }

  #expire(): void {
    const oldest = performance.now() - this.options.timeoutMs;
    for (const connection of this.#all) if (connection.startedBefore(oldest)) connection.destroy(BenchOutcome.clientTimeout);
  }
}

/** What is being read of the response in progress. */
const Reading = { head: 0, body: 1, chunkSize: 2, chunkData: 3, trailer: 4 } as const;
type Reading = (typeof Reading)[keyof typeof Reading];

class Connection {
  readonly #socket: Socket;
  #usable = true;
  #callback: ResponseCallback | undefined;
  #started = 0;
  // The response being read.
  #reading: Reading = Reading.head;
  #buffered: Buffer | undefined;
  #status = 0;
  #remaining = 0;
  #keepAlive = true;
  #body: Buffer[] | undefined;

  constructor(
    options: KeepAliveOptions,
    private readonly onDone: (connection: Connection) => void,
  ) {
    this.#socket = connect({ host: options.host, port: options.port, noDelay: true });
    this.#socket.on("data", (chunk: Buffer) => this.#read(chunk));
    this.#socket.on("error", () => this.destroy(BenchOutcome.httpError));
    this.#socket.on("close", () => this.destroy(BenchOutcome.httpError));
  }

  get usable(): boolean {
    return this.#usable;
  }

  startedBefore(time: number): boolean {
    return this.#callback !== undefined && this.#started < time;
  }

  send(request: Buffer, callback: ResponseCallback): void {
    this.#callback = callback;
    this.#started = performance.now();
    this.#reading = Reading.head;
    this.#keepAlive = true;
    this.#body = undefined;
    this.#socket.write(request);
  }

  /** Ends the connection; the request in flight, if any, fails with `code`. */
  destroy(code: BenchOutcome): void {
    if (!this.#usable) return;
    this.#usable = false;
    this.#socket.destroy();
    this.#buffered = undefined;
    const callback = this.#callback;
    this.#callback = undefined;
    this.onDone(this);
    callback?.(code);
  }

  #read(chunk: Buffer): void {
    const data = this.#buffered ? Buffer.concat([this.#buffered, chunk]) : chunk;
    this.#buffered = undefined;
    let at = 0;
    while (at < data.length && this.#usable) {
      if (this.#callback === undefined) return this.destroy(BenchOutcome.httpMalformed);
      const next = this.#step(data, at);
      if (next < 0) {
        // Not enough bytes for this step yet: keep the rest for the next chunk.
        this.#buffered = data.subarray(at);
        return;
      }
      at = next;
    }
  }

  /** Consumes one piece of the response from `at`; returns the next offset, or -1 when more bytes are needed. */
  #step(data: Buffer, at: number): number {
    switch (this.#reading) {
      case Reading.head: {
        const end = data.indexOf(CRLFCRLF, at);
        if (end < 0) return -1;
        if (!this.#head(data.toString("latin1", at, end))) return this.#malformed(data);
        if (this.#remaining === 0 && (this.#reading as Reading) === Reading.body) this.#complete();
        return end + 4;
      }
      case Reading.body: {
        const take = Math.min(this.#remaining, data.length - at);
        this.#body?.push(data.subarray(at, at + take));
        this.#remaining -= take;
        if (this.#remaining === 0) this.#complete();
        return at + take;
      }
      case Reading.chunkSize: {
        const end = data.indexOf(CRLF, at);
        if (end < 0) return -1;
        const size = Number.parseInt(data.toString("latin1", at, end), 16);
        if (!Number.isFinite(size) || size < 0) return this.#malformed(data);
        if (size === 0) this.#reading = Reading.trailer;
        else {
          this.#reading = Reading.chunkData;
          this.#remaining = size + 2;
        }
        return end + 2;
      }
      case Reading.chunkData: {
        const take = Math.min(this.#remaining, data.length - at);
        // The chunk's own CRLF is not part of the body.
        const dataEnd = Math.min(at + take, at + this.#remaining - 2);
        if (dataEnd > at) this.#body?.push(data.subarray(at, dataEnd));
        this.#remaining -= take;
        if (this.#remaining === 0) this.#reading = Reading.chunkSize;
        return at + take;
      }
      case Reading.trailer: {
        const end = data.indexOf(CRLF, at);
        if (end < 0) return -1;
        // An empty line ends the trailer (and the response).
        if (end === at) this.#complete();
        return end + 2;
      }
    }
  }

  /** Reads the status line and the headers that frame the body; false if they make no sense. */
  #head(head: string): boolean {
    if (!head.startsWith("HTTP/1.")) return false;
    this.#status = Number.parseInt(head.slice(STATUS_AT, STATUS_AT + 3), 10);
    if (!(this.#status >= 200 && this.#status <= 599)) return false;
    const lower = head.toLowerCase();
    if (head.startsWith("HTTP/1.0")) this.#keepAlive = lower.includes("\r\nconnection: keep-alive");
    if (lower.includes("\r\nconnection: close")) this.#keepAlive = false;
    this.#body = this.#status === 200 ? undefined : [];
    if (lower.includes("\r\ntransfer-encoding: chunked")) {
      this.#reading = Reading.chunkSize;
      return true;
    }
    const length = contentLength(lower, this.#status);
    if (length === undefined) return false;
    this.#reading = Reading.body;
    this.#remaining = length;
    return true;
  }

  /** The response cannot be read: the connection ends, and the rest of `data` is consumed. */
  #malformed(data: Buffer): number {
    this.destroy(BenchOutcome.httpMalformed);
    return data.length;
  }

  #complete(): void {
    const callback = this.#callback;
    if (!callback) return;
    const response: HttpResponse = { status: this.#status, body: this.#body ? Buffer.concat(this.#body) : undefined };
    this.#callback = undefined;
    this.#reading = Reading.head;
    if (!this.#keepAlive) this.destroy(BenchOutcome.httpError);
    else this.onDone(this);
    callback(undefined, response);
  }
}

/** The body length a (lower-cased) head gives: its Content-Length, 0 for 204 and 304 without one, undefined when unusable. */
function contentLength(lowerHead: string, status: number): number | undefined {
  const at = lowerHead.indexOf(CONTENT_LENGTH);
  if (at < 0) return status === 204 || status === 304 ? 0 : undefined;
  const lineEnd = lowerHead.indexOf("\r\n", at + 2);
  const length = Number.parseInt(lowerHead.slice(at + CONTENT_LENGTH.length, lineEnd < 0 ? undefined : lineEnd).trim(), 10);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}
