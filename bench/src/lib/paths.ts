/** Where the bench's compiled scripts, its results and the results document live. */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** bench/dist (this file compiles to bench/dist/lib/paths.js). */
export const BENCH_DIST = fileURLToPath(new URL("../", import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const RESULTS_DIR = join(REPO_ROOT, "bench", "results");
export const PROFILES_DIR = join(RESULTS_DIR, "profiles");
export const BENCHMARKS_DOC = join(REPO_ROOT, "docs", "benchmarks.md");

/** The compiled server script `bench/dist/servers/<name>.js`. */
export function serverScript(name: string): string {
  return join(BENCH_DIST, "servers", `${name}.js`);
}
