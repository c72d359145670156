/**
 * The outbox in a cluster: one Redis Stream per unit, so whichever node the unit connects to can
 * replay it. Stream entry ids are `<eventId>-0` with eventId from a per-unit counter seeded at
 * now × 1000 (ids keep increasing if Redis forgets). Retention by count and age; what retention drops
 * before the unit acknowledged it is remembered as `lost`, so a returning unit hears of the gap.
 */
import type { AppendedLocated, EventDraft, Outbox, OutboxRead, RetentionPolicy, StoredEvent } from "../delivery/outbox.js";
import { firstEventIdAt } from "../delivery/outbox.js";
import { AcknowledgeBatch } from "./acknowledge-batch.js";
import { CarriedEvents } from "./carried-events.js";
import type { Redis } from "./redis-clients.js";
import type { RedisKeys } from "./redis-keys.js";
import { LOCATE_LUA } from "./redis-presence.js";
import { RedisScript } from "./redis-script.js";

// KEYS: stream, meta hash, units set, presence hash. ARGV: [1] seed id, [2] event json, [3] max events,
// [4] event ts, [5] key ttl ms, [6] unitId, [7] oldest allowed ts, [8] now, [9] ttl refresh interval ms,
// [10] lease key prefix ('': no look-up). Returns { id, the unit's node id or nil }.
// meta: seq (last id), acked (acknowledged through), lost (highest id dropped unacknowledged),
// head/headId (the oldest entry's ts and id, see below), ttlAt (when the keys' TTL was last set);
// read in one HMGET and written back in one HSET (each redis.call costs Redis a command's dispatch).
// Retention reads the oldest entry only when something may have to go: more entries than allowed,
// or an oldest entry not known to be young enough. It is known while it is still there: the stream
// holds just the new entry, or the entry the last look found is not acknowledged yet (acknowledging
// trims ids up to \`acked\`; nothing else removes entries but this loop). The TTLs are set to max
// age + 2 intervals, again once an interval has passed, so keys outlive their last append by at
// least the max age (for clocks within an interval of each other) and at most 2 intervals more.
const APPEND = new RedisScript(`${LOCATE_LUA}
local meta = redis.call('HMGET', KEYS[2], 'seq', 'acked', 'lost', 'head', 'headId', 'ttlAt')
local seq = tonumber(meta[1] or ARGV[1])
local acked = tonumber(meta[2] or seq)
local lost = tonumber(meta[3] or 0)
local id = seq + 1
local ts = tonumber(ARGV[4])
redis.call('XADD', KEYS[1], string.format('%d-0', id), 'e', ARGV[2], 'ts', ARGV[4])
local length = redis.call('XLEN', KEYS[1])
local excess = length - tonumber(ARGV[3])
local cutoff = tonumber(ARGV[7])
local head, headId = 0, 0
local known = false
if length == 1 then
  head, headId, known = ts, id, true
elseif meta[5] and tonumber(meta[5]) > acked then
  head, headId, known = tonumber(meta[4]), tonumber(meta[5]), true
end
if excess > 0 or not known or head < cutoff then
  head, headId = 0, 0
  while true do
    local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
    if #oldest == 0 then break end
    local entry = oldest[1]
    local entryTs = tonumber(entry[2][4])
    local entryId = tonumber(string.match(entry[1], '^(%d+)'))
    if excess <= 0 and entryTs >= cutoff then
      head, headId = entryTs, entryId
      break
    end
    redis.call('XDEL', KEYS[1], entry[1])
    excess = excess - 1
    if entryId > acked and entryId > lost then lost = entryId end
  end
end
local now = tonumber(ARGV[8])
local ttlAt = tonumber(meta[6] or 0)
local refresh = not meta[1] or math.abs(now - ttlAt) >= tonumber(ARGV[9])
if refresh then ttlAt = now end
redis.call('HSET', KEYS[2], 'seq', string.format('%d', id), 'acked', string.format('%d', acked), 'lost', string.format('%d', lost),
  'head', string.format('%d', head), 'headId', string.format('%d', headId), 'ttlAt', string.format('%d', ttlAt))
if refresh then
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
  redis.call('SADD', KEYS[3], ARGV[6])
end
local nodeId = false
if ARGV[10] ~= '' then
  local current = locate(KEYS[4], ARGV[6], ARGV[10])
  if current then nodeId = cjson.decode(current).nodeId end
end
return { id, nodeId }`);

/** No unit looked up with its append. */
const NO_LOOKUPS: readonly boolean[] = [];

/** How often at most an append refreshes its keys' TTL (less when the max age is shorter). */
const TTL_REFRESH_MS = 30_000;

// KEYS: stream and meta of each unit in turn. ARGV: the id each acknowledged. Trims everything acknowledged.
const ACKNOWLEDGE = new RedisScript(`
for i = 1, #ARGV do
  local meta = KEYS[2 * i]
  local id = tonumber(ARGV[i])
  if id > tonumber(redis.call('HGET', meta, 'acked') or '0') then
    redis.call('HSET', meta, 'acked', ARGV[i])
    redis.call('XTRIM', KEYS[2 * i - 1], 'MINID', string.format('%d-0', id + 1))
  end
end
return 0`);

