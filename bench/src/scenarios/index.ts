/** Scenarios by name. A new scenario is one file in this folder plus one line here. */
import { apiBridgeScenario } from "./api-bridge.js";
import { connectionsScenario } from "./connections.js";
import { crossNodeScenario } from "./cross-node.js";
import { fanOutScenario } from "./fan-out.js";
import { publishScenario } from "./publish.js";
import { reconnectStormScenario } from "./reconnect-storm.js";
import { relayScenario } from "./relay.js";
import { soakScenario } from "./soak.js";
import type { Scenario } from "./scenario.js";

export const SCENARIOS: ReadonlyMap<string, Scenario> = new Map([
  [relayScenario.name, relayScenario],
  [crossNodeScenario.name, crossNodeScenario],
  [apiBridgeScenario.name, apiBridgeScenario],
  [publishScenario.name, publishScenario],
  [fanOutScenario.name, fanOutScenario],
  [connectionsScenario.name, connectionsScenario],
  [reconnectStormScenario.name, reconnectStormScenario],
  [soakScenario.name, soakScenario],
]);

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.get(name);
}
