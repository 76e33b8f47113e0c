/**
 * oci-geo-streaming: Pulumi components for disaster-recovery replication of OCI Streaming.
 * Importing this module registers no resources.
 */
export * from "./config/args";
export {
  resolveArgs,
  resolveNetwork,
  resolveStreams,
  validateCidr,
  validateRegion,
  validateRetention,
  validateStreamName,
  DEFAULT_PARTITION_QUOTA,
  KAFKA_PORT,
  MAX_RETENTION_HOURS,
  MIN_RETENTION_HOURS,
} from "./config/validate";
export type { ResolvedArgs, ResolvedNetwork, ResolvedStream } from "./config/validate";
export { ValidationError } from "./errors";
export { GeoReplicatedStream, GEO_REPLICATED_STREAM_TYPE } from "./geoReplicatedStream";
export { RegionalNetwork } from "./network/regionalNetwork";
export { StreamingSite } from "./streaming/streamingSite";
export * as cidr from "./net/cidr";
export { KAFKA_VERSION, KAFKA_TGZ, KAFKA_TGZ_SHA512 } from "./kafka/version";
