/**
 * What a route answers: an HTTP status, the one body shape (`{ ok: true, data }` or
 * `{ ok: false, error: { code, message, details? } }`) and any extra headers. Outcomes are plain
 * data so that the idempotency store can keep one and answer it again.
 */
import { messageOf, type HttpErrorCode } from "./error-codes.js";
import { statusOf, type ErrorOrigin } from "./error-status.js";

export interface OkBody<T = unknown> {
  ok: true;
  data: T;
}

export interface ErrorBody {
  ok: false;
  error: { code: HttpErrorCode; message: string; details?: unknown };
}

export type Body = OkBody | ErrorBody;

export interface Outcome {
  status: number;
  body: Body;
  headers?: Readonly<Record<string, string>>;
}

export function okOutcome<T>(data: T, status = 200): Outcome {
  return { status, body: { ok: true, data } };
}

/** An error outcome; its status comes from the one mapping in error-status.ts. */
export function errorOutcome(code: HttpErrorCode, details?: unknown, origin: ErrorOrigin = "bridge"): Outcome {
  const { status, retryAfterS } = statusOf(code, origin);
  const error = details === undefined ? { code, message: messageOf(code) } : { code, message: messageOf(code), details };
  return { status, body: { ok: false, error }, ...(retryAfterS === undefined ? {} : { headers: { "retry-after": String(retryAfterS) } }) };
}

/** The error code of an outcome, undefined for a success. */
export function codeOf(outcome: Outcome): HttpErrorCode | undefined {
  return outcome.body.ok ? undefined : outcome.body.error.code;
}
