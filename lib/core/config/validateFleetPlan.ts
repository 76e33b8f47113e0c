/**
 * Step 6 of the validation (./validate.ts), once the whole model is known: the fleet's plan.
 * Builds the MM2 model the fleet will run (lib/core/fleet) and refuses what cannot work — a
 * replication loop between active-active regions, downloads the narrowed egress cannot reach,
 * MM2 topics outside this stack's pool or above the partition quota, user-data above OCI's
 * metadata limit — and lists the streams MM2 needs in the local pool.
 */
import { ValidationError } from "../errors";
import { OCI_INSTANCE_METADATA_MAX_BYTES } from "../cloudinit";
import {
  buildReplicationModel,
  exactJavaPattern,
  longestInstanceMetadataBytes,
  METADATA_SAFETY_BYTES,
  PLACEHOLDER_VALUES,
  ReplicatingDeployment,
} from "../fleet";
import {
  assertNoReplicationLoops,
  mm2Topics,
  normalizeReplicationModel,
  validateReplicationModel,
} from "../mm2";
import { regionAlias } from "../oci/regions";
import { MAX_RETENTION_HOURS, MIN_RETENTION_HOURS } from "./primitives";
import type { PreCreatedStream, ResolvedReplication } from "./resolved";
import { DEFAULTS } from "./settings";

/**
 * The checks of this step in order; returns the streams MM2 needs in the local pool (none when
 * replication is off here).
 */
export function planFleet(d: ReplicatingDeployment, componentName?: string): PreCreatedStream[] {
  assertActiveActiveLoopFree(d);
  if (!d.replication.enabled) return [];
  if (d.monitoring.enabled) requireMirroredDownloads(d.replication);
  const streams = planReplicationStreams(d);
  assertInstanceMetadataFits(d, componentName);
  return streams;
}

/**
 * With the fleet's HTTPS egress narrowed to a mirror (`kafkaDownloadCidr`), the Node.js and JMX
 * exporter downloads must come from mirrors there too: the public defaults would be unreachable.
 */
function requireMirroredDownloads(infra: ResolvedReplication): void {
  if (infra.kafkaDownloadCidr === undefined || infra.kafkaDownloadCidr === "0.0.0.0/0") return;
  for (const [key, fallback] of [
    ["nodeDownloadBaseUrl", DEFAULTS.nodeDownloadBaseUrl],
    ["jmxExporterDownloadBaseUrl", DEFAULTS.jmxExporterDownloadBaseUrl],
  ] as const) {
    if (infra[key] === fallback) {
      throw new ValidationError(
        `replication.${key}`,
        `is the public ${fallback}, but replication.kafkaDownloadCidr narrows the nodes' HTTPS egress to ${infra.kafkaDownloadCidr}: the nodes could not reach it. Give a mirror inside that CIDR, or set monitoring.enabled to false`,
      );
    }
  }
}

/** Retention of the source topics the remote copies mirror (OCI streams need one; default 24 h). */
function sourceRetention(d: ReplicatingDeployment): Map<string, number> {
  const r = d;
  const infra = d.replication;
  const streams: { name: string; retentionHours?: number }[] =
    infra.flow === "peer-to-local" ? (r.peer?.streams ?? []) : (r.externalKafka?.topics ?? []);
  return new Map(streams.map((s) => [s.name, s.retentionHours ?? DEFAULTS.retentionHours]));
}

/**
 * Active-active (both regions pull from each other): proves with MM2's own naming and cycle rules
 * ({@link assertNoReplicationLoops}) that no record comes back to the region it was written in,
 * for this side's filters and the peer's default ones (its declared-stream includes). Throws a
 * ValidationError naming the field to change otherwise; a no-op unless both sides replicate.
 */
