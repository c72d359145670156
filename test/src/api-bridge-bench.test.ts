/**
 * The bench's api-bridge scenario at a tiny size: a gateway and an API Bridge in child processes,
 * the same pings sent on a /bridge socket and as HTTP through the bridge. Both complete without
 * errors. No timing is asserted (benchmarks measure, tests do not). Loaded from bench/dist at run time.
 */
import assert from "node:assert/strict";

interface SmokeRun {
  server: string;
  requests: number;
  errors: number;
  errorCodes: Record<string, number>;
  unfinished: number;
}

interface ApiBridgeBench {
  runApiBridge(params: { units: number; concurrency: number; durationS: number; warmupS: number; rounds: number }): Promise<{ runs: SmokeRun[]; comparisons: unknown[] }>;
}

const SCENARIO = new URL("../../bench/dist/scenarios/api-bridge.js", import.meta.url).href;

describe("bench: api-bridge scenario (smoke)", function () {
  this.timeout(60_000);

  it("sends requests directly on a /bridge socket and as HTTP through the API Bridge without errors", async () => {
    const bench = (await import(SCENARIO)) as ApiBridgeBench;
    const result = await bench.runApiBridge({ units: 5, concurrency: 2, durationS: 1, warmupS: 0, rounds: 1 });
    assert.deepEqual(result.runs.map((run) => run.server).sort(), ["HTTP via API Bridge", "direct /bridge socket"]);
    for (const run of result.runs) {
      assert.ok(run.requests > 0, `${run.server}: no request completed`);
      assert.equal(run.errors, 0, `${run.server}: errors ${JSON.stringify(run.errorCodes)}`);
      assert.equal(run.unfinished, 0, `${run.server}: requests left unfinished`);
    }
    assert.equal(result.comparisons.length, 1);
  });
});
