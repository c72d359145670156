/**
 * The outbox in a cluster: one Redis Stream per unit, so whichever node the unit connects to can
 * replay it. Stream entry ids are `<eventId>-0` with eventId from a per-unit counter seeded at
 * now × 1000 (ids keep increasing if Redis forgets). Retention by count and age; what retention drops
 * before the unit acknowledged it is remembered as `lost`, so a returning unit hears of the gap.
 */
import type { EventDraft, Outbox, OutboxRead, RetentionPolicy, StoredEvent } from "../delivery/outbox.js";
import { firstEventIdAt } from "../delivery/outbox.js";
import { CarriedEvents } from "./carried-events.js";
import type { Redis } from "./redis-clients.js";
import type { RedisKeys } from "./redis-keys.js";
import { RedisScript } from "./redis-script.js";

// KEYS: stream, meta hash, units set. ARGV: seed id, event json, max events, event ts, ttl ms, unitId, oldest allowed ts.
// meta: seq (last id), acked (acknowledged through), lost (highest id dropped unacknowledged); read
// in one HMGET and written back in one HSET (each redis.call costs Redis a command's dispatch).
const APPEND = new RedisScript(`
local meta = redis.call('HMGET', KEYS[2], 'seq', 'acked', 'lost')
local seq = tonumber(meta[1] or ARGV[1])
local acked = tonumber(meta[2] or seq)
local lost = tonumber(meta[3] or 0)
local id = seq + 1
redis.call('XADD', KEYS[1], string.format('%d-0', id), 'e', ARGV[2], 'ts', ARGV[4])
local excess = redis.call('XLEN', KEYS[1]) - tonumber(ARGV[3])
local cutoff = tonumber(ARGV[7])
while true do
  local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
  if #oldest == 0 then break end
  local entry = oldest[1]
  local entryTs = tonumber(entry[2][4])
  if excess <= 0 and entryTs >= cutoff then break end
  local entryId = tonumber(string.match(entry[1], '^(%d+)'))
  redis.call('XDEL', KEYS[1], entry[1])
  excess = excess - 1
  if entryId > acked and entryId > lost then lost = entryId end
end
redis.call('HSET', KEYS[2], 'seq', string.format('%d', id), 'acked', string.format('%d', acked), 'lost', string.format('%d', lost))
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('SADD', KEYS[3], ARGV[6])
return id`);

// KEYS: stream, meta. ARGV: id. Trims everything acknowledged.
const ACKNOWLEDGE = new RedisScript(`
local acked = tonumber(redis.call('HGET', KEYS[2], 'acked') or '0')
local id = tonumber(ARGV[1])
if id <= acked then return 0 end
redis.call('HSET', KEYS[2], 'acked', ARGV[1])
redis.call('XTRIM', KEYS[1], 'MINID', string.format('%d-0', id + 1))
return 1`);

export class RedisOutbox implements Outbox {
  /** Events that came with wake-ups for units connected here: what `peek` knows. */
  readonly #carried = new CarriedEvents();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly retention: RetentionPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  async append(unitId: string, draft: EventDraft): Promise<StoredEvent> {
    return this.#append(unitId, draft, JSON.stringify(draft));
  }

  /** The event is serialised once; the scripts go out together (node-redis pipelines what is sent in one turn). */
  appendMany(unitIds: readonly string[], draft: EventDraft): Promise<StoredEvent[]> {
    const json = JSON.stringify(draft);
    return Promise.all(unitIds.map((unitId) => this.#append(unitId, draft, json)));
  }

  async #append(unitId: string, draft: EventDraft, json: string): Promise<StoredEvent> {
    const now = this.now();
    const id = (await APPEND.run(this.redis, {
      keys: [this.keys.outboxStream(unitId), this.keys.outboxMeta(unitId), this.keys.outboxUnits],
      arguments: [
        String(firstEventIdAt(now)),
        json,
        String(this.retention.maxEvents),
        String(draft.ts),
        String(this.retention.maxAgeMs),
        unitId,
        String(now - this.retention.maxAgeMs),
      ],
    })) as number;
    return { ...draft, id };
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

  async acknowledge(unitId: string, id: number): Promise<void> {
    await ACKNOWLEDGE.run(this.redis, { keys: [this.keys.outboxStream(unitId), this.keys.outboxMeta(unitId)], arguments: [String(id)] });
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
