import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedArgs } from "../../core/config/resolved";
import { allServicesOf } from "../../core/config/providers";
import { requiredDrgRouteRules, RequiredDrgRouteRule } from "./drgRouting";
import { streamPoolIngressRules } from "./rules";

/** Arguments of {@link RegionalNetwork}: the validated arguments of the parent component. */
export interface RegionalNetworkArgs {
  resolved: ResolvedArgs;
  /** The region's Oracle services (`oci.core.getServices` through the region's provider). */
  services: pulumi.Input<oci.core.GetServicesResult["services"]>;
  /**
   * An OCI Bastion will target the MirrorMaker subnet. Its private endpoint has no NSG: the
   * subnet's security list must let it open SSH to the nodes (egress 22 within the subnet).
   */
  bastion?: boolean;
}

/** A security-list rule an adopted subnet's security list must gain. */
export interface RequiredSecurityListRule {
  subnet: "mirrorMaker";
  direction: "EGRESS";
  protocol: "TCP";
  /** Destination port. */
  port: number;
  /** Destination CIDR. */
  destination: string;
  /** What needs it. */
  reason: string;
}

/** The MirrorMaker subnet's security-list egress for the Bastion's endpoint: SSH to the nodes. */
export function bastionSecurityListRule(mirrorMakerSubnetCidr: string): RequiredSecurityListRule {
  return {
    subnet: "mirrorMaker",
    direction: "EGRESS",
    protocol: "TCP",
    port: 22,
    destination: mirrorMakerSubnetCidr,
    reason:
      "the OCI Bastion's private endpoint (no NSG of its own) opens SSH sessions to the MirrorMaker nodes",
  };
}

/**
 * One region's private network: VCN (or an adopted one), a private subnet for the stream pool
 * endpoint and one for the MirrorMaker fleet, NAT and Service gateways, route tables that send
 * the peer VCN (and the MirrorMaker subnet's on-premises CIDRs) through the DRG, the DRG with its VCN attachment and a remote peering connection
 * (peered to the primary's in the `dr` role), and the stream pool NSG. An adopted VCN may bring
 * its DRG (`network.existing.drgId`): the RPC goes on it, and no DRG or attachment is created.
 */
export class RegionalNetwork extends pulumi.ComponentResource {
  public readonly vcnId: pulumi.Output<string>;
  public readonly streamSubnetId: pulumi.Output<string>;
  public readonly mirrorMakerSubnetId: pulumi.Output<string>;
  public readonly drgId: pulumi.Output<string>;
  /** The VCN's attachment to the DRG; undefined with an adopted DRG (the VCN's owner attached it). */
  public readonly drgAttachmentId: pulumi.Output<string | undefined>;
  public readonly remotePeeringConnectionId: pulumi.Output<string>;
  public readonly streamPoolNsgId: pulumi.Output<string>;
  /** Oracle Services Network CIDR label (`all-<key>-services-in-oracle-services-network`), for NSG egress rules. */
  public readonly oracleServicesCidr: pulumi.Output<string>;
  /** Route rules an adopted VCN's route tables still need (empty when the VCN is created here). */
  public readonly requiredRouteRules: pulumi.Output<{ destination: string; target: string }[]>;
  /** Security-list rules an adopted VCN's MirrorMaker subnet still needs (empty when created here). */
  public readonly requiredSecurityListRules: pulumi.Output<RequiredSecurityListRule[]>;
  /** Routes an adopted DRG's route tables must hold (empty when the DRG is created here). */
  public readonly requiredDrgRouteRules: pulumi.Output<RequiredDrgRouteRule[]>;

