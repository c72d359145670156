/** Prometheus metrics of one gateway, in a registry of its own. Names are prefixed `care_gateway_`. */
import type { ConnectionCounts } from "@care-gateway/shared";
import client from "prom-client";
import { RequestOutcomes } from "./request-outcomes.js";

export interface GatewayMetrics {
  registry: client.Registry;
  connections: client.Gauge<"namespace">;
  unitsOnline: client.Gauge;
  /** care_gateway_requests_total and care_gateway_request_duration_seconds. */
  requestOutcomes: RequestOutcomes;
  requestsInFlight: client.Gauge;
  lateAnswers: client.Counter;
  authRefusals: client.Counter<"namespace" | "code">;
  droppedMessages: client.Counter<"namespace" | "reason">;
  eventsUpstream: client.Counter<"outcome">;
  eventsPublished: client.Counter;
  eventsDelivered: client.Counter;
  eventsReplayed: client.Counter;
  outboxGaps: client.Counter;
  receipts: client.Counter;
  supersededSessions: client.Counter;
  redisUp: client.Gauge;
  outboxDepth: client.Gauge<"unit">;
  draining: client.Gauge;
}

export interface MetricsOptions {
  processMetrics: boolean;
  nodeId: string;
  /** Read at each scrape. */
  connectionCounts: () => ConnectionCounts;
  /** Read at each scrape: 1 while every Redis connection is up, 0 otherwise; undefined on a single node. */
  redisUp: () => number | undefined;
  /** Read at each scrape: 1 while the node drains. */
  draining: () => number;
  /** Read at each scrape: waiting events per unit. */
  outboxDepths: () => Promise<Map<string, number>>;
}

/** Seconds. */
const REQUEST_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** How many units get an outbox-depth series of their own. */
const OUTBOX_TOP_UNITS = 10;

export function createMetrics(options: MetricsOptions): GatewayMetrics {
  const registry = new client.Registry();
  registry.setDefaultLabels({ node: options.nodeId });
  if (options.processMetrics) client.collectDefaultMetrics({ register: registry, prefix: "care_gateway_" });
  const registers = [registry];
  return {
    registry,
    connections: new client.Gauge({
      name: "care_gateway_connections",
      help: "Open sockets on this node by namespace.",
      labelNames: ["namespace"],
      registers,
      collect() {
        for (const [namespace, count] of Object.entries(options.connectionCounts())) this.set({ namespace }, count);
      },
    }),
    unitsOnline: new client.Gauge({ name: "care_gateway_units_online", help: "Units with a live connection on this node.", registers }),
    requestOutcomes: new RequestOutcomes(registers, REQUEST_DURATION_BUCKETS),
    requestsInFlight: new client.Gauge({ name: "care_gateway_requests_in_flight", help: "Requests waiting for an outcome.", registers }),
    lateAnswers: new client.Counter({ name: "care_gateway_late_answers_total", help: "Unit answers that arrived after their request had ended; dropped.", registers }),
    authRefusals: new client.Counter({ name: "care_gateway_auth_refusals_total", help: "Refused handshakes by namespace and code.", labelNames: ["namespace", "code"], registers }),
    droppedMessages: new client.Counter({ name: "care_gateway_dropped_messages_total", help: "Client messages dropped without an answer (no ack callback, unknown event).", labelNames: ["namespace", "reason"], registers }),
    eventsUpstream: new client.Counter({ name: "care_gateway_unit_events_total", help: "Upstream unit events by outcome.", labelNames: ["outcome"], registers }),
    eventsPublished: new client.Counter({ name: "care_gateway_events_published_total", help: "Downstream publishes accepted from the bridge.", registers }),
    eventsDelivered: new client.Counter({ name: "care_gateway_events_delivered_total", help: "Downstream events sent to unit sockets.", registers }),
    eventsReplayed: new client.Counter({
      name: "care_gateway_events_replayed_total",
      help: "Downstream events sent again or late at a unit's (re)connect: published while it was away or not acknowledged before it left.",
      registers,
    }),
    outboxGaps: new client.Counter({ name: "care_gateway_outbox_gaps_total", help: "Units told event:gap: retention dropped events they had not acknowledged.", registers }),
    receipts: new client.Counter({ name: "care_gateway_delivery_receipts_total", help: "delivery:receipt notices sent to the bridge.", registers }),
    outboxDepth: new client.Gauge({
      name: "care_gateway_outbox_depth",
      help: `Events waiting for a unit's acknowledgement: the ${OUTBOX_TOP_UNITS} deepest outboxes by unit (unit="*" is the sum over all units).`,
      labelNames: ["unit"],
      registers,
      async collect() {
        const depths = await options.outboxDepths().catch(() => undefined);
        if (!depths) return;
        this.reset();
        let total = 0;
        for (const depth of depths.values()) total += depth;
        this.set({ unit: "*" }, total);
        const top = [...depths].filter(([, d]) => d > 0).sort((a, b) => b[1] - a[1]).slice(0, OUTBOX_TOP_UNITS);
        for (const [unit, depth] of top) this.set({ unit }, depth);
      },
    }),
    redisUp: new client.Gauge({
      name: "care_gateway_redis_up",
      help: "1 while every Redis connection of this node is up (cluster mode only).",
      registers,
      collect() {
        const up = options.redisUp();
        if (up !== undefined) this.set(up);
      },
    }),
    draining: new client.Gauge({
      name: "care_gateway_draining",
      help: "1 while this node drains before stopping.",
      registers,
      collect() {
        this.set(options.draining());
      },
    }),
    supersededSessions: new client.Counter({ name: "care_gateway_superseded_sessions_total", help: "Unit sockets closed because a newer connection of the same unit arrived.", registers }),
  };
}
