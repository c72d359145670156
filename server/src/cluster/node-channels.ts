/**
 * Pub/sub between nodes: each node listens on its own inbox (targeted traffic) and on the cluster
 * channel (notices for everyone). Publishing never throws: with Redis away the message is lost and
 * the caller's own deadline answers for it.
 *
 * Inbox messages are batched: what is sent to one node during a turn of the event loop goes out as
 * one PUBLISH of a JSON array (a lone message as the object itself). Under load each forwarded
 * request and each reply was a PUBLISH of its own: a Redis command, a Promise, a write and a Redis
 * fan-out per message on both nodes. An inbox accepts both forms.
 *
 * With direct links (node-links.ts), a batch for a node with an open link is written to it instead
 * of published; the peer hands it to the same handlers (`receive`). Notices for every node always
 * go through Redis.
 */
import type { Logger } from "../observability/logger.js";
import type { ClusterNotice, NodeMessage } from "./node-messages.js";
import type { Redis } from "./redis-clients.js";
import type { RedisKeys } from "./redis-keys.js";

export interface NodeChannelHandlers {
  onMessage: (message: NodeMessage) => void;
  onNotice: (notice: ClusterNotice) => void;
}

/** Messages for one node waiting for the end of this turn, and the outcome they share. */
interface Batch {
  messages: string[];
  sent: Promise<boolean>;
  settle: (sent: boolean) => void;
}

/** A direct way to a node: true when the line went that way. */
export interface DirectLinks {
  write(nodeId: string, line: string): boolean;
}

/** Inbox batches sent to other nodes, by the way they went (read by the metrics at scrape). */
export interface SentBatches {
  link: number;
  redis: number;
}

export class NodeChannels {
  readonly #batches = new Map<string, Batch>();
  #flushScheduled = false;
  #onMessage: ((message: NodeMessage) => void) | undefined;
  readonly sent: SentBatches = { link: 0, redis: 0 };

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly keys: RedisKeys,
    private readonly nodeId: string,
    private readonly logger: Logger,
    private readonly links?: DirectLinks,
  ) {}

  async listen(handlers: NodeChannelHandlers): Promise<void> {
    this.#onMessage = handlers.onMessage;
    await this.subscriber.subscribe(this.keys.inbox(this.nodeId), (raw) => this.#parse(raw, handlers.onMessage));
    await this.subscriber.subscribe(this.keys.clusterChannel, (raw) => this.#parse(raw, handlers.onNotice));
  }

  /** Inbox text that came another way (a direct link): handled as if it had been published to our inbox. */
  receive(raw: string): void {
    if (this.#onMessage) this.#parse(raw, this.#onMessage);
  }

  #parse<T>(raw: string, use: (value: T) => void): void {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      this.logger.warn("malformed node message", { err: (error as Error).message });
      return;
    }
    if (!Array.isArray(value)) return use(value as T);
    for (const message of value) use(message as T);
  }

  /** Sends to one node at the end of this turn, with whatever else goes there; false when Redis refused it. */
  send(nodeId: string, message: NodeMessage): Promise<boolean> {
    let batch = this.#batches.get(nodeId);
    if (!batch) {
      let settle: (sent: boolean) => void = () => undefined;
      const sent = new Promise<boolean>((resolve) => (settle = resolve));
      batch = { messages: [], sent, settle };
      this.#batches.set(nodeId, batch);
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    }
    batch.messages.push(JSON.stringify(message));
    return batch.sent;
  }

  #flush(): void {
    this.#flushScheduled = false;
    for (const [nodeId, { messages, settle }] of this.#batches) {
      const payload = messages.length === 1 ? (messages[0] as string) : `[${messages.join(",")}]`;
      if (this.links?.write(nodeId, payload)) {
        this.sent.link++;
        settle(true);
        continue;
      }
      this.sent.redis++;
      this.publisher.publish(this.keys.inbox(nodeId), payload).then(
        () => settle(true),
        (error: unknown) => {
          this.logger.debug("node messages not sent", { to: nodeId, count: messages.length, err: (error as Error).message });
          settle(false);
        },
      );
    }
    this.#batches.clear();
  }

  notifyAll(notice: ClusterNotice): void {
    this.publisher.publish(this.keys.clusterChannel, JSON.stringify(notice)).catch(() => undefined);
  }
}
