import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import {
  GeoReplicatedStreamArgs,
  PeerArgs,
  PeeringBundle,
  PeerReplicationInfo,
  Role,
} from "../core/config/args";
import { resolveDeployment, ResolveOptions } from "../core/config/validate";
import { ResolvedDeployment, ResolvedReplication } from "../core/config/resolved";
import { assertProviderRegion, checkRegionProvider } from "../core/config/providers";
import { replicationLayerName } from "../core/fleet";
import { dnsPlan } from "./dns/dnsPlan";
import { PrivateDns, RequiredDnsRule } from "./dns/privateDns";
import { OnPremConnectivity } from "./network/onPremConnectivity";
import { gateResources } from "./network/providerRegion";
import { RequiredDrgRouteRule } from "./network/drgRouting";
import { RegionalNetwork, RequiredSecurityListRule } from "./network/regionalNetwork";
import { ReplicationLayer } from "./replication/replicationLayer";
import { Monitoring } from "./monitoring/monitoring";
import { readAdoptedPool } from "./streaming/adoptedPool";
import { StreamingSite } from "./streaming/streamingSite";
import { RequiredPoolIngressRule } from "../core/config/adoptedPool";

/** Pulumi type token of the component. */
export const GEO_REPLICATED_STREAM_TYPE = "oci-geo-streaming:index:GeoReplicatedStream";

/** The validated arguments: the resolved deployment the component builds from. */
export type ValidatedArgs = ResolvedDeployment;

/**
 * Every check the component makes before registering anything, as a pure function: programs can
 * call it before they create their providers. With `providersPending`, a missing
 * `replication.homeRegionProvider` is accepted (the caller creates it after validation). The
 * checks themselves live in lib/core/config ({@link resolveDeployment}).
 */
export function validateGeoReplicatedStreamArgs(
  args: GeoReplicatedStreamArgs,
  options: ResolveOptions = {},
): ValidatedArgs {
  return resolveDeployment(args, options);
}

/**
 * One region of a geo-replicated OCI Streaming deployment: its private network, DRG and remote
 * peering, and its private stream pool with the declared streams. Create one per region, each
 * with that region's `oci.Provider` (`opts.provider`); the `dr` instance takes the primary's
 * `peering` bundle (or {@link asPeer} in the same program) as `args.peer`.
 *
 * All arguments are validated before anything is registered: bad input throws a
 * `ValidationError` naming the field and the fix.
 */
export class GeoReplicatedStream extends pulumi.ComponentResource {
  public readonly role: Role;
  public readonly region: string;
  public readonly vcnId: pulumi.Output<string>;
  public readonly vcnCidr: string;
  public readonly streamSubnetId: pulumi.Output<string>;
  public readonly streamSubnetCidr: string;
  public readonly mirrorMakerSubnetId: pulumi.Output<string>;
  public readonly mirrorMakerSubnetCidr: string;
  public readonly drgId: pulumi.Output<string>;
  public readonly remotePeeringConnectionId: pulumi.Output<string>;
  public readonly streamPoolId: pulumi.Output<string>;
  public readonly endpointFqdn: pulumi.Output<string>;
  public readonly bootstrapServers: pulumi.Output<string>;
  public readonly streamIds: pulumi.Output<Record<string, string>>;
  /** Routes an adopted VCN's route tables must gain (empty when the VCN is created here). */
  public readonly requiredRouteRules: pulumi.Output<{ destination: string; target: string }[]>;
  /** Resolver rules an adopted VCN's resolver must gain (empty when the VCN is created here). */
  public readonly requiredDnsRules: pulumi.Output<RequiredDnsRule[]>;
  /** Security-list rules an adopted VCN's MirrorMaker subnet must gain (empty when created here). */
  public readonly requiredSecurityListRules: pulumi.Output<RequiredSecurityListRule[]>;
  /** Routes an adopted DRG's route tables must hold (empty when the DRG is created here). */
  public readonly requiredDrgRouteRules: pulumi.Output<RequiredDrgRouteRule[]>;
  /** The Kafka ingress an adopted pool's NSGs must allow for the fleets (empty for a created pool). */
  public readonly requiredStreamPoolIngressRules: pulumi.Output<RequiredPoolIngressRule[]>;
  /**
   * The private IP of this region's DNS listening endpoint: the peer's resolver rules forward this
   * pool's FQDN there, and an on-premises DNS server conditionally forwards it there. Undefined
   * when nothing outside this VCN needs the pool's name (no peer, no on-premises networks).
   */
  public readonly dnsListenerIp: pulumi.Output<string | undefined>;
  /** Everything the other region's instance needs: pass it as its `peer` (through a StackReference across stacks). */
  public readonly peering: pulumi.Output<PeeringBundle>;
  /** The replication layer, when this region runs MirrorMaker (`replication.enabled`). */
  public readonly replication?: ReplicationLayer;
  /** The Notifications topic, alarms and (with MirrorMaker) logs and policies, unless `monitoring.enabled` is false. */
  public readonly monitoring?: Monitoring;
  /** The IPSec VPN or FastConnect link to the on-premises networks, when `onPremises` is set. */
  public readonly onPremises?: OnPremConnectivity;

