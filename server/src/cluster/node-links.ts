/**
 * Direct links to other nodes: a TCP connection per peer that this node sends its inbox messages on,
 * instead of a PUBLISH to the peer's Redis inbox channel. A message sent through Redis is written
 * by this node, read and written again by Redis, then read by the peer: two hops and a third busy
 * process per message; a link is one hop. Redis stays the source of truth for everything else
 * (presence, leases, outboxes) and the way in for nodes without a link.
 *
 * A link is opened on the first message for a peer, from the address the peer advertises in Redis,
 * and used once the peer has accepted it; until then, and whenever it is down, `write` says false
 * and the caller publishes through Redis as before. A failed attempt is retried after RETRY_MS at
 * the earliest (on the next message after it). Like a PUBLISH, a line written to a link that breaks is
 * lost: requests end by their caller's deadline (or `UNIT_DISCONNECTED` once the node's lease lapses),
 * wake-ups stand for events that stay in the unit's stream.
 */
import { connect, type Socket } from "node:net";
import type { Logger } from "../observability/logger.js";
import { LineSplitter } from "./line-splitter.js";
import { LINK_WELCOME, MAX_HELLO_CHARS, helloLine, type LinkAddress } from "./node-link-wire.js";

/** The earliest a failed link to a peer is tried again. */
const RETRY_MS = 1000;
/** An attempt that has not been welcomed by then is given up. */
const CONNECT_TIMEOUT_MS = 2000;
/**
 * A peer that stops reading (stopped, not dead) must not make us buffer without end: past this
 * many bytes waiting the link is dropped, and messages go through Redis (whose own output buffer
 * limits then apply) until a new link opens.
 */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

interface Link {
  socket: Socket | undefined;
  /** The peer welcomed us: lines may be written. */
  open: boolean;
  /** No attempt before this time (ms). */
  retryAt: number;
}

export interface NodeLinksDeps {
  nodeId: string;
  /** The peer's advertised address (Redis), undefined when it has none. */
  lookup: (nodeId: string) => Promise<LinkAddress | undefined>;
  logger: Logger;
  now?: () => number;
  /** Bytes a link may hold unsent before it is dropped (MAX_BUFFERED_BYTES). */
  maxBufferedBytes?: number;
}

export class NodeLinks {
  readonly #links = new Map<string, Link>();
  readonly #now: () => number;
  readonly #maxBuffered: number;
  #closed = false;

  constructor(private readonly deps: NodeLinksDeps) {
    this.#now = deps.now ?? Date.now;
    this.#maxBuffered = deps.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
  }

  /** Writes one line (without its newline) to the peer's link; false when there is no open link (one is being opened). */
  write(nodeId: string, line: string): boolean {
    const link = this.#links.get(nodeId);
    if (link?.open && link.socket?.writable) {
      if (link.socket.writableLength <= this.#maxBuffered) {
        link.socket.write(`${line}\n`);
        return true;
      }
      this.deps.logger.warn("node link dropped: peer not reading", { to: nodeId });
      link.socket.destroy();
      return false;
    }
    if (!this.#closed && (!link || (!link.socket && link.retryAt <= this.#now()))) this.#open(nodeId);
    return false;
  }

  /** The peer lost its lease (or left): drop the link; a new one is opened if it comes back. */
  drop(nodeId: string): void {
    const link = this.#links.get(nodeId);
    this.#links.delete(nodeId);
    link?.socket?.destroy();
  }

  close(): void {
    this.#closed = true;
    for (const nodeId of [...this.#links.keys()]) this.drop(nodeId);
  }

  #open(nodeId: string): void {
    const link: Link = { socket: undefined, open: false, retryAt: this.#now() + RETRY_MS };
    this.#links.set(nodeId, link);
    const current = () => this.#links.get(nodeId) === link;
    this.deps.lookup(nodeId).then(
      (address) => {
        if (!current() || this.#closed) return;
        if (!address) {
          link.retryAt = this.#now() + RETRY_MS;
          return;
        }
        this.#connect(nodeId, link, address, current);
      },
      () => {
        if (current()) link.retryAt = this.#now() + RETRY_MS;
      },
    );
  }

  #connect(nodeId: string, link: Link, address: LinkAddress, current: () => boolean): void {
    const socket = connect({ host: address.host, port: address.port });
    link.socket = socket;
    socket.setNoDelay(true);
    socket.setEncoding("utf8");
    const timer = setTimeout(() => socket.destroy(), CONNECT_TIMEOUT_MS);
    timer.unref();
    const lines = new LineSplitter(
      (line) => {
        if (line === LINK_WELCOME && !link.open && current()) {
          clearTimeout(timer);
          link.open = true;
          this.deps.logger.debug("node link open", { to: nodeId });
          return;
        }
        socket.destroy();
      },
      () => socket.destroy(),
      MAX_HELLO_CHARS,
    );
    socket.on("data", (chunk: string) => lines.push(chunk));
    socket.on("connect", () => socket.write(`${helloLine(this.deps.nodeId, address.token)}\n`));
    socket.on("error", (error) => this.deps.logger.debug("node link failed", { to: nodeId, err: error.message }));
    socket.on("close", () => {
      clearTimeout(timer);
      lines.stop();
      if (link.open) this.deps.logger.debug("node link closed", { to: nodeId });
      // Opened again on a later message, at most once per RETRY_MS from the last attempt.
      link.open = false;
      link.socket = undefined;
    });
  }
}
