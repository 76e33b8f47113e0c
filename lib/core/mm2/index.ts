/**
 * Pure core of the replication layer: model, validation, mm2.properties, MM2 topic names.
 * No Pulumi imports; everything here is deterministic.
 */

import { ReplicationModelInput, normalizeReplicationModel } from "./replicationModel";
import { TopicToPreCreate, topicsToPreCreateNormalized } from "./topics";
import { ValidateOptions, validateReplicationModel } from "./validate";

export * from "./replicationModel";
export * from "./javaRegex";
export * from "./topics";
export * from "./secrets";
export * from "./validate";
export * from "./properties";
export * from "./loops";
export * as mm2Policy from "./replicationPolicy";

/**
 * Validates the model, then lists the streams to create before MM2 starts, on OCI clusters only:
 * MM2's internal topics (heartbeats, checkpoints, offset-syncs, replicated heartbeats) as ordinary
 * single-partition streams, and the remote copies of declared topics with the same partition counts.
 * Topics already declared on a cluster are left out. Sorted by cluster, then name.
 */
export function topicsToPreCreate(
  input: ReplicationModelInput,
  options: ValidateOptions = {},
): TopicToPreCreate[] {
  validateReplicationModel(input, options);
  return topicsToPreCreateNormalized(normalizeReplicationModel(input));
}
