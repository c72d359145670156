/**
 * Messages between the bench and its unit-holder children (workers/unit-holder.ts) over IPC.
 *
 * parent → child:
 * - `connect`: one /units socket per `auths` entry from `localAddress`, `parallelism` handshakes at a
 *   time; answered by `connected` with each handshake's time and the failures by message. Without
 *   `receive` the sockets are idle socket.io-client sockets (the connections scenario); with it they
 *   are units of that kind that ack every event and record its receipt (the fan-out);
 * - `clock`: answered by `clock` with the child's monotonicMs(), to check it is the parent's clock;
 * - `expect`: record the receipts of the event `key` until `count` units have it, answered by
 *   `expecting` once ready, then by one `arrivals` when all `count` have it (`complete`) or on
 *   `forget` (the receipts so far);
 * - `close`, or the parent gone: disconnect them all and exit.
 */
import type { UnitClientKind } from "../scenarios/scenario.js";

export type HolderRequest =
  | { type: "connect"; url: string; auths: Record<string, unknown>[]; localAddress: string; parallelism: number; receive?: UnitClientKind }
  | { type: "clock" }
  | { type: "expect"; key: string; count: number }
  | { type: "forget"; key: string }
  | { type: "close" };

/**
 * `arrivals`: each unit's receipt time (monotonicMs(), taken before its ack), in the order they came;
 * from `expect` to the last receipt (NaN unless complete), `busy`: the child's event-loop utilisation
 * (0..1), and `cpu`: its CPU time over that wall time (0..1: a loop busy but waiting for a core shows
 * as busy, not as CPU).
 */
export type HolderReply =
  | { type: "ready" }
  | { type: "connected"; latenciesMs: number[]; failures: Record<string, number> }
  | { type: "clock"; atMs: number }
  | { type: "expecting"; key: string }
  | { type: "arrivals"; key: string; atMs: number[]; busy: number; cpu: number; complete: boolean };

const REQUEST_TYPES: ReadonlySet<string> = new Set<HolderRequest["type"]>(["connect", "clock", "expect", "forget", "close"]);
const REPLY_TYPES: ReadonlySet<string> = new Set<HolderReply["type"]>(["ready", "connected", "clock", "expecting", "arrivals"]);

export function isHolderRequest(value: unknown): value is HolderRequest {
  return REQUEST_TYPES.has(typeOf(value));
}

export function isHolderReply(value: unknown): value is HolderReply {
  return REPLY_TYPES.has(typeOf(value));
}

function typeOf(value: unknown): string {
  const type = typeof value === "object" && value !== null ? (value as { type?: unknown }).type : undefined;
  return typeof type === "string" ? type : "";
}
