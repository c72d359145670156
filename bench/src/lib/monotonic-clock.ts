/**
 * A clock every process of the bench reads alike: `process.hrtime.bigint()` is libuv's uv_hrtime,
 * CLOCK_MONOTONIC on Linux, one clock for the whole machine, so a time taken in a load-generator
 * child can be subtracted from one taken in the parent. (`performance.now()` is not: it counts from
 * each process's own time origin.) lib/unit-holders.ts checks it at each holder's start.
 */

/** Milliseconds on the machine's monotonic clock (ns resolution up to ~104 days of uptime). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
