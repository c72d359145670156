/**
 * Wraps a handler of an event that expects an acknowledgement: no ack callback means the message is
 * dropped and counted; the first argument is checked against its envelope schema; any exception
 * becomes an INTERNAL reply. The handler never sees a malformed envelope.
 */
import type Joi from "joi";
import { ErrorCode, type Reply } from "@care-gateway/shared";
import { STRICT, runSchema, type Validated } from "@care-gateway/shared/schemas";
import type { Logger } from "../observability/logger.js";
import type { GatewayMetrics } from "../observability/metrics.js";
import { errorReply } from "./replies.js";

export interface ListenerContext {
  namespace: string;
  logger: Logger;
  metrics: GatewayMetrics;
}

export type Respond<R> = (reply: R) => void;

export function ackListener<A, R = Reply>(
  context: ListenerContext,
  event: string,
  schema: Joi.Schema,
  handle: (args: A, respond: Respond<R | Reply>) => void | Promise<void>,
): (...args: unknown[]) => void {
  return (...args: unknown[]) => {
    const ack = args[args.length - 1];
    if (typeof ack !== "function") {
      context.metrics.droppedMessages.inc({ namespace: context.namespace, reason: "no_ack" });
      return;
    }
    const respond = ack as Respond<R | Reply>;
    const input = args.length >= 2 ? args[0] : undefined;
    // Every envelope is required: an event with only its ack callback is malformed, not a crash.
    const checked: Validated<A> =
      input === undefined ? { ok: false, code: ErrorCode.VALIDATION_FAILED, issues: [{ path: "", rule: "any.required" }] } : runSchema<A>(schema, input, STRICT);
    if (!checked.ok) {
      respond(errorReply(ErrorCode.VALIDATION_FAILED, { issues: checked.issues }));
      return;
    }
    try {
      const pending = handle(checked.value, respond);
      if (pending) pending.catch((error: unknown) => failed(context, event, respond, error));
    } catch (error) {
      failed(context, event, respond, error);
    }
  };
}

/** A handler threw or rejected: logged, and the caller hears INTERNAL. */
function failed(context: ListenerContext, event: string, respond: Respond<Reply>, error: unknown): void {
  context.logger.error("handler failed", { namespace: context.namespace, event, err: describeError(error) });
  respond(errorReply(ErrorCode.INTERNAL));
}

/** An error as a log field: its name, message and stack, nothing it might carry besides. */
export function describeError(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { name: "NonError", message: typeof error };
}
