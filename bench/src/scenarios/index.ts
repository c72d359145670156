/** Scenarios by name. A new scenario is one file in this folder plus one line here. */
import { relayScenario } from "./relay.js";
import type { Scenario } from "./scenario.js";

export const SCENARIOS: ReadonlyMap<string, Scenario> = new Map([[relayScenario.name, relayScenario]]);

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.get(name);
}
