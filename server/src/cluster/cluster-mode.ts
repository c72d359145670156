/**
 * Cluster mode, assembled: Redis connections, the Socket.IO Redis adapter, presence with node
 * leases, targeted routing on node inboxes, the Redis Streams outbox and the cluster view. The
 * composition root plugs these into the same modules single-node mode uses.
 */
import { createAdapter } from "@socket.io/redis-adapter";
import type { ConnectionCounts } from "@care-gateway/shared";
import client from "prom-client";
import type { Server } from "socket.io";
import { RedisRevocations } from "../auth/revocations.js";
import type { GatewayConfig } from "../config/gateway-config.js";
import type { UnitLocation } from "../connections/presence.js";
import type { RetentionPolicy, StoredEvent } from "../delivery/outbox.js";
import type { Logger } from "../observability/logger.js";
import { NodeChannels, type SentBatches } from "./node-channels.js";
import { NodeLinkListener } from "./node-link-listener.js";
import { parseLinkAddress, type LinkAddress } from "./node-link-wire.js";
import { NodeLinks } from "./node-links.js";
import type { NodeMessage } from "./node-messages.js";
import { NodeLease } from "./node-lease.js";
import { connectRedis, type RedisClients } from "./redis-clients.js";
import { RedisClusterView } from "./redis-cluster-view.js";
import { RedisKeys } from "./redis-keys.js";
import { RedisOutbox } from "./redis-outbox.js";
import { RedisPresence } from "./redis-presence.js";
import { RedisRoute, type ForwardedRequestHandler } from "./redis-route.js";
import { LocationCache } from "./location-cache.js";

/** How long a unit's location is trusted without asking Redis (stale hits are passed on by the old node). */
const LOCATION_CACHE_MS = 1000;

export interface ClusterHooks {
  /** Whether the unit is connected to this node now. */
  isLocal: (unitId: string) => boolean;
  /** The units connected to this node now, to re-assert after Redis forgot them. */
  localUnits: () => UnitLocation[];
  localCounts: () => ConnectionCounts;
  router: () => ForwardedRequestHandler & { nodeLost(nodeId: string): void };
  /** Deliver what waits in a local unit's outbox. */
  pump: (unitId: string) => void;
  /** Presence changed on another node (or ours was re-asserted): refresh occupancy. */
  presenceChanged: () => void;
}

export interface ClusterMode {
  presence: RedisPresence;
  /** Presence with unit locations remembered for a second: for the request path only. */
  cachedPresence: LocationCache;
  revocations: RedisRevocations;
  outbox: RedisOutbox;
  route: RedisRoute;
  view: RedisClusterView;
  isRedisReady(): boolean;
  /** Wakes the unit's delivery on its node; `event`, just appended, travels with it. */
  wakeRemote(nodeId: string, unitId: string, event?: StoredEvent): boolean;
  /** Tell every node that presence changed here. */
  announcePresence(): void;
  start(hooks: ClusterHooks): Promise<void>;
  stop(): Promise<void>;
}

