/** Turns what a BridgeClient call settled with into an HTTP outcome. */
import { ClientErrorCode, ErrorCode } from "@care-gateway/shared";
import { GatewayError } from "@care-gateway/client-sdk";
import { errorOutcome, okOutcome, type Outcome } from "./outcome.js";

const PROTOCOL_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));
/** Codes whose `details` go back to the caller: validation issues (paths and rules, no values) and the unit's own error. */
const DETAILED: ReadonlySet<string> = new Set([ErrorCode.VALIDATION_FAILED, ErrorCode.UNKNOWN_TYPE, ErrorCode.UNIT_ERROR]);

/**
 * Runs a gateway call; its result becomes `{ ok: true, data }`, a GatewayError the mapped error. Anything
 * else (a synchronous throw included) rejects. One `then` on the call's promise: this is on every request's path.
 */
export function viaGateway<T>(call: () => Promise<T>, status = 200): Promise<Outcome> {
  let pending: Promise<T>;
  try {
    pending = call();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  return pending.then((value) => okOutcome(value, status), outcomeOrRethrow);
}

function outcomeOrRethrow(error: unknown): Outcome {
  if (error instanceof GatewayError) return outcomeOfGatewayError(error);
  throw error;
}

export function outcomeOfGatewayError(error: GatewayError): Outcome {
  const code = error.code;
  switch (code) {
    case ClientErrorCode.NOT_CONNECTED:
      return errorOutcome(ClientErrorCode.NOT_CONNECTED);
    case ClientErrorCode.CONNECTION_LOST:
      return errorOutcome(ClientErrorCode.CONNECTION_LOST);
    // The bridge closed its client (it is stopping) while the call was pending.
    case ClientErrorCode.CLIENT_CLOSED:
      return errorOutcome(ErrorCode.SHUTTING_DOWN);
    // The SDK's own safety timer (details.local) or the gateway's deadline: a timeout either way.
    case ErrorCode.TIMEOUT:
      return errorOutcome(ErrorCode.TIMEOUT, undefined, "gateway");
  }
  if (PROTOCOL_CODES.has(code)) {
    const protocolCode = code as ErrorCode;
    return errorOutcome(protocolCode, DETAILED.has(code) ? error.details : undefined, "gateway");
  }
  // A handshake refusal or a code this bridge does not know: the gateway misbehaved, as seen from here.
  return errorOutcome(ErrorCode.INTERNAL, undefined, "gateway");
}
