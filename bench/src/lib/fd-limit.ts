/**
 * The descriptor limit (RLIMIT_NOFILE) this process and its children run under. The bench cannot
 * raise it: that takes CAP_SYS_RESOURCE past the hard limit (`ulimit -Hn`), so a scenario that
 * holds one socket per unit in one server process sizes itself to it instead.
 */
import { readFileSync } from "node:fs";

/** Descriptors a server child keeps for itself besides its sockets (listener, epoll, pipes, Redis, libuv). */
export const SERVER_RESERVED_FDS = 200;

/** The soft "Max open files" of this process (its children inherit it); Infinity where /proc says nothing. */
export function openFilesLimit(): number {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((text) => text.startsWith("Max open files"));
    const soft = line?.split(/\s{2,}/)[1];
    const value = Number(soft);
    return Number.isFinite(value) && value > 0 ? value : Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Unit sockets one server child can hold under the limit. */
export function maxSocketsPerServer(): number {
  return openFilesLimit() - SERVER_RESERVED_FDS;
}
