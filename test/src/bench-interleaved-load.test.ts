/**
 * The bench's interleaved measurement (`bench/src/lib/interleaved-load.ts`): several servers' closed
 * loops taking turns of one slice each. Checked with in-process operations whose every start is
 * logged: the lanes' operations never overlap in time, they come in as many alternating turns as
 * slices were asked for, each lane's figures count only its own operations, and a lane's failures
 * are its own. The bench is loaded from bench/dist at run time.
 */
import { performance } from "node:perf_hooks";
import { expect } from "chai";

type Done = (errorCode?: string) => void;

interface Lane {
  server: string;
  description: string;
  cpu: { name: string; stats(): Promise<{ userUs: number; systemUs: number; rssBytes: number }> };
  connectMs: number;
  operation: (done: Done) => void;
}

interface Run {
  server: string;
  requests: number;
  throughput: number;
  latencyMs: { count: number; p50: number };
  errors: number;
  errorCodes: Record<string, number>;
  unfinished: number;
  serverCpuUsPerRequest: number;
}

interface BenchModule {
  DEFAULT_PARAMS: Record<string, unknown>;
  measureInterleaved(lanes: Lane[], params: Record<string, unknown>, sliceMs: number): Promise<Run[]>;
  slicesPerLane(durationS: number, sliceMs: number): number;
}

const BENCH_ENTRY = new URL("../../bench/dist/index.js", import.meta.url).href;
const bench = async () => (await import(BENCH_ENTRY)) as BenchModule;

/** This process stands in for the server: its own CPU time, read as a forked server's stats would be. */
const selfCpu = {
  name: "self",
  stats: async () => {
    const { user, system } = process.cpuUsage();
    return { userUs: user, systemUs: system, rssBytes: process.memoryUsage().rss };
  },
};

/** Operations outstanding, by lane, across every lane of a test; `overlaps` counts starts while another lane had some. */
const outstanding = new Map<string, number>();
let overlaps = 0;

/** A lane whose operations end on the next turn of the loop; `failEvery` > 0 fails every n-th one. */
function lane(server: string, starts: { server: string; at: number }[], failEvery = 0) {
  let calls = 0;
  let inFlight = 0;
  let peak = 0;
  const counts = { ended: 0, peak: () => peak };
  const entry: Lane = {
    server,
    description: `${server} (in-process)`,
    cpu: selfCpu,
    connectMs: 0,
    operation: (done) => {
      calls++;
      for (const [other, count] of outstanding) if (other !== server && count > 0) overlaps++;
      outstanding.set(server, (outstanding.get(server) ?? 0) + 1);
      inFlight++;
      peak = Math.max(peak, inFlight);
      starts.push({ server, at: performance.now() });
      const fail = failEvery > 0 && calls % failEvery === 0;
      setImmediate(() => {
        outstanding.set(server, (outstanding.get(server) ?? 0) - 1);
        inFlight--;
        counts.ended++;
        done(fail ? "TEST_FAILURE" : undefined);
      });
    },
  };
  return { entry, counts };
}

/** The lanes in the order their operations started, one entry per run of consecutive starts. */
function turns(starts: readonly { server: string; at: number }[]): string[] {
  const sorted = [...starts].sort((a, b) => a.at - b.at);
  const result: string[] = [];
  for (const { server } of sorted) if (result[result.length - 1] !== server) result.push(server);
  return result;
}

describe("bench: interleaved measurement of several servers", function () {
  this.timeout(30_000);

  it("gives each lane its slices in alternating turns, never two lanes at once", async () => {
    const { DEFAULT_PARAMS, measureInterleaved, slicesPerLane } = await bench();
    const starts: { server: string; at: number }[] = [];
    const a = lane("a", starts);
    const b = lane("b", starts);
    const params = { ...DEFAULT_PARAMS, concurrency: 4, durationS: 0.4, warmupS: 0.05, requestTimeoutMs: 1_000 };
    const slices = slicesPerLane(0.4, 100);
    expect(slices).to.equal(4);
    overlaps = 0;
    const runs = await measureInterleaved([a.entry, b.entry], params, 100);

    expect(overlaps, "operations started while the other lane had some outstanding").to.equal(0);
    expect(runs.map((run) => run.server)).to.deep.equal(["a", "b"]);
    // Warm-up a, warm-up b, then a, b, a, b, ...: one turn per slice and lane after the warm-ups.
    expect(turns(starts)).to.deep.equal(["a", "b", ...Array.from({ length: slices }, () => ["a", "b"]).flat()]);
    for (const [run, counts] of [
      [runs[0], a.counts],
      [runs[1], b.counts],
    ] as const) {
      expect(counts.peak()).to.be.at.most(4);
      expect(run?.requests).to.be.greaterThan(0);
      expect(run?.requests).to.be.lessThan(counts.ended);
      expect(run?.latencyMs.count).to.equal(run?.requests);
      expect(run?.throughput).to.be.closeTo((run?.requests ?? 0) / 0.4, 1e-6);
      expect(run?.unfinished).to.equal(0);
      expect(run?.errors).to.equal(0);
      expect(run?.serverCpuUsPerRequest).to.be.greaterThan(0);
    }
  });

  it("keeps each lane's failures to that lane", async () => {
    const { DEFAULT_PARAMS, measureInterleaved } = await bench();
    const starts: { server: string; at: number }[] = [];
    const good = lane("good", starts);
    const failing = lane("failing", starts, 3);
    const params = { ...DEFAULT_PARAMS, concurrency: 2, durationS: 0.2, warmupS: 0, requestTimeoutMs: 1_000 };
    const [goodRun, failingRun] = await measureInterleaved([good.entry, failing.entry], params, 50);

    expect(goodRun?.errors).to.equal(0);
    expect(failingRun?.errors).to.be.greaterThan(0);
    expect(failingRun?.errorCodes).to.deep.equal({ TEST_FAILURE: failingRun?.errors });
    // Every third call failed, and every call ended (warm-up and drains included).
    expect(failingRun?.errors).to.equal(Math.floor(failing.counts.ended / 3));
  });
});
