/** The error responses routes share, documented with the codes each status carries. */
import { ClientErrorCode, ConnectErrorCode, ErrorCode } from "@care-gateway/shared";
import { BridgeErrorCode, type HttpErrorCode } from "../error-codes.js";
import { errorBodyWith } from "./json-schema.js";
import type { DocumentedResponse } from "./route-spec.js";

function error(description: string, codes: readonly HttpErrorCode[]): DocumentedResponse {
  return { description, schema: errorBodyWith(codes), codes };
}

export const AUTH_ERRORS: Readonly<Record<number, DocumentedResponse>> = {
  401: error("No token, or an invalid or expired one.", [ConnectErrorCode.AUTH_REQUIRED, ConnectErrorCode.AUTH_INVALID, ConnectErrorCode.AUTH_EXPIRED]),
  403: error("The token's role is not `api`, or its scope does not allow this; or the gateway refused the bridge (its scope).", [ConnectErrorCode.AUTH_FORBIDDEN, ErrorCode.FORBIDDEN]),
};

/** What every route that calls the gateway may answer when the bridge cannot serve. */
export const UNAVAILABLE: Readonly<Record<number, DocumentedResponse>> = {
  500: error("A fault in the bridge (logged with its stack).", [ErrorCode.INTERNAL]),
  502: error("The gateway answered INTERNAL.", [ErrorCode.INTERNAL]),
  503: error(
    "The bridge's /bridge socket is down (NOT_CONNECTED: not sent, safe to retry; CONNECTION_LOST: sent, outcome unknown), or the bridge or gateway is shutting down.",
    [ClientErrorCode.NOT_CONNECTED, ClientErrorCode.CONNECTION_LOST, ErrorCode.SHUTTING_DOWN],
  ),
};

export const RATE_LIMITS: Readonly<Record<number, DocumentedResponse>> = {
  429: error("The gateway's per-socket limits for the bridge (or the idempotency store is full of requests in flight); retry after `Retry-After`.", [
    ErrorCode.RATE_LIMITED,
    ErrorCode.OVERLOADED,
  ]),
};

/** 400 only: for routes without a body (a malformed path parameter). */
export function invalidRequest(codes: readonly HttpErrorCode[] = [ErrorCode.VALIDATION_FAILED]): Readonly<Record<number, DocumentedResponse>> {
  return { 400: error("The request does not match its schema, or the payload not the catalogue's.", codes) };
}

/** 400, and what a body can be refused for (413, 415). */
export function badRequest(codes: readonly HttpErrorCode[] = [ErrorCode.VALIDATION_FAILED]): Readonly<Record<number, DocumentedResponse>> {
  return {
    ...invalidRequest(codes),
    413: error("The body is larger than BRIDGE_BODY_LIMIT_BYTES.", [BridgeErrorCode.PAYLOAD_TOO_LARGE]),
    415: error("The body is not application/json.", [BridgeErrorCode.UNSUPPORTED_MEDIA_TYPE]),
  };
}

export const IDEMPOTENCY_REUSED: Readonly<Record<number, DocumentedResponse>> = {
  422: error("The Idempotency-Key was used (by this caller, within its window) for a different request.", [BridgeErrorCode.IDEMPOTENCY_KEY_REUSED]),
};

export { error as errorResponse };
