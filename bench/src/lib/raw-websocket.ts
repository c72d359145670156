/**
 * The client end of a WebSocket (RFC 6455) over a plain TCP socket, as little as the fan-out's lean
 * units need: the HTTP upgrade (its `Sec-WebSocket-Accept` checked), unfragmented text frames in both
 * directions (client frames masked with a random key, as the RFC requires), close and ping control
 * frames. No extensions are offered (no permessage-deflate), as socket.io-client's units negotiate none
 * with the servers under test.
 *
 * Why not the `ws` package: with 5,000 units in one process, ws's per-message path (a Writable stream
 * per receiver, an EventEmitter hop per frame, a Readable stream per TCP socket) was most of the load
 * generator's cost per unit. Here the TCP socket reads into one buffer shared by every unit (`onread`,
 * no Readable stream) and frames are parsed from it in place.
 */
import { createHash, randomBytes, randomFillSync } from "node:crypto";
import { connect, type Socket } from "node:net";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;
/** Larger than any frame the bench receives; a frame that does not fit is copied into its own buffer. */
const SHARED_READ_BYTES = 256 * 1024;
/** Every socket reads into this buffer; each read is parsed (and what is left copied out) before the next. */
const sharedRead = Buffer.allocUnsafe(SHARED_READ_BYTES);
const MASK_POOL_BYTES = 8 * 1024;
let maskPool = randomFillSync(Buffer.allocUnsafe(MASK_POOL_BYTES));
let maskOffset = 0;

export interface RawWebSocketHandlers {
  /** A text message, whole. */
  onText(text: string): void;
  /** The connection ended (close frame, TCP end or error); called once. */
  onClose(reason: string): void;
}

export class RawWebSocket {
  #open = false;
  #closed = false;
  /** Bytes of an incomplete frame (or of the HTTP response) carried over to the next read. */
  #pending: Buffer | undefined;
  readonly #socket: Socket;
  /** Resolves once the upgrade is accepted; rejects if it is refused, the connection fails or after the timeout. */
  readonly opened: Promise<void>;

