/**
 * Typed model of one MirrorMaker 2 (MM2) deployment: the clusters it talks to, the replication flows
 * between them, and the fleet that runs `connect-mirror-maker.sh mm2.properties --clusters <target>`.
 *
 * Pure data: no Pulumi, no I/O. Secrets never appear here: a credential is referenced by the OCID of
 * the OCI Vault secret that holds it ({@link SecretRef}); the MM2 nodes fetch the value at boot.
 *
 * {@link normalizeReplicationModel} applies the defaults and sorts everything whose order carries no
 * meaning, so that two models describing the same deployment render byte-identical output.
 */

/** Where a cluster lives. OCI-only restrictions (no idempotence, 1 MB requests, …) apply to "oci" only. */
export type ClusterKind = "oci" | "external";

/** Reference to a secret stored in OCI Vault. The OCID is an identifier, not a secret. */
export interface SecretRef {
  /** OCID of the Vault secret (`ocid1.vaultsecret.…`). Never the secret value itself. */
  readonly secretId: string;
}

/** A topic (OCI: stream) that exists on a cluster and that flows out of it may replicate. */
export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
}

/** An OCI Streaming stream pool reached through its Kafka endpoint (always SASL_SSL + PLAIN). */
export interface OciClusterSpec {
  readonly kind: "oci";
  /** MM2 cluster alias; also the prefix of remote topic names under the prefixed policy. */
  readonly alias: string;
  /** `kafkaSettings.bootstrapServers` of the pool (private endpoint FQDN, port 9092). */
  readonly bootstrapServers: string;
  /** Tenancy *name* (not OCID). */
  readonly tenancyName: string;
  /** IAM user *name* (not OCID) that owns {@link authToken}. */
  readonly userName: string;
  /** Identity domain name, for users in a non-default identity domain. */
  readonly identityDomainName?: string;
  /** OCID of the stream pool (`ocid1.streampool.…`); part of the SASL username. */
  readonly streamPoolId: string;
  /** Vault secret holding the user's auth token. */
  readonly authToken: SecretRef;
  /**
   * OCID of the Connect harness (`ocid1.connectharness.…`) whose compacted topics
   * `<id>-config`, `<id>-offset`, `<id>-status` hold the MM2 worker state. Required when this cluster is
   * the fleet's target.
   */
  readonly connectHarnessId?: string;
  /** Streams of this pool, with their partition counts. */
  readonly topics?: readonly TopicSpec[];
  /**
   * Another MirrorMaker fleet replicates into this cluster (active-active, or a failback while the
   * other direction still runs), so it has a `heartbeats` topic, which MM2 replicates out of it
   * whatever the topic filter says: its remote copy is pre-created. Default false.
   */
  readonly receivesHeartbeats?: boolean;
}

export type SaslMechanism = "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";
export type StoreType = "PKCS12" | "JKS" | "PEM";

/** A key store or trust store delivered to the MM2 nodes from Vault (secret content = the file's bytes). */
export interface StoreSpec {
  readonly type: StoreType;
  /** Vault secret whose content is the store file (binary content is fine). */
  readonly content: SecretRef;
  /** Vault secret holding the store password (not needed for PEM). */
  readonly password?: SecretRef;
}

export interface TlsSpec {
  /** Trust store for the brokers' CA; omit to use the JVM's default trust store. */
  readonly truststore?: StoreSpec;
  /** Client certificate and key, for mutual TLS. */
  readonly keystore?: StoreSpec;
  /** Password of the private key inside {@link keystore}, when it differs from the store password. */
  readonly keyPassword?: SecretRef;
  /** Verify the broker host name against its certificate (default true). */
  readonly endpointIdentification?: boolean;
}

export type ExternalSecurity =
  | {
      readonly protocol: "SASL_SSL" | "SASL_PLAINTEXT";
      readonly mechanism: SaslMechanism;
      readonly username: string;
      readonly password: SecretRef;
      /** TLS settings; only meaningful with SASL_SSL. */
      readonly tls?: TlsSpec;
    }
  | {
      /** TLS, with a client certificate when {@link TlsSpec.keystore} is set (mTLS). */
      readonly protocol: "SSL";
      readonly tls: TlsSpec;
    };

/** A Kafka cluster outside OCI Streaming (on-premises or elsewhere); normal Kafka behaviour applies. */
export interface ExternalClusterSpec {
  readonly kind: "external";
  readonly alias: string;
  readonly bootstrapServers: string;
  readonly security: ExternalSecurity;
  readonly topics?: readonly TopicSpec[];
  /**
   * Another MirrorMaker fleet replicates into this cluster (active-active, or a failback while the
   * other direction still runs), so it has a `heartbeats` topic, which MM2 replicates out of it
   * whatever the topic filter says: its remote copy is pre-created. Default false.
   */
  readonly receivesHeartbeats?: boolean;
}

export type ClusterSpec = OciClusterSpec | ExternalClusterSpec;

