/**
 * The application logger drops a message below every transport's level before any formatting:
 * Winston alone would redact, timestamp and JSON-encode it first, then let the transport drop it.
 */
import { expect } from "chai";
import { createLogger } from "@care-gateway/server";
import { MemoryLog } from "./helpers/test-gateway.js";

/** A log field that records whether anything turned it into JSON (the JSON format does). */
function probe(): { field: { toJSON(): string }; formatted: () => boolean } {
  let formatted = false;
  return {
    field: {
      toJSON() {
        formatted = true;
        return "probe";
      },
    },
    formatted: () => formatted,
  };
}

describe("logger: disabled levels", () => {
  it("does not format a message below the level, and writes those at or above it", () => {
    const log = new MemoryLog();
    const logger = createLogger({ level: "warn", format: "json", nodeId: "n1", transports: [log] });
    const below = probe();
    logger.info("below the level", { probe: below.field });
    logger.debug("below the level", { probe: below.field });
    expect(below.formatted(), "a message below the level was formatted").to.equal(false);
    const at = probe();
    logger.warn("at the level", { probe: at.field });
    logger.error("above the level", { code: 1 });
    expect(at.formatted()).to.equal(true);
    expect(log.lines.map((line) => [line["level"], line["message"], line["node"]])).to.deep.equal([
      ["warn", "at the level", "n1"],
      ["error", "above the level", "n1"],
    ]);
    expect(log.lines[0]?.["probe"]).to.equal("probe");
  });

  it("follows a level changed later, and a transport that asks for more than the logger's level", () => {
    const log = new MemoryLog();
    const logger = createLogger({ level: "warn", format: "json", nodeId: "n1", transports: [log] });
    logger.level = "info";
    logger.info("now enabled");
    const verbose = new MemoryLog({ level: "debug" });
    const chatty = createLogger({ level: "warn", format: "json", nodeId: "n2", transports: [verbose] });
    chatty.debug("the transport wants it");
    const child = logger.child({ part: "child" });
    child.info("from a child");
    child.debug("not from a child");
    expect(log.lines.map((line) => line["message"])).to.deep.equal(["now enabled", "from a child"]);
    expect(log.lines[1]?.["part"]).to.equal("child");
    expect(verbose.lines.map((line) => line["message"])).to.deep.equal(["the transport wants it"]);
  });
});
