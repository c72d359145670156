/** What every scenario takes and returns, so that the CLI, the recorder and the smoke test share one shape. */
import type { LatencySummary } from "../lib/latency.js";

export interface ScenarioParams {
  units: number;
  concurrency: number;
  durationS: number;
  warmupS: number;
  /** Rounds per server, alternating the order (bare first, then gateway first, ...); figures are medians. */
  rounds: number;
  /** Client-side bound on each request (the bench's own timeout, not the gateway's). */
  requestTimeoutMs: number;
  /** Start each server child with `--cpu-prof` (profiles go to bench/results/profiles, named by pid). */
  profile: boolean;
  /** Progress lines; silent when omitted. */
  log: (line: string) => void;
}

export const DEFAULT_PARAMS: ScenarioParams = {
  units: 500,
  concurrency: 50,
  durationS: 15,
  warmupS: 2,
  rounds: 1,
  requestTimeoutMs: 10_000,
  profile: false,
  log: () => {},
};

/** One server's figures in a scenario. */
export interface ServerRun {
  /** Which server (or cluster set-up) this is: "bare", "gateway", "gateway cross-node", ... */
  server: string;
  description: string;
  /** Successful requests that ended in the measured window. */
  requests: number;
  /** Requests per second over the measured window. */
  throughput: number;
  latencyMs: LatencySummary;
  /** Failed requests (warm-up and drain included) and their codes. */
  errors: number;
  errorCodes: Record<string, number>;
  /** Requests still outstanding when the drain gave up. */
  unfinished: number;
  /** Time to connect every unit and the bridge, ms. */
  connectMs: number;
  /** The server child's CPU use while the load ran (a cluster: all its nodes and its Redis): 100 = one core. */
  serverCpuPct: number;
  /** Set when the server side is several processes: each one's CPU use, by name (100 = one core). */
  serverCpuParts?: Record<string, number>;
  /** The server side's CPU time per request, microseconds. */
  serverCpuUsPerRequest: number;
  serverRssMb: number;
  /** The load generator's (this process's) CPU use while the load ran: 100 = one core. */
  loadgenCpuPct: number;
  /** Everything else busy on the machine meanwhile (other processes, kernel): 100 = one core; NaN off Linux. */
  otherCpuPct: number;
}

/** One run's figures over another's (relay: gateway / bare). */
export interface Ratios {
  throughput: number;
  p50: number;
  p99: number;
  serverCpuPerRequest: number;
}

/** A throughput target: numerator / denominator must reach `throughputRatioAtLeast`. */
export interface TargetCheck {
  throughputRatioAtLeast: number;
  met: boolean;
}

/** Two runs of one scenario compared: `numerator` / `denominator`. */
export interface Comparison {
  numerator: string;
  denominator: string;
  ratios: Ratios;
  target?: TargetCheck;
}

export interface ScenarioResult {
  scenario: string;
  description: string;
  params: Omit<ScenarioParams, "log">;
  /** One per server: the median over the rounds. */
  runs: ServerRun[];
  /** Every round's runs, in the order they ran. */
  rounds: ServerRun[][];
  /** The first comparison's ratios and target (relay: gateway / bare), as the JSON always had them. */
  ratios: Ratios;
  target: TargetCheck;
  /** Every comparison the scenario makes, the first one included. */
  comparisons: Comparison[];
  /** What else the scenario's set-up was (cluster layout, Redis), one line each, for the record. */
  setup?: string[];
  /** Versions of software beyond Node and socket.io that the scenario ran (redis-server, the Redis adapter). */
  software?: Record<string, string>;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  run(params?: Partial<ScenarioParams>): Promise<ScenarioResult>;
}
