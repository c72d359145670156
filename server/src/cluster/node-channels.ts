/**
 * Pub/sub between nodes: each node listens on its own inbox (targeted traffic) and on the cluster
 * channel (notices for everyone). Publishing never throws: with Redis away the message is lost and
 * the caller's own deadline answers for it.
 */
import type { Logger } from "../observability/logger.js";
import type { ClusterNotice, NodeMessage } from "./node-messages.js";
import type { Redis } from "./redis-clients.js";
import type { RedisKeys } from "./redis-keys.js";

export interface NodeChannelHandlers {
  onMessage: (message: NodeMessage) => void;
  onNotice: (notice: ClusterNotice) => void;
}

export class NodeChannels {
  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly keys: RedisKeys,
    private readonly nodeId: string,
    private readonly logger: Logger,
  ) {}

  async listen(handlers: NodeChannelHandlers): Promise<void> {
    const parse = <T>(raw: string, use: (value: T) => void) => {
      try {
        use(JSON.parse(raw) as T);
      } catch (error) {
        this.logger.warn("malformed node message", { err: (error as Error).message });
      }
    };
    await this.subscriber.subscribe(this.keys.inbox(this.nodeId), (raw) => parse(raw, handlers.onMessage));
    await this.subscriber.subscribe(this.keys.clusterChannel, (raw) => parse(raw, handlers.onNotice));
  }

  /** Sends to one node; false when Redis refused it. */
  async send(nodeId: string, message: NodeMessage): Promise<boolean> {
    try {
      await this.publisher.publish(this.keys.inbox(nodeId), JSON.stringify(message));
      return true;
    } catch (error) {
      this.logger.debug("node message not sent", { to: nodeId, kind: message.kind, err: (error as Error).message });
      return false;
    }
  }

  notifyAll(notice: ClusterNotice): void {
    this.publisher.publish(this.keys.clusterChannel, JSON.stringify(notice)).catch(() => undefined);
  }
}