  private readonly resolved: ResolvedDeployment;
  private readonly hasDnsListener: boolean;

  constructor(name: string, args: GeoReplicatedStreamArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // Validate first: a ValidationError here leaves nothing registered.
    const resolved = resolveDeployment(args, { componentName: name });
    const infra = resolved.replication;
    checkRegionProvider(opts, resolved.region);
    // Every resource below waits for the provider's region to be confirmed (see gate).
    const gate: { checked?: pulumi.Output<pulumi.Resource[]> } = {};
    super(
      GEO_REPLICATED_STREAM_TYPE,
      name,
      {},
      {
        ...opts,
        transformations: [...(opts.transformations ?? []), gateResources(() => gate.checked)],
      },
    );
    this.resolved = resolved;
    const child = { parent: this, provider: opts.provider };

    // The region the provider answers for, read from OCI (a provider does not expose its inputs,
    // and may take its region from ~/.oci/config): a mismatch fails the deployment before any
    // resource of this component is created.
    const services = oci.core.getServicesOutput({}, { parent: this, provider: opts.provider }).services;
    // The subscription URLs are secrets, checked once known (validateMonitoring): a bad one, like a
    // wrong region, stops every registration of the component.
    const urlsChecked = resolved.monitoring.enabled
      ? resolved.monitoring.subscriptions.map((s) => pulumi.output(s.endpoint).apply(() => true))
      : [];
    // An adopted pool is read and checked (private, its endpoint in this VCN) before anything is
    // registered, as bad input is.
    const adoptedPool = readAdoptedPool(resolved, { parent: this, provider: opts.provider });
    gate.checked = pulumi.all([services, pulumi.all(urlsChecked), adoptedPool?.checked]).apply(([list]) => {
      assertProviderRegion(list, resolved.region, "opts.provider");
      return [];
    });

    const network = new RegionalNetwork(
      `${name}-network`,
      { resolved, services, bastion: infra?.enabled === true && infra.bastionClientCidrs.length > 0 },
      child,
    );
    if (resolved.onPremises) {
      this.onPremises = new OnPremConnectivity(
        `${name}-onprem`,
        {
          onPremises: resolved.onPremises,
          compartmentId: resolved.compartmentId,
          drgId: network.drgId,
          freeformTags: resolved.freeformTags,
        },
        child,
      );
    }
    const site = new StreamingSite(
      `${name}-streaming`,
      {
        resolved,
        streamSubnetId: network.streamSubnetId,
        streamPoolNsgId: network.streamPoolNsgId,
        adopted: adoptedPool,
      },
      child,
    );

    const dns = dnsPlan(resolved);
    const privateDns =
      dns.listener || dns.forwards.length > 0
        ? new PrivateDns(
            `${name}-dns`,
            {
              plan: dns,
              compartmentId: resolved.compartmentId,
              vcnId: network.vcnId,
              subnetId: network.mirrorMakerSubnetId,
              manageResolver: resolved.network.mode === "create",
              freeformTags: resolved.freeformTags,
            },
            child,
          )
        : undefined;

    if (infra?.enabled) {
      this.replication = new ReplicationLayer(
        replicationLayerName(name),
        {
          resolved: { ...resolved, replication: infra },
          vcnId: network.vcnId,
          mirrorMakerSubnetId: network.mirrorMakerSubnetId,
          oracleServicesCidr: network.oracleServicesCidr,
          localStreamPoolId: site.streamPoolId,
          localBootstrapServers: site.bootstrapServers,
        },
        child,
      );
    }

    if (resolved.monitoring.enabled) {
      const layer = this.replication;
      this.monitoring = new Monitoring(
        `${name}-monitoring`,
        {
          monitoring: resolved.monitoring,
          compartmentId: resolved.compartmentId,
          poolLabel: `${name} (${resolved.region})`,
          freeformTags: resolved.freeformTags,
          fleet:
            layer && infra?.enabled
              ? {
                  deployment: replicationLayerName(name),
                  tenancyId: infra.tenancyId,
                  homeRegionProvider: infra.homeRegionProvider,
                  iamNamePrefix: layer.iamNamePrefix,
                  identityDomains: infra.identityDomains,
                  dynamicGroupId: layer.dynamicGroupId,
                  dynamicGroupName: layer.dynamicGroupName,
                  toolsBucketName: layer.toolsBucketName as pulumi.Output<string>,
                  instanceIds: layer.instanceIds,
                  fleetSize: infra.fleet.size,
                }
              : undefined,
        },
        child,
      );
    }

    this.role = resolved.role;
    this.region = resolved.region;
    this.vcnId = network.vcnId;
    this.vcnCidr = resolved.network.vcnCidr;
    this.streamSubnetId = network.streamSubnetId;
    this.streamSubnetCidr = resolved.network.streamSubnetCidr;
    this.mirrorMakerSubnetId = network.mirrorMakerSubnetId;
    this.mirrorMakerSubnetCidr = resolved.network.mirrorMakerSubnetCidr;
    this.drgId = network.drgId;
    this.remotePeeringConnectionId = network.remotePeeringConnectionId;
    this.streamPoolId = site.streamPoolId;
    this.endpointFqdn = site.endpointFqdn;
    this.bootstrapServers = site.bootstrapServers;
    this.streamIds = site.streamIds;
    this.requiredRouteRules = network.requiredRouteRules;
    this.requiredSecurityListRules = network.requiredSecurityListRules;
    this.requiredDrgRouteRules = network.requiredDrgRouteRules;
    this.requiredStreamPoolIngressRules = site.requiredStreamPoolIngressRules;
    this.requiredDnsRules = privateDns ? privateDns.requiredDnsRules : pulumi.output([]);
    this.dnsListenerIp = privateDns ? privateDns.listenerIp : pulumi.output(undefined);
    this.hasDnsListener = dns.listener !== undefined;
    this.peering = pulumi.output({
      role: resolved.role,
      region: resolved.region,
      compartmentId: resolved.compartmentId,
      vcnCidr: resolved.network.vcnCidr,
      mirrorMakerSubnetCidr: resolved.network.mirrorMakerSubnetCidr,
      remotePeeringConnectionId: this.remotePeeringConnectionId,
      streamPoolId: this.streamPoolId,
      bootstrapServers: this.bootstrapServers,
      endpointFqdn: this.endpointFqdn,
      dnsListenerIp: this.dnsListenerIp,
      streams: resolved.streams,
      replication: this.replicationInfo(infra),
    }) as pulumi.Output<PeeringBundle>;

    this.registerOutputs(this.outputs());
  }

