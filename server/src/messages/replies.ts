/** Builders of the one reply shape. Messages come from shared/, so no call site writes an error literal. */
import { ERROR_MESSAGES, type ErrorCode, type ErrorReply, type OkReply } from "@care-gateway/shared";

export function errorReply(code: ErrorCode, details?: unknown, id?: string): ErrorReply {
  const error = details === undefined ? { code, message: ERROR_MESSAGES[code] } : { code, message: ERROR_MESSAGES[code], details };
  return id === undefined ? { ok: false, error } : { ok: false, id, error };
}

export function okReply<T>(data: T, id?: string): OkReply<T> {
  return id === undefined ? { ok: true, data } : { ok: true, id, data };
}
