/** What every scenario takes and returns, so that the CLI, the recorder and the smoke test share one shape. */
import type { LatencySummary } from "../lib/latency.js";

export const UNIT_CLIENT_KINDS = ["socket.io", "lean"] as const;
export type UnitClientKind = (typeof UNIT_CLIENT_KINDS)[number];

export interface ScenarioParams {
  units: number;
  concurrency: number;
  durationS: number;
  warmupS: number;
  /** Rounds per server, alternating the order (bare first, then gateway first, ...); figures are medians. */
  rounds: number;
  /**
   * relay, cross-node, publish: the servers are all up at once and take turns of this many ms under the load until each
   * has had `durationS` (the machine's drift then falls on both alike); 0 runs them one after the other.
   */
  sliceMs: number;
  /** Client-side bound on each request (the bench's own timeout, not the gateway's). */
  requestTimeoutMs: number;
  /** Start each server child with `--cpu-prof` (profiles go to bench/results/profiles, named by pid). */
  profile: boolean;
  /** publish: units each publish targets (1: `{ unitId }`, more: `{ unitIds }`). */
  targetsPerPublish: number;
  /** fan-out: publishes to all units, one after the other; the median is reported. */
  repeats: number;
  /**
   * fan-out: what simulates the units, socket.io-client sockets or lean clients that speak the
   * Engine.IO / Socket.IO framing over the bench's own plain WebSocket (`bench/src/lib/lean-unit.ts`).
   */
  unitClient: UnitClientKind;
  /**
   * fan-out: load-generator child processes the units are spread over (lib/unit-holders.ts), each
   * acking and timing its share; 0: the bench process itself holds every unit.
   */
  unitProcesses: number;
  /** soak: requests per second; 0 measures the relay's peak first and takes 60 % of it. */
  rate: number;
  /** soak: percent of the units that disconnect and reconnect every second. */
  churnPctPerS: number;
  /** Progress lines; silent when omitted. */
  log: (line: string) => void;
}

/** `sliceMs` of the relay, cross-node and publish scenarios: their servers are measured in alternating turns of this many ms. */
export const DEFAULT_SLICE_MS = 1000;

export const DEFAULT_PARAMS: ScenarioParams = {
  units: 500,
  concurrency: 50,
  durationS: 15,
  warmupS: 2,
  rounds: 1,
  sliceMs: 0,
  requestTimeoutMs: 10_000,
  profile: false,
  targetsPerPublish: 1,
  repeats: 5,
  unitClient: "socket.io",
  unitProcesses: 0,
  rate: 0,
  churnPctPerS: 2,
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
  /** Figures of the scenario's own (memory per connection, time to the last unit, ...), by name; see `ScenarioResult.columns`. */
  figures?: Record<string, number>;
}

/** One run's figures over another's (relay: gateway / bare). */
export interface Ratios {
  throughput: number;
  p50: number;
  p99: number;
  serverCpuPerRequest: number;
}

/**
 * A target on one ratio numerator / denominator: throughput (higher is better, ratio ≥ bound) or a
 * figure of the scenario's own such as memory per connection (lower is better, ratio ≤ bound).
 */
export interface TargetCheck {
  /** "throughput" or a key of `ServerRun.figures`. */
  figure: string;
  /** How the verdict names it: "throughput", "memory per connection". */
  label: string;
  better: "higher" | "lower";
  bound: number;
  ratio: number;
  met: boolean;
}

/** Two runs of one scenario compared: `numerator` / `denominator`. */
export interface Comparison {
  numerator: string;
  denominator: string;
  ratios: Ratios;
  /** The ratio of every figure both runs have. */
  figureRatios?: Record<string, number>;
  target?: TargetCheck;
}

/**
 * A column of a scenario's table when its figures are not the request columns: a standard field
 * ("throughput", "p50", "p99", "max", "errors", "serverCpuPct", "serverCpuUsPerRequest",
 * "loadgenCpuPct", "otherCpuPct", "serverRssMb", "connectMs") or a key of `ServerRun.figures`.
 */
export interface FigureColumn {
  figure: string;
  label: string;
  digits: number;
  percent?: boolean;
  /** Show the comparisons' ratio of this figure in the ratio rows. */
  ratio?: boolean;
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
  /** The table's columns when they are not the request columns (req/s, p50, ... server µs/req). */
  columns?: FigureColumn[];
  /** The parameters that matter to this scenario, as `--flag value` (default: units, concurrency, duration, warm-up, rounds). */
  args?: string[];
  /** The parameters line of the record (default: the request scenarios' line). */
  paramsLine?: string;
  /** Further observations for the record, one paragraph each (soak samples, clamped sizes). */
  notes?: string[];
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  run(params?: Partial<ScenarioParams>): Promise<ScenarioResult>;
}
