/**
 * Events a namespace does not know: answered UNKNOWN_TYPE when the client waits for an ack,
 * otherwise dropped and counted. Socket.IO would otherwise ignore them silently and leave the client waiting.
 */
import { ErrorCode } from "@care-gateway/shared";
import type { Socket } from "socket.io";
import type { ListenerContext } from "./ack-listener.js";
import { errorReply } from "./replies.js";

export function guardUnknownEvents(socket: Socket, known: ReadonlySet<string>, context: ListenerContext): void {
  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (typeof event === "string" && known.has(event)) return;
    const ack = args[args.length - 1];
    if (typeof ack === "function") {
      (ack as (reply: unknown) => void)(errorReply(ErrorCode.UNKNOWN_TYPE));
    } else {
      context.metrics.droppedMessages.inc({ namespace: context.namespace, reason: "unknown_event" });
    }
  });
}
