import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DEFAULTS } from "../../core/config/settings";
import { kafkaDownloadUrl } from "../../core/cloudinit";
import { DEFAULT_INTERNAL_REST_PORT } from "../../core/mm2";
import { createStream } from "../streaming/streamingSite";
import { MirrorMakerCredentials } from "./credentials";
import { MirrorMakerFleet } from "./fleet";
import { checkTenancyIdentity } from "./identity";
import { defaultIamNamePrefix } from "../../core/oci/iamNames";
import { createToolsDelivery } from "./toolsBundle";
import {
  ExternalSecretIds,
  fleetOperationsInput,
  PLACEHOLDER_VALUES,
  renderFleetConfig,
  ReplicatingDeployment,
  ReplicationRuntimeValues,
} from "../../core/fleet";
import { ResolvedExternalKafka } from "../../core/config/validateExternal";

/**
 * What goes into Vault for the external cluster: the SASL password, the CA certificate (the VM
 * writes it as a PEM trust store), the client key followed by its certificate chain (a PEM key
 * store, as Kafka reads one) and the key's password — only those that are set.
 */
export function externalSecretContents(
  ext: ResolvedExternalKafka,
): Partial<Record<keyof ExternalSecretIds, pulumi.Input<string>>> {
  const out: Partial<Record<keyof ExternalSecretIds, pulumi.Input<string>>> = {};
  if (ext.securityProtocol !== "SSL" && ext.sasl) out.saslPassword = ext.sasl.password;
  if (ext.tls?.caCertificatePem !== undefined) out.caCertificate = ext.tls.caCertificatePem;
  if (ext.tls?.clientKeyPem !== undefined) {
    out.keystore = pulumi
      .all([ext.tls.clientKeyPem, ext.tls.clientCertificatePem ?? ""])
      .apply(([key, cert]) => `${key.trim()}\n${cert.trim()}\n`);
  }
  if (ext.tls?.clientKeyPassword !== undefined) out.keyPassword = ext.tls.clientKeyPassword;
  return out;
}

/** Arguments of {@link ReplicationLayer}. */
export interface ReplicationLayerArgs {
  /** The resolved deployment (its `replication.preCreatedStreams` were planned at validation). */
  resolved: ReplicatingDeployment;
  vcnId: pulumi.Input<string>;
  mirrorMakerSubnetId: pulumi.Input<string>;
  oracleServicesCidr: pulumi.Input<string>;
  localStreamPoolId: pulumi.Input<string>;
  localBootstrapServers: pulumi.Input<string>;
}

/**
 * The replication layer of one region: the Connect harness (MM2's worker storage), MM2's own
 * topics and the remote copies created up front as streams, the credentials in Vault, and the
 * MM2 fleet whose cloud-init renders `mm2.properties`.
 */
export class ReplicationLayer extends pulumi.ComponentResource {
  /** The Connect harness (MM2's worker storage), when the target is this region's pool. */
  public readonly connectHarnessId: pulumi.Output<string | undefined>;
  public readonly instanceIds: pulumi.Output<string[]>;
  public readonly privateIps: pulumi.Output<string[]>;
  public readonly bastionId: pulumi.Output<string | undefined>;
  /** Vault secret holding the auth token (an id; the content is never output). */
  public readonly tokenSecretId: pulumi.Output<string>;
  /** The rendered mm2.properties, with placeholders where secrets go at boot. */
  public readonly mm2Properties: pulumi.Output<string>;
  /** The rendered `#cloud-config` user-data of every node (no secret inside). */
  public readonly userData: pulumi.Output<string>;
  /** The dynamic group of exactly the fleet's instances. */
  public readonly dynamicGroupId: pulumi.Output<string>;
  public readonly dynamicGroupName: pulumi.Output<string>;
  /** The bucket the nodes fetch the operator bundle from (monitoring on). */
  public readonly toolsBucketName: pulumi.Output<string | undefined>;
  /**
   * The prefix of this deployment's tenancy-wide IAM names: `replication.iamNamePrefix`, or
   * `<project>-<stack>` (lib/core/oci/iamNames.ts).
   */
  public readonly iamNamePrefix: string;
  /** Ids of the streams created for MM2, by name. */
  public readonly mm2StreamIds: pulumi.Output<Record<string, string>>;
  /** Where the nodes download Kafka (the verified release), and the CIDR their NSG allows for it. */
  public readonly kafkaDownload: {
    /** The release archive's URL. */
    url: string;
    /** The CIDR the fleet's NSG allows HTTPS to for it. */
    cidr: string;
  };

