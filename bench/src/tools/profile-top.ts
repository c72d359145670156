#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --profile` or `node --cpu-prof`): the hottest
 * functions by self time, our own functions (server/, shared/) by inclusive time, and self time by
 * package or file. Positions in our compiled files are mapped back to src/*.ts through their source maps.
 *
 *   node bench/dist/tools/profile-top.js [file.cpuprofile | dir] [--top 25] [--last SECONDS]
 *
 * `--last S` counts only the samples of the profile's last S seconds: a bench child's profile ends
 * when it is stopped right after the measured window, so this leaves out module loading and the
 * units' connections, and the busy time it prints can be divided by the requests of the window.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { SourceMap } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { PROFILES_DIR, REPO_ROOT } from "../lib/paths.js";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const OWN_CODE = /\/(server|shared|client-sdk)\/(dist|src)\//;
const META = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

function main(): void {
  // `| head` closes the pipe early: that is not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => process.exit(error.code === "EPIPE" ? 0 : 1));
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: "string", default: "25" }, last: { type: "string" } } });
  const file = pickFile(positionals[0] ?? PROFILES_DIR);
  const top = Number(values.top);
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const byPlace = new Map<string, number>();
  let total = 0;
  let idle = 0;
  const from = values.last === undefined ? 0 : profileSpanUs(profile) - Number(values.last) * 1e6;
  let at = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    const node = byId.get(id);
    if (!node || at < from) return;
    total += delta;
    if (node.callFrame.functionName === "(idle)") idle += delta;
    add(self, label(node.callFrame), delta);
    add(byPlace, place(node.callFrame), delta);
    const seen = new Set<string>();
    for (let at: ProfileNode | undefined = node; at; at = byId.get(parent.get(at.id) ?? -1)) {
      if (!OWN_CODE.test(at.callFrame.url)) continue;
      const key = label(at.callFrame);
      if (seen.has(key)) continue;
      seen.add(key);
      add(inclusive, key, delta);
    }
  });

  const busy = total - idle;
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
  const print = (title: string, map: Map<string, number>, filter: (key: string) => boolean = () => true) => {
    process.stdout.write(`\n${title}\n`);
    [...map.entries()]
      .filter(([key]) => filter(key))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([key, us]) => process.stdout.write(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}\n`));
  };
  const window = values.last === undefined ? "" : ` (the last ${values.last} s only)`;
  process.stdout.write(`${file}\nsampled ${(total / 1e6).toFixed(1)} s${window}, busy (not idle) ${(busy / 1e6).toFixed(2)} s; percentages are of busy time\n`);
  print("self time by function", self, (key) => !key.startsWith("(idle)"));
  print("inclusive time, our code (server/, shared/)", inclusive);
  print("self time by package / file", byPlace, (key) => key !== "(idle)");
}

/** Microseconds from the profile's start to its last sample. */
function profileSpanUs(profile: CpuProfile): number {
  return profile.timeDeltas.reduce((sum, delta) => sum + delta, 0);
}

function pickFile(path: string): string {
  if (!existsSync(path)) throw new Error(`${path}: no such file or directory`);
  if (!statSync(path).isDirectory()) return path;
  const newest = readdirSync(path)
    .filter((name) => name.endsWith(".cpuprofile"))
    .map((name) => join(path, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!newest) throw new Error(`${path}: no .cpuprofile in it`);
  return newest;
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

const maps = new Map<string, SourceMap | undefined>();

function label(frame: CallFrame): string {
  const name = frame.functionName || "(anonymous)";
  if (META.has(name) || !frame.url) return name;
  return `${name}  ${position(frame)}`;
}

/** `server/src/routing/request-router.ts:42` for our code (through the source map), `pkg/file.js:line` otherwise. */
function position(frame: CallFrame): string {
  const path = frame.url.startsWith("file://") ? fileURLToPath(frame.url) : frame.url;
  if (OWN_CODE.test(path)) {
    const map = sourceMap(path);
    const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry && "originalSource" in entry && entry.originalSource) {
      const source = entry.originalSource.startsWith("file://") ? fileURLToPath(entry.originalSource) : join(path, "..", entry.originalSource);
      return `${relative(REPO_ROOT, source)}:${entry.originalLine + 1}`;
    }
  }
  return `${shortPath(path)}:${frame.lineNumber + 1}`;
}

function sourceMap(path: string): SourceMap | undefined {
  if (!maps.has(path)) {
    const file = `${path}.map`;
    maps.set(path, existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, "utf8")) as ConstructorParameters<typeof SourceMap>[0]) : undefined);
  }
  return maps.get(path);
}

function shortPath(path: string): string {
  const modules = path.lastIndexOf("node_modules/");
  if (modules >= 0) return path.slice(modules + "node_modules/".length);
  return path.startsWith("/") ? relative(REPO_ROOT, path) : path;
}

/** A package name, one of our files, or a node internal. */
function place(frame: CallFrame): string {
  const name = frame.functionName;
  if (META.has(name)) return name;
  const path = frame.url.startsWith("file://") ? fileURLToPath(frame.url) : frame.url;
  if (!path) return "(native / builtin)";
  const modules = path.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = path.slice(modules + "node_modules/".length).split("/");
    return `pkg ${rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1] ?? ""}` : (rest[0] ?? "")}`;
  }
  if (path.startsWith("node:")) return path;
  return OWN_CODE.test(path) ? shortPath(path).replace("/dist/", "/src/").replace(/\.js$/, ".ts") : shortPath(path);
}

main();
