/** Step 2 of the validation (./validate.ts): the stream pool and the declared streams. */
import { ValidationError } from "../errors";
import { StreamPoolArgs, StreamSpec } from "./args";
import { refuseUnsetModeKeys, ResolvedStream, resolveStreams, validateRetention } from "./primitives";
import type { ResolvedStreamPool } from "./resolved";
import { DEFAULTS } from "./settings";

export function resolveStreamPool(pool: StreamPoolArgs | undefined): ResolvedStreamPool {
  const p = pool ?? {};
  refuseUnsetModeKeys(p, "streamPool.", {
    existingStreamPoolId: "creating a new stream pool",
    kmsKeyId: "Oracle-managed encryption keys",
  });
  if (p.existingStreamPoolId !== undefined) {
    for (const key of [
      "name",
      "kmsKeyId",
      "autoCreateTopics",
      "defaultPartitions",
      "defaultRetentionHours",
      "privateEndpointIp",
    ] as const) {
      if (p[key] !== undefined) {
        throw new ValidationError(
          `streamPool.${key}`,
          "configures a pool to create, but streamPool.existingStreamPoolId adopts one (adopting and creating the same pool). Drop one of the two",
        );
      }
    }
  }
  const defaultPartitions = p.defaultPartitions ?? DEFAULTS.partitions;
  if (!Number.isInteger(defaultPartitions) || defaultPartitions < 1) {
    throw new ValidationError(
      "streamPool.defaultPartitions",
      `${String(defaultPartitions)} is not a valid partition count. Use a whole number of at least 1`,
    );
  }
  const defaultRetentionHours = validateRetention(
    "streamPool.defaultRetentionHours",
    p.defaultRetentionHours ?? DEFAULTS.retentionHours,
  );
  return {
    ...p,
    autoCreateTopics: p.autoCreateTopics ?? DEFAULTS.autoCreateTopics,
    defaultPartitions,
    defaultRetentionHours,
  };
}

/** The pool and the declared streams (within the tenancy's partition quota). */
export function resolveStreamSite(
  pool: StreamPoolArgs | undefined,
  streams: StreamSpec[] | undefined,
  partitionQuota: number,
): { streamPool: ResolvedStreamPool; streams: ResolvedStream[] } {
  return { streamPool: resolveStreamPool(pool), streams: resolveStreams(streams, partitionQuota) };
}
