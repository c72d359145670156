/**
 * Namespace middleware: every handshake shows a valid token whose role matches the namespace,
 * or is refused with a protocol code in `connect_error` before any handler runs.
 */
import { ConnectErrorCode, ERROR_MESSAGES, isEventId, type ConnectErrorData, type SocketRole } from "@care-gateway/shared";
import type { Socket } from "socket.io";
import type { KeyRate } from "../limits/caller-limits.js";
import type { AuditLog } from "../observability/audit-log.js";
import type { Logger } from "../observability/logger.js";
import type { GatewayMetrics } from "../observability/metrics.js";
import { isRevoked, type Revocations } from "./revocations.js";
import { AuthFailure, type TokenVerifier } from "./token-verifier.js";

export interface AuthMiddlewareDeps {
  verifier: TokenVerifier;
  metrics: GatewayMetrics;
  logger: Logger;
  isDraining: () => boolean;
  /** Handshakes per remote address; checked before any token work. */
  connectionRate: KeyRate;
  revocations: Revocations;
  audit: AuditLog;
}

export type Middleware = (socket: Socket, next: (err?: Error) => void) => void;

/** The error Socket.IO turns into `connect_error`: message is the code, data is `{ code, message }`. */
export function connectError(code: ConnectErrorCode): Error & { data: ConnectErrorData } {
  return Object.assign(new Error(code), { data: { code, message: ERROR_MESSAGES[code] } });
}

export function authMiddleware(role: SocketRole, namespace: string, deps: AuthMiddlewareDeps): Middleware {
  return async (socket, next) => {
    const refuse = (code: ConnectErrorCode) => {
      deps.metrics.authRefusals.inc({ namespace, code });
      deps.logger.info("handshake refused", { namespace, code, remote: socket.handshake.address });
      deps.audit.record({ action: "connection.refused", namespace, outcome: code, remote: socket.handshake.address });
      next(connectError(code));
    };
    if (deps.isDraining()) return refuse(ConnectErrorCode.SHUTTING_DOWN);
    if (!deps.connectionRate.allow(socket.handshake.address)) return refuse(ConnectErrorCode.RATE_LIMITED);
    const auth: unknown = socket.handshake.auth;
    const token = auth && typeof auth === "object" ? (auth as Record<string, unknown>)["token"] : undefined;
    try {
      const principal = await deps.verifier.verify(token);
      if (principal.role !== role) return refuse(ConnectErrorCode.AUTH_FORBIDDEN);
      if (isRevoked(principal, await deps.revocations.revokedAt(principal.sub))) return refuse(ConnectErrorCode.AUTH_INVALID);
      socket.data.principal = principal;
      if (role === "unit") {
        const lastEventId = (auth as Record<string, unknown>)["lastEventId"];
        if (isEventId(lastEventId)) socket.data.lastEventId = lastEventId;
      }
      next();
    } catch (error) {
      if (error instanceof AuthFailure) return refuse(error.code);
      deps.logger.error("handshake check failed", { namespace, err: error instanceof Error ? error.message : "unknown" });
      next(connectError(ConnectErrorCode.AUTH_INVALID));
    }
  };
}
