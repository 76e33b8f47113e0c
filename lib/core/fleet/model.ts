/**
 * The MM2 model of a region's fleet, from the resolved deployment and the ids only known once
 * resources exist. Pure: the fleet component and the local rehearsal both build it here.
 */
import type { ResolvedArgs, ResolvedFleet, ResolvedReplication } from "../config/resolved";
import type { ResolvedStream } from "../config/primitives";
import type { ResolvedExternalKafka } from "../config/validateExternal";
import { DEFAULTS } from "../config/settings";
import {
  ClusterSpec,
  ExternalClusterSpec,
  ExternalSecurity,
  OciClusterSpec,
  ReplicationModelInput,
  SecretRef,
  TlsSpec,
} from "../mm2";
import { regionAlias } from "../oci/regions";

/** A resolved deployment whose region runs MirrorMaker (`replication` given). */
export type ReplicatingDeployment = ResolvedArgs & { replication: ResolvedReplication };

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
export function vcpusPerNode(fleet: ResolvedFleet): number {
  return fleet.arch === "aarch64" ? fleet.ocpus : fleet.ocpus * 2;
}

/**
 * The MM2 model of this region's fleet. MirrorMaker always runs here: `peer-to-local` pulls from
 * the peer region ("remote consume, local produce"), `external-to-local` pulls from the on-premises
 * cluster, both with worker storage on the local Connect harness; `local-to-external` produces to
 * the on-premises cluster, where MM2 keeps its worker state in its own (compacted) topics.
 */
export function buildReplicationModel(
  d: ReplicatingDeployment,
  v: ReplicationRuntimeValues,
): ReplicationModelInput {
  const r = d;
  const infra = d.replication;
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
          include: infra.topicsInclude ?? (source.topics ?? []).map((t) => exactJavaPattern(t.name)),
          exclude: infra.topicsExclude,
        },
        groups: { include: infra.groupsInclude, exclude: infra.groupsExclude },
      },
    ],
    target: target.alias,
    fleet: { nodes: infra.fleet.size, coresPerNode: vcpusPerNode(infra.fleet) },
    policy: { type: infra.replicationPolicy },
    tasksMax: infra.tasksMax,
    offsetLagMax: infra.offsetLagMax,
    refresh: {
      topicsIntervalSeconds: infra.refreshIntervalSeconds,
      groupsIntervalSeconds: infra.refreshIntervalSeconds,
      checkpointIntervalSeconds: infra.checkpointIntervalSeconds,
    },
  };
}
