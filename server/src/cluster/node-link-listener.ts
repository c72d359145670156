/**
 * This node's end of the direct links: a TCP listener that other nodes connect to. A connection is
 * accepted once its first line presents this node's token (a random secret advertised in Redis, so
 * whoever may write to our Redis inbox may use it, and nobody else); every later line is handed on
 * as if it had arrived on the node's inbox channel. The listener never sends anything but the welcome.
 * A connection that has not presented the token within `helloTimeoutMs` is closed, so a port scan or
 * a stalled peer cannot hold sockets open.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import type { Logger } from "../observability/logger.js";
import { LineSplitter } from "./line-splitter.js";
import { LINK_WELCOME, MAX_HELLO_CHARS, MAX_LINK_LINE_CHARS, parseHello, sameToken, type LinkAddress } from "./node-link-wire.js";

/** How long a new connection has to present the token (a peer sends it as soon as it connects). */
export const HELLO_TIMEOUT_MS = 5000;

export class NodeLinkListener {
  readonly #token = randomBytes(24).toString("base64url");
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly logger: Logger,
    private readonly helloTimeoutMs = HELLO_TIMEOUT_MS,
  ) {}

  /** Listens on `host` (port 0: any free port); resolves with what peers need to connect. */
  async listen(host: string, port: number): Promise<LinkAddress> {
    const server = createServer((socket) => this.#accept(socket));
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      // exclusive: under a cluster-module supervisor (PM2), each process gets a listener of its own.
      server.listen({ host, port, exclusive: true }, () => {
        server.off("error", reject);
        resolve();
      });
    });
    server.on("error", (error) => this.logger.warn("node link listener failed", { err: error.message }));
    const bound = server.address();
    if (bound === null || typeof bound === "string") throw new Error("node link listener has no TCP address");
    return { host, port: bound.port, token: this.#token };
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    this.#sockets.add(socket);
    socket.setNoDelay(true);
    socket.setEncoding("utf8");
    socket.setTimeout(this.helloTimeoutMs, () => {
      this.logger.warn("node link refused: no hello in time");
      socket.destroy();
    });
    let accepted = false;
    const lines = new LineSplitter(
      (line) => {
        if (accepted) return this.onLine(line);
        const hello = parseHello(line);
        if (!hello || !sameToken(hello.token, this.#token)) {
          this.logger.warn("node link refused: wrong token");
          lines.stop();
          socket.destroy();
          return;
        }
        accepted = true;
        socket.setTimeout(0);
        lines.maxLineChars = MAX_LINK_LINE_CHARS;
        socket.write(`${LINK_WELCOME}\n`);
        this.logger.debug("node link accepted", { from: hello.from });
      },
      () => {
        this.logger.warn("node link closed: line too long");
        socket.destroy();
      },
      MAX_HELLO_CHARS,
    );
    socket.on("data", (chunk: string) => lines.push(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      lines.stop();
      this.#sockets.delete(socket);
    });
  }
}
