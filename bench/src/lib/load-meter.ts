/**
 * How loaded this process was over an interval: its event loop's utilisation (busy: not waiting in
 * the poll phase, which includes time it was runnable but waiting for a core) and its CPU time
 * over the wall time (on a core). On a machine with fewer cores than busy processes the two differ.
 */
import { performance } from "node:perf_hooks";

export interface Load {
  /** Event-loop utilisation, 0..1. */
  busy: number;
  /** CPU time (user + system) / wall time, 0..1 for one thread's work (more with worker threads). */
  cpu: number;
}

/** Starts measuring; the function returned reads the load since then. */
export function startLoadMeter(): () => Load {
  const loop = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const started = performance.now();
  return () => {
    const used = process.cpuUsage(cpu);
    const wallUs = (performance.now() - started) * 1000;
    return { busy: performance.eventLoopUtilization(loop).utilization, cpu: wallUs > 0 ? (used.user + used.system) / wallUs : Number.NaN };
  };
}