  constructor(name: string, args: RegionalNetworkArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("oci-geo-streaming:network:RegionalNetwork", name, {}, opts);
    const r = args.resolved;
    const child = { parent: this, provider: opts.provider };
    const compartmentId = r.compartmentId;
    const freeformTags = r.freeformTags;

    const allServices = pulumi.output(args.services).apply(allServicesOf);
    this.oracleServicesCidr = allServices.cidrBlock;

    // An adopted VCN that already has a DRG keeps it: OCI attaches a VCN to one DRG at a time
    // (CreateDrgAttachment), and its IPSec or FastConnect ends on that DRG.
    const adoptedDrgId = r.network.mode === "adopt" ? r.network.existing?.drgId : undefined;
    const drg =
      adoptedDrgId === undefined
        ? new oci.core.Drg(`${name}-drg`, { compartmentId, displayName: `${name}-drg`, freeformTags }, child)
        : { id: pulumi.output(adoptedDrgId) };

    let vcnId: pulumi.Output<string>;
    let attachment: oci.core.DrgAttachment | undefined;
    const attach = (vcnId: pulumi.Input<string>) =>
      new oci.core.DrgAttachment(
        `${name}-drg-attachment`,
        {
          drgId: drg.id,
          displayName: `${name}-drg-attachment`,
          networkDetails: { id: vcnId, type: "VCN" },
          freeformTags,
        },
        child,
      );
    if (r.network.mode === "create") {
      const vcn = new oci.core.Vcn(
        `${name}-vcn`,
        {
          compartmentId,
          cidrBlocks: [r.network.vcnCidr],
          displayName: `${name}-vcn`,
          dnsLabel: r.network.dnsLabel,
          freeformTags,
        },
        child,
      );
      vcnId = vcn.id;
      // A route rule may target the DRG only once the DRG is attached to the VCN.
      attachment = attach(vcnId);
      // The VCN's default security list allows SSH from 0.0.0.0/0; take it over and empty it.
      new oci.core.DefaultSecurityList(
        `${name}-default-seclist`,
        {
          manageDefaultResourceId: vcn.defaultSecurityListId,
          displayName: `${name}-default-seclist (emptied)`,
          ingressSecurityRules: [],
          egressSecurityRules: [],
          freeformTags,
        },
        child,
      );
      const nat = new oci.core.NatGateway(
        `${name}-nat`,
        { compartmentId, vcnId, displayName: `${name}-nat`, blockTraffic: false, freeformTags },
        child,
      );
      const sgw = new oci.core.ServiceGateway(
        `${name}-sgw`,
        {
          compartmentId,
          vcnId,
          displayName: `${name}-sgw`,
          services: [{ serviceId: allServices.id }],
          freeformTags,
        },
        child,
      );
      const peerRoute = r.peer
        ? [{ destination: r.peer.vcnCidr, destinationType: "CIDR_BLOCK", networkEntityId: drg.id }]
        : [];
      // Only the MirrorMaker subnet reaches the on-premises brokers; the pool is never exposed there.
      const onPremRoutes = (r.onPremises?.cidrs ?? []).map((destination) => ({
        destination,
        destinationType: "CIDR_BLOCK",
        networkEntityId: drg.id,
      }));
      const streamRt = new oci.core.RouteTable(
        `${name}-stream-rt`,
        { compartmentId, vcnId, displayName: `${name}-stream-rt`, routeRules: peerRoute, freeformTags },
        { ...child, dependsOn: attachment ? [attachment] : [] },
      );
      const mmRt = new oci.core.RouteTable(
        `${name}-mm-rt`,
        {
          compartmentId,
          vcnId,
          displayName: `${name}-mm-rt`,
          routeRules: [
            ...peerRoute,
            ...onPremRoutes,
            {
              destination: allServices.cidrBlock,
              destinationType: "SERVICE_CIDR_BLOCK",
              networkEntityId: sgw.id,
            },
            { destination: "0.0.0.0/0", destinationType: "CIDR_BLOCK", networkEntityId: nat.id },
          ],
          freeformTags,
        },
        { ...child, dependsOn: attachment ? [attachment] : [] },
      );
      // Subnet security lists carry no rules: NSGs decide, port by port. The one exception: the
      // Bastion's private endpoint has no NSG, so its SSH egress is a (stateful) security-list rule.
      const mmSecList = args.bastion
        ? new oci.core.SecurityList(
            `${name}-mm-seclist`,
            {
              compartmentId,
              vcnId,
              displayName: `${name}-mm-seclist`,
              ingressSecurityRules: [],
              egressSecurityRules: [
                {
                  destination: r.network.mirrorMakerSubnetCidr,
                  destinationType: "CIDR_BLOCK",
                  protocol: "6",
                  stateless: false,
                  description: bastionSecurityListRule(r.network.mirrorMakerSubnetCidr).reason,
                  tcpOptions: { min: 22, max: 22 },
                },
              ],
              freeformTags,
            },
            child,
          )
        : undefined;
      const emptySecList = new oci.core.SecurityList(
        `${name}-empty-seclist`,
        {
          compartmentId,
          vcnId,
          displayName: `${name}-empty-seclist`,
          ingressSecurityRules: [],
          egressSecurityRules: [],
          freeformTags,
        },
        child,
      );
      const privateSubnet = (
        role: "stream" | "mm",
        cidr: string,
        dnsLabel: string,
        routeTableId: pulumi.Output<string>,
        securityListId: pulumi.Output<string>,
      ) =>
        new oci.core.Subnet(
          `${name}-${role}-subnet`,
          {
            compartmentId,
            vcnId,
            cidrBlock: cidr,
            displayName: `${name}-${role}-subnet`,
            dnsLabel,
            prohibitPublicIpOnVnic: true,
            prohibitInternetIngress: true,
            routeTableId,
            securityListIds: [securityListId],
            freeformTags,
          },
          child,
        );
      this.streamSubnetId = privateSubnet(
        "stream",
        r.network.streamSubnetCidr,
        "streams",
        streamRt.id,
        emptySecList.id,
      ).id;
      this.mirrorMakerSubnetId = privateSubnet(
        "mm",
        r.network.mirrorMakerSubnetCidr,
        "mm2",
        mmRt.id,
        (mmSecList ?? emptySecList).id,
      ).id;
      this.requiredRouteRules = pulumi.output([]);
      this.requiredSecurityListRules = pulumi.output([]);
    } else {
      const existing = r.network.existing!;
      vcnId = pulumi.output(existing.vcnId);
      attachment = adoptedDrgId === undefined ? attach(vcnId) : undefined;
      this.streamSubnetId = pulumi.output(existing.streamSubnetId);
      this.mirrorMakerSubnetId = pulumi.output(existing.mirrorMakerSubnetId);
      // The adopted subnets' security lists are their owner's: report the Bastion's one rule.
      this.requiredSecurityListRules = pulumi.output(
        args.bastion ? [bastionSecurityListRule(r.network.mirrorMakerSubnetCidr)] : [],
      );
      const destinations = [...(r.peer ? [r.peer.vcnCidr] : []), ...(r.onPremises?.cidrs ?? [])];
      this.requiredRouteRules =
        destinations.length === 0
          ? pulumi.output([])
          : drg.id.apply((drgId) => destinations.map((destination) => ({ destination, target: drgId })));
    }
    this.vcnId = vcnId;

    // The dr side requests the peering; the primary's RPC accepts it.
    const requestsPeering = r.role === "dr" && r.peer !== undefined;
    const rpc = new oci.core.RemotePeeringConnection(
      `${name}-rpc`,
      {
        compartmentId,
        drgId: drg.id,
        displayName: `${name}-rpc`,
        peerId: requestsPeering ? r.peer!.remotePeeringConnectionId : undefined,
        peerRegionName: requestsPeering ? r.peer!.region : undefined,
        freeformTags,
      },
      child,
    );

    const poolNsg = new oci.core.NetworkSecurityGroup(
      `${name}-stream-nsg`,
      { compartmentId, vcnId, displayName: `${name}-stream-nsg`, freeformTags },
      child,
    );
    for (const rule of streamPoolIngressRules(r)) {
      new oci.core.NetworkSecurityGroupSecurityRule(
        `${name}-stream-nsg-${rule.key}`,
        {
          networkSecurityGroupId: poolNsg.id,
          direction: "INGRESS",
          protocol: "6",
          source: rule.sourceCidr,
          sourceType: "CIDR_BLOCK",
          stateless: false,
          description: rule.description,
          tcpOptions: { destinationPortRange: { min: rule.port, max: rule.port } },
        },
        child,
      );
    }

    this.drgId = drg.id;
    this.drgAttachmentId = attachment ? attachment.id : pulumi.output(undefined);
    const virtualCircuitId =
      r.onPremises?.connectivity.kind === "fastConnect"
        ? r.onPremises.connectivity.virtualCircuitId
        : undefined;
    this.requiredDrgRouteRules =
      adoptedDrgId === undefined
        ? pulumi.output([])
        : pulumi
            .all([drg.id, vcnId, rpc.id, virtualCircuitId])
            .apply(([drgId, vcn, remotePeeringConnectionId, vc]) =>
              requiredDrgRouteRules(r, {
                drgId,
                vcnId: vcn,
                remotePeeringConnectionId,
                virtualCircuitId: vc,
              }),
            );
    this.remotePeeringConnectionId = rpc.id;
    this.streamPoolNsgId = poolNsg.id;
    this.registerOutputs({
      vcnId: this.vcnId,
      streamSubnetId: this.streamSubnetId,
      mirrorMakerSubnetId: this.mirrorMakerSubnetId,
      drgId: this.drgId,
      drgAttachmentId: this.drgAttachmentId,
      remotePeeringConnectionId: this.remotePeeringConnectionId,
      streamPoolNsgId: this.streamPoolNsgId,
      oracleServicesCidr: this.oracleServicesCidr,
      requiredRouteRules: this.requiredRouteRules,
      requiredSecurityListRules: this.requiredSecurityListRules,
      requiredDrgRouteRules: this.requiredDrgRouteRules,
    });
  }
}