  /**
   * Connects to `url` (`ws://host:port/path?query`); the handlers get every message once the upgrade
   * is accepted (also those that came with the upgrade's response, right after `opened` settles
   * its state: `sendText` works from the first `onText`). `localAddress`: the source address to connect from.
   */
  constructor(url: string, private readonly handlers: RawWebSocketHandlers, timeoutMs: number, localAddress?: string) {
    const { hostname, port, pathname, search } = new URL(url);
    const key = randomBytes(16).toString("base64");
    const expectedAccept = createHash("sha1").update(key + GUID).digest("base64");
    let resolveOpened: () => void = () => undefined;
    let rejectOpened: (error: Error) => void = () => undefined;
    this.opened = new Promise<void>((resolve, reject) => {
      resolveOpened = resolve;
      rejectOpened = reject;
    });
    const timer = setTimeout(() => fail(new Error(`no WebSocket upgrade within ${timeoutMs} ms`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      rejectOpened(error);
    };
    const socket = connect({
      host: hostname,
      port: Number(port),
      ...(localAddress !== undefined ? { localAddress } : {}),
      noDelay: true,
      onread: {
        buffer: sharedRead,
        callback: (bytes: number, buffer: Uint8Array) => {
          if (this.#open) {
            this.#onBytes(buffer as Buffer, bytes);
            return true;
          }
          const upgraded = this.#onUpgradeBytes(buffer as Buffer, bytes, expectedAccept);
          if (upgraded === "wait") return true;
          if (upgraded !== "ok") {
            fail(new Error(upgraded));
            return false;
          }
          clearTimeout(timer);
          resolveOpened();
          // Frames sent right after the 101 response came in the same read.
          const rest = this.#pending;
          this.#pending = undefined;
          if (rest) this.#onBytes(rest, rest.length);
          return true;
        },
      },
    });
    this.#socket = socket;
    socket.once("connect", () => {
      socket.write(`GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    socket.on("error", (error) => {
      if (this.#open) this.#close(error.message);
      else fail(error);
    });
    socket.on("end", () => this.#close("TCP end"));
    socket.on("close", () => {
      if (this.#open) this.#close("TCP close");
      else fail(new Error("closed before the WebSocket upgrade"));
    });
  }

  get isOpen(): boolean {
    return this.#open && !this.#closed;
  }

  /** Sends one text message (one masked frame, one TCP write); nothing once closed. */
  sendText(text: string): void {
    if (!this.isOpen) return;
    const length = Buffer.byteLength(text);
    const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
    const frame = Buffer.allocUnsafe(header + 4 + length);
    frame[0] = 0x80 | OP_TEXT;
    this.#writeLength(frame, length);
    frame.write(text, header + 4, length, "utf8");
    maskInPlace(frame, header, length);
    this.#socket.write(frame);
  }

  /** Sends a close frame (1000) and ends the TCP socket. */
  close(): void {
    if (this.isOpen) {
      const frame = Buffer.allocUnsafe(2 + 4 + 2);
      frame[0] = 0x80 | OP_CLOSE;
      frame[1] = 0x80 | 2;
      frame.writeUInt16BE(1000, 6);
      maskInPlace(frame, 2, 2);
      this.#socket.write(frame);
    }
    this.#socket.end();
    this.#close("closed by the client");
  }

  #writeLength(frame: Buffer, length: number): void {
    if (length < 126) frame[1] = 0x80 | length;
    else if (length < 65_536) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(length, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeUInt32BE(0, 2);
      frame.writeUInt32BE(length, 6);
    }
  }

  /** Before the upgrade: "wait" for more of the response, "ok", or why it was refused. */
  #onUpgradeBytes(buffer: Buffer, bytes: number, expectedAccept: string): string {
    const data = this.#pending ? Buffer.concat([this.#pending, buffer.subarray(0, bytes)]) : Buffer.from(buffer.subarray(0, bytes));
    const end = data.indexOf("\r\n\r\n");
    if (end < 0) {
      this.#pending = data;
      return "wait";
    }
    const head = data.toString("latin1", 0, end);
    this.#pending = end + 4 < data.length ? data.subarray(end + 4) : undefined;
    const [status = ""] = head.split("\r\n");
    if (!/^HTTP\/1\.1 101 /.test(status)) return `WebSocket upgrade refused: ${status}`;
    const accept = /\r\nsec-websocket-accept:\s*(\S+)/i.exec(head)?.[1];
    if (accept !== expectedAccept) return "WebSocket upgrade: wrong Sec-WebSocket-Accept";
    if (/\r\nsec-websocket-extensions:/i.test(head)) return "WebSocket upgrade: an extension was negotiated that was not offered";
    this.#open = true;
    return "ok";
  }

  /** Parses every whole frame in `buffer[0, bytes)` (after what was pending); keeps the rest. */
  #onBytes(buffer: Buffer, bytes: number): void {
    let data = buffer;
    let length = bytes;
    if (this.#pending) {
      data = Buffer.concat([this.#pending, buffer.subarray(0, bytes)]);
      length = data.length;
      this.#pending = undefined;
    }
    let offset = 0;
    while (offset < length && !this.#closed) {
      const frame = parseFrameHeader(data, offset, length);
      if (frame === undefined) break;
      if (frame === "error") return this.#fail("malformed frame");
      const payloadEnd = frame.payloadStart + frame.payloadLength;
      this.#onFrame(frame.opcode, frame.fin, data, frame.payloadStart, payloadEnd);
      offset = payloadEnd;
    }
    if (offset < length && !this.#closed) this.#pending = Buffer.from(data.subarray(offset, length));
  }

  #onFrame(opcode: number, fin: boolean, data: Buffer, start: number, end: number): void {
    if (opcode === OP_TEXT && fin) {
      this.handlers.onText(data.toString("utf8", start, end));
      return;
    }
    if (opcode === OP_PING) {
      const payload = data.subarray(start, end);
      const frame = Buffer.allocUnsafe(2 + 4 + payload.length);
      frame[0] = 0x80 | OP_PONG;
      frame[1] = 0x80 | payload.length;
      payload.copy(frame, 6);
      maskInPlace(frame, 2, payload.length);
      this.#socket.write(frame);
      return;
    }
    if (opcode === OP_PONG) return;
    if (opcode === OP_CLOSE) {
      this.close();
      return;
    }
    if (opcode === OP_CONTINUATION || opcode === OP_TEXT) return this.#fail("fragmented messages are not supported");
    this.#fail(`unexpected frame opcode ${opcode}`);
  }

  #fail(reason: string): void {
    this.#socket.destroy();
    this.#close(reason);
  }

  #close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.handlers.onClose(reason);
  }
}

interface FrameHeader {
  fin: boolean;
  opcode: number;
  payloadStart: number;
  payloadLength: number;
}

/** The frame at `offset`, undefined if not all of it is in `data[0, length)` yet; "error" if masked (a server must not mask) or too large. */
function parseFrameHeader(data: Buffer, offset: number, length: number): FrameHeader | "error" | undefined {
  if (length - offset < 2) return undefined;
  const first = data[offset] as number;
  const second = data[offset + 1] as number;
  if ((second & 0x80) !== 0 || (first & 0x70) !== 0) return "error";
  let payloadLength = second & 0x7f;
  let payloadStart = offset + 2;
  if (payloadLength === 126) {
    if (length - offset < 4) return undefined;
    payloadLength = data.readUInt16BE(offset + 2);
    payloadStart = offset + 4;
  } else if (payloadLength === 127) {
    if (length - offset < 10) return undefined;
    if (data.readUInt32BE(offset + 2) !== 0) return "error";
    payloadLength = data.readUInt32BE(offset + 6);
    payloadStart = offset + 10;
  }
  if (payloadStart + payloadLength > length) return undefined;
  return { fin: (first & 0x80) !== 0, opcode: first & 0x0f, payloadStart, payloadLength };
}

/** Writes a fresh mask key at `keyAt` and masks the `length` payload bytes already written after it. */
function maskInPlace(frame: Buffer, keyAt: number, length: number): void {
  const key = nextMaskKey();
  key.copy(frame, keyAt);
  const start = keyAt + 4;
  for (let i = 0; i < length; i++) frame[start + i] = (frame[start + i] as number) ^ (key[i & 3] as number);
}

/** Four fresh random bytes (from a pool refilled by the CSPRNG, as `ws` does). */
function nextMaskKey(): Buffer {
  if (maskOffset + 4 > MASK_POOL_BYTES) {
    maskPool = randomFillSync(Buffer.allocUnsafe(MASK_POOL_BYTES));
    maskOffset = 0;
  }
  const key = maskPool.subarray(maskOffset, maskOffset + 4);
  maskOffset += 4;
  return key;
}
