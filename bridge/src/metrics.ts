/** Prometheus metrics of one bridge, in a registry of its own. Names are prefixed `care_bridge_`. */
import client from "prom-client";
import { HttpRequestMetrics } from "./http-request-metrics.js";

export interface BridgeMetrics {
  registry: client.Registry;
  /** care_bridge_http_requests_total and care_bridge_http_request_duration_seconds, recorded once per request. */
  http: HttpRequestMetrics;
  gatewayConnected: client.Gauge;
  gatewayReconnects: client.Counter;
  idempotencyReplays: client.Counter<"route">;
  idempotencyKeys: client.Gauge;
  idempotencyWaiting: client.Gauge;
  authRefusals: client.Counter<"code">;
}

export interface BridgeMetricsOptions {
  instanceId: string;
  processMetrics: boolean;
  /** Read at each scrape. */
  idempotencyKeys: () => number;
  idempotencyWaiting: () => number;
}

export function createBridgeMetrics(options: BridgeMetricsOptions): BridgeMetrics {
  const registry = new client.Registry();
  registry.setDefaultLabels({ instance_id: options.instanceId });
  if (options.processMetrics) client.collectDefaultMetrics({ register: registry, prefix: "care_bridge_" });
  const registers = [registry];
  return {
    registry,
    http: new HttpRequestMetrics(registers),
    gatewayConnected: new client.Gauge({ name: "care_bridge_gateway_connected", help: "1 while the /bridge socket to the gateway is connected.", registers }),
    gatewayReconnects: new client.Counter({ name: "care_bridge_gateway_reconnects_total", help: "Reconnections of the /bridge socket after a loss.", registers }),
    idempotencyReplays: new client.Counter({
      name: "care_bridge_idempotency_replays_total",
      help: "Requests answered with the outcome of an earlier request with the same Idempotency-Key.",
      labelNames: ["route"],
      registers,
    }),
    idempotencyKeys: new client.Gauge({
      name: "care_bridge_idempotency_keys",
      help: "Idempotency keys held (in flight and kept outcomes).",
      registers,
      collect() {
        this.set(options.idempotencyKeys());
      },
    }),
    idempotencyWaiting: new client.Gauge({
      name: "care_bridge_idempotency_waiting",
      help: "Retries waiting for the outcome of a first request with the same Idempotency-Key still in flight.",
      registers,
      collect() {
        this.set(options.idempotencyWaiting());
      },
    }),
    authRefusals: new client.Counter({ name: "care_bridge_auth_refusals_total", help: "Refused callers by code.", labelNames: ["code"], registers }),
  };
}
