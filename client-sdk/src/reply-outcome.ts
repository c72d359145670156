/** Reads an acknowledgement: `{ ok: true, ... }` is a success, `{ ok: false, error }` a GatewayError, anything else INTERNAL. */
import { ErrorCode } from "@care-gateway/shared";
import { GatewayError, isRecord } from "./gateway-error.js";

export type OkAck = { ok: true } & Record<string, unknown>;

export type ReplyOutcome = { ok: true; reply: OkAck } | { ok: false; error: GatewayError };

export function readReply(reply: unknown): ReplyOutcome {
  if (isRecord(reply)) {
    const requestId = typeof reply["id"] === "string" ? reply["id"] : undefined;
    if (reply["ok"] === true) return { ok: true, reply: reply as OkAck };
    const body = reply["error"];
    if (reply["ok"] === false && isRecord(body) && typeof body["code"] === "string") {
      const message = typeof body["message"] === "string" ? body["message"] : body["code"];
      return { ok: false, error: GatewayError.fromBody({ code: body["code"], message, details: body["details"] }, requestId) };
    }
  }
  return { ok: false, error: new GatewayError(ErrorCode.INTERNAL, { details: { reason: "malformed reply" } }) };
}
