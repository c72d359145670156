/**
 * A unit's acknowledgement that the store fails to record (Redis unreachable, a script error) is
 * logged and leaves the event stored; it must never become an unhandled rejection, which ends a
 * Node process by default.
 */
import { expect } from "chai";
import { EventName } from "@care-gateway/shared";
import { createLogger, MemoryOutbox, UnitDelivery, type GatewayMetrics, type UnitSocket } from "@care-gateway/server";
import { MemoryLog } from "./helpers/test-gateway.js";

class FailingAcknowledgements extends MemoryOutbox {
  override acknowledge(): Promise<void> {
    return Promise.reject(new Error("store unreachable"));
  }
}

/** A connected unit that acknowledges every event at once. */
function acknowledgingUnit(received: unknown[]): UnitSocket {
  const socket = {
    emit(event: string, payload: unknown, ack: (reply: unknown) => void) {
      if (event === EventName.EVENT) {
        received.push(payload);
        ack({ ok: true });
      }
      return true;
    },
  };
  return socket as unknown as UnitSocket;
}

const counter = { inc: () => undefined };
const metrics = { eventsDelivered: counter, eventsReplayed: counter, outboxGaps: counter } as unknown as GatewayMetrics;

describe("delivery: an acknowledgement the store cannot record", () => {
  it("is logged with the unit id, the event stays stored, and nothing is left unhandled", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const log = new MemoryLog();
      const logger = createLogger({ level: "warn", format: "json", nodeId: "n1", transports: [log] });
      const outbox = new FailingAcknowledgements({ maxEvents: 100, maxAgeMs: 60_000 });
      const stored = await outbox.append("unit-a", { type: "appointment.updated", payload: { appointmentId: "a-1" } as never, ts: Date.now(), publishId: "p-1" });
      const received: unknown[] = [];
      const acknowledged: number[] = [];
      const delivery = new UnitDelivery("unit-a", acknowledgingUnit(received), undefined, {
        outbox,
        metrics,
        logger,
        onGap: () => undefined,
        onAcknowledged: (_unitId, event) => acknowledged.push(event.id),
      });
      delivery.pump();
      // Two turns after the unit's ack: the rejection has been handled or reported by then.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(received).to.have.length(1);
      expect(unhandled).to.deep.equal([]);
      const warning = log.lines.find((line) => line["message"] === "outbox acknowledgement not stored");
      expect(warning, log.text()).to.include({ level: "warn", unitId: "unit-a", err: "store unreachable" });
      const { events } = await outbox.read("unit-a", 0, 10);
      expect(events.map((event) => event.id)).to.deep.equal([stored.id]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