/** Include/exclude lists of Java regular expressions (MM2 matches the whole name). */
export interface FilterSpec {
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
}

/** One direction of replication, `source -> target`. */
export interface FlowSpec {
  readonly source: string;
  readonly target: string;
  /** Topics to replicate (default include `.*`); internal and harness topics are always excluded. */
  readonly topics?: FilterSpec;
  /** Consumer groups whose offsets are checkpointed (default include `.*`). */
  readonly groups?: FilterSpec;
}

export type ReplicationPolicySpec =
  | { readonly type: "prefixed"; readonly separator?: string }
  | { readonly type: "identity"; readonly separator?: string };

export interface FleetSpec {
  /** Number of MM2 nodes (VMs) that form one Connect group per herder. */
  readonly nodes: number;
  /** vCPUs one node gives the JVM; bounds the derived `tasks.max`. */
  readonly coresPerNode: number;
  /** Port of the internal REST server the nodes use when there is more than one (default 8083). */
  readonly internalRestPort?: number;
}

export interface RefreshSpec {
  /** `refresh.topics.interval.seconds` (default 60): how soon a new source topic starts replicating. */
  readonly topicsIntervalSeconds?: number;
  /** `refresh.groups.interval.seconds` (default 60). */
  readonly groupsIntervalSeconds?: number;
  /** `emit.checkpoints.interval.seconds` (default 60): freshness of translated consumer offsets. */
  readonly checkpointIntervalSeconds?: number;
}

/**
 * Where MM2 keeps its offset-syncs topic. Kafka's default is "source"; this product defaults to
 * "target" so that MM2 only reads from the source region (remote consume, local produce): the source
 * needs no MM2 topic, no write permission, and no resource owned by the target's stack.
 */
export type OffsetSyncsLocation = "source" | "target";

/** The user-facing model: everything optional has a default (see {@link normalizeReplicationModel}). */
export interface ReplicationModelInput {
  readonly clusters: readonly ClusterSpec[];
  readonly flows: readonly FlowSpec[];
  /** Alias of the cluster this fleet replicates into (`--clusters <target>`); MM2 runs near it. */
  readonly target: string;
  readonly fleet: FleetSpec;
  readonly policy?: ReplicationPolicySpec;
  /** Explicit `tasks.max`; derived from the partitions to replicate and the fleet when omitted. */
  readonly tasksMax?: number;
  /**
   * `offset.lag.max` (Kafka's default 100): how far a replicated partition may advance before MM2
   * writes a new offset sync (MirrorSourceTask's PartitionState), so the step of offset translation.
   */
  readonly offsetLagMax?: number;
  readonly refresh?: RefreshSpec;
  readonly offsetSyncsTopicLocation?: OffsetSyncsLocation;
  /** Directory on the node for mm2.properties, secrets.properties, node.properties (default /etc/mm2). */
  readonly configDir?: string;
}

/** A flow after normalization: filters resolved and sorted. */
export interface NormalizedFlow {
  readonly source: string;
  readonly target: string;
  readonly topicsInclude: readonly string[];
  readonly topicsExclude: readonly string[];
  readonly groupsInclude: readonly string[];
  readonly groupsExclude: readonly string[];
}

/** The model with every default applied and every order-free list sorted. */
export interface ReplicationModel {
  readonly clusters: readonly ClusterSpec[];
  readonly flows: readonly NormalizedFlow[];
  readonly target: string;
  readonly fleet: Required<FleetSpec>;
  readonly policy: { readonly type: "prefixed" | "identity"; readonly separator: string };
  readonly tasksMax?: number;
  readonly offsetLagMax: number;
  readonly refresh: Required<RefreshSpec>;
  readonly offsetSyncsTopicLocation: OffsetSyncsLocation;
  readonly configDir: string;
}

export const DEFAULT_SEPARATOR = ".";
export const DEFAULT_INTERNAL_REST_PORT = 8083;
export const DEFAULT_REFRESH_SECONDS = 60;
/** MirrorSourceConfig's OFFSET_LAG_MAX default. */
export const DEFAULT_OFFSET_LAG_MAX = 100;
export const DEFAULT_CONFIG_DIR = "/etc/mm2";
export const DEFAULT_OFFSET_SYNCS_LOCATION: OffsetSyncsLocation = "target";

/**
 * Topic patterns every flow excludes, whatever the user asks: MM2's and Connect's internal topics
 * (Kafka's own default `topics.exclude`) and the OCI Connect harness topics
 * (`ocid1.connectharness.….-config|-offset|-status`).
 */
export const MANDATORY_TOPIC_EXCLUDES: readonly string[] = [
  ".*[\\-\\.]internal",
  ".*\\.replica",
  "__.*",
  "ocid1\\.connectharness\\..*",
];

/** Kafka's default `groups.exclude`, kept when the user adds excludes of their own. */
export const DEFAULT_GROUP_EXCLUDES: readonly string[] = ["console-consumer-.*", "connect-.*", "__.*"];

export const DEFAULT_INCLUDE: readonly string[] = [".*"];

