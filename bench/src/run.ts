#!/usr/bin/env node
/**
 * The bench's command line: runs one scenario against the bare baseline and the gateway, prints the
 * table, writes the JSON and (unless --no-record) appends the results to docs/benchmarks.md.
 */
import { UsageError, USAGE, parseCli, type CliOptions } from "./cli-args.js";
import type { BenchReport } from "./lib/bench-report.js";
import { reproduceCommand } from "./lib/bench-report.js";
import { errorSummary, noiseWarning, textTable, verdict } from "./lib/format.js";
import { machineInfo } from "./lib/machine.js";
import { appendToBenchmarksDoc, writeJsonReport } from "./lib/record.js";
import { killAllServers } from "./lib/spawn-server.js";
import { SCENARIOS, findScenario } from "./scenarios/index.js";

const say = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  let cli: CliOptions;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    say(`bench: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (cli.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const scenario = findScenario(cli.scenario);
  if (!scenario) {
    say(`bench: unknown scenario "${cli.scenario}"; known: ${[...SCENARIOS.keys()].join(", ")}`);
    return 2;
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      say(`bench: ${signal}, stopping the servers`);
      killAllServers();
      process.exit(130);
    });
  }

  const startedAt = new Date().toISOString();
  say(`bench: scenario ${scenario.name}: ${scenario.description}`);
  const result = await scenario.run({ ...cli.params, log: say });
  const report: BenchReport = { startedAt, finishedAt: new Date().toISOString(), command: reproduceCommand(result), machine: machineInfo(), result };

  const noise = noiseWarning(result);
  const notes = (result.notes ?? []).map((note) => `${note}\n`).join("");
  process.stdout.write(`\n${textTable(result)}\n\n${verdict(result)}\nerrors: ${errorSummary(result)}\n${noise ? `warning: ${noise}\n` : ""}${notes}`);
  say(`bench: results written to ${await writeJsonReport(report, cli.jsonPath)}`);
  if (cli.record) say(`bench: results appended to ${await appendToBenchmarksDoc(report)}`);
  return result.runs.some((run) => run.errors + run.unfinished > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    killAllServers();
    say(`bench: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
