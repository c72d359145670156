/**
 * A closed-loop load driver: keeps `concurrency` operations outstanding, each started as soon as
 * the previous one in its slot ends. Operations ending in the warm-up are not measured; after the
 * measured window no new operation starts and the driver waits (bounded) for the rest to end.
 */
import { performance } from "node:perf_hooks";
import { LatencyRecorder, type LatencySummary } from "./latency.js";

/** Starts one operation; calls `done()` once when it succeeds or `done(code)` when it fails. */
export type Operation = (done: (errorCode?: string) => void) => void;

export interface ClosedLoopOptions {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** How long to wait for operations still outstanding after the window. */
  drainTimeoutMs: number;
  operation: Operation;
  /** Where the measured latencies go (several loops may add to one recorder); a new one when omitted. */
  latency?: LatencyRecorder;
}

export interface ClosedLoopResult {
  /** Successful operations that ended inside the measured window. */
  measured: number;
  /** Length of the measured window, ms. */
  windowMs: number;
  /** Of every latency in the recorder: this loop's, and those it held before when one was given. */
  latency: LatencySummary;
  /** Every operation that ended, warm-up and drain included. */
  total: number;
  /** Failed operations, warm-up and drain included, by code. */
  errors: Record<string, number>;
  errorCount: number;
  /** Operations still outstanding when the drain timed out. */
  unfinished: number;
  /** Wall time from the first start to the end of the drain, ms. */
  elapsedMs: number;
}

export function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const { concurrency, warmupMs, durationMs, drainTimeoutMs, operation } = options;
  const latency = options.latency ?? new LatencyRecorder();
  const recordedBefore = latency.count;
  const errors: Record<string, number> = {};
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const measureTo = measureFrom + durationMs;
  let inFlight = 0;
  let total = 0;
  let errorCount = 0;
  let finished = false;

  return new Promise((resolve) => {
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(drainTimer);
      resolve({
        measured: latency.count - recordedBefore,
        windowMs: durationMs,
        latency: latency.summary(),
        total,
        errors,
        errorCount,
        unfinished: inFlight,
        elapsedMs: performance.now() - start,
      });
    };
    const issue = () => {
      const started = performance.now();
      let settled = false;
      inFlight++;
      operation((errorCode) => {
        if (settled || finished) return;
        settled = true;
        inFlight--;
        total++;
        const ended = performance.now();
        if (errorCode !== undefined) {
          errorCount++;
          errors[errorCode] = (errors[errorCode] ?? 0) + 1;
        } else if (ended >= measureFrom && ended <= measureTo) {
          latency.record(ended - started);
        }
        if (ended < measureTo) {
          // After a failure, yield first: a synchronous failure must not recurse.
          if (errorCode === undefined) issue();
          else setImmediate(issue);
        } else if (inFlight === 0) {
          finish();
        }
      });
    };
    const drainTimer = setTimeout(finish, warmupMs + durationMs + drainTimeoutMs);
    for (let slot = 0; slot < concurrency; slot++) issue();
  });
}