export class RedisOutbox implements Outbox {
  /** Events that came with wake-ups for units connected here: what `peek` knows. */
  readonly #carried = new CarriedEvents();
  readonly #acks = new AcknowledgeBatch((unitIds, ids) => this.#sendAcknowledgements(unitIds, ids));

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly retention: RetentionPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  async append(unitId: string, draft: EventDraft): Promise<StoredEvent> {
    const [id] = await this.#append(unitId, JSON.stringify(draft), draft.ts, false);
    return { ...draft, id };
  }

  /** `appendManyLocating` with no look-ups. */
  async appendMany(unitIds: readonly string[], draft: EventDraft): Promise<StoredEvent[]> {
    return (await this.appendManyLocating(unitIds, draft, NO_LOOKUPS)).events;
  }

  /**
   * The event is serialised once; the scripts go out together (node-redis pipelines what is sent in
   * one turn). Where `locate[i]` is true, unit i is looked up (`RedisPresence.locate`, the same script
   * text) in its append's call.
   */
  async appendManyLocating(unitIds: readonly string[], draft: EventDraft, locate: readonly boolean[]): Promise<AppendedLocated> {
    const json = JSON.stringify(draft);
    const replies = await Promise.all(unitIds.map((unitId, i) => this.#append(unitId, json, draft.ts, locate[i] === true)));
    const events: StoredEvent[] = [];
    const nodeIds: (string | undefined)[] = [];
    for (const [id, nodeId] of replies) {
      events.push({ ...draft, id });
      nodeIds.push(nodeId ?? undefined);
    }
    return { events, nodeIds };
  }

  async #append(unitId: string, json: string, ts: number, locate: boolean): Promise<[number, string | null]> {
    const { keys, retention } = this;
    const now = this.now();
    const interval = Math.min(TTL_REFRESH_MS, retention.maxAgeMs);
    return (await APPEND.run(this.redis, {
      keys: [keys.outboxStream(unitId), keys.outboxMeta(unitId), keys.outboxUnits, keys.units],
      arguments: [
        String(firstEventIdAt(now)),
        json,
        String(retention.maxEvents),
        String(ts),
        String(retention.maxAgeMs + 2 * interval),
        unitId,
        String(now - retention.maxAgeMs),
        String(now),
        String(interval),
        locate ? keys.lease("") : "",
      ],
    })) as [number, string | null];
  }

  /** One XRANGE; the meta hash only when the caller wants the gap (the replay). */
  async read(unitId: string, afterId: number, limit: number, withGap = true): Promise<OutboxRead> {
    this.#carried.readIssued(unitId);
    const range = this.redis.xRange(this.keys.outboxStream(unitId), `(${afterId}-0`, "+", { COUNT: limit });
    const [entries, lost] = await Promise.all([range, withGap ? this.redis.hGet(this.keys.outboxMeta(unitId), "lost") : undefined]);
    const cutoff = this.now() - this.retention.maxAgeMs;
    const events: StoredEvent[] = [];
    for (const { id, message } of entries) {
      const draft = JSON.parse(message["e"] ?? "{}") as EventDraft;
      if (draft.ts >= cutoff) events.push({ ...draft, id: Number.parseInt(id, 10) });
    }
    const lostThrough = Number(lost ?? 0);
    return afterId < lostThrough ? { events, gap: { from: afterId + 1, to: lostThrough } } : { events };
  }

  peek(unitId: string, afterId: number, limit: number): StoredEvent[] | undefined {
    return this.#carried.after(unitId, afterId, limit, this.now() - this.retention.maxAgeMs);
  }

  /** A wake-up for a unit connected here, with the events it carried (already in the stream; none: it carried nothing). */
  carry(unitId: string, events: readonly StoredEvent[]): void {
    this.#carried.add(unitId, events);
  }

  /** Sent with the other units' acknowledgements of this turn, in one call (acknowledge-batch.ts). */
  acknowledge(unitId: string, id: number): Promise<void> {
    return this.#acks.add(unitId, id);
  }

  async #sendAcknowledgements(unitIds: string[], ids: number[]): Promise<void> {
    const keys: string[] = [];
    for (const unitId of unitIds) keys.push(this.keys.outboxStream(unitId), this.keys.outboxMeta(unitId));
    await ACKNOWLEDGE.run(this.redis, { keys, arguments: ids.map(String) });
  }

  async acknowledgedThrough(unitId: string): Promise<number> {
    return Number((await this.redis.hGet(this.keys.outboxMeta(unitId), "acked")) ?? 0);
  }

  async depths(): Promise<Map<string, number>> {
    const units = await this.knownUnits();
    const lengths = await Promise.all(units.map((unitId) => this.redis.xLen(this.keys.outboxStream(unitId))));
    return new Map(units.map((unitId, i) => [unitId, lengths[i] ?? 0]));
  }

  async knownUnits(): Promise<string[]> {
    return this.redis.sMembers(this.keys.outboxUnits);
  }

  async close(): Promise<void> {
    // The clients are owned by the cluster mode, which closes them.
  }
}
