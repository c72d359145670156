/** Typed Socket.IO namespaces and sockets of the gateway. */
import type { Namespace, Socket } from "socket.io";
import type {
  AdminClientEvents,
  AdminServerEvents,
  BridgeClientEvents,
  BridgeServerEvents,
  PortalClientEvents,
  PortalServerEvents,
  UnitClientEvents,
  UnitServerEvents,
} from "@care-gateway/shared";
import type { Principal } from "../auth/principal.js";

export interface SocketData {
  principal: Principal;
  /** Units only: the last downstream event id the unit reported at connect. */
  lastEventId?: number;
}

type NoServerSide = Record<string, never>;

export type UnitsNamespace = Namespace<UnitClientEvents, UnitServerEvents, NoServerSide, SocketData>;
export type PortalNamespace = Namespace<PortalClientEvents, PortalServerEvents, NoServerSide, SocketData>;
export type BridgeNamespace = Namespace<BridgeClientEvents, BridgeServerEvents, NoServerSide, SocketData>;
export type AdminNamespace = Namespace<AdminClientEvents, AdminServerEvents, NoServerSide, SocketData>;

export type UnitSocket = Socket<UnitClientEvents, UnitServerEvents, NoServerSide, SocketData>;
export type PortalSocket = Socket<PortalClientEvents, PortalServerEvents, NoServerSide, SocketData>;
export type BridgeSocket = Socket<BridgeClientEvents, BridgeServerEvents, NoServerSide, SocketData>;
export type AdminSocket = Socket<AdminClientEvents, AdminServerEvents, NoServerSide, SocketData>;

/** Room of a unit's own socket in /units. */
export function unitRoom(unitId: string): string {
  return `unit:${unitId}`;
}

/** Room of every socket of a principal, in every namespace (revocation). */
export function principalRoom(sub: string): string {
  return `principal:${sub}`;
}

export const WATCH_PREFIX = "watch:";

/** Room of the portal and bridge sockets subscribed to a unit. */
export function watchRoom(unitId: string): string {
  return WATCH_PREFIX + unitId;
}
