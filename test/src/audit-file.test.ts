/**
 * The audit log's own file (AUDIT_LOG_FILE): lines batched in memory reach the file complete and in
 * order (also past a chunk's size and with multi-byte text), on time, on stop and when the process
 * exits without stopping; a gateway's records there are one JSON object a line with only the fields
 * that apply.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import { expect } from "chai";
import { Namespace, type RequestReply } from "@care-gateway/shared";
import { LineBatcher, createAuditLog, createGateway, createLogger, loadConfig } from "@care-gateway/server";
import { fakeUnit } from "./helpers/fake-unit.js";
import { ask, connect } from "./helpers/raw-client.js";
import { MemoryLog, testEnv } from "./helpers/test-gateway.js";
import { registerTeardown } from "./helpers/teardown.js";
import { bridgeToken } from "./helpers/tokens.js";

const run = promisify(execFile);
const tempFile = (name: string) => join(mkdtempSync(join(tmpdir(), "cg-audit-")), name);
const readLines = (file: string) => readFileSync(file, "utf8").split("\n").filter((line) => line.length > 0);

/** A stream that keeps what it is given and says when. */
class Collect extends Writable {
  readonly chunks: string[] = [];
  #waiters: (() => void)[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk.toString("utf8"));
    this.#waiters.splice(0).forEach((wake) => wake());
    done();
  }
  nextWrite(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

describe("observability: the audit log file", () => {
  it("keeps every line, in order, across chunks and with multi-byte text", async () => {
    const file = tempFile("order.log");
    const audit = createAuditLog({ nodeId: "n1", file, batching: { maxRecords: 100 } });
    const long = "é".repeat(70_000);
    for (let i = 0; i < 5000; i++) audit.record({ action: "request", outcome: "ok", unitId: `U-${i}`, ...(i === 2500 ? { target: long } : {}) });
    await audit.close?.();
    const lines = readLines(file).map((line) => JSON.parse(line) as { unitId: string; target?: string });
    expect(lines.map((line) => line.unitId)).to.deep.equal(Array.from({ length: 5000 }, (_, i) => `U-${i}`));
    expect(lines[2500]?.target).to.equal(long);
  });

  it("writes a waiting line within the flush interval, without being stopped", async () => {
    const sink = new Collect();
    const lines = new LineBatcher<string>(sink, (line) => line, { flushMs: 20, maxRecords: 1000, owned: false });
    const written = sink.nextWrite();
    lines.write("first");
    lines.write("second");
    expect(sink.chunks, "nothing yet: batched").to.deep.equal([]);
    await written;
    expect(sink.chunks).to.deep.equal(["first\nsecond\n"]);
    await lines.close();
  });

  it("writes at once when maxRecords are waiting", async () => {
    const sink = new Collect();
    const lines = new LineBatcher<string>(sink, (line) => line, { flushMs: 60_000, maxRecords: 2, owned: false });
    const written = sink.nextWrite();
    lines.write("0123456789");
    lines.write("é");
    await written;
    expect(sink.chunks).to.deep.equal(["0123456789\né\n"]);
    await lines.close();
  });

  it("writes what is waiting when the process exits without stopping the log", async () => {
    const file = tempFile("exit.log");
    const script = `
      import { createAuditLog } from "@care-gateway/server";
      const audit = createAuditLog({ nodeId: "n1", file: process.argv[1] });
      audit.record({ action: "connection.open", outcome: "ok" });
      // A later turn, long before the batch is due (50 ms): both lines are still waiting at the exit.
      setImmediate(() => { audit.record({ action: "request", outcome: "ok" }); process.exit(3); });`;
    const child = run(process.execPath, ["--input-type=module", "-e", script, file], { cwd: process.cwd() });
    const code = await child.then(
      () => 0,
      (error: { code?: number }) => error.code,
    );
    expect(code).to.equal(3);
    expect(readLines(file).map((line) => (JSON.parse(line) as { action: string }).action)).to.deep.equal(["connection.open", "request"]);
  });

  it("holds one JSON record a line from a gateway, with only the fields that apply", async () => {
    const file = tempFile("gateway.log");
    const config = loadConfig(testEnv({ AUDIT_LOG_FILE: file, LOG_LEVEL: "warn" }));
    const logger = createLogger({ level: "warn", format: "json", nodeId: config.nodeId, transports: [new MemoryLog()] });
    const gateway = createGateway(config, { logger });
    const { port } = await gateway.start();
    registerTeardown(() => gateway.stop());
    const url = `http://127.0.0.1:${port}`;
    await fakeUnit(url, "U-1");
    const bridge = await connect(url, Namespace.bridge, bridgeToken());
    const reply = await ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {}, id: "req-1" });
    expect(reply.ok).to.equal(true);
    await gateway.stop();

    const records = readLines(file).map((line) => JSON.parse(line) as Record<string, unknown>);
    const request = records.find((record) => record["action"] === "request");
    expect(request).to.include({ level: "info", message: "request", audit: true, node: config.nodeId, unitId: "U-1", type: "unit.ping", outcome: "ok", requestId: "req-1" });
    expect(request?.["actor"]).to.deep.equal({ sub: "api-bridge", role: "bridge" });
    expect(Object.keys(request ?? {})).to.not.include.members(["namespace", "session", "target", "remote"]);
    expect(records.filter((record) => record["action"] === "connection.open")).to.have.length(2);
    expect(records.filter((record) => record["action"] === "connection.close")).to.have.length(2);
  });
});
