// The SDK's browser build, from the compiled browser entry (dist/browser.js, made by `tsc -b`):
//   dist/browser/care-gateway-client.js      ES module for bundlers; socket.io-client stays an import
//   dist/browser/care-gateway-client.min.js  one minified file with socket.io-client inside, for <script type="module">
// Both target browsers (esbuild's browser platform: socket.io-client's browser code, no Node built-ins;
// a Node built-in or Joi reaching the bundle fails the build). Prints raw, minified and gzip sizes,
// writes them to dist/browser/sizes.json, and fails when the single file exceeds its gzip budget.
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = join(root, "dist", "browser.js");
const outDir = join(root, "dist", "browser");
/** The target: under 60 KB minified + gzip, Socket.IO client included. */
export const GZIP_BUDGET_BYTES = 60 * 1024;

const common = {
  entryPoints: [entry],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["es2022"],
  sourcemap: true,
  metafile: true,
  legalComments: "none",
  logLevel: "warning",
  // Joi and the server's code have no business in a browser: refuse them outright.
  plugins: [refuse(/^(joi|@care-gateway\/shared\/schemas|@care-gateway\/server)(\/|$)/)],
};

if (!existsSync(entry)) {
  process.stderr.write(`build-browser: ${relative(process.cwd(), entry)} is missing; run \`tsc -b client-sdk\` first\n`);
  process.exit(1);
}
await mkdir(outDir, { recursive: true });

const esm = await build({ ...common, outfile: join(outDir, "care-gateway-client.js"), external: ["socket.io-client"] });
const single = await build({ ...common, outfile: join(outDir, "care-gateway-client.min.js"), minify: true });
// The same single file unminified, only to report what minifying saves.
const unminified = await build({ ...common, outfile: join(outDir, "care-gateway-client.min.js"), write: false, sourcemap: false });

await writeFile(join(outDir, "care-gateway-client.meta.json"), JSON.stringify(single.metafile));
const types = '// Types of the browser build: the SDK\'s browser entry.\nexport * from "../browser.js";\n';
await writeFile(join(outDir, "care-gateway-client.d.ts"), types);
await writeFile(join(outDir, "care-gateway-client.min.d.ts"), types);

const esmCode = await readFile(join(outDir, "care-gateway-client.js"));
const minCode = await readFile(join(outDir, "care-gateway-client.min.js"));
const rawBytes = unminified.outputFiles.find((file) => file.path.endsWith(".js"))?.contents.length ?? 0;
const sizes = {
  esm: { file: "care-gateway-client.js", bytes: esmCode.length, gzipBytes: gzip(esmCode) },
  single: { file: "care-gateway-client.min.js", rawBytes, minifiedBytes: minCode.length, gzipBytes: gzip(minCode), budgetGzipBytes: GZIP_BUDGET_BYTES },
  inputs: Object.keys(single.metafile.inputs).length,
};
await writeFile(join(outDir, "sizes.json"), JSON.stringify(sizes, null, 2) + "\n");

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
process.stdout.write(
  [
    "SDK browser build (client-sdk/dist/browser):",
    `  care-gateway-client.js      ES module, socket.io-client imported   ${kb(sizes.esm.bytes)} raw, ${kb(sizes.esm.gzipBytes)} gzip`,
    `  care-gateway-client.min.js  single file with socket.io-client      ${kb(rawBytes)} raw, ${kb(sizes.single.minifiedBytes)} minified, ${kb(sizes.single.gzipBytes)} minified + gzip (budget ${kb(GZIP_BUDGET_BYTES)})`,
    "",
  ].join("\n"),
);
if (esm.warnings.length + single.warnings.length > 0) process.exitCode = 1;
if (sizes.single.gzipBytes > GZIP_BUDGET_BYTES) {
  process.stderr.write(`build-browser: care-gateway-client.min.js is ${kb(sizes.single.gzipBytes)} gzip, over the ${kb(GZIP_BUDGET_BYTES)} budget\n`);
  process.exitCode = 1;
}

function gzip(buffer) {
  return gzipSync(buffer, { level: 9 }).length;
}

function refuse(filter) {
  return {
    name: "refuse-server-only",
    setup(builder) {
      builder.onResolve({ filter }, (args) => ({ errors: [{ text: `${args.path} must not reach the browser build (imported by ${args.importer})` }] }));
    },
  };
}
