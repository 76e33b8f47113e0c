/**
 * oci-geo-streaming: Pulumi components for disaster-recovery replication of OCI Streaming.
 * Importing this module registers no resources.
 *
 * What a consumer uses: the component and its argument types, the validation it runs (also
 * callable on its own) and its error, the stack program and its settings table, the Automation API
 * for a primary/dr pair, and the failover/failback libraries. The renderers, resolvers and
 * sub-components are internals (reach them through the component).
 */
export * from "./core/config/args";
export { ValidationError } from "./core/errors";
export { GeoReplicatedStream, validateGeoReplicatedStreamArgs } from "./components/geoReplicatedStream";
export type { ValidatedArgs } from "./components/geoReplicatedStream";
export { stackProgram } from "./program/stackProgram";
export { peerFromStack } from "./program/peering";
export { DEFAULTS, SETTINGS, readStackSettings } from "./core/config/settings";
export type {
  Setting,
  SettingStacks,
  SettingType,
  StackConfigReader,
  StackSettings,
} from "./core/config/settings";
export * as automation from "./program/automation";
export * as failover from "./ops/failover";
export * as failback from "./ops/failback";
