/**
 * oci-geo-streaming: Pulumi components for disaster-recovery replication of OCI Streaming.
 * Importing this module registers no resources.
 */
export * from "./config/args";
export { resolveArgs, resolveNetwork } from "./config/validate";
export {
  resolveStreams,
  validateCidr,
  validateRegion,
  validateRetention,
  validateStreamName,
  DEFAULT_PARTITION_QUOTA,
  KAFKA_PORT,
  MAX_RETENTION_HOURS,
  MIN_RETENTION_HOURS,
} from "./config/primitives";
export type { ResolvedArgs, ResolvedNetwork } from "./config/validate";
export type { ResolvedStream } from "./config/primitives";
export { ValidationError } from "./errors";
export {
  GeoReplicatedStream,
  GEO_REPLICATED_STREAM_TYPE,
  validateGeoReplicatedStreamArgs,
} from "./geoReplicatedStream";
export type { ValidatedArgs } from "./geoReplicatedStream";
export { ReplicationLayer } from "./replication/replicationLayer";
export { MirrorMakerCredentials } from "./replication/credentials";
export { MirrorMakerFleet } from "./replication/fleet";
export { resolveReplicationInfra, resolveFleet } from "./config/validateReplication";
export type { ResolvedFleet, ResolvedReplicationInfra } from "./config/validateReplication";
export { FLEX_SHAPES } from "./oci/shapes";
export * as mm2 from "./mm2";
export * as cloudinit from "./cloudinit";
export { stackProgram } from "./program/stackProgram";
export * as automation from "./automation";
export { RegionalNetwork } from "./network/regionalNetwork";
export { OnPremConnectivity, IPSEC_TUNNELS } from "./network/onPremConnectivity";
export type { OnPremConnectivityArgs, VpnTunnel } from "./network/onPremConnectivity";
export { resolveExternalKafka, resolveOnPremises } from "./config/validateExternal";
export type { ResolvedExternalKafka, ResolvedOnPremises } from "./config/validateExternal";
export { checkActiveActive } from "./config/validateReplication";
export { StreamingSite } from "./streaming/streamingSite";
export * as cidr from "./net/cidr";
export { KAFKA_VERSION, KAFKA_TGZ, KAFKA_TGZ_SHA512 } from "./kafka/version";
export * as failover from "./failover";
export * as failback from "./failback";
