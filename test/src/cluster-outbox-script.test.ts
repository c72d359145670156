/**
 * The Redis outbox's append and acknowledge scripts, driven directly against a private Redis with a
 * clock the test sets: age retention still drops the oldest entry when the script skips reading it
 * (it reads it only when it may have to go), the unit's location comes back with its append, the keys
 * outlive the maximum age, and acknowledgements sent together trim each unit's stream.
 */
import { expect } from "chai";
import { createClient } from "redis";
import { RedisKeys, RedisOutbox, type Redis, type StoredEvent } from "@care-gateway/server";
import { startRedis } from "./helpers/redis-server.js";
import { registerTeardown } from "./helpers/teardown.js";

const MAX_AGE_MS = 1_000;
const draft = (ts: number): Omit<StoredEvent, "id"> => ({ type: "appointment.updated", payload: { appointmentId: `A-${ts}` } as StoredEvent["payload"], ts });

async function outboxAt(clock: { now: number }, maxEvents = 100): Promise<{ outbox: RedisOutbox; redis: Redis; keys: RedisKeys }> {
  const server = await startRedis();
  const redis = createClient({ url: server.url }) as unknown as Redis;
  await redis.connect();
  registerTeardown(() => redis.quit().then(() => undefined, () => undefined));
  const keys = new RedisKeys("t:");
  return { outbox: new RedisOutbox(redis, keys, { maxEvents, maxAgeMs: MAX_AGE_MS }, () => clock.now), redis, keys };
}

describe("cluster: the Redis outbox's scripts", function () {
  this.timeout(20_000);

  it("drops an entry that aged out behind an acknowledged one, though a newer one was the oldest when last looked at", async () => {
    const clock = { now: 10_000 };
    const { outbox } = await outboxAt(clock);
    const e1 = await outbox.append("U-1", draft(10_000));
    // Stamped earlier than e1 (its publisher's clock is behind): not the oldest by time, but behind e1.
    const e2 = await outbox.append("U-1", draft(9_500));
    await outbox.acknowledge("U-1", e1.id);
    clock.now = 10_600; // e2 is now older than the maximum age; e1, which the script last saw, was not
    const e3 = await outbox.append("U-1", draft(10_600));
    const read = await outbox.read("U-1", e1.id, 10);
    expect(read.gap).to.deep.equal({ from: e2.id, to: e2.id });
    expect(read.events.map((e) => e.id)).to.deep.equal([e3.id]);
  });

  it("drops the oldest entry once it is older than the maximum age, and keeps the rest", async () => {
    const clock = { now: 10_000 };
    const { outbox } = await outboxAt(clock);
    const e1 = await outbox.append("U-1", draft(10_000));
    clock.now = 10_100;
    const e2 = await outbox.append("U-1", draft(10_100));
    clock.now = 10_900; // nothing old enough yet
    const e3 = await outbox.append("U-1", draft(10_900));
    expect((await outbox.read("U-1", e1.id - 1, 10)).gap).to.equal(undefined);
    clock.now = 11_050;
    const e4 = await outbox.append("U-1", draft(11_050));
    const read = await outbox.read("U-1", e1.id - 1, 10);
    expect(read.gap).to.deep.equal({ from: e1.id, to: e1.id });
    expect(read.events.map((e) => e.id)).to.deep.equal([e2.id, e3.id, e4.id]);
  });

  it("keeps to the count limit while appending", async () => {
    const clock = { now: 10_000 };
    const { outbox } = await outboxAt(clock, 3);
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push((await outbox.append("U-1", draft(10_000 + i))).id);
    const read = await outbox.read("U-1", (ids[0] as number) - 1, 10);
    expect(read.gap).to.deep.equal({ from: ids[0], to: ids[2] });
    expect(read.events.map((e) => e.id)).to.deep.equal(ids.slice(3));
  });

  it("returns where each unit asked about is online, dropping a location whose node has no lease", async () => {
    const clock = { now: 10_000 };
    const { outbox, redis, keys } = await outboxAt(clock);
    const at = (unitId: string, nodeId: string) => JSON.stringify({ unitId, nodeId, sessionId: `s-${unitId}`, connectedAt: 1 });
    await redis.hSet(keys.units, { "U-1": at("U-1", "node-a"), "U-2": at("U-2", "node-gone"), "U-3": at("U-3", "node-a") });
    await redis.set(keys.lease("node-a"), "{}");
    const { events, nodeIds } = await outbox.appendManyLocating(["U-1", "U-2", "U-3", "U-4"], draft(10_000), [true, true, false, true]);
    expect(nodeIds).to.deep.equal(["node-a", undefined, undefined, undefined]);
    expect(events).to.have.length(4);
    expect(await redis.hKeys(keys.units)).to.have.members(["U-1", "U-3"]);
    expect(await outbox.knownUnits()).to.have.members(["U-1", "U-2", "U-3", "U-4"]);
  });

  it("gives the keys a TTL beyond the maximum age", async () => {
    const clock = { now: 10_000 };
    const { outbox, redis, keys } = await outboxAt(clock);
    await outbox.append("U-1", draft(10_000));
    for (const key of [keys.outboxStream("U-1"), keys.outboxMeta("U-1")]) {
      const ttl = await redis.pTTL(key);
      expect(ttl).to.be.greaterThan(MAX_AGE_MS).and.at.most(3 * MAX_AGE_MS);
    }
  });

  it("trims each unit's stream through the highest id acknowledged, for acknowledgements sent together", async () => {
    const clock = { now: 10_000 };
    const { outbox } = await outboxAt(clock);
    const a = [await outbox.append("U-1", draft(10_000)), await outbox.append("U-1", draft(10_000)), await outbox.append("U-1", draft(10_000))];
    const b = [await outbox.append("U-2", draft(10_000)), await outbox.append("U-2", draft(10_000))];
    await Promise.all([
      outbox.acknowledge("U-1", (a[1] as StoredEvent).id),
      outbox.acknowledge("U-2", (b[0] as StoredEvent).id),
      outbox.acknowledge("U-1", (a[0] as StoredEvent).id),
    ]);
    expect(await outbox.acknowledgedThrough("U-1")).to.equal(a[1]?.id);
    expect(await outbox.acknowledgedThrough("U-2")).to.equal(b[0]?.id);
    const depths = await outbox.depths();
    expect([depths.get("U-1"), depths.get("U-2")]).to.deep.equal([1, 1]);
  });
});
