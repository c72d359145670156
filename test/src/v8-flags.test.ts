/**
 * The gateway's process runs with its V8 flags (server/src/runtime/v8-flags.ts): allocation-site
 * pretenuring off. A probe, in a child with `--allow-natives-syntax`, keeps three million objects
 * from one allocation site alive, which makes V8 decide to allocate that site's objects in the old
 * generation, then asks of 100 fresh ones whether they were born young (`%InYoungGeneration`). A
 * plain Node process answers 0 (the control: the probe does see pretenuring), the gateway's 100.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { testEnv } from "./helpers/test-gateway.js";

const MAIN = fileURLToPath(new URL("../../server/dist/main.js", import.meta.url));
const V8_FLAGS_MODULE = new URL("../../server/dist/runtime/v8-flags.js", import.meta.url).href;

/**
 * Objects of one site kept alive until V8 pretenures the site; then how many of 100 new ones are young.
 * V8 decides from what survives its scavenges, and one batch of three million has now and then not
 * been enough for that decision, so up to four batches are kept, one after the other, until the
 * fresh objects are born old. Where pretenuring is off they never are, whatever the number of batches.
 */
const PROBE = `
export function youngOfHundred() {
  const make = (i) => ({ a: i, b: i });
  let young = 100;
  for (let batch = 0; batch < 4 && young > 0; batch++) {
    const kept = [];
    for (let i = 0; i < 3e6; i++) kept.push(make(i));
    young = 0;
    for (let i = 0; i < 100; i++) if (%InYoungGeneration(make(i))) young++;
  }
  return young;
}
`;

/** Loaded with --import into the gateway's process: when main.ts says "ready" (started), the probe runs there. */
const READY_HOOK = `
import { youngOfHundred } from "./probe.mjs";
const send = process.send.bind(process);
process.send = (message, ...rest) => {
  if (message === "ready") send({ young: youngOfHundred() });
  return send(message, ...rest);
};
`;

function probeDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), "cg-v8-flags-"));
  writeFileSync(join(dir, "probe.mjs"), PROBE);
  writeFileSync(join(dir, "ready-hook.mjs"), READY_HOOK);
  writeFileSync(join(dir, "plain.mjs"), `import { youngOfHundred } from "./probe.mjs";\nprocess.send({ young: youngOfHundred() });\n`);
  writeFileSync(join(dir, "applied.mjs"), `import { applyGatewayV8Flags } from ${JSON.stringify(V8_FLAGS_MODULE)};\napplyGatewayV8Flags();\nconst { youngOfHundred } = await import("./probe.mjs");\nprocess.send({ young: youngOfHundred() });\n`);
  return dir;
}

/** Runs `args` in a child with natives syntax and an IPC channel; resolves with the first `{ young }` it sends. */
function youngIn(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--allow-natives-syntax", ...args], { env: { PATH: process.env["PATH"], ...env }, stdio: ["ignore", "ignore", "pipe", "ipc"] });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("message", (message: { young?: unknown }) => {
      if (typeof message.young !== "number") return;
      child.kill("SIGKILL");
      resolve(message.young);
    });
    child.on("exit", (code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`probe exited (${code ?? signal}) before answering: ${stderr}`));
    });
  });
}

describe("V8 flags of the gateway process", function () {
  this.timeout(60_000);
  const dir = probeDirectory();

  it("control: in a plain Node process the probe's objects are pretenured (born old)", async () => {
    expect(await youngIn([join(dir, "plain.mjs")])).to.equal(0);
  });

  it("applyGatewayV8Flags turns allocation-site pretenuring off", async () => {
    expect(await youngIn([join(dir, "applied.mjs")])).to.equal(100);
  });

  it("the gateway started by main.ts runs with it", async () => {
    expect(await youngIn(["--import", join(dir, "ready-hook.mjs"), MAIN], testEnv({ LOG_LEVEL: "warn" }))).to.equal(100);
  });
});
