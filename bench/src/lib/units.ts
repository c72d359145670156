/** The bench's units: N sockets on /units, connected a bounded number at a time, each set up by the scenario. */
import { EventName, Namespace } from "@care-gateway/shared";
import type { Socket } from "socket.io-client";
import { LeanUnit } from "./lean-unit.js";
import { answerPing } from "./ping.js";
import { CONNECT_TIMEOUT_MS, connectMany, connectSocket, type Closable, type ExtraSocketOptions } from "./sockets.js";

/** Handshakes in progress at once while the units connect. */
export const CONNECT_PARALLELISM = 50;

export interface ConnectedUnits<T = Socket> {
  sockets: T[];
  /** Wall time to connect them all, ms. */
  connectMs: number;
}

export interface ConnectUnitsOptions {
  /** Called on each connected socket with its unit id; by default the unit answers `unit.ping` requests. */
  setup?: (socket: Socket, unitId: string) => void;
  parallelism?: number;
  socketOptions?: (index: number) => ExtraSocketOptions;
}

/** Unit ids of a scenario: bench-unit-0001, bench-unit-0002, ... */
export function benchUnitIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `bench-unit-${String(i + 1).padStart(4, "0")}`);
}

export async function connectUnits(url: string, unitIds: readonly string[], unitAuth: (unitId: string) => Record<string, unknown>, options: ConnectUnitsOptions = {}): Promise<ConnectedUnits> {
  const setup = options.setup ?? ((socket: Socket) => socket.on(EventName.REQUEST, answerPing));
  return connectEach(unitIds, options.parallelism ?? CONNECT_PARALLELISM, async (unitId, index) => {
    const socket = await connectSocket(url, Namespace.unit, unitAuth(unitId), options.socketOptions?.(index));
    setup(socket, unitId);
    return socket;
  });
}

/** The same units as lean simulated clients (`lean-unit.ts`), each set up by `setup`. */
export function connectLeanUnits(url: string, unitIds: readonly string[], unitAuth: (unitId: string) => Record<string, unknown>, setup: (unit: LeanUnit, unitId: string) => void): Promise<ConnectedUnits<LeanUnit>> {
  return connectEach(unitIds, CONNECT_PARALLELISM, async (unitId) => {
    const unit = await LeanUnit.connect(url, Namespace.unit, unitAuth(unitId), CONNECT_TIMEOUT_MS);
    setup(unit, unitId);
    return unit;
  });
}

/** Opens one unit per id, `parallelism` at a time, timing the whole. */
async function connectEach<T extends Closable>(unitIds: readonly string[], parallelism: number, open: (unitId: string, index: number) => Promise<T>): Promise<ConnectedUnits<T>> {
  const started = Date.now();
  const sockets = await connectMany(unitIds.length, parallelism, (index) => open(unitIds[index] ?? "missing", index));
  return { sockets, connectMs: Date.now() - started };
}
