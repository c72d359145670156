/** Namespaces, roles and event names of the wire protocol, defined once. */

export const Role = {
  UNIT: "unit",
  PORTAL: "portal",
  BRIDGE: "bridge",
  ADMIN: "admin",
  /** Callers of the API Bridge's REST interface; accepted on no namespace. */
  API: "api",
} as const;
export type Role = (typeof Role)[keyof typeof Role];

/** The roles that connect to a namespace of their own. */
export type SocketRole = Exclude<Role, "api">;

export const Namespace = {
  unit: "/units",
  portal: "/portal",
  bridge: "/bridge",
  admin: "/admin",
} as const satisfies Record<SocketRole, string>;
export type NamespaceName = (typeof Namespace)[SocketRole];

export const SOCKET_ROLES: readonly SocketRole[] = [Role.UNIT, Role.PORTAL, Role.BRIDGE, Role.ADMIN];

export const SOCKET_IO_PATH = "/socket.io";

export const EventName = {
  REQUEST: "request",
  EVENT: "event",
  PUBLISH: "publish",
  UNIT_EVENT: "unit:event",
  UNIT_STATUS: "unit:status",
  SUBSCRIBE: "subscribe",
  UNSUBSCRIBE: "unsubscribe",
  OCCUPANCY_GET: "occupancy:get",
  OCCUPANCY: "occupancy",
  UNIT_DISCONNECT: "unit:disconnect",
  AUTH_EXPIRING: "auth:expiring",
  AUTH_REFRESH: "auth:refresh",
  SERVER_DRAINING: "server:draining",
  SERVER_DISCONNECT: "server:disconnect",
  /** To a unit: retention dropped events it had not acknowledged; resync them over REST. */
  EVENT_GAP: "event:gap",
  /** Bridge or admin: disconnect every socket of a principal, cluster-wide, and refuse its older tokens. */
  PRINCIPAL_REVOKE: "principal:revoke",
  /** To the publishing bridge principal: a unit acknowledged an event published with `receipt: true`. */
  DELIVERY_RECEIPT: "delivery:receipt",
} as const;
export type EventName = (typeof EventName)[keyof typeof EventName];

/** Unit ids (and so a unit token's `sub`). */
export const UNIT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The `units` claim value that grants a portal every unit. */
export const ALL_UNITS = "*";
