/**
 * The SDK's browser build (client-sdk/scripts/build-browser.mjs, run by `npm run build`): both files
 * exist, are ES modules exporting PortalClient and AdminClient, carry no `require(`, no Node
 * built-in and no Joi, and the single file (socket.io-client inside) stays under 60 KB min + gzip.
 */
import { readFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { expect } from "chai";

const BROWSER = fileURLToPath(new URL("../../client-sdk/dist/browser/", import.meta.url));
const GZIP_BUDGET = 60 * 1024;

async function text(file: string): Promise<string> {
  return readFile(`${BROWSER}${file}`, "utf8");
}

/** Every module specifier the code imports or re-exports, statically or dynamically. */
function specifiers(code: string): string[] {
  const found = new Set<string>();
  for (const match of code.matchAll(/(?:\bimport|\bexport)\s*(?:[\w*{}\s,$]*\bfrom\s*)?["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)) {
    found.add(match[1] ?? match[2] ?? "");
  }
  return [...found];
}

describe("SDK browser bundle", () => {
  it("is a single minified ES module under 60 KB gzip with socket.io-client inside", async () => {
    const code = await readFile(`${BROWSER}care-gateway-client.min.js`);
    const gzipped = gzipSync(code, { level: 9 }).length;
    expect(gzipped).to.be.below(GZIP_BUDGET);
    expect(specifiers(code.toString("utf8"))).to.deep.equal([]); // nothing left to resolve: one file
    const sizes = JSON.parse(await text("sizes.json")) as { single: { minifiedBytes: number; gzipBytes: number } };
    expect(sizes.single.minifiedBytes).to.equal(code.length); // the figures the build printed are this file's
    expect(sizes.single.gzipBytes).to.equal(gzipped);
  });

  it("has no require(, no Node built-in and no Joi, in either file", async () => {
    const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
    for (const file of ["care-gateway-client.min.js", "care-gateway-client.js"]) {
      const code = await text(file);
      expect(code, file).to.not.match(/\brequire\s*\(/);
      expect(code, file).to.not.match(/["']node:/);
      for (const specifier of specifiers(code)) expect(nodeBuiltins.has(specifier), `${file} imports ${specifier}`).to.equal(false);
    }
    // What esbuild put in the single file, by source path.
    const meta = JSON.parse(await text("care-gateway-client.meta.json")) as { inputs: Record<string, unknown> };
    const inputs = Object.keys(meta.inputs);
    expect(inputs.some((path) => path.includes("node_modules/socket.io-client/"))).to.equal(true);
    expect(inputs.some((path) => path.includes("node_modules/engine.io-client/build/esm/"))).to.equal(true); // the browser build
    for (const path of inputs) {
      expect(path).to.not.match(/node_modules\/(joi|@hapi|@sideway|ws|debug|xmlhttprequest-ssl)\//);
      expect(path).to.not.match(/shared\/(dist|src)\/schemas\//);
      expect(path).to.not.match(/(^|\/)server\//);
    }
  });

  it("exports PortalClient and AdminClient from both files, typed", async () => {
    const bundler = await text("care-gateway-client.js");
    // For bundlers: socket.io-client is the only import left.
    expect(specifiers(bundler)).to.deep.equal(["socket.io-client"]);
    for (const file of ["care-gateway-client.js", "care-gateway-client.min.js"]) {
      const exported = /export\s*\{([^}]*)\}\s*;?\s*(?:\/\/# sourceMappingURL=\S+\s*)?$/.exec(await text(file))?.[1] ?? "";
      const names = exported.split(",").map((part) => part.trim().split(/\s+as\s+/).pop());
      expect(names, file).to.include.members(["PortalClient", "AdminClient", "GatewayError", "ConnectionState", "ErrorCode"]);
      expect(names, file).to.not.include.members(["UnitClient", "BridgeClient"]);
    }
    expect(await text("care-gateway-client.d.ts")).to.contain('export * from "../browser.js"');
    expect(await text("care-gateway-client.min.d.ts")).to.contain('export * from "../browser.js"');
    const types = await readFile(fileURLToPath(new URL("../../client-sdk/dist/browser.d.ts", import.meta.url)), "utf8");
    for (const name of ["PortalClient", "AdminClient", "Occupancy", "NodeRequestStats"]) expect(types).to.contain(name);
  });
});
