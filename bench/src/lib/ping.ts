/**
 * The request every scenario sends: `unit.ping` from a bridge socket to the next unit in turn, and
 * the unit's answer. Also the measured load itself (a closed loop of pings) and a reachability
 * check run before it.
 */
import { ErrorCode, EventName, type Reply, type RequestEnvelope, type UnitAnswer } from "@care-gateway/shared";
import type { Socket } from "socket.io-client";
import type { ScenarioParams, ServerRun } from "../scenarios/scenario.js";
import { BenchOutcome } from "./bench-outcomes.js";
import type { Operation } from "./closed-loop.js";
import type { StatsSource } from "./cpu-meter.js";
import { measureLoad } from "./load-run.js";

/** A unit's handler of `request`: answers every ping at once. */
export function answerPing(_request: unknown, ack: (answer: UnitAnswer<{ at: string }>) => void): void {
  ack({ ok: true, data: { at: new Date().toISOString() } });
}

/** One request to the next unit in turn; the bench's own timeout bounds it. */
export function pingOperation(bridge: Socket, unitIds: readonly string[], timeoutMs: number): Operation {
  let cursor = 0;
  return (done) => {
    const unitId = unitIds[cursor] ?? "missing";
    cursor = (cursor + 1) % unitIds.length;
    pingOnce(bridge, unitId, timeoutMs, done);
  };
}

export function pingOnce(bridge: Socket, unitId: string, timeoutMs: number, done: (errorCode?: string) => void): void {
  const envelope: RequestEnvelope<"unit.ping"> = { unitId, type: "unit.ping", payload: {} };
  bridge.timeout(timeoutMs).emit(EventName.REQUEST, envelope, (error: Error | null, reply: Reply | undefined) => {
    if (error) return done(BenchOutcome.clientTimeout);
    if (reply?.ok === true) return done();
    done(reply?.ok === false ? reply.error.code : BenchOutcome.malformedReply);
  });
}

/**
 * Pings every unit once through `bridge` until each has answered: in a cluster, a unit's presence
 * reaches the other nodes a moment after its socket connected. Retries UNIT_OFFLINE for up to
 * `withinMs`; any other failure, or a unit still unreachable then, throws.
 */
export async function checkReachable(bridge: Socket, unitIds: readonly string[], timeoutMs: number, withinMs: number, parallelism = 20): Promise<void> {
  const deadline = Date.now() + withinMs;
  const ping = (unitId: string) => new Promise<string | undefined>((resolve) => pingOnce(bridge, unitId, timeoutMs, resolve));
  let next = 0;
  const worker = async () => {
    while (next < unitIds.length) {
      const unitId = unitIds[next++] ?? "missing";
      for (;;) {
        const code = await ping(unitId);
        if (code === undefined) break;
        if (code !== ErrorCode.UNIT_OFFLINE || Date.now() > deadline) throw new Error(`${unitId} not reachable from the bridge: ${code}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, unitIds.length) }, worker));
}

export interface PingLoadOptions {
  server: string;
  description: string;
  bridge: Socket;
  unitIds: readonly string[];
  params: ScenarioParams;
  /** The server side's processes, for the CPU columns. */
  cpu: StatsSource | readonly StatsSource[];
  connectMs: number;
}

/** Runs the measured closed loop of pings and returns the figures. */
export function runPingLoad(options: PingLoadOptions): Promise<ServerRun> {
  const { bridge, unitIds, ...rest } = options;
  return measureLoad({ ...rest, operation: pingOperation(bridge, unitIds, options.params.requestTimeoutMs) });
}
