/**
 * CPU use of this process and of the server side over an interval. The server side is one child
 * (relay) or several processes counted together (a cluster's nodes and its Redis).
 */
import { performance } from "node:perf_hooks";
import type { ChildStats } from "./ipc.js";
import { systemBusyUs } from "./system-cpu.js";

/** A process whose CPU time can be read: a forked server (ServerHandle), a private Redis. */
export interface StatsSource {
  readonly name: string;
  stats(): Promise<ChildStats>;
}

export interface CpuReading {
  /** Server side CPU (every source added up), percent of one core. */
  serverPct: number;
  /** Server side CPU time, microseconds. */
  serverUs: number;
  serverRssBytes: number;
  /** Each source's CPU, percent of one core, by name, in the order given. */
  parts: Record<string, number>;
  /** This process's CPU (and that of the load generator's children given), percent of one core. */
  selfPct: number;
  /** Busy CPU of everything else on the machine (other processes, kernel work), percent of one core; NaN off Linux. */
  otherPct: number;
  /** The interval's wall time and the raw CPU times behind the percentages, microseconds (to add intervals up). */
  wallUs: number;
  selfUs: number;
  otherUs: number;
}

/** `loadgen`: children of this process that generate load too (their CPU counts as the load generator's). */
export async function startCpuMeter(server: StatsSource | readonly StatsSource[], loadgen: readonly StatsSource[] = []): Promise<() => Promise<CpuReading>> {
  const sources: readonly StatsSource[] = Array.isArray(server) ? server : [server as StatsSource];
  const before = await Promise.all(sources.map((source) => source.stats()));
  const loadgenBefore = await Promise.all(loadgen.map((source) => source.stats()));
  const selfBefore = process.cpuUsage();
  const systemBefore = systemBusyUs();
  const wallBefore = performance.now();
  return async () => {
    const self = process.cpuUsage(selfBefore);
    const systemAfter = systemBusyUs();
    const wallUs = (performance.now() - wallBefore) * 1000;
    const after = await Promise.all(sources.map((source) => source.stats()));
    const loadgenAfter = await Promise.all(loadgen.map((source) => source.stats()));
    const used = sources.map((_, i) => cpuUs(after[i]) - cpuUs(before[i]));
    const serverUs = used.reduce((sum, us) => sum + us, 0);
    const selfUs = self.user + self.system + loadgen.reduce((sum, _, i) => sum + (cpuUs(loadgenAfter[i]) - cpuUs(loadgenBefore[i])), 0);
    const otherUs = systemBefore !== undefined && systemAfter !== undefined ? Math.max(0, systemAfter - systemBefore - selfUs - serverUs) : Number.NaN;
    return {
      serverPct: (100 * serverUs) / wallUs,
      serverUs,
      serverRssBytes: after.reduce((sum, stats) => sum + stats.rssBytes, 0),
      parts: Object.fromEntries(sources.map((source, i) => [source.name, (100 * (used[i] ?? Number.NaN)) / wallUs])),
      selfPct: (100 * selfUs) / wallUs,
      otherPct: (100 * otherUs) / wallUs,
      wallUs,
      selfUs,
      otherUs,
    };
  };
}

function cpuUs(stats: ChildStats | undefined): number {
  return stats ? stats.userUs + stats.systemUs : Number.NaN;
}
