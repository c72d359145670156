/**
 * The bridge's privileged connection to the gateway: one BridgeClient on /bridge. It reconnects by
 * itself (the SDK's full-jitter backoff); the bridge is ready exactly while it is connected. A
 * terminal refusal (a token of the wrong role, revoked) cannot cure itself: it is reported as fatal.
 */
import { BridgeClient, ConnectionState, type GatewayError } from "@care-gateway/client-sdk";
import type { Logger } from "@care-gateway/server";
import { bridgeTokenProvider } from "./bridge-token.js";
import type { BridgeConfig } from "./config.js";
import type { BridgeMetrics } from "./metrics.js";
import { Receipts } from "./receipts.js";

export interface GatewayLinkOptions {
  config: BridgeConfig;
  logger: Logger;
  metrics: BridgeMetrics;
  /** The connection was refused or closed for good (the SDK will not reconnect). */
  onFatal: (error: GatewayError) => void;
}

export class GatewayLink {
  readonly client: BridgeClient;
  /** Delivery receipts of this bridge's publishes. */
  readonly receipts: Receipts;
  readonly #logger: Logger;
  #closing = false;

  constructor(options: GatewayLinkOptions) {
    const { config, logger, metrics } = options;
    this.#logger = logger;
    this.client = new BridgeClient({
      url: config.gatewayUrl,
      token: bridgeTokenProvider(config.bridgeToken),
      backoff: config.reconnect,
      requestTimeoutMs: config.requestTimeoutMaxMs,
      // Many requests a second on one socket: one TCP write per turn of the event loop, not one per request.
      coalesceWrites: true,
    });
    this.receipts = new Receipts(this.client);
    const connection = this.client.connection;
    connection.on("state", (state, previous) => {
      metrics.gatewayConnected.set(state === ConnectionState.CONNECTED ? 1 : 0);
      if (state === ConnectionState.CONNECTED) {
        if (previous === ConnectionState.RECONNECTING) metrics.gatewayReconnects.inc();
        logger.info("gateway connected", { gateway: config.gatewayUrl, previous });
      }
      if (state === ConnectionState.CLOSED && !this.#closing) logger.error("gateway connection closed for good", { gateway: config.gatewayUrl });
    });
    connection.on("disconnect", (info) => {
      logger.warn("gateway connection lost", { reason: info.reason, ...(info.code ? { code: info.code } : {}), willReconnect: info.willReconnect });
    });
    connection.on("reconnecting", (info) => {
      logger.debug("gateway reconnect scheduled", { attempt: info.attempt, delayMs: info.delayMs, reason: info.reason });
    });
    connection.on("error", (error) => {
      if (this.#closing) return;
      logger.warn("gateway connection error", { code: error.code });
      if (this.client.state === ConnectionState.CLOSED) options.onFatal(error);
    });
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /** Starts connecting in the background; resolves once connected, rejects on a terminal refusal or close. */
  connect(): Promise<void> {
    const connected = this.client.connect();
    // The app does not wait for it (readiness says when it is up); a terminal refusal is reported through onFatal.
    connected.catch(() => undefined);
    return connected;
  }

  close(): void {
    this.#closing = true;
    this.client.close();
    this.#logger.debug("gateway connection closed");
  }
}
