/** `npm run token`: tokens the gateway accepts, and clear usage errors. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect } from "chai";
import jwt from "jsonwebtoken";
import { Namespace } from "@care-gateway/shared";
import { connect } from "./helpers/raw-client.js";
import { TEST_SECRET, startGateway } from "./helpers/test-gateway.js";

const tool = fileURLToPath(new URL("../../server/dist/tools/token.js", import.meta.url));
const run = promisify(execFile);
const env = { ...process.env, JWT_SECRET: TEST_SECRET, NODE_ENV: "test" };

describe("tools: token", () => {
  it("mints unit and portal tokens the gateway accepts", async () => {
    const gw = await startGateway();
    const unit = (await run(process.execPath, [tool, "--role", "unit", "--sub", "U-001"], { env })).stdout.trim();
    await connect(gw.url, Namespace.unit, unit);
    const portal = (await run(process.execPath, [tool, "--role", "portal", "--sub", "nurse-1", "--units", "U-001,U-002", "--ttl", "60"], { env })).stdout.trim();
    const claims = jwt.verify(portal, TEST_SECRET) as jwt.JwtPayload;
    expect(claims).to.deep.include({ sub: "nurse-1", role: "portal", units: ["U-001", "U-002"] });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).to.equal(60);
    await connect(gw.url, Namespace.portal, portal);
  });

  it("explains what is wrong and exits 2", async () => {
    for (const args of [["--role", "wizard", "--sub", "x"], ["--role", "unit"], ["--role", "unit", "--sub", "bad id"], ["--role", "unit", "--sub", "U-1", "--units", "U-2"]]) {
      const outcome = await run(process.execPath, [tool, ...args], { env }).then(
        () => ({ code: 0, stderr: "" }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(outcome.code, args.join(" ")).to.equal(2);
      expect(outcome.stderr).to.match(/^token: .+\nusage: npm run token/);
    }
  });
});
