/**
 * A connected socket's token lifecycle: `auth:expiring { exp }` shortly before the token expires,
 * `auth:refresh { token }` to extend it (same sub and role), and a disconnect with AUTH_EXPIRED
 * when it runs out unrefreshed.
 */
import { ConnectErrorCode, DisconnectCode, ERROR_MESSAGES, ErrorCode, EventName, type AuthRefreshArgs, type AuthRefreshReply } from "@care-gateway/shared";
import { authRefreshArgsSchema } from "@care-gateway/shared/schemas";
import type { Socket } from "socket.io";
import type { SocketData } from "../connections/socket-types.js";
import { ackListener, type ListenerContext } from "../messages/ack-listener.js";
import { errorReply } from "../messages/replies.js";
import type { Principal } from "./principal.js";
import { isRevoked, type Revocations } from "./revocations.js";
import { AuthFailure, type TokenVerifier } from "./token-verifier.js";

/** setTimeout's longest delay; later deadlines are reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface TokenLifecycleDeps {
  verifier: TokenVerifier;
  revocations: Revocations;
  noticeS: number;
  clockToleranceS: number;
  context: ListenerContext;
  /** The principal was replaced by a refreshed token (a portal's units may have changed). */
  onRefreshed?: (principal: Principal) => void;
}

export function watchTokenLifecycle(socket: Socket, deps: TokenLifecycleDeps): void {
  const data = socket.data as SocketData;
  let noticeTimer: NodeJS.Timeout | undefined;
  let expiryTimer: NodeJS.Timeout | undefined;

  const at = (when: number, run: () => void): NodeJS.Timeout => {
    const delay = when - Date.now();
    if (delay > MAX_TIMER_MS) return setTimeout(() => (expiryTimer = at(when, run)), MAX_TIMER_MS);
    return setTimeout(run, Math.max(0, delay));
  };
  const schedule = () => {
    clearTimeout(noticeTimer);
    clearTimeout(expiryTimer);
    const { exp } = data.principal;
    noticeTimer = at((exp - deps.noticeS) * 1000, () => socket.emit(EventName.AUTH_EXPIRING, { exp }));
    expiryTimer = at((exp + deps.clockToleranceS) * 1000, () => {
      deps.context.logger.info("token expired", { namespace: deps.context.namespace, sub: data.principal.sub, role: data.principal.role, session: socket.id });
      socket.emit(EventName.SERVER_DISCONNECT, { code: DisconnectCode.AUTH_EXPIRED, message: ERROR_MESSAGES.AUTH_EXPIRED });
      socket.disconnect(true);
    });
  };

  socket.on(
    EventName.AUTH_REFRESH,
    ackListener<AuthRefreshArgs, AuthRefreshReply>(deps.context, EventName.AUTH_REFRESH, authRefreshArgsSchema, async ({ token }, respond) => {
      let next: Principal;
      try {
        next = await deps.verifier.verify(token);
      } catch (error) {
        const code = error instanceof AuthFailure ? error.code : ConnectErrorCode.AUTH_INVALID;
        return respond(errorReply(ErrorCode.FORBIDDEN, { auth: code }));
      }
      const current = data.principal;
      if (next.sub !== current.sub || next.role !== current.role) return respond(errorReply(ErrorCode.FORBIDDEN, { auth: ConnectErrorCode.AUTH_FORBIDDEN }));
      if (isRevoked(next, await deps.revocations.revokedAt(next.sub))) return respond(errorReply(ErrorCode.FORBIDDEN, { auth: ConnectErrorCode.AUTH_INVALID }));
      data.principal = next;
      schedule();
      deps.onRefreshed?.(next);
      respond({ ok: true, exp: next.exp });
    }),
  );
  socket.on("disconnect", () => {
    clearTimeout(noticeTimer);
    clearTimeout(expiryTimer);
  });
  schedule();
}