  /** The public outputs, as registered and as the repo's program exports them. */
  public outputs(): Record<string, pulumi.Input<unknown>> {
    return {
      role: this.role,
      region: this.region,
      vcnId: this.vcnId,
      vcnCidr: this.vcnCidr,
      streamSubnetId: this.streamSubnetId,
      streamSubnetCidr: this.streamSubnetCidr,
      mirrorMakerSubnetId: this.mirrorMakerSubnetId,
      mirrorMakerSubnetCidr: this.mirrorMakerSubnetCidr,
      drgId: this.drgId,
      remotePeeringConnectionId: this.remotePeeringConnectionId,
      streamPoolId: this.streamPoolId,
      endpointFqdn: this.endpointFqdn,
      bootstrapServers: this.bootstrapServers,
      streamIds: this.streamIds,
      requiredRouteRules: this.requiredRouteRules,
      requiredDnsRules: this.requiredDnsRules,
      requiredSecurityListRules: this.requiredSecurityListRules,
      requiredDrgRouteRules: this.requiredDrgRouteRules,
      requiredStreamPoolIngressRules: this.requiredStreamPoolIngressRules,
      dnsListenerIp: this.dnsListenerIp,
      peering: this.peering,
      ...(this.monitoring
        ? {
            monitoring: {
              topicId: this.monitoring.topicId,
              alarmIds: this.monitoring.alarmIds,
              logId: this.monitoring.logId,
              toolsBucketName: this.monitoring.toolsBucketName,
            },
          }
        : {}),
      ...(this.onPremises ? { onPremises: this.onPremisesOutput(this.onPremises) } : {}),
      ...(this.resolved.externalKafka
        ? {
            externalKafka: {
              alias: this.resolved.externalKafka.alias,
              bootstrapServers: this.resolved.externalKafka.bootstrapServers,
              brokerCidrs: this.resolved.externalKafka.brokerCidrs,
              brokerPorts: this.resolved.externalKafka.brokerPorts,
            },
          }
        : {}),
      ...(this.replication
        ? {
            connectHarnessId: this.replication.connectHarnessId,
            mm2InstanceIds: this.replication.instanceIds,
            mm2PrivateIps: this.replication.privateIps,
            bastionId: this.replication.bastionId,
            tokenSecretId: this.replication.tokenSecretId,
            mm2StreamIds: this.replication.mm2StreamIds,
            mm2Properties: this.replication.mm2Properties,
            userData: this.replication.userData,
            kafkaDownload: this.replication.kafkaDownload,
          }
        : {}),
    };
  }

