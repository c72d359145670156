/** The fixed-window counter behind every limit: windows per key opened by the first call, and keys that stop calling forgotten. */
import { expect } from "chai";
import { FixedWindowCounter } from "@care-gateway/server";

describe("limits: fixed-window counter", () => {
  it("takes `limit` calls per key per window, the window opening at the key's first call", () => {
    let now = 0;
    const counter = new FixedWindowCounter(2, 1000, () => now);
    expect([counter.take("a"), counter.take("a"), counter.take("a")]).to.deep.equal([true, true, false]);
    now = 500;
    expect(counter.take("b"), "another key has its own window").to.equal(true);
    expect(counter.take("a"), "a's window is still full").to.equal(false);
    now = 1000;
    expect([counter.take("a"), counter.take("a"), counter.take("a")], "a's window opened again").to.deep.equal([true, true, false]);
    now = 1499;
    expect([counter.take("b"), counter.take("b")], "b's window runs from 500 to 1500").to.deep.equal([true, false]);
  });

  it("drops keys whose window has passed, and forgets a key when told", () => {
    let now = 0;
    const counter = new FixedWindowCounter(5, 1000, () => now);
    for (let i = 0; i < 100; i++) counter.take(`address-${i}`);
    expect(counter.size).to.equal(100);
    now = 1000;
    counter.take("fresh");
    expect(counter.size, "the stale keys are gone").to.equal(1);
    counter.forget("fresh");
    expect(counter.size).to.equal(0);
  });
});
