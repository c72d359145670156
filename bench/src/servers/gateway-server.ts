/**
 * The gateway under test, as production runs it: `createGateway(loadConfig(env))`. The parent sets
 * PORT=0, HOST=127.0.0.1, NODE_ENV=production, LOG_LEVEL=warn and a random JWT_SECRET.
 */
import { createGateway, loadConfig } from "@care-gateway/server";
import { hostChild } from "../lib/child-host.js";

hostChild(async () => {
  const gateway = createGateway(loadConfig(process.env));
  const { port } = await gateway.start();
  return { port, stop: () => gateway.stop() };
});
