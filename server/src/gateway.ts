/**
 * The composition root: `createGateway(config)` wires every module and returns `{ start(), stop() }`.
 * Nothing else wires modules together. Single node: in-memory presence and outbox. Cluster
 * (`REDIS_URL`): the same modules over Redis, plus the Socket.IO Redis adapter.
 */
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ConnectErrorCode, ErrorCode, Namespace, SOCKET_IO_PATH, type ConnectionCounts } from "@care-gateway/shared";
import { createDefaultCatalogue, type MessageCatalogue } from "@care-gateway/shared/schemas";
import { Server, type Namespace as IoNamespace } from "socket.io";
import { authMiddleware } from "./auth/auth-middleware.js";
import { JwksKeys } from "./auth/jwks-keys.js";
import { OriginPolicy } from "./auth/origin-policy.js";
import { MemoryRevocations, type Revocations } from "./auth/revocations.js";
import { TokenVerifier } from "./auth/token-verifier.js";
import { createClusterMode, type ClusterMode } from "./cluster/cluster-mode.js";
import type { GatewayConfig } from "./config/gateway-config.js";
import { Broadcasts } from "./connections/broadcasts.js";
import { SingleNodeView, type ClusterView } from "./connections/cluster-view.js";
import { closeClients, drain } from "./connections/drain.js";
import { LocalPresence } from "./connections/local-presence.js";
import { coalesceTurnWrites } from "./connections/turn-writes.js";
import { OccupancyService } from "./connections/occupancy.js";
import type { Presence } from "./connections/presence.js";
import type { AdminNamespace, BridgeNamespace, PortalNamespace, UnitsNamespace } from "./connections/socket-types.js";
import { UnitSessions } from "./connections/unit-sessions.js";
import { MemoryOutbox } from "./delivery/memory-outbox.js";
import type { Outbox, RetentionPolicy, StoredEvent } from "./delivery/outbox.js";
import { Publisher } from "./delivery/publisher.js";
import { createHttpServer } from "./http/http-server.js";
import { DEFAULT_WEB_ROOT, StaticFiles } from "./http/static-files.js";
import { KeyRate, SocketCallLimits } from "./limits/caller-limits.js";
import { attachAdminNamespace } from "./namespaces/admin-namespace.js";
import { attachBridgeNamespace } from "./namespaces/bridge-namespace.js";
import type { NamespaceDeps } from "./namespaces/namespace-deps.js";
import { attachPortalNamespace } from "./namespaces/portal-namespace.js";
import { attachUnitsNamespace } from "./namespaces/units-namespace.js";
import { createAuditLog, type AuditLog } from "./observability/audit-log.js";
import { createLogger, type Logger } from "./observability/logger.js";
import { createMetrics, type GatewayMetrics } from "./observability/metrics.js";
import { RequestStatsWindow } from "./observability/request-stats.js";
import { PendingRequests } from "./routing/pending-requests.js";
import { RequestRouter } from "./routing/request-router.js";

export interface GatewayOptions {
  logger?: Logger;
  /** Where audit records go; AUDIT_LOG_FILE or stdout by default. */
  audit?: AuditLog;
  /** A catalogue with the deployment's own types registered; version 1's by default. */
  catalogue?: MessageCatalogue;
  /** Where the admin page and the portal example are served from (`web/dist` by default); false: not served. */
  webRoot?: string | false;
}

export interface Gateway {
  readonly config: GatewayConfig;
  readonly metrics: GatewayMetrics;
  /** Connects to Redis in cluster mode, then listens on the configured host and port (0 picks a free one). */
  start(): Promise<{ port: number; url: string; metricsPort?: number }>;
  /** Refuses new work, ends requests in flight with SHUTTING_DOWN, closes every socket and the port. */
  stop(): Promise<void>;
  /** Requests in flight on this node (0 when traffic has stopped). */
  pendingRequests(): number;
}

/** What differs between one node and a cluster. */
interface StateBackend {
  presence: Presence;
  outbox: Outbox;
  revocations: Revocations;
  view: ClusterView;
  cluster?: ClusterMode;
}

