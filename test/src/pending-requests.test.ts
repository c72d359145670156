/**
 * The pending-request registry on its own: every entry ends exactly once, whichever way (settle,
 * its session, all, its deadline), the per-session index follows every order of operations, and
 * the registry is empty afterwards. A random sequence of operations is checked against a plain model.
 */
import { expect } from "chai";
import type { Reply } from "@care-gateway/shared";
import { prng } from "./helpers/prng.js";

interface Entry {
  readonly unitId: string;
  readonly sessionId: string;
  finish(reply: Reply): void;
  timeoutReply(): Reply;
}
interface Registry {
  readonly size: number;
  open(key: string | number, entry: Entry, deadline: number): void;
  settle(key: string | number, reply: Reply): boolean;
  settleSession(sessionId: string, make: (entry: Entry) => Reply): number;
  settleAll(make: (entry: Entry) => Reply): number;
}

const MODULE = new URL("../../server/dist/routing/pending-requests.js", import.meta.url).href;
const { PendingRequests, DEADLINE_GRANULARITY_MS } = (await import(MODULE)) as { PendingRequests: new () => Registry; DEADLINE_GRANULARITY_MS: number };

const FAR = Date.now() + 3_600_000;
const reply = (code: string): Reply => ({ ok: false, error: { code, message: code } }) as Reply;

/** An entry that records every outcome it is given. */
function entry(sessionId: string, outcomes: Map<string, string[]>, key: string, onFinish?: () => void): Entry {
  outcomes.set(key, []);
  return {
    unitId: `unit-of-${sessionId}`,
    sessionId,
    finish(r) {
      outcomes.get(key)?.push(r.ok ? "ok" : r.error.code);
      onFinish?.();
    },
    timeoutReply: () => reply("TIMEOUT"),
  };
}

/** The model of the random-operation tests: each open key with its session. */
type OpenKeys = Map<string | number, string>;

const keysOfSession = (open: OpenKeys, sessionId: string) => [...open].filter(([, s]) => s === sessionId).map(([k]) => k);

/** Ends a session in the registry and in the model: the registry must count what the model held. */
function settleSessionInBoth(registry: Registry, open: OpenKeys, sessionId: string, keys = keysOfSession(open, sessionId)): void {
  expect(registry.settleSession(sessionId, () => reply("GONE"))).to.equal(keys.length);
  for (const key of keys) open.delete(key);
}

/** Ends everything in the registry and in the model. */
function settleAllInBoth(registry: Registry, open: OpenKeys): void {
  expect(registry.settleAll(() => reply("DOWN"))).to.equal(open.size);
  open.clear();
}