export async function createClusterMode(config: GatewayConfig, io: Server, retention: RetentionPolicy, logger: Logger, registry?: client.Registry): Promise<ClusterMode> {
  const url = config.redisUrl;
  if (!url) throw new Error("cluster mode needs REDIS_URL");
  const keys = new RedisKeys(config.redisPrefix);
  let hooks: ClusterHooks | undefined;
  const late: { lease?: NodeLease } = {};
  const clients: RedisClients = await connectRedis(url, config.nodeId, logger, () => {
    // A connection came back: beat at once, so a Redis that restarted empty learns our units again.
    void late.lease?.beat();
  });
  io.adapter(createAdapter(clients.adapterPub, clients.adapterSub, { key: keys.adapter }));

  const presence = new RedisPresence(clients.command, keys);
  const links = config.nodeLinks
    ? new NodeLinks({ nodeId: config.nodeId, logger, lookup: async (nodeId) => parseLinkAddress(await clients.command.get(keys.link(nodeId))) })
    : undefined;
  const channels = new NodeChannels(clients.command, clients.channelSub, keys, config.nodeId, logger, links);
  if (registry) countSentBatches(registry, channels.sent);
  const listener = config.nodeLinks ? new NodeLinkListener((line) => channels.receive(line), logger) : undefined;
  let linkAddress: LinkAddress | undefined;
  const advertiseLink = async () => {
    if (linkAddress) await clients.command.set(keys.link(config.nodeId), JSON.stringify(linkAddress));
  };
  const route = new RedisRoute(channels, config.nodeId, {
    locate: (unitId) => presence.locate(unitId),
    isLocal: (unitId) => hooks?.isLocal(unitId) ?? false,
  });
  const cachedPresence = new LocationCache(presence, LOCATION_CACHE_MS);
  const liveLease = new NodeLease({
    redis: clients.command,
    keys,
    nodeId: config.nodeId,
    leaseMs: config.presenceLeaseMs,
    localCounts: () => hooks?.localCounts() ?? { units: 0, portal: 0, bridge: 0, admin: 0 },
    logger,
    onLeaseCreated: async () => {
      await advertiseLink();
      if (!hooks) return;
      const units = hooks.localUnits();
      if (units.length > 0) logger.info("re-asserting presence", { units: units.length });
      await presence.reassert(units);
      channels.notifyAll({ kind: "presence", from: config.nodeId });
    },
    onNodesLost: (nodeIds) => {
      cachedPresence.forget();
      for (const nodeId of nodeIds) links?.drop(nodeId);
      for (const nodeId of nodeIds) hooks?.router().nodeLost(nodeId);
      hooks?.presenceChanged();
    },
  });
  late.lease = liveLease;

  const outbox = new RedisOutbox(clients.command, keys, retention);
  const onMessage = (message: NodeMessage) => {
    if (!hooks) return;
    if (route.handle(message, hooks.router())) return;
    if (message.kind !== "pump") return;
    // What the wake-up carried lets the unit's delivery skip reading it back (see carried-events.ts).
    if (hooks.isLocal(message.unitId)) outbox.carry(message.unitId, Array.isArray(message.events) ? message.events : []);
    hooks.pump(message.unitId);
  };

  return {
    presence,
    cachedPresence,
    revocations: new RedisRevocations(clients.command, keys, config.revocationTtlS * 1000),
    outbox,
    route,
    view: new RedisClusterView(liveLease),
    isRedisReady: () => clients.isReady(),
    wakeRemote(nodeId, unitId, event) {
      if (nodeId === config.nodeId) return false;
      void channels.send(nodeId, event ? { kind: "pump", unitId, events: [event] } : { kind: "pump", unitId });
      return true;
    },
    // Our lease carries our counts: refresh it first, so the others read them current.
    announcePresence: () => void liveLease.beat().then(() => channels.notifyAll({ kind: "presence", from: config.nodeId })),
    async start(h) {
      hooks = h;
      if (listener && config.nodeLinks) {
        linkAddress = await listener.listen(config.nodeLinks.host, config.nodeLinks.port);
        // Now, not only when the lease is created: a node restarted under the same NODE_ID within the
        // lease finds its old lease, and peers must not keep the old process's address.
        await advertiseLink().catch((error: unknown) => logger.warn("node link address not written", { err: (error as Error).message }));
      }
      await channels.listen({
        onMessage,
        onNotice: (notice) => {
          if (notice.from === config.nodeId) return;
          cachedPresence.forget();
          void liveLease.beat().then(() => hooks?.presenceChanged());
        },
      });
      await liveLease.start();
    },
    async stop() {
      links?.close();
      await liveLease.stop();
      if (linkAddress) await clients.command.del(keys.link(config.nodeId)).catch(() => undefined);
      await listener?.close();
      await clients.close();
    },
  };
}

/** care_gateway_node_batches_total: inbox batches sent to other nodes, by the way they went. */
function countSentBatches(registry: client.Registry, sent: SentBatches): void {
  new client.Counter({
    name: "care_gateway_node_batches_total",
    help: "Batches of messages sent to other nodes' inboxes, by the way they went: a direct link or Redis pub/sub.",
    labelNames: ["via"],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ via: "link" }, sent.link);
      this.inc({ via: "redis" }, sent.redis);
    },
  });
}