export function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Gateway {
  const logger = options.logger ?? createLogger({ ...config.log, nodeId: config.nodeId });
  const catalogue = options.catalogue ?? createDefaultCatalogue();
  const ownAudit = options.audit === undefined;
  const audit =
    options.audit ??
    createAuditLog({
      nodeId: config.nodeId,
      ...(config.auditLogFile ? { file: config.auditLogFile } : {}),
      onError: (error) => logger.error("audit log write failed", { err: error.message }),
    });
  const retention: RetentionPolicy = { maxEvents: config.outbox.maxEvents, maxAgeMs: config.outbox.maxAgeS * 1000 };
  let draining = false;
  let backend: StateBackend | undefined;
  const isDraining = () => draining;

  const metrics = createMetrics({
    processMetrics: config.processMetrics,
    nodeId: config.nodeId,
    connectionCounts: () => localCounts(),
    redisUp: () => (backend?.cluster ? Number(backend.cluster.isRedisReady()) : undefined),
    draining: () => Number(draining),
    outboxDepths: async () => (backend ? backend.outbox.depths() : new Map()),
  });
  const readiness = () => {
    const redis = backend?.cluster ? backend.cluster.isRedisReady() : true;
    return { ready: !draining && redis, checks: { accepting: !draining, ...(backend?.cluster ? { redis } : {}) } };
  };
  const httpDeps = { nodeId: config.nodeId, metrics: metrics.registry, readiness };
  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  const staticFiles = webRoot === false ? undefined : new StaticFiles(webRoot);
  const http = createHttpServer({ ...httpDeps, serveMetrics: config.metricsPort === undefined, ...(staticFiles ? { staticFiles } : {}) });
  const metricsHttp = config.metricsPort === undefined ? undefined : createHttpServer({ ...httpDeps, serveMetrics: true });
  const originPolicy = new OriginPolicy(config.allowedOrigins);
  const jwks = config.jwt.jwks
    ? new JwksKeys({ url: config.jwt.jwks.url, cacheMs: config.jwt.jwks.cacheS * 1000, minRefetchMs: config.jwt.jwks.minRefetchS * 1000, logger })
    : undefined;
  const verifier = new TokenVerifier(config.jwt, jwks);
  const io = new Server(http, {
    path: SOCKET_IO_PATH,
    serveClient: false,
    transports: config.redisUrl ? ["websocket"] : ["polling", "websocket"],
    maxHttpBufferSize: config.maxMessageBytes,
    connectTimeout: config.connectTimeoutMs,
    // Browsers only from allowed origins (and our own), refused with 403 before any token work.
    allowRequest: (req, callback) => callback(originPolicy.allows(req) ? null : ConnectErrorCode.ORIGIN_FORBIDDEN, originPolicy.allows(req)),
    ...(originPolicy.corsOrigins.length > 0 ? { cors: { origin: originPolicy.corsOrigins, credentials: false } } : {}),
    pingInterval: 10_000,
    pingTimeout: 5_000,
  });
  // Each Engine.IO connection keeps its first HTTP request (headers, socket, parser state) for its
  // whole life; nothing here reads it after the handshake (socket.handshake is built without it),
  // so drop it: the memory of 20,000 idle units is mostly per-connection state like this.
  io.engine.on("connection", (raw: { request: unknown }) => {
    raw.request = null;
  });
  const units = io.of(Namespace.unit) as unknown as UnitsNamespace;
  const portal = io.of(Namespace.portal) as unknown as PortalNamespace;
  const bridge = io.of(Namespace.bridge) as unknown as BridgeNamespace;
  const admin = io.of(Namespace.admin) as unknown as AdminNamespace;
  const localCounts = (): ConnectionCounts => ({
    units: units.sockets.size,
    portal: portal.sockets.size,
    bridge: bridge.sockets.size,
    admin: admin.sockets.size,
  });
  const sessions = new UnitSessions();
  const pending = new PendingRequests();
  const requestStats = new RequestStatsWindow({ inFlight: () => pending.size });
  let router: RequestRouter | undefined;
  let occupancy: OccupancyService | undefined;

  async function createBackend(): Promise<StateBackend> {
    if (!config.redisUrl) {
      const presence = new LocalPresence();
      return {
        presence,
        outbox: new MemoryOutbox(retention),
        revocations: new MemoryRevocations(config.revocationTtlS * 1000),
        view: new SingleNodeView(config.nodeId, localCounts, () => requestStats.snapshot()),
      };
    }
    const cluster = await createClusterMode(config, io, retention, logger, metrics.registry);
    cluster.view.reportRequests(() => requestStats.snapshot());
    return { presence: cluster.presence, outbox: cluster.outbox, revocations: cluster.revocations, view: cluster.view, cluster };
  }

  function wire(state: StateBackend): void {
    const { presence, outbox, cluster } = state;
    router = new RequestRouter({
      nodeId: config.nodeId,
      catalogue,
      sessions,
      presence: cluster ? cluster.cachedPresence : presence,
      pending,
      ...(cluster ? { remote: cluster.route } : {}),
      timeouts: { defaultMs: config.requestTimeoutMs, maxMs: config.requestTimeoutMaxMs },
      metrics,
      logger,
      isDraining,
    });
    occupancy = new OccupancyService({
      presence,
      cluster: state.view,
      admin,
      minIntervalMs: config.occupancyMinIntervalMs,
      intervalMs: config.occupancyIntervalMs,
      logger,
      requests: requestStats,
      ...(cluster ? { announce: () => cluster.announcePresence() } : {}),
    });
    const deps: NamespaceDeps = {
      nodeId: config.nodeId,
      catalogue,
      sessions,
      presence,
      router,
      outbox,
      publisher: new Publisher({
        catalogue,
        outbox,
        sessions,
        presence,
        metrics,
        isDraining,
        ...(cluster ? { wakeRemote: (nodeId: string, unitId: string, event?: StoredEvent) => cluster.wakeRemote(nodeId, unitId, event) } : {}),
      }),
      broadcasts: new Broadcasts(portal, bridge),
      occupancy,
      metrics,
      logger,
      verifier,
      tokens: { noticeS: config.authExpiringNoticeS, clockToleranceS: config.jwt.clockToleranceS },
      limits: {
        portal: new SocketCallLimits(config.limits.portal),
        bridge: new SocketCallLimits(config.limits.bridge),
        unitEvents: new KeyRate(config.limits.unitEventsPerS, 1),
      },
      revocations: state.revocations,
      audit,
    };
    const authDeps = {
      verifier,
      metrics,
      logger,
      isDraining,
      connectionRate: new KeyRate(config.limits.connectionsPerMinPerIp, 60),
      revocations: state.revocations,
      audit,
    };
    units.use(authMiddleware("unit", Namespace.unit, authDeps));
    portal.use(authMiddleware("portal", Namespace.portal, authDeps));
    bridge.use(authMiddleware("bridge", Namespace.bridge, authDeps));
    admin.use(authMiddleware("admin", Namespace.admin, authDeps));
    const all = [units, portal, bridge, admin] as unknown as IoNamespace[];
    if (config.writeCoalescing !== "off") {
      const coalesced = config.writeCoalescing === "all" ? all : [bridge as unknown as IoNamespace];
      for (const ns of coalesced) ns.on("connection", (socket) => coalesceTurnWrites(socket.conn));
    }
    attachUnitsNamespace(units, deps);
    attachPortalNamespace(portal, deps);
    attachBridgeNamespace(bridge, all, deps);
    attachAdminNamespace(admin, units, all, deps);
  }

  async function listen(server: HttpServer, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ port, host: config.host, backlog: config.listenBacklog }, () => {
        server.off("error", reject);
        resolve();
      });
    });
    return (server.address() as AddressInfo).port;
  }

  let stopped: Promise<void> | undefined;
  return {
    config,
    metrics,
    pendingRequests: () => pending.size,
    async start() {
      await jwks?.start();
      backend = await createBackend();
      wire(backend);
      const liveRouter = router as RequestRouter;
      const liveOccupancy = occupancy as OccupancyService;
      await backend.cluster?.start({
        isLocal: (unitId) => sessions.get(unitId) !== undefined,
        localUnits: () =>
          [...sessions.unitIds()].flatMap((unitId) => {
            const session = sessions.get(unitId);
            return session ? [{ unitId, nodeId: config.nodeId, sessionId: session.sessionId, connectedAt: session.connectedAt }] : [];
          }),
        localCounts,
        router: () => liveRouter,
        pump: (unitId) => sessions.get(unitId)?.delivery.pump(),
        presenceChanged: () => liveOccupancy.changed(false),
      });
      liveOccupancy.start();
      const port = await listen(http, config.port);
      const metricsPort = metricsHttp && config.metricsPort !== undefined ? await listen(metricsHttp, config.metricsPort) : undefined;
      const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
      const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
      logger.info("gateway started", { port, ...(metricsPort !== undefined ? { metricsPort } : {}), mode: config.redisUrl ? "cluster" : "single node" });
      return { port, url, ...(metricsPort !== undefined ? { metricsPort } : {}) };
    },
    stop() {
      stopped ??= (async () => {
        draining = true;
        const all = [units, portal, bridge, admin] as unknown as IoNamespace[];
        logger.info("draining", { inFlight: pending.size, graceMs: config.shutdownGraceMs });
        await drain({ namespaces: all, inFlight: () => pending.size, graceMs: config.shutdownGraceMs, spreadMs: config.drainSpreadMs });
        router?.endAll(ErrorCode.SHUTTING_DOWN);
        await closeClients(all, () => io.engine.clientsCount);
        occupancy?.stop();
        if (metricsHttp?.listening) await new Promise((resolve) => metricsHttp.close(resolve));
        await new Promise<void>((resolve) => {
          io.close(() => resolve());
        });
        await backend?.presence.close();
        await backend?.outbox.close();
        await backend?.cluster?.stop();
        if (ownAudit) await audit.close?.();
        metrics.registry.clear();
        logger.info("gateway stopped");
      })();
      return stopped;
    },
  };
}
