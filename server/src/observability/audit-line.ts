/**
 * One audit record as its JSON line. `auditFields` is the line's definition: a flat object in a fixed
 * field order, whose `JSON.stringify` is the line (fields left undefined are not written). `auditLine`
 * writes the same characters by hand: the audit log makes one line per request, and JSON.stringify of
 * a sixteen-field object, most fields undefined, was the largest share of its cost (about 1.8 µs a
 * record in the relay benchmark). Strings of plain printable ASCII (ids, types, codes, addresses, the
 * timestamp) are quoted as they are; anything else is handed to JSON.stringify, so escaping is
 * JSON.stringify's own. test/src/audit-line.test.ts compares the two over awkward records.
 */
import type { AuditRecord } from "./audit-log.js";

/** The object a record's line is the JSON of, fields in line order. */
export function auditFields(node: string, entry: AuditRecord, timestamp: string) {
  return {
    level: "info",
    message: entry.action,
    audit: true,
    node,
    action: entry.action,
    namespace: entry.namespace,
    session: entry.session,
    ms: entry.ms,
    actor: entry.actor,
    unitId: entry.unitId,
    target: entry.target,
    type: entry.type,
    outcome: entry.outcome,
    remote: entry.remote,
    requestId: entry.requestId,
    timestamp,
  };
}

/** Printable ASCII without `"` and `\`: JSON.stringify writes such a string between quotes unchanged. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A frozen actor (a principal's identity, shared by all its records) is serialised once. */
const ACTOR_JSON = new WeakMap<object, string>();

/** `JSON.stringify(auditFields(node, entry, timestamp))`, built without the object. */
export function auditLine(node: string, entry: AuditRecord, timestamp: string): string {
  let line = `{"level":"info"${member("message", entry.action)},"audit":true${member("node", node)}${member("action", entry.action)}`;
  if (entry.namespace !== undefined) line += member("namespace", entry.namespace);
  if (entry.session !== undefined) line += member("session", entry.session);
  if (entry.ms !== undefined) line += typeof entry.ms === "number" && Number.isFinite(entry.ms) ? `,"ms":${entry.ms}` : member("ms", entry.ms);
  if (entry.actor !== undefined) line += actorMember(entry.actor);
  if (entry.unitId !== undefined) line += member("unitId", entry.unitId);
  if (entry.target !== undefined) line += member("target", entry.target);
  if (entry.type !== undefined) line += member("type", entry.type);
  line += member("outcome", entry.outcome);
  if (entry.remote !== undefined) line += member("remote", entry.remote);
  if (entry.requestId !== undefined) line += member("requestId", entry.requestId);
  return `${line}${member("timestamp", timestamp)}}`;
}

/** `,"name":value` as JSON.stringify writes a member, or nothing where it leaves the member out. */
function member(name: string, value: unknown): string {
  if (typeof value === "string" && PLAIN.test(value)) return `,"${name}":"${value}"`;
  const json = JSON.stringify(value) as string | undefined;
  return json === undefined ? "" : `,"${name}":${json}`;
}

function actorMember(actor: object): string {
  let json = ACTOR_JSON.get(actor);
  if (json === undefined) {
    json = member("actor", actor);
    if (Object.isFrozen(actor)) ACTOR_JSON.set(actor, json);
  }
  return json;
}
