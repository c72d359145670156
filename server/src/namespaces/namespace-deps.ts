/** What the namespace handlers are given by the composition root. */
import type { MessageCatalogue } from "@care-gateway/shared/schemas";
import type { Revocations } from "../auth/revocations.js";
import type { TokenVerifier } from "../auth/token-verifier.js";
import type { Broadcasts } from "../connections/broadcasts.js";
import type { OccupancyService } from "../connections/occupancy.js";
import type { Presence } from "../connections/presence.js";
import type { UnitSessions } from "../connections/unit-sessions.js";
import type { Outbox } from "../delivery/outbox.js";
import type { Publisher } from "../delivery/publisher.js";
import type { AuditLog } from "../observability/audit-log.js";
import type { Logger } from "../observability/logger.js";
import type { GatewayMetrics } from "../observability/metrics.js";
import type { KeyRate, SocketCallLimits } from "../limits/caller-limits.js";
import type { RequestRouter } from "../routing/request-router.js";

export interface NamespaceDeps {
  nodeId: string;
  catalogue: MessageCatalogue;
  sessions: UnitSessions;
  presence: Presence;
  router: RequestRouter;
  outbox: Outbox;
  publisher: Publisher;
  broadcasts: Broadcasts;
  occupancy: OccupancyService;
  metrics: GatewayMetrics;
  logger: Logger;
  verifier: TokenVerifier;
  tokens: { noticeS: number; clockToleranceS: number };
  limits: { portal: SocketCallLimits; bridge: SocketCallLimits; unitEvents: KeyRate };
  revocations: Revocations;
  audit: AuditLog;
}
