/** The unit's request handlers: one per type; each request is answered exactly once with `UnitAnswer`. */
import {
  ERROR_MESSAGES,
  ErrorCode,
  type RequestOrigin,
  type RequestPayload,
  type RequestResult,
  type RequestType,
  type UnitAnswer,
  type UnitRequest,
} from "@care-gateway/shared";
import { isRecord } from "./gateway-error.js";

/** Codes the SDK puts in a unit's answer by itself. */
export const UnitErrorCode = {
  /** A handler threw something without a string `code`. */
  HANDLER_ERROR: "UNIT_HANDLER_ERROR",
} as const;
export type UnitErrorCode = (typeof UnitErrorCode)[keyof typeof UnitErrorCode];

export interface RequestContext<T extends RequestType = RequestType> {
  /** The request's correlation id. */
  id: string;
  type: T;
  from: RequestOrigin;
  /** Epoch milliseconds (gateway clock) after which the caller no longer waits. */
  deadline: number;
}

export type RequestHandler<T extends RequestType> = (
  payload: RequestPayload<T>,
  ctx: RequestContext<T>,
) => RequestResult<T> | Promise<RequestResult<T>>;

type StoredHandler = (payload: never, ctx: never) => unknown;

export class RequestHandlers {
  readonly #handlers = new Map<string, StoredHandler>();

  /** Sets the handler of `type` (replacing any); returns a function that removes it. */
  set<T extends RequestType>(type: T, handler: RequestHandler<T>): () => void {
    const stored = handler as StoredHandler;
    this.#handlers.set(type, stored);
    return () => {
      if (this.#handlers.get(type) === stored) this.#handlers.delete(type);
    };
  }

  /** Runs the handler; never rejects. */
  async answer(request: UnitRequest): Promise<UnitAnswer> {
    if (!isRecord(request) || typeof request.type !== "string") return failure(ErrorCode.VALIDATION_FAILED, ERROR_MESSAGES.VALIDATION_FAILED);
    const handler = this.#handlers.get(request.type);
    if (!handler) return failure(ErrorCode.UNKNOWN_TYPE, ERROR_MESSAGES.UNKNOWN_TYPE);
    const ctx: RequestContext = { id: request.id, type: request.type, from: request.from, deadline: request.deadline };
    try {
      const data = await (handler as (payload: unknown, ctx: RequestContext) => unknown)(request.payload, ctx);
      return { ok: true, data };
    } catch (error) {
      return { ok: false, error: errorBody(error) };
    }
  }
}

function failure(code: string, message: string): UnitAnswer {
  return { ok: false, error: { code, message } };
}

/** A thrown value as the answer's error: its own `code` (e.g. a GatewayError's) or UNIT_HANDLER_ERROR. */
function errorBody(error: unknown): { code: string; message: string; details?: unknown } {
  const record = isRecord(error) ? error : undefined;
  const code = typeof record?.["code"] === "string" && record["code"].length > 0 ? record["code"] : UnitErrorCode.HANDLER_ERROR;
  const message = error instanceof Error && error.message.length > 0 ? error.message : code;
  const details = record?.["details"];
  return details === undefined ? { code, message } : { code, message, details };
}
