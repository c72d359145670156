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
