/** What portals and the bridge both do: request a unit, subscribe to and unsubscribe from units. */
import { EventName, type RequestEnvelope, type SubscribeArgs, type SubscribeReply } from "@care-gateway/shared";
import { requestEnvelopeSchema, subscribeArgsSchema } from "@care-gateway/shared/schemas";
import type { Socket } from "socket.io";
import { mayReachUnit } from "../auth/principal.js";
import { watchRoom, type SocketData } from "../connections/socket-types.js";
import { ackListener, type ListenerContext } from "../messages/ack-listener.js";
import type { NamespaceDeps } from "./namespace-deps.js";

export const CALLER_EVENTS: readonly string[] = [EventName.REQUEST, EventName.SUBSCRIBE, EventName.UNSUBSCRIBE];

export function attachCallerHandlers(socket: Socket, deps: NamespaceDeps, context: ListenerContext): void {
  const { principal } = socket.data as SocketData;

  socket.on(
    EventName.REQUEST,
    ackListener<RequestEnvelope>(context, EventName.REQUEST, requestEnvelopeSchema, (envelope, respond) => {
      deps.router.route(principal, envelope, respond);
    }),
  );

  socket.on(
    EventName.SUBSCRIBE,
    ackListener<SubscribeArgs, SubscribeReply>(context, EventName.SUBSCRIBE, subscribeArgsSchema, ({ unitIds }, respond) => {
      const subscribed: string[] = [];
      const denied: string[] = [];
      for (const unitId of new Set(unitIds)) (mayReachUnit(principal, unitId) ? subscribed : denied).push(unitId);
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
