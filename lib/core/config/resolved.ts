/**
 * The deployment after validation and defaults: the one typed model the component, its child
 * components and the renderers take ({@link ResolvedDeployment}). Built once by
 * `resolveDeployment` (./validate.ts); types only, so every step module and renderer can import
 * them without an import cycle.
 */
import type {
  CredentialsArgs,
  FleetArgs,
  GeoReplicatedStreamArgs,
  NetworkArgs,
  PeerArgs,
  ReplicationArgs,
  ReplicationFlow,
  Role,
  StreamPoolArgs,
} from "./args";
import type { ResolvedStream } from "./primitives";
import type { ResolvedExternalKafka, ResolvedOnPremises } from "./validateExternal";
import type { ResolvedMonitoring } from "./validateMonitoring";

/** The network with defaults applied and CIDRs known. */
export interface ResolvedNetwork {
  mode: "create" | "adopt";
  vcnCidr: string;
  streamSubnetCidr: string;
  mirrorMakerSubnetCidr: string;
  dnsLabel: string;
  existing?: NetworkArgs["existing"];
}

/** The stream pool with defaults applied. */
export type ResolvedStreamPool = Required<
  Pick<StreamPoolArgs, "autoCreateTopics" | "defaultPartitions" | "defaultRetentionHours">
> &
  Omit<StreamPoolArgs, "autoCreateTopics" | "defaultPartitions" | "defaultRetentionHours">;

/** Every argument but `replication`, after validation and defaults. */
export interface ResolvedArgs {
  role: Role;
  region: string;
  compartmentId: GeoReplicatedStreamArgs["compartmentId"];
  network: ResolvedNetwork;
  streamPool: ResolvedStreamPool;
  streams: ResolvedStream[];
  /** The peer with normalised CIDRs and region, and its streams with their defaults. */
  peer?: PeerArgs;
  partitionQuota: number;
  freeformTags: Record<string, string>;
  /** The on-premises networks and how the DRG reaches them. */
  onPremises?: ResolvedOnPremises;
  /** The external (on-premises) Kafka cluster. */
  externalKafka?: ResolvedExternalKafka;
  /** Metrics, alarms, notifications and logs. */
  monitoring: ResolvedMonitoring;
}

/** The fleet with defaults applied. */
export interface ResolvedFleet {
  size: number;
  shape: string;
  ocpus: number;
  memoryInGbs: number;
  arch: "x86_64" | "aarch64";
  imageId?: FleetArgs["imageId"];
  sshAuthorizedKeys?: string;
}

/** The compute, credential and network parts of the replication arguments, validated. */
export interface ResolvedReplicationInfra {
  enabled: boolean;
  flow: ReplicationFlow;
  credentials: CredentialsArgs;
  /** The tenancy has identity domains (see {@link ReplicationArgs.identityDomains}). */
  identityDomains: boolean;
  /**
   * The identity domain of MirrorMaker's user (part of its Kafka username) and of the created
   * group and dynamic group (their policies name them `'<domain>'/'<name>'`); none in a classic
   * tenancy.
   */
  identityDomain?: string;
  fleet: ResolvedFleet;
  bastionClientCidrs: string[];
  replicationPolicy: "prefixed" | "identity";
  refreshIntervalSeconds: number;
  /** MM2's `emit.checkpoints.interval.seconds`. */
  checkpointIntervalSeconds: number;
  /** MM2's `offset.lag.max`. */
  offsetLagMax: number;
  kafkaDownloadBaseUrl?: string;
  kafkaDownloadCidr?: string;
  nodeDownloadBaseUrl: string;
  jmxExporterDownloadBaseUrl: string;
}

/** A stream to create in the local pool before MM2 starts. */
export interface PreCreatedStream extends ResolvedStream {
  purpose: string;
  /**
   * Keep the retention chosen at creation when the plan later computes another (OCI cannot change a
   * stream's retention in place: the provider would replace the stream and drop what it holds). Set
   * for the offset-syncs stream, whose retention follows the replicated streams'.
   */
  retentionFixedAtCreation?: true;
}

/** The replication arguments, validated: everything the replication layer and the renderers read. */
export interface ResolvedReplication extends ResolvedReplicationInfra {
  tenancyId: ReplicationArgs["tenancyId"];
  tenancyName?: ReplicationArgs["tenancyName"];
  /**
   * As given; unset only when a program validates before creating its providers
   * (`providersPending`), and the component then refuses it.
   */
  homeRegionProvider: ReplicationArgs["homeRegionProvider"];
  vault?: ReplicationArgs["vault"];
  /** `iamNamePrefix` as given (checked); the component defaults it to `<project>-<stack>`. */
  iamNamePrefix?: string;
  /** What MM2 replicates: topic and consumer-group filters (Java regular expressions) as given. */
  topicsInclude?: string[];
  topicsExclude?: string[];
  groupsInclude?: string[];
  groupsExclude?: string[];
  /** MM2 `tasks.max` as given (the MM2 model derives the default from the fleet). */
  tasksMax?: number;
  /** Streams MM2 needs in the local pool (its internal topics, the remote copies); empty when disabled. */
  preCreatedStreams: PreCreatedStream[];
}

/** The whole deployment, validated: what the component and the renderers build from. */
export interface ResolvedDeployment extends ResolvedArgs {
  /** Present when `replication` was given (enabled or not: the peering bundle reports its policy). */
  replication?: ResolvedReplication;
}
