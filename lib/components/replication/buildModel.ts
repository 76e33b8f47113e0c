import { createHash } from "node:crypto";
import {
  instanceMetadata,
  instanceMetadataBytes,
  OCI_INSTANCE_METADATA_MAX_BYTES,
  OperationsNodeInput,
  renderUserData,
  UserDataInput,
} from "../../core/cloudinit";
import { FLEX_SHAPES } from "../../core/oci/shapes";
import { toolsObjectName } from "../../core/telemetry/artifacts";
import { ReplicationArgs } from "../../core/config/args";
import { ResolvedArgs } from "../../core/config/validate";
import { ResolvedStream } from "../../core/config/primitives";
import { DEFAULTS } from "../../core/config/settings";
import { ResolvedReplicationInfra } from "../../core/config/validateReplication";
import { ValidationError } from "../../core/errors";
import { ResolvedExternalKafka } from "../../core/config/validateExternal";
import {
  assertNoReplicationLoops,
  ClusterSpec,
  ExternalClusterSpec,
  ExternalSecurity,
  mm2Topics,
  normalizeReplicationModel,
  OciClusterSpec,
  ReplicationModelInput,
  SecretRef,
  TlsSpec,
  validateReplicationModel,
} from "../../core/mm2";
import { regionAlias } from "../../core/oci/regions";

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
  /** Vault secrets holding the external cluster's credentials (those it uses). */
  external?: ExternalSecretIds;
}

/** Vault secret OCIDs of the external cluster's credentials. */
export interface ExternalSecretIds {
  saslPassword?: string;
  caCertificate?: string;
  /** The client's private key followed by its certificate chain: a PEM key store. */
  keystore?: string;
  keyPassword?: string;
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
  external: {
    saslPassword: "ocid1.vaultsecret.oc1.pending.sasl",
    caCertificate: "ocid1.vaultsecret.oc1.pending.ca",
    keystore: "ocid1.vaultsecret.oc1.pending.keystore",
    keyPassword: "ocid1.vaultsecret.oc1.pending.keypassword",
  },
};