export function assertActiveActiveLoopFree(d: ReplicatingDeployment): void {
  const r = d;
  const infra = d.replication;
  const args = d.replication;
  const peerReplication = r.peer?.replication;
  if (!infra.enabled || infra.flow !== "peer-to-local" || !peerReplication?.enabled) {
    return;
  }
  const local = regionAlias(r.region);
  const peer = regionAlias(r.peer!.region);
  const peerStreams = (r.peer!.streams ?? []).map((s) => s.name);
  const localStreams = r.streams.map((s) => s.name);
  assertNoReplicationLoops({
    flows: [
      {
        source: peer,
        target: local,
        topicsInclude: args.topicsInclude ?? peerStreams.map(exactJavaPattern),
        topicsExclude: args.topicsExclude,
        policy: { type: infra.replicationPolicy, separator: "." },
        label: `this region: ${peer}->${local}`,
        field: args.topicsInclude ? "replication.topicsInclude" : "replication.replicationPolicy",
        policyField: "replication.replicationPolicy",
      },
      {
        source: local,
        target: peer,
        topicsInclude: localStreams.map(exactJavaPattern),
        policy: { type: peerReplication.replicationPolicy, separator: "." },
        label: `the peer: ${local}->${peer}`,
        field: "peer.replication",
        policyField: "peer.replication.replicationPolicy",
      },
    ],
    topics: { [peer]: peerStreams, [local]: localStreams },
  });
}

/**
 * Validates the model's shape (with placeholder ids) and lists the streams MM2 needs in the local
 * pool: its internal topics and the remote copies of the replicated streams, with the source
 * stream's partitions and retention. Throws a ValidationError (nothing registered yet) when the
 * model is invalid, a topic would have to live in the peer's pool, or the quota is exceeded.
 */
export function planReplicationStreams(d: ReplicatingDeployment): PreCreatedStream[] {
  const r = d;
  const input = buildReplicationModel(d, PLACEHOLDER_VALUES);
  try {
    validateReplicationModel(input);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const aliases = input.clusters.map((c) => c.alias);
    const field = argumentOf(e.field, d, aliases);
    throw new ValidationError(field, e.message.slice(e.field.length + 2));
  }
  const model = normalizeReplicationModel(input);
  const local = regionAlias(r.region);
  const declared = new Set(r.streams.map((s) => s.name));
  const peerRetention = sourceRetention(d);
  const streams: PreCreatedStream[] = [];
  for (const t of mm2Topics(model)) {
    if (t.clusterKind !== "oci" || declared.has(t.name)) {
      continue;
    }
    if (t.cluster !== local) {
      throw new ValidationError(
        "replication",
        `MirrorMaker would need topic "${t.name}" in the ${t.cluster} pool, which this stack does not own. Keep offset-syncs on the target`,
      );
    }
    const retentionHours = t.source
      ? (peerRetention.get(t.source.topic) ?? DEFAULTS.retentionHours)
      : t.purpose === "offset-syncs"
        ? offsetSyncsRetentionHours(model, peerRetention)
        : 168;
    streams.push({
      name: t.name,
      partitions: t.partitions,
      retentionHours,
      purpose: t.purpose,
      ...(t.purpose === "offset-syncs" ? { retentionFixedAtCreation: true as const } : {}),
    });
  }
  const total = [...r.streams, ...streams].reduce((sum, s) => sum + s.partitions, 0);
  if (total > r.partitionQuota) {
    throw new ValidationError(
      "replication",
      `the declared streams plus MirrorMaker's ${streams.length} streams need ${total} partitions, above the partition quota of ${r.partitionQuota}. Replicate fewer topics or raise partitionQuota after OCI raises your limit`,
    );
  }
  return streams;
}

/**
 * The offset-syncs stream's retention: the longest retention of the source topics it describes,
 * at least OCI's minimum of 24 h (MIN_RETENTION_HOURS), at most 168 h.
 *
 * Why that is enough, and why no more: MM2's checkpoint task reads the whole stream (one partition)
 * from the beginning before it translates anything (Kafka's connect/mirror OffsetSyncStore.start:
 * "blocking until all previous Offset Syncs have been read"), and during that read keeps only the
 * newest sync of each topic-partition (updateSyncArray clears the array while !readToEnd). So what
 * it needs is the newest sync of every partition, which is at most as old as that partition's
 * newest record; the failback tool (lib/ops/failback/offsetSyncs.ts) needs a sync at or before any
 * group position still readable, and no record outlives its source topic's retention. A sync older
 * than every retained record serves neither and only lengthens the replay at each start — which a
 * fixed 168 h did for pools whose streams keep 24 h.
 */
export function offsetSyncsRetentionHours(
  model: ReturnType<typeof normalizeReplicationModel>,
  sourceRetention: ReadonlyMap<string, number>,
): number {
  const replicated = mm2Topics(model)
    .filter((t) => t.source !== undefined)
    .map((t) => sourceRetention.get(t.source!.topic) ?? DEFAULTS.retentionHours);
  return Math.min(MAX_RETENTION_HOURS, Math.max(MIN_RETENTION_HOURS, ...replicated));
}

