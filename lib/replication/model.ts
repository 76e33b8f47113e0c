import { ReplicationArgs } from "../config/args";
import { ResolvedArgs, ResolvedStream } from "../config/validate";
import { ResolvedReplicationInfra } from "../config/validateReplication";
import { ValidationError } from "../errors";
import {
  mm2Topics,
  normalizeReplicationModel,
  ReplicationModelInput,
  validateReplicationModel,
} from "../mm2";
import { regionKey } from "../oci/regions";

/** Values only known once resources exist (ids, names). Placeholders stand in during validation. */
export interface ReplicationRuntimeValues {
  tenancyName: string;
  userName: string;
  secretId: string;
  localStreamPoolId: string;
  localBootstrapServers: string;
  connectHarnessId: string;
  peerStreamPoolId: string;
  peerBootstrapServers: string;
}

/** Syntactically valid stand-ins: validation needs the model's shape, not the real ids. */
export const PLACEHOLDER_VALUES: ReplicationRuntimeValues = {
  tenancyName: "tenancy",
  userName: "mm2-user",
  secretId: "ocid1.vaultsecret.oc1.pending.pending",
  localStreamPoolId: "ocid1.streampool.oc1.pending.local",
  localBootstrapServers: "local.pending:9092",
  connectHarnessId: "ocid1.connectharness.oc1.pending.pending",
  peerStreamPoolId: "ocid1.streampool.oc1.pending.peer",
  peerBootstrapServers: "peer.pending:9092",
};

/** MM2 cluster alias of a region: its lower-case region key (`fra`, `ams`). */
export function clusterAlias(region: string): string {
  return regionKey(region).toLowerCase();
}

/** A Java regular expression matching exactly `name`. */
export function exactJavaPattern(name: string): string {
  return name.replace(/[.\\+*?^$()[\]{}|-]/g, (c) => `\\${c}`);
}

/** vCPUs per node: an OCPU is two vCPUs on x86 and one on Ampere A1. */
export function vcpusPerNode(fleet: ResolvedReplicationInfra["fleet"]): number {
  return fleet.arch === "aarch64" ? fleet.ocpus : fleet.ocpus * 2;
}

/**
 * The MM2 model of this region's fleet: pull from the peer ("remote consume"), produce into the
 * local pool ("local produce"), worker storage on the local Connect harness.
 */
export function buildReplicationModel(
  r: ResolvedArgs,
  infra: ResolvedReplicationInfra,
  args: ReplicationArgs,
  v: ReplicationRuntimeValues,
): ReplicationModelInput {
  const peer = r.peer!;
  const source = clusterAlias(peer.region);
  const target = clusterAlias(r.region);
  const peerStreams = (peer.streams ?? []) as ResolvedStream[];
  const credentials = {
    tenancyName: v.tenancyName,
    userName: v.userName,
    authToken: { secretId: v.secretId },
  };
  return {
    clusters: [
      {
        kind: "oci",
        alias: source,
        bootstrapServers: v.peerBootstrapServers,
        streamPoolId: v.peerStreamPoolId,
        ...credentials,
        topics: peerStreams.map((s) => ({ name: s.name, partitions: s.partitions ?? 1 })),
      },
      {
        kind: "oci",
        alias: target,
        bootstrapServers: v.localBootstrapServers,
        streamPoolId: v.localStreamPoolId,
        connectHarnessId: v.connectHarnessId,
        ...credentials,
        topics: r.streams.map((s) => ({ name: s.name, partitions: s.partitions })),
      },
    ],
    flows: [
      {
        source,
        target,
        topics: {
          include: args.topicsInclude ?? peerStreams.map((s) => exactJavaPattern(s.name)),
          exclude: args.topicsExclude,
        },
        groups: { include: args.groupsInclude, exclude: args.groupsExclude },
      },
    ],
    target,
    fleet: { nodes: infra.fleet.size, coresPerNode: vcpusPerNode(infra.fleet) },
    policy: { type: infra.replicationPolicy },
    tasksMax: args.tasksMax,
    refresh: {
      topicsIntervalSeconds: infra.refreshIntervalSeconds,
      groupsIntervalSeconds: infra.refreshIntervalSeconds,
    },
  };
}

/** A stream to create in the local pool before MM2 starts. */
export interface PreCreatedStream extends ResolvedStream {
  purpose: string;
}

/**
 * Validates the model's shape (with placeholder ids) and lists the streams MM2 needs in the local
 * pool: its internal topics and the remote copies of the replicated streams, with the source
 * stream's partitions and retention. Throws a ValidationError (nothing registered yet) when the
 * model is invalid, a topic would have to live in the peer's pool, or the quota is exceeded.
 */
export function planReplicationStreams(
  r: ResolvedArgs,
  infra: ResolvedReplicationInfra,
  args: ReplicationArgs,
): PreCreatedStream[] {
  const input = buildReplicationModel(r, infra, args, PLACEHOLDER_VALUES);
  validateReplicationModel(input, { fieldPrefix: "replication" });
  const model = normalizeReplicationModel(input);
  const local = clusterAlias(r.region);
  const declared = new Set(r.streams.map((s) => s.name));
  const peerRetention = new Map((r.peer?.streams ?? []).map((s) => [s.name, s.retentionHours ?? 24]));
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
    const retentionHours = t.source ? (peerRetention.get(t.source.topic) ?? 24) : 168;
    streams.push({ name: t.name, partitions: t.partitions, retentionHours, purpose: t.purpose });
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
