/** Stores a run: the JSON file (bench/results/, gitignored) and a section appended to docs/benchmarks.md. */
import { appendFile, mkdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { BenchReport } from "./bench-report.js";
import { markdownSection } from "./format.js";
import { BENCHMARKS_DOC, RESULTS_DIR } from "./paths.js";

/** Writes the report as JSON and returns the path. */
export async function writeJsonReport(report: BenchReport, path?: string): Promise<string> {
  const file = path ? resolve(path) : join(RESULTS_DIR, `${report.startedAt.replace(/[:.]/g, "-")}-${report.result.scenario}.json`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

/** Appends the report's Markdown section to the results document (created with a title if missing). */
export async function appendToBenchmarksDoc(report: BenchReport, doc: string = BENCHMARKS_DOC): Promise<string> {
  if (!existsSync(doc)) {
    await mkdir(dirname(doc), { recursive: true });
    await writeFile(doc, "# Benchmarks\n");
  }
  await appendFile(doc, `\n${markdownSection(report)}`);
  return doc;
}
