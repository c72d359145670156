/** Prometheus metrics of one bridge, in a registry of its own. Names are prefixed `care_bridge_`. */
import client from "prom-client";

export interface BridgeMetrics {
  registry: client.Registry;
  httpRequests: client.Counter<"route" | "method" | "status" | "code">;
  httpDuration: client.Histogram<"route" | "method">;
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
    httpRequests: new client.Counter({
      name: "care_bridge_http_requests_total",
      help: "HTTP requests by route pattern, method, status and error code (empty on success).",
      labelNames: ["route", "method", "status", "code"],
      registers,
    }),
    httpDuration: new client.Histogram({
      name: "care_bridge_http_request_duration_seconds",
      help: "Time from an HTTP request's arrival to its response.",
      labelNames: ["route", "method"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
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

/** Records an HTTP request; labelled children are looked up once per label set (prom-client hashes the labels on every call otherwise). */
export class HttpMetricsRecorder {
  readonly #counters = new Map<string, client.Counter.Internal>();
  readonly #histograms = new Map<string, client.Histogram.Internal<"route" | "method">>();

  constructor(private readonly metrics: BridgeMetrics) {}

  record(route: string, method: string, status: number, code: string, seconds: number): void {
    const key = `${method} ${route}`;
    const counterKey = `${key} ${status} ${code}`;
    let counter = this.#counters.get(counterKey);
    if (!counter) {
      counter = this.metrics.httpRequests.labels({ route, method, status: String(status), code });
      this.#counters.set(counterKey, counter);
    }
    counter.inc();
    let histogram = this.#histograms.get(key);
    if (!histogram) {
      histogram = this.metrics.httpDuration.labels({ route, method });
      this.#histograms.set(key, histogram);
    }
    histogram.observe(seconds);
  }
}
