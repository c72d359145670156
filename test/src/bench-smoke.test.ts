/**
 * The bench's scenarios at a tiny size, every server in a child process: relay (bare relay and
 * gateway), cross-node (a gateway cluster and a Redis-adapter cluster on a private redis-server),
 * publish (bare forwarding, gateway, gateway cluster), fan-out, connections, reconnect-storm and
 * soak. Each completes, every server does the work, nothing fails. No timing is asserted
 * (benchmarks measure, tests do not). The bench is loaded from bench/dist at run time: `npx tsc -b`
 * builds it with everything else.
 */
import assert from "node:assert/strict";

interface SmokeRun {
  server: string;
  requests: number;
  errors: number;
  errorCodes: Record<string, number>;
  unfinished: number;
  figures?: Record<string, number>;
}

interface SmokeParams {
  units: number;
  concurrency?: number;
  durationS?: number;
  warmupS?: number;
  rounds?: number;
  sliceMs?: number;
  repeats?: number;
  rate?: number;
  churnPctPerS?: number;
  targetsPerPublish?: number;
  requestTimeoutMs?: number;
  unitClient?: "socket.io" | "lean";
  unitProcesses?: number;
}

interface SmokeResult {
  runs: SmokeRun[];
  comparisons: { target?: { met: boolean } }[];
}

type Runner = (params: SmokeParams) => Promise<SmokeResult>;

interface BenchModule {
  runRelay: Runner;
  runCrossNode: Runner;
  runPublish: Runner;
  runFanOut: Runner;
  runConnections: Runner;
  runReconnectStorm: Runner;
  runSoak: Runner;
}

function assertAnswered(runs: readonly SmokeRun[]): void {
  for (const run of runs) {
    assert.ok(run.requests > 0, `${run.server}: nothing completed`);
    assert.equal(run.errors, 0, `${run.server}: errors ${JSON.stringify(run.errorCodes)}`);
    assert.equal(run.unfinished, 0, `${run.server}: left unfinished`);
  }
}

const BENCH_ENTRY = new URL("../../bench/dist/index.js", import.meta.url).href;
const bench = async () => (await import(BENCH_ENTRY)) as BenchModule;

describe("bench: relay scenario (smoke)", function () {
  this.timeout(60_000);

  it("relays requests through the bare baseline and the gateway, in alternating turns, without errors", async () => {
    const result = await (await bench()).runRelay({ units: 5, concurrency: 2, durationS: 1, warmupS: 0, rounds: 1, sliceMs: 250 });
    assert.deepEqual(result.runs.map((run) => run.server).sort(), ["bare", "gateway"]);
    assertAnswered(result.runs);
  });

  it("relays requests through the bare baseline and the gateway one after the other (--slice-ms 0) without errors", async () => {
    const result = await (await bench()).runRelay({ units: 5, concurrency: 2, durationS: 1, warmupS: 0, rounds: 1, sliceMs: 0 });
    assert.deepEqual(result.runs.map((run) => run.server).sort(), ["bare", "gateway"]);
    assertAnswered(result.runs);
  });
});

describe("bench: cross-node scenario (smoke)", function () {
  this.timeout(60_000);

  for (const sliceMs of [250, 0]) {
    it(`relays requests across nodes through the gateway cluster and the Redis-adapter baseline without errors (${sliceMs > 0 ? "in alternating turns" : "one after the other"})`, async () => {
      const result = await (await bench()).runCrossNode({ units: 4, concurrency: 2, durationS: 1, warmupS: 0, rounds: 1, sliceMs });
      assert.deepEqual(result.runs.map((run) => run.server).sort(), ["adapter-ack cross-node", "gateway cross-node", "gateway same-node"]);
      assertAnswered(result.runs);
    });
  }
});

describe("bench: publish scenario (smoke)", function () {
  this.timeout(60_000);

  for (const sliceMs of [250, 0]) {
    it(`delivers published events to units through bare forwarding, the gateway and a gateway cluster without errors (${sliceMs > 0 ? "in alternating turns" : "one after the other"})`, async () => {
      const result = await (await bench()).runPublish({ units: 6, targetsPerPublish: 2, concurrency: 2, durationS: 1, warmupS: 0, rounds: 1, sliceMs });
      assert.deepEqual(result.runs.map((run) => run.server).sort(), ["bare", "gateway", "gateway cluster"]);
      assertAnswered(result.runs);
      assert.equal(result.comparisons.length, 2);
    });
  }
});

