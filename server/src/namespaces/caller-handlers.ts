/** What portals and the bridge both do: request a unit, subscribe to and unsubscribe from units. */
import { EventName, Role, type RequestEnvelope, type SubscribeArgs, type SubscribeReply } from "@care-gateway/shared";
import { requestEnvelopeSchema, subscribeArgsSchema } from "@care-gateway/shared/schemas";
import type { Socket } from "socket.io";
import { identityOf, mayReachUnit } from "../auth/principal.js";
import { watchTokenLifecycle } from "../auth/token-lifecycle.js";
import { WATCH_PREFIX, watchRoom, type SocketData } from "../connections/socket-types.js";
import { ackListener, type ListenerContext } from "../messages/ack-listener.js";
import type { NamespaceDeps } from "./namespace-deps.js";

export const CALLER_EVENTS: readonly string[] = [EventName.REQUEST, EventName.SUBSCRIBE, EventName.UNSUBSCRIBE, EventName.AUTH_REFRESH];

export function attachCallerHandlers(socket: Socket, deps: NamespaceDeps, context: ListenerContext): void {
  // Read at each call: a refreshed token may change the principal's units and scopes.
  const principal = () => (socket.data as SocketData).principal;
  const limits = principal().role === Role.BRIDGE ? deps.limits.bridge : deps.limits.portal;

  socket.on(
    EventName.REQUEST,
    ackListener<RequestEnvelope>(context, EventName.REQUEST, requestEnvelopeSchema, (envelope, respond) => {
      const who = principal();
      // A refused call was never admitted, so only an admitted one gives its in-flight place back.
      const refusal = limits.admit(socket.id);
      deps.router.route(
        who,
        envelope,
        (reply, ms) => {
          if (!refusal) limits.done(socket.id);
          deps.occupancy.recordRequest(ms);
          deps.audit.record({
            action: "request",
            actor: identityOf(who),
            unitId: envelope.unitId,
            type: envelope.type,
            outcome: reply.ok ? "ok" : reply.error.code,
            requestId: reply.id,
            ms: Math.round(ms),
          });
          respond(reply);
        },
        refusal,
      );
    }),
  );
  socket.on("disconnect", () => limits.forget(socket.id));
  watchTokenLifecycle(socket, {
    verifier: deps.verifier,
    revocations: deps.revocations,
    ...deps.tokens,
    context,
    onRefreshed: (next) => {
      for (const room of socket.rooms) {
        if (room.startsWith(WATCH_PREFIX) && !mayReachUnit(next, room.slice(WATCH_PREFIX.length))) void socket.leave(room);
      }
    },
  });

  socket.on(
    EventName.SUBSCRIBE,
    ackListener<SubscribeArgs, SubscribeReply>(context, EventName.SUBSCRIBE, subscribeArgsSchema, ({ unitIds }, respond) => {
      const subscribed: string[] = [];
      const denied: string[] = [];
      for (const unitId of new Set(unitIds)) (mayReachUnit(principal(), unitId) ? subscribed : denied).push(unitId);
      void socket.join(subscribed.map(watchRoom));
      respond({ ok: true, subscribed, denied });
    }),
  );

  socket.on(
    EventName.UNSUBSCRIBE,
    ackListener<SubscribeArgs>(context, EventName.UNSUBSCRIBE, subscribeArgsSchema, ({ unitIds }, respond) => {
      for (const unitId of unitIds) void socket.leave(watchRoom(unitId));
      respond({ ok: true });
    }),
  );
}

