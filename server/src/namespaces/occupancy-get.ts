/** `occupancy:get` for the bridge and admins. */
import { EventName } from "@care-gateway/shared";
import { emptyArgsSchema } from "@care-gateway/shared/schemas";
import { ackListener, type ListenerContext } from "../messages/ack-listener.js";
import { okReply } from "../messages/replies.js";
import type { NamespaceDeps } from "./namespace-deps.js";

export function occupancyGetListener(deps: NamespaceDeps, context: ListenerContext): (...args: unknown[]) => void {
  return ackListener(context, EventName.OCCUPANCY_GET, emptyArgsSchema, async (_args, respond) => {
    respond(okReply(await deps.occupancy.snapshot()));
  });
}
