/**
 * The bench's scenarios at a tiny size, every server in a child process: relay (bare relay and
 * gateway) and cross-node (a gateway cluster and a Redis-adapter cluster on a private redis-server).
 * Each completes, every server answers requests, nothing fails. No timing is asserted (benchmarks
 * measure, tests do not). The bench is loaded from bench/dist at run time: `npx tsc -b` builds it
 * with everything else.
 */
import assert from "node:assert/strict";

interface SmokeRun {
  server: string;
  requests: number;
  errors: number;
  errorCodes: Record<string, number>;
  unfinished: number;
}

interface SmokeParams {
  units: number;
  concurrency: number;
  durationS: number;
  warmupS: number;
  rounds: number;
}

interface BenchModule {
  runRelay(params: SmokeParams): Promise<{ runs: SmokeRun[] }>;
  runCrossNode(params: SmokeParams): Promise<{ runs: SmokeRun[] }>;
}

function assertAnswered(runs: readonly SmokeRun[]): void {
  for (const run of runs) {
    assert.ok(run.requests > 0, `${run.server}: no request completed`);
    assert.equal(run.errors, 0, `${run.server}: errors ${JSON.stringify(run.errorCodes)}`);
    assert.equal(run.unfinished, 0, `${run.server}: requests left unfinished`);
  }
}

const BENCH_ENTRY = new URL("../../bench/dist/index.js", import.meta.url).href;

describe("bench: relay scenario (smoke)", function () {
  this.timeout(60_000);

  it("relays requests through the bare baseline and the gateway without errors", async () => {
    const bench = (await import(BENCH_ENTRY)) as BenchModule;
    const result = await bench.runRelay({ units: 5, concurrency: 2, durationS: 1, warmupS: 0, rounds: 1 });
    assert.deepEqual(result.runs.map((run) => run.server).sort(), ["bare", "gateway"]);
    assertAnswered(result.runs);
  });
});

describe("bench: cross-node scenario (smoke)", function () {
  this.timeout(60_000);

  it("relays requests across nodes through the gateway cluster and the Redis-adapter baseline without errors", async () => {
    const bench = (await import(BENCH_ENTRY)) as BenchModule;
    const result = await bench.runCrossNode({ units: 4, concurrency: 2, durationS: 1, warmupS: 0, rounds: 1 });
    assert.deepEqual(result.runs.map((run) => run.server).sort(), ["adapter-ack cross-node", "gateway cross-node", "gateway same-node"]);
    assertAnswered(result.runs);
  });
});
