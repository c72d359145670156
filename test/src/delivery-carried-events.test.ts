/**
 * The copies of events that travel with their wake-up to the unit's node (cluster-mode): what they
 * let the delivery send without a read never skips an event, and a wake-up that carried nothing
 * makes the next send read the stream.
 */
import { expect } from "chai";
import { CarriedEvents, type StoredEvent } from "@care-gateway/server";

const event = (id: number, ts = 1_000): StoredEvent => ({ id, type: "appointment.updated", payload: { appointmentId: `A-${id}` } as StoredEvent["payload"], ts });
const ids = (events: StoredEvent[] | undefined) => events?.map((e) => e.id);

describe("delivery: events carried by cluster wake-ups", () => {
  it("answers with the run that follows the cursor, and forgets what it gave", () => {
    const carried = new CarriedEvents();
    carried.add("U-1", [event(11)]);
    carried.add("U-1", [event(12)]);
    expect(ids(carried.after("U-1", 10, 256, 0))).to.deep.equal([11, 12]);
    expect(carried.after("U-1", 12, 256, 0)).to.equal(undefined);
    expect(carried.after("U-2", 0, 256, 0)).to.equal(undefined);
  });

  it("never answers across a hole, nor for a cursor behind the first carried event", () => {
    const carried = new CarriedEvents();
    carried.add("U-1", [event(12), event(14)]);
    expect(carried.after("U-1", 10, 256, 0)).to.equal(undefined);
    expect(ids(carried.after("U-1", 11, 256, 0))).to.deep.equal([12]);
    expect(carried.after("U-1", 12, 256, 0)).to.equal(undefined);
    expect(ids(carried.after("U-1", 13, 256, 0))).to.deep.equal([14]);
  });

  it("after a wake-up that carried nothing, answers nothing until a read is issued", () => {
    const carried = new CarriedEvents();
    carried.add("U-1", [event(11)]);
    carried.add("U-1", []);
    expect(carried.after("U-1", 10, 256, 0)).to.equal(undefined);
    carried.readIssued("U-1");
    expect(ids(carried.after("U-1", 10, 256, 0))).to.deep.equal([11]);
  });

  it("keeps the newer run when wake-ups cross, respects the limit and the age cutoff", () => {
    const carried = new CarriedEvents();
    carried.add("U-1", [event(12)]);
    carried.add("U-1", [event(11)]);
    expect(ids(carried.after("U-1", 10, 256, 0))).to.deep.equal([11]);
    carried.add("U-1", [event(12), event(13), event(14, 5)]);
    expect(ids(carried.after("U-1", 11, 1, 0))).to.deep.equal([12]);
    expect(ids(carried.after("U-1", 12, 256, 100))).to.deep.equal([13]);
    expect(carried.after("U-1", 13, 256, 100)).to.equal(undefined);
  });
});
