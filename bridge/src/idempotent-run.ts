/**
 * A POST under its Idempotency-Key: the first request with a key runs, a retry of the same request
 * gets its outcome (waiting for it while it is in flight), the same key with another request is
 * refused. Keys are per caller. See idempotency-store.ts for the bounds.
 */
import { ErrorCode } from "@care-gateway/shared";
import { BridgeErrorCode } from "./error-codes.js";
import { isKeptOutcome } from "./error-status.js";
import { fingerprint } from "./fingerprint.js";
import type { IdempotencyStore } from "./idempotency-store.js";
import { errorOutcome, type Outcome } from "./outcome.js";
import { isCorrelationId } from "./request-id.js";
import { isRaw, type RouteContext, type RouteSpec } from "./routes/route-spec.js";

export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";
export const REPLAYED_HEADER = "idempotent-replayed";

export async function runIdempotently(store: IdempotencyStore, spec: RouteSpec, key: string | string[], context: RouteContext, onReplay: () => void): Promise<Outcome> {
  if (!isCorrelationId(key)) return errorOutcome(ErrorCode.VALIDATION_FAILED, { issues: [{ path: `headers.${IDEMPOTENCY_KEY_HEADER}`, rule: "string.pattern.base" }] });
  const admission = store.admit(`${context.caller.sub}\n${key}`, fingerprint(`${spec.method} ${spec.url}`, context.params, context.body));
  switch (admission.kind) {
    case "mismatch":
      return errorOutcome(BridgeErrorCode.IDEMPOTENCY_KEY_REUSED);
    case "full":
      return errorOutcome(ErrorCode.OVERLOADED);
    case "replay": {
      const outcome = await admission.outcome;
      onReplay();
      return { ...outcome, headers: { ...outcome.headers, [REPLAYED_HEADER]: "true" } };
    }
    case "first": {
      let outcome: Outcome | undefined;
      try {
        const result = await spec.handle(context);
        if (isRaw(result)) throw new Error(`${spec.operationId}: an idempotent route must answer an Outcome`);
        outcome = result;
        return result;
      } finally {
        // A fault (no outcome) is handed to those waiting as INTERNAL and not kept: a retry runs again.
        admission.finish(outcome ?? errorOutcome(ErrorCode.INTERNAL), outcome !== undefined && isKeptOutcome(outcome));
      }
    }
  }
}
