/** What the routes work with; the app wires it. */
import type { BridgeClient } from "@care-gateway/client-sdk";
import type { Receipts } from "../receipts.js";
import type { ClientErrorCode, ErrorCode } from "@care-gateway/shared";
import type { MessageCatalogue } from "@care-gateway/shared/schemas";
import type { Registry } from "prom-client";

export interface Readiness {
  ready: boolean;
  /** Why not, when not ready: the /bridge socket is down, or the bridge is stopping. */
  reason?: typeof ClientErrorCode.NOT_CONNECTED | typeof ErrorCode.SHUTTING_DOWN;
}

export interface RouteDeps {
  instanceId: string;
  catalogue: MessageCatalogue;
  gateway: BridgeClient;
  /** Delivery receipts of this bridge's publishes. */
  receipts: Receipts;
  readiness: () => Readiness;
  metrics: Registry;
  /** The OpenAPI document, serialized once. */
  openapi: () => string;
}