describe("routing: pending-request registry", () => {
  it("ends each entry once, by key, by session or all, and is empty afterwards", () => {
    const registry = new PendingRequests();
    const outcomes = new Map<string, string[]>();
    for (let i = 0; i < 30; i++) registry.open(`k${i}`, entry(`s${i % 4}`, outcomes, `k${i}`), FAR);
    expect(registry.size).to.equal(30);
    expect(registry.settle("k0", reply("A"))).to.equal(true);
    expect(registry.settle("k0", reply("B"))).to.equal(false);
    expect(registry.settle("k5", reply("A"))).to.equal(true);
    // s1 had k1, k5, k9, ..., k29 (8 entries); k5 has ended already.
    expect(registry.settleSession("s1", () => reply("GONE"))).to.equal(7);
    expect(registry.settleSession("s1", () => reply("GONE"))).to.equal(0);
    expect(registry.settleAll(() => reply("DOWN"))).to.equal(30 - 2 - 7);
    expect(registry.size).to.equal(0);
    for (const [key, ends] of outcomes) expect(ends, key).to.have.length(1);
    expect(outcomes.get("k9")).to.deep.equal(["GONE"]);
    expect(outcomes.get("k2")).to.deep.equal(["DOWN"]);
  });

  it("keeps a local (number) key and a forwarded (string) key with the same digits apart", () => {
    const registry = new PendingRequests();
    const outcomes = new Map<string, string[]>();
    registry.open(1, entry("s", outcomes, "number"), FAR);
    registry.open("1", entry("s", outcomes, "string"), FAR);
    expect(registry.size).to.equal(2);
    expect(registry.settle(1, reply("A"))).to.equal(true);
    expect(registry.settle(1, reply("B"))).to.equal(false);
    expect(registry.settle("1", reply("C"))).to.equal(true);
    expect(outcomes.get("number")).to.deep.equal(["A"]);
    expect(outcomes.get("string")).to.deep.equal(["C"]);
  });

  it("refuses a duplicate key", () => {
    const registry = new PendingRequests();
    const outcomes = new Map<string, string[]>();
    registry.open("k", entry("s", outcomes, "k"), FAR);
    expect(() => registry.open("k", entry("s", outcomes, "k"), FAR)).to.throw(/duplicate/);
    registry.settleAll(() => reply("DOWN"));
  });

  it("skips entries a finish ended meanwhile, and keeps entries opened meanwhile", () => {
    const registry = new PendingRequests();
    const outcomes = new Map<string, string[]>();
    // The first entry of s to end ends the other two (a caller reacting to an outcome); a late one arrives.
    let cascaded = false;
    const cascade = () => {
      if (cascaded) return;
      cascaded = true;
      registry.settle("a", reply("CASCADE"));
      registry.settle("b", reply("CASCADE"));
      registry.settle("c", reply("CASCADE"));
      registry.open("late", entry("s", outcomes, "late"), FAR);
    };
    registry.open("a", entry("s", outcomes, "a", cascade), FAR);
    registry.open("b", entry("s", outcomes, "b", cascade), FAR);
    registry.open("c", entry("s", outcomes, "c", cascade), FAR);
    expect(registry.settleSession("s", () => reply("GONE"))).to.equal(1);
    for (const key of ["a", "b", "c"]) expect(outcomes.get(key), key).to.have.length(1);
    expect(registry.size).to.equal(1);
    expect(registry.settleSession("s", () => reply("GONE"))).to.equal(1);
    expect(outcomes.get("late")).to.deep.equal(["GONE"]);
    expect(registry.size).to.equal(0);
  });

  it("ends an entry at its deadline with its timeout reply, once", async () => {
    const registry = new PendingRequests();
    const outcomes = new Map<string, string[]>();
    const ended = new Promise<void>((resolve) => registry.open("t", entry("s", outcomes, "t", resolve), Date.now() - 1));
    registry.open("u", entry("s", outcomes, "u"), FAR);
    await ended;
    expect(outcomes.get("t")).to.deep.equal(["TIMEOUT"]);
    expect(registry.settle("t", reply("LATE"))).to.equal(false);
    expect(registry.settleSession("s", () => reply("GONE"))).to.equal(1);
    expect(registry.size).to.equal(0);
  });

  it("holds one sweep timer for all its deadlines, and none once it is empty", () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
    const before = timers();
    const registry = new PendingRequests();
    const outcomes = new Map<string, string[]>();
    for (let i = 0; i < 1_000; i++) registry.open(`k${i}`, entry(`s${i % 7}`, outcomes, `k${i}`), FAR - i * 997);
    expect(timers()).to.equal(before + 1);
    expect(registry.settleAll(() => reply("DOWN"))).to.equal(1_000);
    expect(timers()).to.equal(before);
  });

  it("ends entries at their deadlines in deadline order, none before its deadline, each once", async () => {
    const registry = new PendingRequests();
    const outcomes = new Map<string, string[]>();
    const order: string[] = [];
    const early: string[] = [];
    const now = Date.now();
    // Deadlines opened out of order, two sharing a granule, one already passed.
    const deadlines: [string, number][] = [["d40", now + 40], ["d5", now + 5], ["past", now - 50], ["d41", now + 41], ["d20", now + 20], ["d80", now + 80]];
    const ended = deadlines.map(
      ([key, deadline]) =>
        new Promise<void>((resolve) =>
          registry.open(key, entry("s", outcomes, key, () => {
            if (Date.now() < deadline) early.push(key);
            order.push(key);
            resolve();
          }), deadline),
        ),
    );
    await Promise.all(ended);
    expect(early).to.deep.equal([]);
    expect(order.indexOf("past")).to.be.below(order.indexOf("d5"));
    expect(order.indexOf("d5")).to.be.below(order.indexOf("d20"));
    expect(order.indexOf("d20")).to.be.below(order.indexOf("d40"));
    expect(order.indexOf("d41")).to.be.below(order.indexOf("d80"));
    for (const [key] of deadlines) expect(outcomes.get(key), key).to.deep.equal(["TIMEOUT"]);
    expect(registry.size).to.equal(0);
  });

  it("keeps exactly-once endings when a timeout's finish settles, opens or ends all entries mid-sweep", async () => {
    const registry = new PendingRequests();
    const outcomes = new Map<string, string[]>();
    const due = Date.now() - 1;
    let reopened: Promise<void> | undefined;
    // The first of a, b, c to time out answers the other two and opens one already due.
    let cascaded = false;
    const cascade = () => {
      if (cascaded) return;
      cascaded = true;
      for (const key of ["a", "b", "c"]) registry.settle(key, reply("ANSWER"));
      reopened = new Promise<void>((resolve) => registry.open("again", entry("s", outcomes, "again", resolve), due));
    };
    for (const key of ["a", "b", "c"]) registry.open(key, entry("s", outcomes, key, cascade), due);
    registry.open("far", entry("t", outcomes, "far"), FAR);
    await new Promise<void>((resolve) => {
      const check = () => (reopened ? void reopened.then(resolve) : setTimeout(check, DEADLINE_GRANULARITY_MS));
      check();
    });
    const endings = ["a", "b", "c"].map((key) => outcomes.get(key));
    for (const ends of endings) expect(ends).to.have.length(1);
    expect(endings.flat().sort()).to.deep.equal(["ANSWER", "ANSWER", "TIMEOUT"]);
    expect(outcomes.get("again")).to.deep.equal(["TIMEOUT"]);
    expect(registry.size).to.equal(1);

    // A finish that ends everything mid-sweep, then opens again: the new entry still times out.
    let last: Promise<void> | undefined;
    registry.open("x", entry("s", outcomes, "x", () => {
      registry.settleAll(() => reply("DOWN"));
      last = new Promise<void>((resolve) => registry.open("after", entry("s", outcomes, "after", resolve), Date.now() + 1));
    }), Date.now());
    await new Promise<void>((resolve) => {
      const check = () => (last ? void last.then(resolve) : setTimeout(check, DEADLINE_GRANULARITY_MS));
      check();
    });
    expect(outcomes.get("x")).to.deep.equal(["TIMEOUT"]);
    expect(outcomes.get("far")).to.deep.equal(["DOWN"]);
    expect(outcomes.get("after")).to.deep.equal(["TIMEOUT"]);
    expect(registry.size).to.equal(0);
  });

  it("agrees with a plain model over local (number) keys: long-lived entries, ring collisions and growth, string keys alongside", () => {
    const random = prng(0xc0ffee);
    const registry = new PendingRequests();
    const outcomes = new Map<string, string[]>();
    const open: OpenKeys = new Map();
    const sessions = ["s0", "s1", "s2", "s3", "s4", "s5", "s6"];
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    let counter = 0;
    const opened: (string | number)[] = [];
    for (let step = 0; step < 60_000; step++) {
      const op = random();
      // Mostly consecutive numbers as the router makes them; a few string keys (forwarded requests)
      // and, now and then, a number far ahead (the counter after a long run), all under load.
      if (op < 0.5) {
        const key: string | number = random() < 0.05 ? `fwd:${counter}` : random() < 0.01 ? counter + 1_000_000 * (1 + Math.floor(random() * 4)) : counter;
        counter++;
        if (open.has(key)) continue;
        const sessionId = pick(sessions);
        registry.open(key, entry(sessionId, outcomes, String(key)), FAR);
        open.set(key, sessionId);
        opened.push(key);
      } else if (op < 0.93) {
        // Settle a recent key mostly (short requests), an old one sometimes (those that stay: they
        // hold their ring place while the counter laps it), or one never opened.
        const recent = random() < 0.9;
        const key = recent ? opened[opened.length - 1 - Math.floor(random() * Math.min(opened.length, 60))] : random() < 0.5 ? pick(opened) : counter + 7;
        if (key === undefined) continue;
        expect(registry.settle(key, reply("ANSWER")), String(key)).to.equal(open.delete(key));
      } else if (op < 0.999) {
        const sessionId = pick(sessions);
        const keys = keysOfSession(open, sessionId);
        if (keys.length > 200 || random() < 0.05) settleSessionInBoth(registry, open, sessionId, keys);
      } else {
        settleAllInBoth(registry, open);
      }
      expect(registry.size).to.equal(open.size);
    }
    for (const key of open.keys()) expect(registry.settle(key, reply("ANSWER")), String(key)).to.equal(true);
    expect(registry.size).to.equal(0);
    for (const [key, ends] of outcomes) expect(ends, key).to.have.length(1);
  });

  it("agrees with a plain model over a random sequence of operations", () => {
    const random = prng(0xbeef);
    const registry = new PendingRequests();
    const outcomes = new Map<string, string[]>();
    const open: OpenKeys = new Map();
    const sessions = ["s0", "s1", "s2", "s3", "s4"];
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    let next = 0;
    for (let step = 0; step < 20_000; step++) {
      const op = random();
      if (op < 0.5) {
        const key = `k${next++}`;
        const sessionId = pick(sessions);
        registry.open(key, entry(sessionId, outcomes, key), FAR);
        open.set(key, sessionId);
      } else if (op < 0.85) {
        const key = `k${Math.floor(random() * next)}`;
        expect(registry.settle(key, reply("ANSWER"))).to.equal(open.delete(key));
      } else if (op < 0.99) {
        settleSessionInBoth(registry, open, pick(sessions));
      } else {
        settleAllInBoth(registry, open);
      }
      expect(registry.size).to.equal(open.size);
    }
    registry.settleAll(() => reply("DOWN"));
    expect(registry.size).to.equal(0);
    for (const [key, ends] of outcomes) expect(ends, key).to.have.length(1);
  });
});