/** The external cluster as MM2 sees it: security from the args, credentials as Vault secrets. */
export function externalClusterSpec(ext: ResolvedExternalKafka, ids: ExternalSecretIds): ExternalClusterSpec {
  const ref = (id: string | undefined, what: string): SecretRef => {
    if (id === undefined) {
      throw new Error(`externalKafka: no Vault secret for the ${what}`);
    }
    return { secretId: id };
  };
  const tls: TlsSpec | undefined =
    ext.securityProtocol === "SASL_PLAINTEXT"
      ? undefined
      : {
          truststore:
            ext.tls?.caCertificatePem !== undefined
              ? { type: "PEM", content: ref(ids.caCertificate, "CA certificate") }
              : undefined,
          keystore:
            ext.tls?.clientKeyPem !== undefined
              ? { type: "PEM", content: ref(ids.keystore, "client key and certificate") }
              : undefined,
          keyPassword:
            ext.tls?.clientKeyPassword !== undefined ? ref(ids.keyPassword, "key password") : undefined,
          endpointIdentification: ext.tls?.endpointIdentification,
        };
  const security: ExternalSecurity =
    ext.securityProtocol === "SSL"
      ? { protocol: "SSL", tls: tls! }
      : {
          protocol: ext.securityProtocol,
          mechanism: ext.sasl!.mechanism,
          username: ext.sasl!.username,
          password: ref(ids.saslPassword, "SASL password"),
          tls,
        };
  return {
    kind: "external",
    alias: ext.alias,
    bootstrapServers: ext.bootstrapServers,
    security,
    topics: ext.topics.map((t) => ({ name: t.name, partitions: t.partitions })),
  };
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
 * The MM2 model of this region's fleet. MirrorMaker always runs here: `peer-to-local` pulls from
 * the peer region ("remote consume, local produce"), `external-to-local` pulls from the on-premises
 * cluster, both with worker storage on the local Connect harness; `local-to-external` produces to
 * the on-premises cluster, where MM2 keeps its worker state in its own (compacted) topics.
 */
export function buildReplicationModel(
  r: ResolvedArgs,
  infra: ResolvedReplicationInfra,
  args: ReplicationArgs,
  v: ReplicationRuntimeValues,
): ReplicationModelInput {
  const local = regionAlias(r.region);
  const credentials = {
    tenancyName: v.tenancyName,
    userName: v.userName,
    // With identity domains the Kafka username is <tenancy>/<domain>/<user>/<pool>.
    ...(infra.identityDomain !== undefined ? { identityDomainName: infra.identityDomain } : {}),
    authToken: { secretId: v.secretId },
  };
  const toLocal = infra.flow !== "local-to-external";
  const localCluster: OciClusterSpec = {
    kind: "oci",
    alias: local,
    bootstrapServers: v.localBootstrapServers,
    streamPoolId: v.localStreamPoolId,
    ...(toLocal ? { connectHarnessId: v.connectHarnessId } : {}),
    ...credentials,
    topics: r.streams.map((s) => ({ name: s.name, partitions: s.partitions })),
  };
  let source: ClusterSpec;
  let target: ClusterSpec;
  if (infra.flow === "peer-to-local") {
    const peer = r.peer!;
    source = {
      kind: "oci",
      alias: regionAlias(peer.region),
      bootstrapServers: v.peerBootstrapServers,
      streamPoolId: v.peerStreamPoolId,
      ...credentials,
      topics: ((peer.streams ?? []) as ResolvedStream[]).map((s) => ({
        name: s.name,
        partitions: s.partitions ?? DEFAULTS.partitions,
      })),
      // The peer's `heartbeats` exists once MirrorMaker also runs into it (active-active, or
      // failback while this side still replicates): its copy is created now, so that turning
      // replication on over there later needs no change here (one empty partition until then).
      receivesHeartbeats: true,
    };
    target = localCluster;
  } else {
    const external = externalClusterSpec(r.externalKafka!, v.external ?? {});
    [source, target] = toLocal ? [external, localCluster] : [localCluster, external];
  }
  return {
    clusters: [source, target],
    flows: [
      {
        source: source.alias,
        target: target.alias,
        topics: {
          include: args.topicsInclude ?? (source.topics ?? []).map((t) => exactJavaPattern(t.name)),
          exclude: args.topicsExclude,
        },
        groups: { include: args.groupsInclude, exclude: args.groupsExclude },
      },
    ],
    target: target.alias,
    fleet: { nodes: infra.fleet.size, coresPerNode: vcpusPerNode(infra.fleet) },
    policy: { type: infra.replicationPolicy },
    tasksMax: args.tasksMax,
    refresh: {
      topicsIntervalSeconds: infra.refreshIntervalSeconds,
      groupsIntervalSeconds: infra.refreshIntervalSeconds,
      checkpointIntervalSeconds: args.checkpointIntervalSeconds ?? DEFAULTS.checkpointIntervalSeconds,
    },
  };
}

/** Retention of the source topics the remote copies mirror (OCI streams need one; default 24 h). */
function sourceRetention(r: ResolvedArgs, infra: ResolvedReplicationInfra): Map<string, number> {
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
export function assertActiveActiveLoopFree(
  r: ResolvedArgs,
  infra: ResolvedReplicationInfra,
  args: ReplicationArgs,
): void {
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
  const local = regionAlias(r.region);
  const declared = new Set(r.streams.map((s) => s.name));
  const peerRetention = sourceRetention(r, infra);
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
    const retentionHours = t.source ? (peerRetention.get(t.source.topic) ?? DEFAULTS.retentionHours) : 168;
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

/** What the user-data renderer takes for this region's fleet, from the validated arguments and the model. */
export function fleetUserDataInput(
  r: ResolvedArgs,
  infra: ResolvedReplicationInfra,
  model: ReplicationModelInput,
  operations?: OperationsNodeInput,
): UserDataInput {
  return {
    model,
    nodeMemoryGbs: infra.fleet.memoryInGbs,
    kafkaDownloadBaseUrl: infra.kafkaDownloadBaseUrl,
    fleetSubnetCidr: r.network.mirrorMakerSubnetCidr,
    fieldPrefix: "replication",
    ...(operations ? { operations } : {}),
  };
}

/** The replication layer's name under a component (the `deployment` dimension of its metrics). */
export function replicationLayerName(componentName: string): string {
  return `${componentName}-replication`;
}

/** The nodes' operations input, from the runtime values of the tools bucket and bundle. */
export function fleetOperationsInput(
  r: ResolvedArgs,
  infra: ResolvedReplicationInfra,
  deployment: string,
  runtime: { compartmentId: string; tools: OperationsNodeInput["tools"] },
): OperationsNodeInput {
  return {
    metricNamespace: r.monitoring.metricNamespace,
    compartmentId: runtime.compartmentId,
    region: r.region,
    deployment,
    arch: FLEX_SHAPES[infra.fleet.shape]?.arch ?? "x86_64",
    nodeDownloadBaseUrl: infra.nodeDownloadBaseUrl,
    jmxExporterDownloadBaseUrl: infra.jmxExporterDownloadBaseUrl,
    tools: runtime.tools,
  };
}

/** Object Storage namespaces are short tenancy strings; 64 characters bounds them. */
const OS_NAMESPACE_MAX_CHARS = 64;

/** The longest operations input a deployment can render (for sizing the user-data). */
function longestOperations(
  r: ResolvedArgs,
  infra: ResolvedReplicationInfra,
  componentName: string | undefined,
): OperationsNodeInput {
  const deployment = replicationLayerName(componentName ?? filler("component", 64));
  const sha = "f".repeat(64);
  return fleetOperationsInput(r, infra, deployment, {
    compartmentId:
      typeof r.compartmentId === "string" ? r.compartmentId : longestOcid("compartment", r.region),
    tools: {
      namespace: filler("namespace", OS_NAMESPACE_MAX_CHARS),
      bucket: `${deployment}-tools-ffffff`,
      object: toolsObjectName(filler("version", 32), sha),
      sha256: sha,
      version: filler("version", 32),
    },
  });
}

/** Pseudo-random `[a-z0-9]` text (no repetition for gzip to exploit), the same for the same seed. */
function filler(seed: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) {
    out += BigInt(`0x${createHash("sha256").update(`${seed}|${i}`).digest("hex")}`).toString(36);
  }
  return out.slice(0, length);
}

/** Length of the unique part of an OCID: 60 characters in the OCIDs OCI issues; 4 more for safety. */
const OCID_UNIQUE_CHARS = 64;
/** The longest IAM user name (and the bound taken for a tenancy name looked up at deployment). */
const IAM_NAME_MAX_CHARS = 100;
/** The longest DNS name (RFC 1035). */
const FQDN_MAX_CHARS = 253;

function longestOcid(kind: string, region: string): string {
  return `ocid1.${kind}.oc1.${region}.${filler(`${kind}|${region}`, OCID_UNIQUE_CHARS)}`;
}

function longestBootstrap(seed: string): string {
  const labels = filler(seed, FQDN_MAX_CHARS).match(/.{1,62}/g)!;
  return `${labels.join(".").slice(0, FQDN_MAX_CHARS)}:9092`;
}

/**
 * The longest values the runtime ids and names can take, for sizing the user-data before any of
 * them exists: what is already known as plain text (a given user, tenancy name, pool or peer
 * endpoint) as it is, the rest at its maximum length in characters that do not compress.
 */
export function longestRuntimeValues(
  r: ResolvedArgs,
  args: ReplicationArgs,
  componentName?: string,
): ReplicationRuntimeValues {
  const known = (v: unknown, otherwise: string): string =>
    typeof v === "string" && v !== "" ? v : otherwise;
  const userName = args.credentials?.userName;
  const peerRegion = r.peer?.region ?? r.region;
  const secret = (what: string) => longestOcid("vaultsecret", `${r.region}-${what}`);
  return {
    tenancyName: known(args.tenancyName, filler("tenancy", IAM_NAME_MAX_CHARS)),
    userName: known(
      userName,
      componentName !== undefined
        ? `${componentName}-replication-credentials-user`
        : filler("user", IAM_NAME_MAX_CHARS),
    ),
    secretId: secret("token"),
    localStreamPoolId: known(r.streamPool.existingStreamPoolId, longestOcid("streampool", r.region)),
    localBootstrapServers: longestBootstrap("local"),
    connectHarnessId: longestOcid("connectharness", r.region),
    peerStreamPoolId: known(r.peer?.streamPoolId, longestOcid("streampool", peerRegion)),
    peerBootstrapServers: known(r.peer?.bootstrapServers, longestBootstrap("peer")),
    external: {
      saslPassword: secret("sasl"),
      caCertificate: secret("ca"),
      keystore: secret("keystore"),
      keyPassword: secret("keypassword"),
    },
  };
}

/**
 * Room kept below OCI's limit for what the sizing render cannot foresee exactly: gzip's Huffman
 * tables come out a few bytes different for the real ids than for the stand-ins.
 */
export const METADATA_SAFETY_BYTES = 256;

/**
 * Refuses, before anything is registered, a fleet whose instance metadata would not fit OCI's
 * 32,000 bytes: it renders the user-data with {@link longestRuntimeValues} (the real ids can only
 * be shorter) and measures what the instances get (gzip + base64, and the SSH keys). The error
 * names the argument that makes it large: the topic patterns, or the streams they list.
 */
export function assertInstanceMetadataFits(
  r: ResolvedArgs,
  infra: ResolvedReplicationInfra,
  args: ReplicationArgs,
  componentName?: string,
): number {
  const model = buildReplicationModel(r, infra, args, longestRuntimeValues(r, args, componentName));
  const operations = r.monitoring.enabled ? longestOperations(r, infra, componentName) : undefined;
  const document = renderUserData(fleetUserDataInput(r, infra, model, operations));
  const bytes = instanceMetadataBytes(instanceMetadata(document, infra.fleet.sshAuthorizedKeys));
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
