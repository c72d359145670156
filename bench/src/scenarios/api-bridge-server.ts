/**
 * The API Bridge under test, as production runs it: `createBridgeApp(loadBridgeConfig(env))`, in a
 * child of its own (the scenario "api-bridge" forks it). Ready once its /bridge socket is connected.
 * It lives beside its scenario; the other servers under test are in ../servers.
 */
import { createBridgeApp, loadBridgeConfig } from "@care-gateway/bridge";
import { hostChild } from "../lib/child-host.js";

hostChild(async () => {
  const bridge = createBridgeApp(loadBridgeConfig(process.env));
  const { port } = await bridge.start();
  await bridge.connected();
  return { port, stop: () => bridge.stop() };
});