  constructor(name: string, args: ReplicationLayerArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("oci-geo-streaming:replication:ReplicationLayer", name, {}, opts);
    const r = args.resolved;
    const infra = r.replication;
    const rep = r.replication;
    const child = { parent: this, provider: opts.provider };
    const toLocal = infra.flow !== "local-to-external";
    const ext = r.externalKafka;

    // Worker storage: the Connect harness when the target is this pool; on an external target MM2
    // keeps its state in its own compacted topics there.
    const harness = toLocal
      ? new oci.streaming.ConnectHarness(
          `${name}-harness`,
          { compartmentId: r.compartmentId, name: `${name}-harness`, freeformTags: r.freeformTags },
          child,
        )
      : undefined;
    const streams = infra.preCreatedStreams.map(
      (s) =>
        [
          s.name,
          createStream(
            name,
            s,
            args.localStreamPoolId,
            r,
            s.retentionFixedAtCreation ? { ...child, ignoreChanges: ["retentionInHours"] } : child,
          ),
        ] as const,
    );
    this.mm2StreamIds = pulumi
      .all(streams.map(([, s]) => s.id))
      .apply((ids) => Object.fromEntries(ids.map((id, i) => [streams[i][0], id])));

    const pulls =
      infra.flow === "peer-to-local" ? (r.peer?.compartmentId ?? r.compartmentId) : r.compartmentId;
    // The IAM names are unique across the tenancy: this deployment's prefix tells them apart.
    this.iamNamePrefix = rep.iamNamePrefix ?? defaultIamNamePrefix(pulumi.getProject(), pulumi.getStack());
    const identityChecked = checkTenancyIdentity(rep.tenancyId, infra.identityDomains, {
      parent: this,
      provider: rep.homeRegionProvider,
    });
    const credentials = new MirrorMakerCredentials(
      `${name}-credentials`,
      {
        credentials: infra.credentials,
        tenancyId: rep.tenancyId,
        compartmentId: r.compartmentId,
        pullCompartmentIds: infra.flow === "external-to-local" ? [] : [pulls],
        pushCompartmentIds: toLocal ? [r.compartmentId] : [],
        connectHarnessId: harness?.id,
        homeRegionProvider: rep.homeRegionProvider,
        iamNamePrefix: this.iamNamePrefix,
        identityDomains: infra.identityDomains,
        identityChecked,
        vault: rep.vault,
        externalSecrets: ext && infra.flow !== "peer-to-local" ? externalSecretContents(ext) : undefined,
        freeformTags: r.freeformTags,
      },
      child,
    );

    const tenancyName =
      rep.tenancyName !== undefined
        ? pulumi.output(rep.tenancyName)
        : oci.identity.getTenancyOutput(
            { tenancyId: rep.tenancyId },
            { parent: this, provider: opts.provider },
          ).name;
    // The streams must exist before MM2 starts, or MM2 would try to create them (compacted).
    const placeholder = (v: string) => pulumi.output(v);
    const known: Record<Exclude<keyof ReplicationRuntimeValues, "external">, pulumi.Input<string>> = {
      tenancyName,
      userName: credentials.userName,
      secretId: credentials.secretId,
      localStreamPoolId: args.localStreamPoolId,
      localBootstrapServers: args.localBootstrapServers,
      connectHarnessId: harness?.id ?? placeholder(PLACEHOLDER_VALUES.connectHarnessId),
      peerStreamPoolId: r.peer?.streamPoolId ?? placeholder(PLACEHOLDER_VALUES.peerStreamPoolId),
      peerBootstrapServers: r.peer?.bootstrapServers ?? placeholder(PLACEHOLDER_VALUES.peerBootstrapServers),
    };
    const values = pulumi
      .all([pulumi.output(known), credentials.externalSecretIds, pulumi.all(streams.map(([, s]) => s.id))])
      .apply(([v, external]) => ({ ...v, external }) as unknown as ReplicationRuntimeValues);

    // Monitoring on: the operator bundle in this region's tools bucket, and the node's operations
    // input (metrics namespace, the bundle's object and SHA-256) in its user-data.
    const tools = r.monitoring.enabled
      ? createToolsDelivery(
          name,
          {
            compartmentId: r.compartmentId,
            suffix: new random.RandomId(`${name}-tools-suffix`, { byteLength: 3 }, { parent: this }).hex,
            freeformTags: r.freeformTags,
          },
          child,
        )
      : undefined;
    const operations = tools
      ? pulumi
          .all([pulumi.output(r.compartmentId), tools.namespace, tools.bucketName])
          .apply(([compartmentId, namespace, bucket]) =>
            fleetOperationsInput(r, name, {
              compartmentId,
              tools: {
                namespace,
                bucket,
                object: tools.bundle.objectName,
                sha256: tools.bundle.sha256,
                version: tools.bundle.version,
              },
            }),
          )
      : pulumi.output(undefined);
    // One render of the nodes' configuration (lib/core/fleet), as the local rehearsal renders it.
    const config = pulumi
      .all([values, operations])
      .apply(([v, ops]) => renderFleetConfig(r, v, { operations: ops }));
    this.mm2Properties = config.apply((c) => c.mm2Properties);
    this.userData = config.apply((c) => c.userData);

    const fleet = new MirrorMakerFleet(
      `${name}-fleet`,
      {
        fleet: infra.fleet,
        compartmentId: r.compartmentId,
        tenancyId: rep.tenancyId,
        vcnId: args.vcnId,
        subnetId: args.mirrorMakerSubnetId,
        userData: this.userData,
        secretIds: credentials.allSecretIds,
        rules: {
          localStreamSubnetCidr: r.network.streamSubnetCidr,
          peerVcnCidr: infra.flow === "peer-to-local" ? r.peer?.vcnCidr : undefined,
          externalBrokers:
            ext && infra.flow !== "peer-to-local"
              ? { cidrs: ext.brokerCidrs, ports: ext.brokerPorts }
              : undefined,
          downloadCidr: infra.kafkaDownloadCidr ?? DEFAULTS.kafkaDownloadCidr,
          internalRestPort: infra.fleet.size > 1 ? DEFAULT_INTERNAL_REST_PORT : undefined,
        },
        oracleServicesCidr: args.oracleServicesCidr,
        mirrorMakerSubnetCidr: r.network.mirrorMakerSubnetCidr,
        bastionClientCidrs: infra.bastionClientCidrs,
        homeRegionProvider: rep.homeRegionProvider,
        iamNamePrefix: this.iamNamePrefix,
        identityDomains: infra.identityDomains,
        identityChecked,
        operations: r.monitoring.enabled,
        freeformTags: r.freeformTags,
      },
      // The nodes fetch the bundle at boot: it must be in the bucket before they start.
      { ...child, dependsOn: [...streams.map(([, s]) => s), ...(tools ? [tools.object] : [])] },
    );

    this.kafkaDownload = {
      url: kafkaDownloadUrl(infra.kafkaDownloadBaseUrl),
      cidr: infra.kafkaDownloadCidr ?? "0.0.0.0/0",
    };
    this.connectHarnessId = harness ? harness.id : pulumi.output(undefined);
    this.instanceIds = fleet.instanceIds;
    this.privateIps = fleet.privateIps;
    this.bastionId = fleet.bastionId;
    this.tokenSecretId = credentials.secretId;
    this.dynamicGroupId = fleet.dynamicGroupId;
    this.dynamicGroupName = fleet.dynamicGroupName;
    this.toolsBucketName = tools ? tools.bucketName : pulumi.output(undefined);
    this.registerOutputs({
      connectHarnessId: this.connectHarnessId,
      instanceIds: this.instanceIds,
      privateIps: this.privateIps,
      bastionId: this.bastionId,
      tokenSecretId: this.tokenSecretId,
      mm2Properties: this.mm2Properties,
      userData: this.userData,
      mm2StreamIds: this.mm2StreamIds,
      kafkaDownload: this.kafkaDownload,
      toolsBucketName: this.toolsBucketName,
    });
  }
}
