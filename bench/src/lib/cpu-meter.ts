/** CPU use of this process and of a server child over an interval. */
import { performance } from "node:perf_hooks";
import type { ChildStats } from "./ipc.js";
import type { ServerHandle } from "./spawn-server.js";
import { systemBusyUs } from "./system-cpu.js";

export interface CpuReading {
  /** Server child CPU, percent of one core. */
  serverPct: number;
  /** Server child CPU time, microseconds. */
  serverUs: number;
  serverRssBytes: number;
  /** This process's CPU, percent of one core. */
  selfPct: number;
  /** Busy CPU of everything else on the machine (other processes, kernel work), percent of one core; NaN off Linux. */
  otherPct: number;
}

export async function startCpuMeter(server: ServerHandle): Promise<() => Promise<CpuReading>> {
  const serverBefore = await server.stats();
  const selfBefore = process.cpuUsage();
  const systemBefore = systemBusyUs();
  const wallBefore = performance.now();
  return async () => {
    const self = process.cpuUsage(selfBefore);
    const systemAfter = systemBusyUs();
    const wallUs = (performance.now() - wallBefore) * 1000;
    const serverAfter = await server.stats();
    const serverUs = cpuUs(serverAfter) - cpuUs(serverBefore);
    const selfUs = self.user + self.system;
    const otherUs = systemBefore !== undefined && systemAfter !== undefined ? Math.max(0, systemAfter - systemBefore - selfUs - serverUs) : Number.NaN;
    return {
      serverPct: (100 * serverUs) / wallUs,
      serverUs,
      serverRssBytes: serverAfter.rssBytes,
      selfPct: (100 * selfUs) / wallUs,
      otherPct: (100 * otherUs) / wallUs,
    };
  };
}

function cpuUs(stats: ChildStats): number {
  return stats.userUs + stats.systemUs;
}
