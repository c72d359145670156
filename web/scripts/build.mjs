// Builds the gateway's own pages into web/dist, which the gateway serves (server/src/http/static-files.ts):
//   web/dist/admin/                 index.html, admin.css, admin.js        at /admin
//   web/dist/examples/portal/       index.html, portal.css, portal.js      at /examples/portal
//   web/dist/assets/                common.css, favicon.svg and the SDK's single-file browser bundle
// The pages' scripts import the SDK from /assets/care-gateway-client.min.js (one copy, cached for
// both pages), so `@care-gateway/client-sdk/browser` is rewritten to that URL and left external.
// Run after client-sdk/scripts/build-browser.mjs; type-checking is `tsc -p web` (esbuild only strips types).
import { existsSync } from "node:fs";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const web = dirname(dirname(fileURLToPath(import.meta.url)));
const src = join(web, "src");
const dist = join(web, "dist");
const sdkBrowser = join(web, "..", "client-sdk", "dist", "browser");
const SDK_URL = "/assets/care-gateway-client.min.js";

if (!existsSync(join(sdkBrowser, "care-gateway-client.min.js"))) {
  process.stderr.write("web build: the SDK browser bundle is missing; run `node client-sdk/scripts/build-browser.mjs` first\n");
  process.exit(1);
}

await rm(dist, { recursive: true, force: true });
for (const dir of ["admin", "examples/portal", "assets"]) await mkdir(join(dist, dir), { recursive: true });

const sdkAsUrl = {
  name: "sdk-from-assets",
  setup(builder) {
    builder.onResolve({ filter: /^@care-gateway\/client-sdk\/browser(\.min)?$/ }, () => ({ path: SDK_URL, external: true }));
    // Anything else from outside web/src would be bundled twice (once here, once in the SDK file): refuse it.
    builder.onResolve({ filter: /^[^./]/ }, (args) => ({ errors: [{ text: `web pages import only the SDK (got ${args.path})` }] }));
  },
};

const result = await build({
  entryPoints: { "admin/admin": join(src, "admin", "admin.ts"), "examples/portal/portal": join(src, "portal-example", "portal.ts") },
  outdir: dist,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["es2022"],
  sourcemap: true,
  logLevel: "warning",
  plugins: [sdkAsUrl],
});

const copies = [
  ["admin/index.html", "admin/index.html"],
  ["admin/admin.css", "admin/admin.css"],
  ["portal-example/index.html", "examples/portal/index.html"],
  ["portal-example/portal.css", "examples/portal/portal.css"],
  ["common/common.css", "assets/common.css"],
  ["common/favicon.svg", "assets/favicon.svg"],
];
for (const [from, to] of copies) await copyFile(join(src, from), join(dist, to));
for (const file of ["care-gateway-client.min.js", "care-gateway-client.min.js.map"]) await copyFile(join(sdkBrowser, file), join(dist, "assets", file));

process.stdout.write("web pages built into web/dist (/admin, /examples/portal)\n");
if (result.warnings.length > 0) process.exitCode = 1;
