/**
 * The one error type of the SDK: every refused call, refused handshake and lost connection
 * rejects with a GatewayError whose `code` comes from `@care-gateway/shared` (or, inside a
 * UNIT_ERROR's `details`, from the unit itself).
 */
import {
  ERROR_MESSAGES,
  ErrorCode,
  type ClientErrorCode,
  type ConnectErrorCode,
  type DisconnectCode,
  type ErrorBody,
} from "@care-gateway/shared";

/** A code the SDK may carry: the protocol's, or a unit's own (any string). */
export type GatewayErrorCode = ErrorCode | ConnectErrorCode | DisconnectCode | ClientErrorCode | (string & NonNullable<unknown>);

export interface GatewayErrorOptions {
  /** Used only for codes shared does not know (unit codes); known codes keep their fixed message. */
  message?: string;
  details?: unknown;
  /** The request's correlation id, when the reply carried one. */
  requestId?: string;
  cause?: unknown;
}

type KnownCode = keyof typeof ERROR_MESSAGES;

export function isKnownCode(code: string): code is KnownCode {
  return Object.hasOwn(ERROR_MESSAGES, code);
}

export class GatewayError extends Error {
  override readonly name = "GatewayError";
  readonly code: GatewayErrorCode;
  readonly details?: unknown;
  readonly requestId?: string;

  constructor(code: GatewayErrorCode, options: GatewayErrorOptions = {}) {
    super(isKnownCode(code) ? ERROR_MESSAGES[code] : (options.message ?? code), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.details !== undefined) this.details = options.details;
    if (options.requestId !== undefined) this.requestId = options.requestId;
  }

  /** For UNIT_ERROR: the code the unit answered with (in `details.code`). */
  get unitCode(): string | undefined {
    if (this.code !== ErrorCode.UNIT_ERROR || !isRecord(this.details)) return undefined;
    const code = this.details["code"];
    return typeof code === "string" ? code : undefined;
  }

  /** From an `{ ok: false, error }` reply. */
  static fromBody(body: ErrorBody<string>, requestId?: string): GatewayError {
    return new GatewayError(body.code, {
      message: body.message,
      ...(body.details === undefined ? {} : { details: body.details }),
      ...(requestId === undefined ? {} : { requestId }),
    });
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