/** Names of the three Connect harness topics used as the worker's config/offset/status storage. */
export function harnessTopics(connectHarnessId: string): { config: string; offset: string; status: string } {
  return {
    config: `${connectHarnessId}-config`,
    offset: `${connectHarnessId}-offset`,
    status: `${connectHarnessId}-status`,
  };
}

/**
 * SASL PLAIN username for OCI Streaming: `<tenancyName>/<userName>/<streamPoolOCID>`, or with an
 * identity domain `<tenancyName>/<domainName>/<userName>/<streamPoolOCID>`.
 */
export function ociSaslUsername(cluster: {
  readonly tenancyName: string;
  readonly userName: string;
  readonly identityDomainName?: string;
  readonly streamPoolId: string;
}): string {
  const parts = [cluster.tenancyName];
  if (cluster.identityDomainName !== undefined && cluster.identityDomainName !== "") {
    parts.push(cluster.identityDomainName);
  }
  parts.push(cluster.userName, cluster.streamPoolId);
  return parts.join("/");
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareStrings);
}

/** Code-unit order: locale-independent, so the output never depends on the machine that renders it. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function normalizeCluster(cluster: ClusterSpec): ClusterSpec {
  const topics = [...(cluster.topics ?? [])]
    .map((t) => ({ name: t.name, partitions: t.partitions }))
    .sort((a, b) => compareStrings(a.name, b.name));
  return { ...cluster, topics };
}

/**
 * Applies defaults and sorts clusters, flows, topics and patterns. Does not validate: call
 * `validateReplicationModel` first (the renderers do).
 */
export function normalizeReplicationModel(input: ReplicationModelInput): ReplicationModel {
  const clusters = input.clusters.map(normalizeCluster).sort((a, b) => compareStrings(a.alias, b.alias));
  const flows: NormalizedFlow[] = input.flows
    .map((f) => {
      const topicsInclude = sortedUnique(f.topics?.include ?? DEFAULT_INCLUDE);
      const userTopicExcludes = sortedUnique(f.topics?.exclude ?? []).filter(
        (p) => !MANDATORY_TOPIC_EXCLUDES.includes(p),
      );
      const groupsInclude = sortedUnique(f.groups?.include ?? DEFAULT_INCLUDE);
      const userGroupExcludes = sortedUnique(f.groups?.exclude ?? []).filter(
        (p) => !DEFAULT_GROUP_EXCLUDES.includes(p),
      );
      return {
        source: f.source,
        target: f.target,
        topicsInclude,
        topicsExclude: [...MANDATORY_TOPIC_EXCLUDES, ...userTopicExcludes],
        groupsInclude,
        groupsExclude: [...DEFAULT_GROUP_EXCLUDES, ...userGroupExcludes],
      };
    })
    .sort((a, b) => compareStrings(a.source, b.source) || compareStrings(a.target, b.target));
  const policyType = input.policy?.type ?? "prefixed";
  return {
    clusters,
    flows,
    target: input.target,
    fleet: {
      nodes: input.fleet.nodes,
      coresPerNode: input.fleet.coresPerNode,
      internalRestPort: input.fleet.internalRestPort ?? DEFAULT_INTERNAL_REST_PORT,
    },
    policy: { type: policyType, separator: input.policy?.separator ?? DEFAULT_SEPARATOR },
    tasksMax: input.tasksMax,
    offsetLagMax: input.offsetLagMax ?? DEFAULT_OFFSET_LAG_MAX,
    refresh: {
      topicsIntervalSeconds: input.refresh?.topicsIntervalSeconds ?? DEFAULT_REFRESH_SECONDS,
      groupsIntervalSeconds: input.refresh?.groupsIntervalSeconds ?? DEFAULT_REFRESH_SECONDS,
      checkpointIntervalSeconds: input.refresh?.checkpointIntervalSeconds ?? DEFAULT_REFRESH_SECONDS,
    },
    offsetSyncsTopicLocation: input.offsetSyncsTopicLocation ?? DEFAULT_OFFSET_SYNCS_LOCATION,
    configDir: input.configDir ?? DEFAULT_CONFIG_DIR,
  };
}

/** The cluster with this alias; throws if absent (the model is validated before this is used). */
export function clusterByAlias(
  model: { readonly clusters: readonly ClusterSpec[] },
  alias: string,
): ClusterSpec {
  const c = model.clusters.find((x) => x.alias === alias);
  if (c === undefined) {
    throw new Error(`internal: unknown cluster alias ${alias}`);
  }
  return c;
}

/** Flows this fleet runs: those into its target (`--clusters <target>` starts only those herders). */
export function flowsIntoTarget(model: ReplicationModel): NormalizedFlow[] {
  return model.flows.filter((f) => f.target === model.target);
}

/** True when more than one node must form a Connect group (internal REST server needed). */
export function needsInternalRest(model: { readonly fleet: { readonly nodes: number } }): boolean {
  return model.fleet.nodes > 1;
}
