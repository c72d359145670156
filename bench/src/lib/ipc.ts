/** Messages between the bench (parent) and a server under test (forked child). */

/** CPU time and memory of a child, as `process.cpuUsage()` and `process.memoryUsage()` report them. */
export interface ChildStats {
  userUs: number;
  systemUs: number;
  rssBytes: number;
  /** V8 heap in use (children that report over IPC; not redis-server). */
  heapUsedBytes?: number;
  /** What the server counts of its own: open unit sockets, requests pending, ... */
  counts?: Record<string, number>;
}

export type ChildMessage =
  | { type: "ready"; port: number }
  | { type: "failed"; message: string }
  | ({ type: "stats" } & ChildStats);

/** `gc`: collect garbage first (the child runs with --expose-gc), for a steadier memory reading. */
export type ParentMessage = { type: "stats"; gc?: boolean } | { type: "stop" };

export function isChildMessage(value: unknown): value is ChildMessage {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

export function isParentMessage(value: unknown): value is ParentMessage {
  const type = typeof value === "object" && value !== null ? (value as { type?: unknown }).type : undefined;
  return type === "stats" || type === "stop";
}
