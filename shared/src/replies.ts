import type { ErrorCode, ConnectErrorCode } from "./error-codes.js";

export interface ErrorBody<C extends string = ErrorCode> {
  code: C;
  message: string;
  details?: unknown;
}

export interface OkReply<T = unknown> {
  ok: true;
  id?: string;
  data?: T;
}

export interface ErrorReply {
  ok: false;
  id?: string;
  error: ErrorBody;
}

/** Every acknowledgement answer has this shape. */
export type Reply<T = unknown> = OkReply<T> | ErrorReply;

/** A reply whose success carries `data`. */
export type DataReply<T> = { ok: true; id?: string; data: T } | ErrorReply;

/** `connect_error`'s `err.data`. */
export interface ConnectErrorData {
  code: ConnectErrorCode;
  message: string;
}

/** What a unit answers to a request. */
export type UnitAnswer<T = unknown> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; details?: unknown } };

/** An acknowledgement callback. */
export type Ack<R> = (reply: R) => void;
