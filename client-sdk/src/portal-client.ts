/** A staff member's browser on /portal: requests and subscriptions for the units its token lists. */
import { Namespace } from "@care-gateway/shared";
import { CallerClient } from "./caller-client.js";
import type { ClientOptions } from "./client-options.js";

export type PortalClientOptions = ClientOptions;

export class PortalClient extends CallerClient {
  constructor(options: PortalClientOptions) {
    super(options, Namespace.portal);
  }
}
