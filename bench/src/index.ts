/** The bench as a library: run a scenario in-process (the smoke test does, at a tiny size). */
export { runRelay, relayScenario, RELAY_TARGET_RATIO } from "./scenarios/relay.js";
export { runCrossNode, crossNodeScenario, CrossNodeRun, CROSS_NODE_VS_ADAPTER_TARGET, CROSS_NODE_VS_SAME_NODE_TARGET } from "./scenarios/cross-node.js";
export { runPublish, publishScenario, PublishRun, PUBLISH_TARGET_RATIO, PUBLISH_CLUSTER_TARGET_RATIO } from "./scenarios/publish.js";
export { runFanOut, fanOutScenario, FAN_OUT_TARGET_RATIO } from "./scenarios/fan-out.js";
export { runConnections, connectionsScenario, CONNECTIONS_TARGET_RATIO } from "./scenarios/connections.js";
export { runReconnectStorm, reconnectStormScenario, RECONNECT_STORM_TARGET_RATIO } from "./scenarios/reconnect-storm.js";
export { runSoak, soakScenario, SoakRun, SOAK_FLAT_RATIO } from "./scenarios/soak.js";
export { SCENARIOS, findScenario } from "./scenarios/index.js";
export { DEFAULT_PARAMS, type Scenario, type ScenarioParams, type ScenarioResult, type ServerRun, type Ratios, type Comparison, type TargetCheck, type FigureColumn } from "./scenarios/scenario.js";
export { killAllServers } from "./lib/spawn-server.js";
export { LeanUnit, type LeanAck, type LeanListener } from "./lib/lean-unit.js";
export { bareTarget } from "./lib/targets.js";
export { measureInterleaved, slicesPerLane } from "./lib/interleaved-load.js";
export type { LoadLane } from "./lib/load-run.js";
