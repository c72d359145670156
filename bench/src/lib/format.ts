/** Result tables: aligned text for the terminal, Markdown for docs/benchmarks.md. */
import type { FigureColumn, ScenarioResult, ServerRun } from "../scenarios/scenario.js";
import type { BenchReport } from "./bench-report.js";
import { figureOf, findRun, ratio } from "./compare.js";
import { measuredWindowLine } from "./interleaved-load.js";

/** Above this (percent of one core), other work on the machine likely distorted the figures. */
export const NOISY_OTHER_CPU_PCT = 25;

const HEADER = ["server", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors", "server CPU", "server µs/req", "loadgen CPU", "other CPU"];

function runRow(run: ServerRun, label: string = run.server): string[] {
  return [
    label,
    fixed(run.throughput, 0),
    fixed(run.latencyMs.p50, 2),
    fixed(run.latencyMs.p90, 2),
    fixed(run.latencyMs.p99, 2),
    fixed(run.latencyMs.max, 2),
    String(run.errors + run.unfinished),
    percent(run.serverCpuPct),
    fixed(run.serverCpuUsPerRequest, 1),
    percent(run.loadgenCpuPct),
    percent(run.otherCpuPct),
  ];
}

function figureRow(run: ServerRun, columns: readonly FigureColumn[], label: string): string[] {
  return [label, ...columns.map((column) => (column.percent ? percent(figureOf(run, column.figure)) : fixed(figureOf(run, column.figure), column.digits)))];
}

function header(result: ScenarioResult): string[] {
  return result.columns ? ["server", ...result.columns.map((column) => column.label)] : HEADER;
}

function row(result: ScenarioResult, run: ServerRun, label: string): string[] {
  return result.columns ? figureRow(run, result.columns, label) : runRow(run, label);
}

function rows(result: ScenarioResult): string[][] {
  const median = result.rounds.length > 1 ? " (median)" : "";
  const body = result.runs.map((run) => row(result, run, run.server + median));
  const shown = new Set<string>();
  for (const { numerator, denominator, ratios: r } of result.comparisons) {
    const label = `${numerator} / ${denominator}`;
    // Several targets on the same pair (soak: RSS and heap, end / start) share one row of ratios.
    if (shown.has(label)) continue;
    shown.add(label);
    if (result.columns) {
      const top = findRun(result.runs, numerator);
      const bottom = findRun(result.runs, denominator);
      body.push([label, ...result.columns.map((column) => (column.ratio ? times(ratio(figureOf(top, column.figure), figureOf(bottom, column.figure))) : ""))]);
    }
    else body.push([label, times(r.throughput), times(r.p50), "", times(r.p99), "", "", "", times(r.serverCpuPerRequest), "", ""]);
  }
  return body;
}

function roundRows(result: ScenarioResult): string[][] {
  if (result.rounds.length < 2) return [];
  return result.rounds.flatMap((runs, index) => runs.map((run) => row(result, run, `round ${index + 1}: ${run.server}`)));
}

export function textTable(result: ScenarioResult): string {
  const head = header(result);
  const body = [...roundRows(result), ...rows(result)];
  const all = [head, ...body];
  const widths = head.map((_, column) => Math.max(...all.map((cells) => (cells[column] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

export function markdownTable(result: ScenarioResult): string {
  const head = header(result);
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const align = head.map((_, column) => (column === 0 ? "---" : "---:"));
  return [line(head), line(align), ...roundRows(result).map(line), ...rows(result).map(line)].join("\n");
}

export function verdict(result: ScenarioResult): string {
  return result.comparisons
    .flatMap(({ numerator, denominator, target }) =>
      target ? [`${numerator} ${target.label} ${times(target.ratio)} ${denominator} (target ${target.better === "higher" ? "≥" : "≤"} ${target.bound}x): ${target.met ? "met" : "NOT met"}`] : [],
    )
    .join("; ");
}

/** Where the server side is several processes: each one's CPU, per run (one line per run). */
export function cpuPartsLines(result: ScenarioResult): string[] {
  return result.runs.flatMap((run) =>
    run.serverCpuParts ? [`${run.server}: ${Object.entries(run.serverCpuParts).map(([name, pct]) => `${name} ${percent(pct)}`).join(", ")}`] : [],
  );
}

export function errorSummary(result: ScenarioResult): string {
  const parts = result.runs
    .filter((run) => run.errors + run.unfinished > 0)
    .map((run) => `${run.server}: ${JSON.stringify(run.errorCodes)}${run.unfinished ? `, ${run.unfinished} unfinished` : ""}`);
  return parts.length ? parts.join("; ") : "none";
}

/** A warning when other work on the machine competed with the run; undefined when it did not. */
export function noiseWarning(result: ScenarioResult): string | undefined {
  const busiest = Math.max(...result.rounds.flat().map((run) => (Number.isFinite(run.otherCpuPct) ? run.otherCpuPct : 0)));
  if (busiest <= NOISY_OTHER_CPU_PCT) return undefined;
  return `other work used up to ${busiest.toFixed(0)} % of a core during the run: the figures are unreliable, rerun on a quiet machine`;
}

export function markdownSection(report: BenchReport): string {
  const { machine: m, result } = report;
  const p = result.params;
  const noise = noiseWarning(result);
  const software = Object.entries(result.software ?? {}).map(([name, version]) => `, ${name} ${version}`).join("");
  const cpuParts = cpuPartsLines(result);
  return [
    `## ${result.scenario}, ${report.startedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC")}`,
    "",
    `- Command: \`${report.command}\``,
    `- Machine: ${m.cpuModel} × ${m.cpuCount}, ${m.totalMemoryGiB} GiB RAM, ${m.os}`,
    `- Software: Node ${m.node}, socket.io ${m.socketIo}, socket.io-client ${m.socketIoClient}${software}`,
    `- Parameters: ${result.paramsLine ?? `${p.units} units, concurrency ${p.concurrency}, ${measuredWindowLine(p)}, ${p.rounds} round${p.rounds > 1 ? "s" : ""} per server, bench request timeout ${p.requestTimeoutMs} ms`}`,
    ...(result.setup ?? []).map((line) => `- ${line}`),
    "",
    markdownTable(result),
    "",
    ...(cpuParts.length > 0 ? [`Server CPU by process${result.rounds.length > 1 ? " (medians)" : ""}, 100 % = one core: ${cpuParts.join("; ")}.`, ""] : []),
    `Result: ${verdict(result)}. Errors: ${errorSummary(result)}.${noise ? ` Warning: ${noise}.` : ""}`,
    "",
    ...(result.notes ?? []).flatMap((note) => [note, ""]),
  ].join("\n");
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

function percent(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(0)} %` : "n/a";
}

function times(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : "n/a";
}
