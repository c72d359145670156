/** A refused token: carries the protocol code and nothing more. */
import type { ConnectErrorCode } from "@care-gateway/shared";

export class AuthFailure extends Error {
  constructor(readonly code: ConnectErrorCode) {
    super(code);
    this.name = "AuthFailure";
  }
}