  /**
   * This instance as the `peer` argument of the other region's instance in the same program:
   * plain CIDRs and region (validated up front), ids as Outputs.
   */
  public asPeer(): PeerArgs {
    return {
      region: this.region,
      compartmentId: this.resolved.compartmentId,
      vcnCidr: this.vcnCidr,
      mirrorMakerSubnetCidr: this.mirrorMakerSubnetCidr,
      remotePeeringConnectionId: this.remotePeeringConnectionId,
      streamPoolId: this.streamPoolId,
      bootstrapServers: this.bootstrapServers,
      endpointFqdn: this.endpointFqdn,
      // Without a listener (no peer here) the other region cannot resolve this pool: left unset,
      // so that its validation says so.
      dnsListenerIp: this.hasDnsListener ? (this.dnsListenerIp as pulumi.Output<string>) : undefined,
      streams: this.resolved.streams,
      replication: this.replicationInfo(this.resolved.replication),
    };
  }

  private onPremisesOutput(c: OnPremConnectivity): Record<string, pulumi.Input<unknown>> {
    return c.kind === "ipsec"
      ? {
          kind: c.kind,
          cidrs: this.resolved.onPremises!.cidrs,
          ...this.onPremisesDns(),
          cpeId: c.cpeId,
          ipsecConnectionId: c.ipsecConnectionId,
          vpnTunnels: c.vpnTunnels,
        }
      : {
          kind: c.kind,
          cidrs: this.resolved.onPremises!.cidrs,
          ...this.onPremisesDns(),
          virtualCircuitId: c.virtualCircuitId,
          virtualCircuitState: c.virtualCircuitState,
          virtualCircuitGatewayId: c.virtualCircuitGatewayId,
        };
  }

  /** The on-premises DNS server and its domains (forwarded to from here; it forwards the pool's FQDN to `dnsListenerIp`). */
  private onPremisesDns(): Record<string, unknown> {
    const dns = this.resolved.onPremises?.dns;
    return dns ? { dnsServerIp: dns.serverIp, dnsDomains: dns.domains } : {};
  }

  private replicationInfo(infra: ResolvedReplication | undefined): PeerReplicationInfo {
    return {
      enabled: infra?.enabled === true && infra.flow === "peer-to-local",
      replicationPolicy: infra?.replicationPolicy ?? "prefixed",
    };
  }
}
