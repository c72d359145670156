/**
 * Presence in Redis: one hash unitId → location. A location counts only while its node's lease is
 * alive, so a killed node's units read as offline once its lease lapses (and are dropped when looked up).
 * The scripts go by SHA (`RedisScript`): a publish looks its unit up on every call.
 */
import type { Presence, UnitLocation } from "../connections/presence.js";
import type { Redis } from "./redis-clients.js";
import type { RedisKeys } from "./redis-keys.js";
import { RedisScript } from "./redis-script.js";

// KEYS[1] units hash; ARGV[1] unitId, ARGV[2] new location JSON. Returns the replaced location.
const CLAIM = new RedisScript(`
local previous = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return previous`);

// KEYS[1] units hash; ARGV[1] unitId, ARGV[2] sessionId. Deletes only if that session still owns the unit.
const RELEASE = new RedisScript(`
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return 0 end
if cjson.decode(current).sessionId ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1`);

/**
 * Lua: `locate(units, unitId, leasePrefix)`, the unit's location JSON, or false; a location whose
 * node has no lease is dropped. Shared with the outbox's append script, which looks the unit up in
 * the same call (see redis-outbox.ts).
 */
export const LOCATE_LUA = `
local function locate(units, unitId, leasePrefix)
  local current = redis.call('HGET', units, unitId)
  if not current then return false end
  if redis.call('EXISTS', leasePrefix .. cjson.decode(current).nodeId) == 1 then return current end
  redis.call('HDEL', units, unitId)
  return false
end`;

// KEYS[1] units hash; ARGV[1] unitId, ARGV[2] lease key prefix.
const LOCATE = new RedisScript(`${LOCATE_LUA}
return locate(KEYS[1], ARGV[1], ARGV[2])`);

export class RedisPresence implements Presence {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async claim(location: UnitLocation): Promise<UnitLocation | undefined> {
    const previous = await CLAIM.run(this.redis, { keys: [this.keys.units], arguments: [location.unitId, JSON.stringify(location)] });
    return typeof previous === "string" ? (JSON.parse(previous) as UnitLocation) : undefined;
  }

  async release(unitId: string, sessionId: string): Promise<boolean> {
    return (await RELEASE.run(this.redis, { keys: [this.keys.units], arguments: [unitId, sessionId] })) === 1;
  }

  async locate(unitId: string): Promise<UnitLocation | undefined> {
    const found = await LOCATE.run(this.redis, { keys: [this.keys.units], arguments: [unitId, this.keys.lease("")] });
    return typeof found === "string" ? (JSON.parse(found) as UnitLocation) : undefined;
  }

  async list(): Promise<UnitLocation[]> {
    const locations = Object.values(await this.redis.hGetAll(this.keys.units)).map((raw) => JSON.parse(raw) as UnitLocation);
    const nodeIds = [...new Set(locations.map((l) => l.nodeId))];
    const leases = nodeIds.length > 0 ? await this.redis.mGet(nodeIds.map((id) => this.keys.lease(id))) : [];
    const alive = new Set(nodeIds.filter((_, i) => leases[i] !== null));
    const live = locations.filter((l) => alive.has(l.nodeId));
    return live;
  }

  /** Writes this node's units again (after Redis forgot them), unless a newer owner took one meanwhile. */
  async reassert(locations: UnitLocation[]): Promise<void> {
    for (const location of locations) {
      const current = await this.locate(location.unitId);
      if (!current || current.connectedAt <= location.connectedAt) await this.claim(location);
    }
  }

  async close(): Promise<void> {
    // The clients are owned by the cluster mode, which closes them.
  }
}
