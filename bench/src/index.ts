/** The bench as a library: run a scenario in-process (the smoke test does, at a tiny size). */
export { runRelay, relayScenario, RELAY_TARGET_RATIO } from "./scenarios/relay.js";
export { runCrossNode, crossNodeScenario, CrossNodeRun, CROSS_NODE_VS_ADAPTER_TARGET, CROSS_NODE_VS_SAME_NODE_TARGET } from "./scenarios/cross-node.js";
export { SCENARIOS, findScenario } from "./scenarios/index.js";
export { DEFAULT_PARAMS, type Scenario, type ScenarioParams, type ScenarioResult, type ServerRun, type Ratios, type Comparison, type TargetCheck } from "./scenarios/scenario.js";
export { killAllServers } from "./lib/spawn-server.js";
