/** The gateway's configuration: read once, validated, frozen. */
import type { Algorithm } from "jsonwebtoken";

export type LogFormat = "json" | "pretty";

export interface PublicKeyConfig {
  pem: string;
  algorithms: Algorithm[];
}

export interface JwtConfig {
  /** HS256 shared secret; the one `npm run token` signs with. */
  secret?: string;
  /** The secret being rotated out: still accepted (JWT_SECRET_PREVIOUS). */
  previousSecret?: string;
  /** PEM public keys (RSA or EC P-256); several during a rotation. */
  publicKeys: PublicKeyConfig[];
  /** Algorithms accepted with the secrets. */
  secretAlgorithms: Algorithm[];
  /** Algorithms accepted with the public keys (their union). */
  publicKeyAlgorithms: Algorithm[];
  /** Keys by `kid` from a JWKS endpoint. */
  jwks?: { url: string; cacheS: number; minRefetchS: number };
  issuer?: string;
  audience?: string;
  clockToleranceS: number;
  /** Where the key came from, for the start-up banner. */
  source: string;
  /** Set when the secret was generated for development: where it is kept. */
  devSecretFile?: string;
}

export interface GatewayConfig {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  nodeId: string;
  jwt: JwtConfig;
  requestTimeoutMs: number;
  requestTimeoutMaxMs: number;
  log: { level: string; format: LogFormat };
  /** Set: cluster mode. Unset: one node, no Redis. */
  redisUrl?: string;
  /** Prefix of every key and channel the gateway uses in Redis. */
  redisPrefix: string;
  /** A node's lease on its units: when it stops heartbeating, its units count as offline after this. */
  presenceLeaseMs: number;
  /**
   * Cluster: where this node listens for direct links from other nodes (their inbox messages skip
   * Redis pub/sub); `host` is also the address peers are told. Unset (NODE_LINKS=off): pub/sub only.
   */
  nodeLinks?: { host: string; port: number };
  /** Largest message a client may send, in bytes (Socket.IO maxHttpBufferSize). */
  maxMessageBytes: number;
  /** Occupancy is streamed to admins at most this often on change... */
  occupancyMinIntervalMs: number;
  /** ...and at least this often regardless. */
  occupancyIntervalMs: number;
  outbox: { maxEvents: number; maxAgeS: number };
  /** Browser origins allowed on /portal and /admin (exact matches); the gateway's own origin always is. */
  allowedOrigins: readonly string[];
  /** How long a client has to complete the namespace handshake. */
  connectTimeoutMs: number;
  /**
   * Pending TCP connections the kernel queues before the gateway accepts them (the kernel caps it at
   * net.core.somaxconn). Node's default is 511: when a node restarts and thousands of units
   * reconnect at once, connections past it are dropped and retried by TCP 1, 3, 7 s later.
   */
  listenBacklog: number;
  limits: LimitsConfig;
  /** `auth:expiring` goes out this long before a token's `exp`. */
  authExpiringNoticeS: number;
  /** On SIGTERM/SIGINT, how long requests in flight may take before they end SHUTTING_DOWN. */
  shutdownGraceMs: number;
  /** Clients are told to reconnect elsewhere after a random delay up to this (spreads the reconnects). */
  drainSpreadMs: number;
  /** Serve /metrics on this port instead of the gateway's (keeps metrics off the public listener). */
  metricsPort?: number;
  /** How long a revocation is remembered: at least the longest token lifetime. */
  revocationTtlS: number;
  /** Where the audit log goes; unset: stdout, tagged `"audit": true`. */
  auditLogFile?: string;
  /** Collect Node's default process metrics (one collector per process is enough). */
  processMetrics: boolean;
  /**
   * Whose sockets get their packets of one event-loop turn written in one TCP write
   * (connections/turn-writes.ts): /bridge sockets, every socket, or none.
   */
  writeCoalescing: WriteCoalescing;
}

export type WriteCoalescing = "off" | "bridge" | "all";

export interface CallerLimits {
  /** Requests (and publishes) per second per socket. */
  ratePerS: number;
  /** Requests in flight per socket. */
  maxInFlight: number;
}

export interface LimitsConfig {
  portal: CallerLimits;
  bridge: CallerLimits;
  /** Upstream events per second per unit. */
  unitEventsPerS: number;
  /** Handshakes per minute per remote address (all namespaces). */
  connectionsPerMinPerIp: number;
}
