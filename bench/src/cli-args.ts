/** The bench's command line: `node bench/dist/run.js --scenario relay --units 500 ...`. */
import { parseArgs } from "node:util";
import type { ScenarioParams } from "./scenarios/scenario.js";
import { DEFAULT_PARAMS, DEFAULT_SLICE_MS, UNIT_CLIENT_KINDS, type UnitClientKind } from "./scenarios/scenario.js";
import { FAN_OUT_DEFAULT_UNIT_PROCESSES } from "./scenarios/fan-out.js";

/** --unit-processes at the most (the machines this runs on have a few cores). */
const MAX_UNIT_PROCESSES = 16;

export const USAGE = `usage: npm run bench -- [--scenario NAME] [options]
  --scenario NAME     which scenario to run (default relay):
                        relay            one server: bridge → unit request/ack, gateway vs bare relay
                        cross-node       3-node clusters on a private redis-server: gateway targeted routing
                                         vs Socket.IO broadcast-with-ack through the Redis adapter, and same-node
                        api-bridge       HTTP through the API Bridge vs a /bridge socket, same gateway
                        publish          bridge publish → units (event + ack) with the outbox on: bare forwarding
                                         vs one gateway vs a 3-node gateway cluster on Redis Streams
                        fan-out          one publish to all units (default 5,000): time to the last unit
                        connections      idle authenticated units held (default 5,000, up to 20,000 as the
                                         descriptor limit allows): memory per connection, connect rate
                        reconnect-storm  the server crashes and restarts on its port with N units (default
                                         5,000); all reconnect at once: time until all are online again
                        soak             the gateway at 60 % of its relay peak for 10 minutes (--duration),
                                         units reconnecting: RSS, heap, pending requests, loop lag at start and end
  --units N           unit sockets (default ${DEFAULT_PARAMS.units}; fan-out, connections, reconnect-storm 5000)
  --concurrency C     requests or publishes kept outstanding (default ${DEFAULT_PARAMS.concurrency})
  --duration S        measured seconds (default ${DEFAULT_PARAMS.durationS}; soak 600)
  --warmup S          unmeasured seconds before that (default ${DEFAULT_PARAMS.warmupS}; soak 30; fan-out: 0 skips
                      its unmeasured first publish)
  --rounds N          rounds per server, alternating which goes first; medians reported (default ${DEFAULT_PARAMS.rounds})
  --slice-ms MS       relay, cross-node, publish: the servers all up at once, measured in alternating turns
                      of MS ms (default ${DEFAULT_SLICE_MS}); 0 measures one server after the other
  --timeout-ms MS     the bench's own bound on each request, publish or fan-out (default ${DEFAULT_PARAMS.requestTimeoutMs})
  --targets K         publish: units per publish, { unitId } for 1, { unitIds } above (default ${DEFAULT_PARAMS.targetsPerPublish})
  --repeats R         fan-out: publishes to all (default ${DEFAULT_PARAMS.repeats}); reconnect-storm: storms (default 3)
  --unit-client K     fan-out: the simulated units, lean (a plain WebSocket speaking the Socket.IO framing) or
                      socket.io (socket.io-client sockets) (default lean)
  --unit-processes N  fan-out: load-generator child processes holding the units, each acking and timing
                      its share; 0: the bench process holds them all itself (default ${FAN_OUT_DEFAULT_UNIT_PROCESSES})
  --rate R            soak: requests per second instead of 60 % of the measured peak
  --churn P           soak: percent of the units that disconnect and reconnect every second (default ${DEFAULT_PARAMS.churnPctPerS})
  --json FILE         write the JSON results here (default bench/results/<timestamp>-<scenario>.json)
  --no-record         do not append the results to docs/benchmarks.md
  --profile           run each server child with --cpu-prof (profiles in bench/results/profiles;
                      summarise one with node bench/dist/tools/profile-top.js FILE)
  -h, --help          this text`;

export class UsageError extends Error {}

export interface CliOptions {
  scenario: string;
  params: Partial<ScenarioParams>;
  jsonPath?: string;
  record: boolean;
  help: boolean;
}

export function parseCli(argv: string[]): CliOptions {
  const values = parseRaw(argv);
  const params: Partial<ScenarioParams> = { profile: values.profile };
  if (values.units !== undefined) params.units = integer("--units", values.units, 1, 20_000);
  if (values.concurrency !== undefined) params.concurrency = integer("--concurrency", values.concurrency, 1, 10_000);
  if (values.duration !== undefined) params.durationS = seconds("--duration", values.duration, false);
  if (values.warmup !== undefined) params.warmupS = seconds("--warmup", values.warmup, true);
  if (values.rounds !== undefined) params.rounds = integer("--rounds", values.rounds, 1, 20);
  if (values["slice-ms"] !== undefined) params.sliceMs = integer("--slice-ms", values["slice-ms"], 0, 60_000);
  if (values["timeout-ms"] !== undefined) params.requestTimeoutMs = integer("--timeout-ms", values["timeout-ms"], 1, 600_000);
  if (values.targets !== undefined) params.targetsPerPublish = integer("--targets", values.targets, 1, 10_000);
  if (values.repeats !== undefined) params.repeats = integer("--repeats", values.repeats, 1, 100);
  if (values["unit-client"] !== undefined) params.unitClient = unitClient(values["unit-client"]);
  if (values["unit-processes"] !== undefined) params.unitProcesses = integer("--unit-processes", values["unit-processes"], 0, MAX_UNIT_PROCESSES);
  if (values.rate !== undefined) params.rate = integer("--rate", values.rate, 1, 1_000_000);
  if (values.churn !== undefined) params.churnPctPerS = percentage("--churn", values.churn);
  return {
    scenario: values.scenario,
    params,
    ...(values.json !== undefined ? { jsonPath: values.json } : {}),
    record: !values["no-record"],
    help: values.help,
  };
}

function parseRaw(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        scenario: { type: "string", default: "relay" },
        units: { type: "string" },
        concurrency: { type: "string" },
        duration: { type: "string" },
        warmup: { type: "string" },
        rounds: { type: "string" },
        "slice-ms": { type: "string" },
        "timeout-ms": { type: "string" },
        targets: { type: "string" },
        repeats: { type: "string" },
        "unit-client": { type: "string" },
        "unit-processes": { type: "string" },
        rate: { type: "string" },
        churn: { type: "string" },
        json: { type: "string" },
        "no-record": { type: "boolean", default: false },
        profile: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}`);
  return value;
}

function unitClient(text: string): UnitClientKind {
  const kind = UNIT_CLIENT_KINDS.find((candidate) => candidate === text);
  if (kind === undefined) throw new UsageError(`--unit-client must be one of ${UNIT_CLIENT_KINDS.join(", ")}`);
  return kind;
}

function percentage(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 100) throw new UsageError(`${flag} must be a percentage from 0 to 100`);
  return value;
}

function seconds(flag: string, text: string, zeroAllowed: boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (!zeroAllowed && value === 0) || value > 3600) {
    throw new UsageError(`${flag} must be a number of seconds, ${zeroAllowed ? "0" : "more than 0"} to 3600`);
  }
  return value;
}
