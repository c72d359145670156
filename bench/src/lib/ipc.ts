/** Messages between the bench (parent) and a server under test (forked child). */

/** CPU time and memory of a child, as `process.cpuUsage()` and `process.memoryUsage().rss` report them. */
export interface ChildStats {
  userUs: number;
  systemUs: number;
  rssBytes: number;
}

export type ChildMessage =
  | { type: "ready"; port: number }
  | { type: "failed"; message: string }
  | ({ type: "stats" } & ChildStats);

export type ParentMessage = { type: "stats" } | { type: "stop" };

export function isChildMessage(value: unknown): value is ChildMessage {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

export function isParentMessage(value: unknown): value is ParentMessage {
  const type = typeof value === "object" && value !== null ? (value as { type?: unknown }).type : undefined;
  return type === "stats" || type === "stop";
}
