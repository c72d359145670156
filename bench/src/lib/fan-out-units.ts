/**
 * The fan-out's units and the receipt times of each publish, held either by this process (`processes`
 * 0: the bench process holds every unit and the bridge, as before) or by `processes` load-generator
 * children (lib/unit-holders.ts), each holding an even share, acking each event and recording its
 * receipt time on the machine's monotonic clock; their receipts are merged here.
 */
import { type UnitClientKind } from "../scenarios/scenario.js";
import { Arrivals } from "./arrivals.js";
import type { StatsSource } from "./cpu-meter.js";
import { closeAll, type Closable } from "./sockets.js";
import { startUnitHolders, type HolderArrivals } from "./unit-holders.js";
import { CONNECT_PARALLELISM, connectLeanUnits, connectUnits, type ConnectedUnits } from "./units.js";

/** The receipts of one event. */
export interface FanOutArrivals {
  /** Each unit's receipt, monotonicMs() taken before its ack, ascending. */
  atMs: number[];
  /**
   * The busiest load-generator process's event-loop utilisation from just before the emit to its
   * last unit's receipt (0..1; NaN unless every unit had it).
   */
  busy: number;
  /** The same process's CPU time over the same wall time (0..1; below `busy` when it waited for a core). */
  cpu: number;
  /** Processes whose units' receipts these are (the bench process counts as one). */
  reporting: number;
}

export interface FanOutExpectation {
  /** Resolves once every unit has the event. */
  readonly arrived: Promise<FanOutArrivals>;
  /** Stops waiting: the receipts so far. */
  forget(): Promise<FanOutArrivals>;
}

export interface FanOutUnits {
  /** Wall time to connect them all, ms. */
  readonly connectMs: number;
  /** The load generator's children, if any (their CPU is the load generator's). */
  readonly cpuSources: readonly StatsSource[];
  /** Every unit starts timing the event `key`; resolves once they all do (emit it then). */
  expect(key: string): Promise<FanOutExpectation>;
  close(): Promise<void>;
}

export async function connectFanOutUnits(url: string, unitIds: readonly string[], unitAuth: (unitId: string) => Record<string, unknown>, kind: UnitClientKind, processes: number): Promise<FanOutUnits> {
  return processes === 0 ? connectHere(url, unitIds, unitAuth, kind) : connectInHolders(url, unitIds, unitAuth, kind, processes);
}

async function connectHere(url: string, unitIds: readonly string[], unitAuth: (unitId: string) => Record<string, unknown>, kind: UnitClientKind): Promise<FanOutUnits> {
  const arrivals = new Arrivals();
  const connected: ConnectedUnits<Closable> =
    kind === "lean" ? await connectLeanUnits(url, unitIds, unitAuth, (unit) => arrivals.attach(unit)) : await connectUnits(url, unitIds, unitAuth, { setup: (socket) => arrivals.attach(socket) });
  const count = connected.sockets.length;
  return {
    connectMs: connected.connectMs,
    cpuSources: [],
    expect(key) {
      let giveUp = () => {};
      const arrived = new Promise<FanOutArrivals>((resolve) => {
        giveUp = arrivals.collect(key, count, ({ atMs, busy, cpu }) => resolve({ atMs, busy, cpu, reporting: 1 }));
      });
      return Promise.resolve({
        arrived,
        forget() {
          giveUp();
          return arrived;
        },
      });
    },
    close() {
      closeAll(connected.sockets);
      return Promise.resolve();
    },
  };
}

async function connectInHolders(url: string, unitIds: readonly string[], unitAuth: (unitId: string) => Record<string, unknown>, kind: UnitClientKind, processes: number): Promise<FanOutUnits> {
  const holders = await startUnitHolders(unitIds.length, processes);
  try {
    const held = await holders.connect(
      url,
      unitIds.map((unitId) => unitAuth(unitId)),
      CONNECT_PARALLELISM,
      kind,
    );
    if (held.connected !== unitIds.length) throw new Error(`${held.connected} of ${unitIds.length} units connected; failures: ${JSON.stringify(held.failures)}`);
    return {
      connectMs: Math.round(held.elapsedMs),
      cpuSources: holders.cpuSources,
      async expect(key) {
        const expectation = await holders.expect(key);
        return { arrived: expectation.arrived.then(merged), forget: () => expectation.forget().then(merged) };
      },
      close: () => holders.close(),
    };
  } catch (error) {
    await holders.close();
    throw error;
  }
}

/** All holders' receipts in one ascending list; busy and cpu: the busiest holder's (NaN if any did not have them all). */
function merged(perHolder: readonly HolderArrivals[]): FanOutArrivals {
  const atMs = perHolder.flatMap((holder) => holder.atMs).sort((a, b) => a - b);
  const complete = perHolder.every((holder) => holder.complete);
  const busiest = perHolder.reduce<HolderArrivals | undefined>((top, holder) => (top === undefined || holder.busy > top.busy ? holder : top), undefined);
  return { atMs, busy: complete ? (busiest?.busy ?? Number.NaN) : Number.NaN, cpu: complete ? (busiest?.cpu ?? Number.NaN) : Number.NaN, reporting: perHolder.filter((holder) => holder.atMs.length > 0).length };
}