/**
 * The fan-out's times come from the processes holding the units, measured against the bench
 * process's emit: each must be a real time after the emit (a child on another clock would give
 * negative or absurd ones), first ≤ half ≤ last, and every process holding units must have reported.
 */
function assertFanOutTimes(runs: readonly SmokeRun[], processes: number, timeoutMs: number): void {
  for (const run of runs) {
    const figure = (name: string) => run.figures?.[name] ?? Number.NaN;
    const [first, half, last] = [figure("firstMs"), figure("medianArrivalMs"), figure("lastMs")];
    assert.ok(first > 0 && first <= half && half <= last && last < timeoutMs, `${run.server}: times to first / half / last unit ${first} / ${half} / ${last} ms`);
    assert.equal(figure("reportingProcesses"), processes, `${run.server}: processes that reported receipts`);
    const busy = figure("loadgenBusyPct");
    assert.ok(busy >= 0 && busy <= 100, `${run.server}: loadgen busy ${busy} %`);
  }
}

describe("bench: fan-out scenario (smoke)", function () {
  this.timeout(60_000);

  const cases = [
    { unitClient: "lean", unitProcesses: 2 },
    { unitClient: "socket.io", unitProcesses: 2 },
    { unitClient: "lean", unitProcesses: 0 },
  ] as const;
  for (const { unitClient, unitProcesses } of cases) {
    const where = unitProcesses === 0 ? "held by the bench process" : `spread over ${unitProcesses} load-generator children`;
    it(`reaches every unit (${unitClient} units, ${where}) with a publish to all through the bare broadcast, the bare broadcast with ack and the gateway`, async () => {
      const requestTimeoutMs = 10_000;
      const result = await (await bench()).runFanOut({ units: 20, repeats: 2, warmupS: 0, rounds: 1, unitClient, unitProcesses, requestTimeoutMs });
      assert.deepEqual(result.runs.map((run) => run.server).sort(), ["bare", "bare-ack", "gateway"]);
      assertAnswered(result.runs);
      assertFanOutTimes(result.runs, Math.max(1, unitProcesses), requestTimeoutMs);
      assert.equal(result.comparisons.length, 3);
    });
  }
});

describe("bench: connections scenario (smoke)", function () {
  this.timeout(60_000);

  it("holds authenticated unit connections from holder children and counts them online on both servers", async () => {
    const result = await (await bench()).runConnections({ units: 20, rounds: 1 });
    assertAnswered(result.runs);
    for (const run of result.runs) assert.equal(run.figures?.["units"], 20, `${run.server}: connections held`);
  });
});

describe("bench: reconnect-storm scenario (smoke)", function () {
  this.timeout(60_000);

  it("brings every unit back online after the server crashes and restarts on its port", async () => {
    const result = await (await bench()).runReconnectStorm({ units: 20, repeats: 1, rounds: 1 });
    assert.deepEqual(result.runs.map((run) => run.server).sort(), ["bare", "gateway"]);
    assertAnswered(result.runs);
  });
});

describe("bench: soak scenario (smoke)", function () {
  this.timeout(60_000);

  it("keeps a fixed rate with units reconnecting and samples the gateway at start and end", async () => {
    const result = await (await bench()).runSoak({ units: 20, rate: 200, churnPctPerS: 10, durationS: 2, warmupS: 0 });
    assert.deepEqual(result.runs.map((run) => run.server), ["gateway, start", "gateway, end"]);
    assertAnswered(result.runs);
    for (const run of result.runs) {
      assert.ok(Number.isFinite(run.figures?.["rssMb"]), `${run.server}: no RSS sample`);
      assert.ok(Number.isFinite(run.figures?.["retainedHeapMb"]), `${run.server}: no heap reading after a full GC`);
    }
  });
});