/**
 * The argument the user wrote behind a field of the MM2 model built from it (lib/core/fleet): the
 * model's paths (`flows[0].topics.include[1]`, `clusters[1].topics[0].name`) are internal, and an
 * error must name what the user can change. `aliases` are the model's cluster aliases by index.
 * A path with no argument of its own names `replication`, the argument the model comes from.
 */
export function argumentOf(modelField: string, d: ReplicatingDeployment, aliases: readonly string[]): string {
  const filter = /^flows\[\d+\]\.(topics|groups)\.(include|exclude)(\[\d+\])?$/.exec(modelField);
  if (filter) {
    const [, kind, list, index] = filter;
    return `replication.${kind}${list === "include" ? "Include" : "Exclude"}${index ?? ""}`;
  }
  const simple: Record<string, string> = {
    tasksMax: "replication.tasksMax",
    "fleet.nodes": "replication.fleet.size",
    "fleet.coresPerNode": "replication.fleet.ocpus",
    "policy.type": "replication.replicationPolicy",
    "refresh.topicsIntervalSeconds": "replication.refreshIntervalSeconds",
    "refresh.groupsIntervalSeconds": "replication.refreshIntervalSeconds",
    "refresh.checkpointIntervalSeconds": "replication.checkpointIntervalSeconds",
  };
  if (simple[modelField] !== undefined) return simple[modelField];
  const cluster = /^clusters\[(\d+)\](?:\.(.*))?$/.exec(modelField);
  if (cluster) {
    const alias = aliases[Number(cluster[1])];
    const rest = cluster[2] ?? "";
    const topic = /^topics(\[\d+\](?:\.\w+)?)$/.exec(rest);
    if (alias !== undefined && alias === regionAlias(d.region)) {
      return topic ? `streams${topic[1]}` : "streams";
    }
    if (d.peer !== undefined && alias === regionAlias(d.peer.region)) {
      if (topic) return `peer.streams${topic[1]}`;
      return ["bootstrapServers", "streamPoolId"].includes(rest) ? `peer.${rest}` : "peer";
    }
    if (d.externalKafka !== undefined && alias === d.externalKafka.alias) {
      if (topic) return `externalKafka.topics${topic[1]}`;
      return /^(bootstrapServers|sasl\.username)$/.test(rest) ? `externalKafka.${rest}` : "externalKafka";
    }
  }
  return "replication";
}

/**
 * Refuses, before anything is registered, a fleet whose instance metadata would not fit OCI's
 * 32,000 bytes: it renders the user-data with {@link longestRuntimeValues} (the real ids can only
 * be shorter) and measures what the instances get (gzip + base64, and the SSH keys). The error
 * names the argument that makes it large: the topic patterns, or the streams they list.
 */
export function assertInstanceMetadataFits(d: ReplicatingDeployment, componentName?: string): number {
  const infra = d.replication;
  const args = d.replication;
  const bytes = longestInstanceMetadataBytes(d, componentName);
  const limit = OCI_INSTANCE_METADATA_MAX_BYTES - METADATA_SAFETY_BYTES;
  if (bytes > limit) {
    const listed =
      args.topicsInclude !== undefined
        ? "replication.topicsInclude"
        : infra.flow === "peer-to-local"
          ? "peer.streams"
          : infra.flow === "external-to-local"
            ? "externalKafka.topics"
            : "streams";
    const ssh = infra.fleet.sshAuthorizedKeys
      ? `, or pass fewer keys in replication.fleet.sshAuthorizedKeys (${Buffer.byteLength(infra.fleet.sshAuthorizedKeys)} bytes)`
      : "";
    throw new ValidationError(
      listed,
      `makes the MirrorMaker nodes' instance metadata ${bytes} bytes (user-data gzip-compressed and base64-encoded${infra.fleet.sshAuthorizedKeys ? ", and the SSH keys" : ""}), above the ${limit} this package allows under OCI's ${OCI_INSTANCE_METADATA_MAX_BYTES}-byte limit: mm2.properties lists every topic it replicates. Replicate fewer topics from this region, or give replication.topicsInclude patterns that match many streams at once (e.g. "orders\\..*")${ssh}`,
    );
  }
  return bytes;
}
