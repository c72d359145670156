/**
 * CPU time the whole machine spent busy, from /proc/stat (Linux; undefined elsewhere). The bench
 * subtracts its own and its server's share to see how much other work competed with the run.
 */
import { readFileSync } from "node:fs";

/** Kernel ticks per second for /proc/stat (USER_HZ; 100 on every Linux port Node runs on). */
const USER_HZ = 100;

/** Busy CPU time of all cores since boot, microseconds; undefined where /proc/stat is unavailable. */
export function systemBusyUs(): number | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
    const [label, ...fields] = line.trim().split(/\s+/);
    if (label !== "cpu") return undefined;
    const ticks = fields.slice(0, 8).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
    return ((user + nice + system + irq + softirq + steal) * 1e6) / USER_HZ;
  } catch {
    return undefined;
  }
}

/**
 * CPU time and resident memory of any process by pid, from /proc/<pid>/stat (Linux; NaN elsewhere):
 * for children that cannot report over IPC, such as redis-server. Tick resolution (10 ms) is
 * plenty over a measured window of seconds.
 */
export function processStats(pid: number): { userUs: number; systemUs: number; rssBytes: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start with field 3, "state".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = (field: number) => Number(fields[field - 3]);
    return { userUs: (ticks(14) * 1e6) / USER_HZ, systemUs: (ticks(15) * 1e6) / USER_HZ, rssBytes: ticks(24) * PAGE_BYTES };
  } catch {
    return { userUs: Number.NaN, systemUs: Number.NaN, rssBytes: Number.NaN };
  }
}

/** Page size for /proc's rss field (4 KiB on x64 and arm64 Linux as Node ships them). */
const PAGE_BYTES = 4096;
