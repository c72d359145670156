/**
 * Pub/sub between nodes: each node listens on its own inbox (targeted traffic) and on the cluster
 * channel (notices for everyone). Publishing never throws: with Redis away the message is lost and
 * the caller's own deadline answers for it.
 *
 * Inbox messages are batched: what is sent to one node during a turn of the event loop goes out as
 * one PUBLISH of a JSON array (a lone message as the object itself). Under load each forwarded
 * request and each reply was a PUBLISH of its own: a Redis command, a Promise, a write and a Redis
 * fan-out per message on both nodes. An inbox accepts both forms.
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

export class NodeChannels {
  readonly #batches = new Map<string, Batch>();
  #flushScheduled = false;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly keys: RedisKeys,
    private readonly nodeId: string,
    private readonly logger: Logger,
  ) {}

  async listen(handlers: NodeChannelHandlers): Promise<void> {
    const parse = <T>(raw: string, use: (value: T) => void) => {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (error) {
        this.logger.warn("malformed node message", { err: (error as Error).message });
        return;
      }
      if (!Array.isArray(value)) return use(value as T);
      for (const message of value) use(message as T);
    };
    await this.subscriber.subscribe(this.keys.inbox(this.nodeId), (raw) => parse(raw, handlers.onMessage));
    await this.subscriber.subscribe(this.keys.clusterChannel, (raw) => parse(raw, handlers.onNotice));
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
