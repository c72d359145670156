/**
 * The node's Redis connections: one for commands (and the adapter's publishes), one subscriber for
 * the adapter, one subscriber for the node's own channels. Commands fail fast while Redis is away
 * (no offline queue), so nothing waits on a dead connection; the clients reconnect by themselves,
 * and node-redis resubscribes on reconnect.
 */
import { createClient, type RedisClientType } from "redis";
import type { Logger } from "../observability/logger.js";

export type Redis = RedisClientType;

const MAX_RECONNECT_DELAY_MS = 1000;

export interface RedisClients {
  command: Redis;
  adapterSub: Redis;
  channelSub: Redis;
  /** The command client with publish rejections caught, for the Socket.IO adapter. */
  adapterPub: Redis;
  /** True while every connection is up. */
  isReady(): boolean;
  close(): Promise<void>;
}

export async function connectRedis(url: string, nodeId: string, logger: Logger, onReady: () => void): Promise<RedisClients> {
  const make = (role: string): Redis => {
    const client = createClient({
      url,
      name: `care-gateway:${nodeId}:${role}`,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS), connectTimeout: 5000 },
    }) as Redis;
    let down = false;
    client.on("error", (error: Error) => {
      if (!down) logger.warn("redis connection lost", { client: role, err: error.message });
      down = true;
    });
    client.on("ready", () => {
      if (down) logger.info("redis connection restored", { client: role });
      down = false;
      onReady();
    });
    return client;
  };
  const command = make("command");
  const adapterSub = make("adapter-sub");
  const channelSub = make("channel-sub");
  const all = [command, adapterSub, channelSub];
  await Promise.all(all.map((client) => client.connect()));
  return {
    command,
    adapterSub,
    channelSub,
    adapterPub: withHandledPublish(command, (error) => logger.debug("adapter publish failed", { err: error.message })),
    isReady: () => all.every((client) => client.isReady),
    async close() {
      await Promise.all(all.map((client) => (client.isOpen ? client.quit().catch(() => client.disconnect()) : undefined)));
    },
  };
}

/**
 * The adapter publishes without handling rejections; with Redis down those would crash the process
 * (unhandled rejection). This view of the client catches them.
 */
function withHandledPublish(client: Redis, onError: (error: Error) => void): Redis {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (property === "publish" || property === "sPublish" || property === "PUBLISH") {
        return (...args: unknown[]) =>
          (value as (...a: unknown[]) => Promise<number>).apply(target, args).catch((error: Error) => {
            onError(error);
            return 0;
          });
      }
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
