/** The OCI model — Networking: VCNs, subnets, gateways, route tables, NSGs, DRGs and remote peering. */
import type { Obj, ResourceContext, ResourceHandler } from "../handlerContext";
import { isKnownRegion } from "../../../lib/core/oci/regions";
import {
  addressAt,
  asCidr,
  type Cidr,
  contains,
  mustParseCidr,
  overlaps,
  parseCidr,
  size,
} from "../../../lib/core/cidr";
import { hashHex, parseOcid } from "../ocid";
import { resolverIdOf } from "./dns";

/** A VCN's or subnet's DNS label: 1-15 letters and digits, starting with a letter (OCI's rule). */
function checkDnsLabel(label: unknown, reject: (detail: string) => never): void {
  if (label === undefined || label === null) {
    return;
  }
  if (typeof label !== "string" || !/^[A-Za-z][A-Za-z0-9]{0,14}$/.test(label)) {
    reject(`dnsLabel '${String(label)}' must be 1-15 letters and digits, starting with a letter`);
  }
}

/** True when `text` is a valid block that overlaps `block` (a read subnet's state may hold anything). */
function overlapsParsed(text: string, block: Cidr): boolean {
  const other = asCidr(text);
  return other !== undefined && overlaps(other, block);
}

function vcn(ctx: ResourceContext): Obj {
  const { name, inputs: inp, region, read, seed, common, reject } = ctx;
  const cidrBlocks =
    (inp.cidrBlocks as string[] | undefined) ?? (inp.cidrBlock ? [inp.cidrBlock as string] : []);
  if (!read && cidrBlocks.length === 0) {
    reject("one of cidrBlock or cidrBlocks is required");
  }
  for (const c of cidrBlocks) {
    const parsed = parseCidr(c);
    if (typeof parsed === "string") {
      reject(`cidrBlock: ${parsed}`);
    }
  }
  checkDnsLabel(inp.dnsLabel, reject);
  // OCI creates the VCN's private DNS resolver with it (read through getCnvDnsResolverAssociation).
  resolverIdOf(ctx.model, ctx.id, region);
  return {
    ...common,
    cidrBlock: inp.cidrBlock ?? cidrBlocks[0],
    cidrBlocks,
    displayName: inp.displayName ?? name,
    defaultRouteTableId: ctx.model.ocid("routetable", region, `${seed}|default-rt`),
    defaultSecurityListId: ctx.model.ocid("securitylist", region, `${seed}|default-sl`),
    defaultDhcpOptionsId: ctx.model.ocid("dhcpoptions", region, `${seed}|default-dhcp`),
    vcnDomainName: inp.dnsLabel ? `${inp.dnsLabel}.oraclevcn.com` : undefined,
    ipv6cidrBlocks: [],
    byoipv6cidrBlocks: [],
    isIpv6enabled: inp.isIpv6enabled ?? false,
    state: "AVAILABLE",
  };
}

function subnet(ctx: ResourceContext): Obj {
  const { type, name, inputs: inp, read, seed, common, reject, sameRegion } = ctx;
  const vcn = sameRegion("vcnId", inp.vcnId);
  const cidr = inp.cidrBlock as string | undefined;
  const parsed = asCidr(cidr);
  if (!read && !parsed) {
    const why = cidr ? parseCidr(cidr) : "is required";
    reject(`cidrBlock${typeof why === "string" ? `: ${why}` : ""}`);
  }
  checkDnsLabel(inp.dnsLabel, reject);
  if (vcn && parsed && cidr) {
    const vcnCidrs = (vcn.outputs.cidrBlocks as string[] | undefined) ?? [];
    const inVcn = (v: string) => {
      const block = asCidr(v);
      return block !== undefined && contains(block, parsed);
    };
    if (vcnCidrs.length && !vcnCidrs.some(inVcn)) {
      reject(`cidrBlock ${cidr} is not within the VCN's CIDR blocks (${vcnCidrs.join(", ")})`);
    }
    for (const [otherId, other] of ctx.model.known) {
      if (
        otherId !== ctx.id &&
        other.type === type &&
        other.outputs.vcnId === inp.vcnId &&
        typeof other.outputs.cidrBlock === "string" &&
        overlapsParsed(other.outputs.cidrBlock, parsed)
      ) {
        reject(`cidrBlock ${cidr} overlaps subnet ${otherId} (${other.outputs.cidrBlock}) in the same VCN`);
      }
    }
  }
  const vcnLabel = vcn?.outputs.dnsLabel;
  const prohibitPublicIpOnVnic = inp.prohibitPublicIpOnVnic ?? inp.prohibitInternetIngress ?? false;
  return {
    ...common,
    displayName: inp.displayName ?? name,
    ipv4cidrBlocks: inp.ipv4cidrBlocks ?? (cidr ? [cidr] : undefined),
    routeTableId: inp.routeTableId ?? vcn?.outputs.defaultRouteTableId,
    securityListIds: inp.securityListIds ?? (vcn ? [vcn.outputs.defaultSecurityListId] : undefined),
    dhcpOptionsId: inp.dhcpOptionsId ?? vcn?.outputs.defaultDhcpOptionsId,
    prohibitPublicIpOnVnic,
    prohibitInternetIngress: inp.prohibitInternetIngress ?? prohibitPublicIpOnVnic,
    subnetDomainName: inp.dnsLabel && vcnLabel ? `${inp.dnsLabel}.${vcnLabel}.oraclevcn.com` : undefined,
    // OCI gives the subnet's first host address (.1) to the virtual router.
    virtualRouterIp: parsed ? addressAt(parsed, Math.min(1, size(parsed) - 1)) : undefined,
    virtualRouterMac: `00:00:17:${hashHex(seed, 6).match(/../g)?.join(":").toUpperCase()}`,
    state: "AVAILABLE",
  };
}

function drg(ctx: ResourceContext): Obj {
  const { name, inputs: inp, region, seed, common } = ctx;
  return {
    ...common,
    displayName: inp.displayName ?? name,
    // OCI creates two route tables: one for VCN attachments, one shared by RPC, VC and IPSec.
    defaultDrgRouteTables: [
      {
        vcn: ctx.model.ocid("drgroutetable", region, `${seed}|vcn`),
        remotePeeringConnection: ctx.model.ocid("drgroutetable", region, `${seed}|other`),
        virtualCircuit: ctx.model.ocid("drgroutetable", region, `${seed}|other`),
        ipsecTunnel: ctx.model.ocid("drgroutetable", region, `${seed}|other`),
      },
    ],
    defaultExportDrgRouteDistributionId: ctx.model.ocid("drgroutedistribution", region, `${seed}|export`),
    redundancyStatus: "NOT_AVAILABLE",
    state: "AVAILABLE",
  };
}

/**
 * The VCN attachment `vcnId` already has, other than the one being created or updated: one created
 * in this tenancy's run, or a pre-existing one (an OCID of kind `drgattachment` in `existing`).
 */
function vcnAttachmentOf(ctx: ResourceContext, vcnId: string): { id: string; drgId: string } | undefined {
  const self = ctx.id;
  const isVcnAttachment = (o: Obj) => {
    const nd = o.networkDetails as Obj | undefined;
    const target = (nd?.id as string | undefined) ?? (o.vcnId as string | undefined);
    return target === vcnId && (nd?.type === undefined || nd.type === "VCN");
  };
  for (const [id, k] of ctx.model.known) {
    if (id !== self && k.type === "oci:Core/drgAttachment:DrgAttachment" && isVcnAttachment(k.outputs)) {
      return { id, drgId: String(k.outputs.drgId) };
    }
  }
  for (const [id, o] of Object.entries(ctx.model.existingResources())) {
    if (id !== self && parseOcid(id)?.kind === "drgattachment" && isVcnAttachment(o)) {
      return { id, drgId: String(o.drgId) };
    }
  }
  return undefined;
}

function drgAttachment(ctx: ResourceContext): Obj {
  const { name, inputs: inp, common, reject, sameRegion } = ctx;
  const drg = sameRegion("drgId", inp.drgId);
  const nd = inp.networkDetails as Obj | undefined;
  const vcnId = (nd?.id as string | undefined) ?? (inp.vcnId as string | undefined);
  sameRegion("network vcn", vcnId);
  const other = vcnId ? vcnAttachmentOf(ctx, vcnId) : undefined;
  if (other) {
    // CreateDrgAttachment: "A VCN can be attached to only one DRG at a time, but a DRG can be
    // attached to more than one VCN."
    // https://docs.oracle.com/iaas/tools/oci-cli/latest/oci_cli_docs/cmdref/network/drg-attachment/create.html
    reject(
      `VCN ${vcnId} is already attached to DRG ${other.drgId} (attachment ${other.id}); a VCN can be attached to only one DRG at a time`,
    );
  }
  const tables = (drg?.outputs.defaultDrgRouteTables as Obj[] | undefined)?.[0];
  return {
    ...common,
    displayName: inp.displayName ?? name,
    compartmentId: drg?.outputs.compartmentId,
    drgRouteTableId: inp.drgRouteTableId ?? tables?.vcn,
    exportDrgRouteDistributionId:
      inp.exportDrgRouteDistributionId ?? drg?.outputs.defaultExportDrgRouteDistributionId,
    networkDetails: vcnId ? { type: "VCN", vcnRouteType: "SUBNET_CIDRS", ...(nd ?? {}), id: vcnId } : nd,
    vcnId,
    isCrossTenancy: false,
    state: "ATTACHED",
  };
}

function remotePeeringConnection(ctx: ResourceContext): Obj {
  const { name, inputs: inp, region, common, reject, sameRegion } = ctx;
  sameRegion("drgId", inp.drgId);
  const peerId = inp.peerId as string | undefined;
  const peerRegion = inp.peerRegionName as string | undefined;
  if (peerId) {
    if (!peerRegion) {
      reject("peerRegionName is required with peerId");
    }
    if (!isKnownRegion(peerRegion as string)) {
      reject(`peerRegionName '${peerRegion}' is not a known OCI region`);
    }
    if (peerRegion === region) {
      reject(`peerRegionName ${peerRegion} is this RPC's own region; remote peering connects two regions`);
    }
    const p = parseOcid(peerId);
    if (p && p.kind !== "remotepeeringconnection") {
      reject(`peerId ${peerId} is a ${p.kind} OCID, not a remote peering connection`);
    }
    if (p?.region && p.region !== peerRegion) {
      reject(`peerId ${peerId} is in ${p.region} but peerRegionName is ${peerRegion}`);
    }
  }
  const drg = ctx.model.lookup(inp.drgId);
  return {
    ...common,
    displayName: inp.displayName ?? name,
    compartmentId: inp.compartmentId ?? drg?.outputs.compartmentId,
    peeringStatus: peerId ? "PEERED" : "NEW",
    peeringStatusDetails: peerId ? "Connected to a peer" : "Not connected to a peer",
    isCrossTenancyPeering: false,
    peerTenancyId: peerId ? ctx.model.tenancyId() : undefined,
    state: "AVAILABLE",
  };
}

function networkSecurityGroup(ctx: ResourceContext): Obj {
  const { name, inputs: inp, common, sameRegion } = ctx;
  sameRegion("vcnId", inp.vcnId);
  return { ...common, displayName: inp.displayName ?? name, state: "AVAILABLE" };
}

function networkSecurityGroupSecurityRule(ctx: ResourceContext): Obj {
  const { inputs: inp, common, reject } = ctx;
  const dir = inp.direction;
  if (dir === "INGRESS" && !inp.source) {
    reject("an INGRESS rule needs source");
  }
  if (dir === "EGRESS" && !inp.destination) {
    reject("an EGRESS rule needs destination");
  }
  return {
    ...common,
    sourceType: inp.source ? (inp.sourceType ?? "CIDR_BLOCK") : undefined,
    destinationType: inp.destination ? (inp.destinationType ?? "CIDR_BLOCK") : undefined,
    stateless: inp.stateless ?? false,
    isValid: true,
  };
}

function natGateway(ctx: ResourceContext): Obj {
  const { name, inputs: inp, region, seed, common, sameRegion } = ctx;
  sameRegion("vcnId", inp.vcnId);
  return {
    ...common,
    displayName: inp.displayName ?? name,
    blockTraffic: inp.blockTraffic ?? false,
    natIp: addressAt(mustParseCidr("198.51.100.0/24"), 10 + (parseInt(hashHex(seed, 2), 16) % 200)),
    publicIpId: inp.publicIpId ?? ctx.model.ocid("publicip", region, `${seed}|natip`),
    state: "AVAILABLE",
  };
}

function serviceGateway(ctx: ResourceContext): Obj {
  const { name, inputs: inp, common, sameRegion } = ctx;
  sameRegion("vcnId", inp.vcnId);
  return { ...common, displayName: inp.displayName ?? name, blockTraffic: false, state: "AVAILABLE" };
}

function internetGateway(ctx: ResourceContext): Obj {
  const { name, inputs: inp, common, sameRegion } = ctx;
  sameRegion("vcnId", inp.vcnId);
  return {
    ...common,
    displayName: inp.displayName ?? name,
    enabled: inp.enabled ?? true,
    state: "AVAILABLE",
  };
}

function defaultRouteTable(ctx: ResourceContext): Obj {
  const { name, inputs: inp, region, common, reject } = ctx;
  const vcn = [...ctx.model.known.entries()].find(
    ([otherId, k]) =>
      otherId !== ctx.id && Object.values(k.outputs).some((v) => v === inp.manageDefaultResourceId),
  );
  if (vcn && vcn[1].region !== region) {
    reject(
      `manageDefaultResourceId belongs to VCN ${vcn[0]} in ${vcn[1].region}, this resource is in ${region}`,
    );
  }
  return {
    ...common,
    displayName: inp.displayName ?? name,
    compartmentId: inp.compartmentId ?? vcn?.[1].outputs.compartmentId,
    vcnId: vcn?.[0],
    state: "AVAILABLE",
  };
}

function routeTable(ctx: ResourceContext): Obj {
  const { name, inputs: inp, common, sameRegion } = ctx;
  sameRegion("vcnId", inp.vcnId);
  return { ...common, displayName: inp.displayName ?? name, state: "AVAILABLE" };
}

function drgRouteTable(ctx: ResourceContext): Obj {
  const { name, inputs: inp, common, sameRegion } = ctx;
  const drg = sameRegion("drgId", inp.drgId);
  return {
    ...common,
    displayName: inp.displayName ?? name,
    compartmentId: drg?.outputs.compartmentId,
    state: "AVAILABLE",
  };
}

function drgRouteTableRouteRule(_ctx: ResourceContext): Obj {
  return { isBlackhole: false, isConflict: false, routeProvenance: "STATIC", routeType: "STATIC" };
}

/** Resource handlers of this service, by type token. */
export const NETWORK: Record<string, ResourceHandler> = {
  "oci:Core/vcn:Vcn": vcn,
  "oci:Core/subnet:Subnet": subnet,
  "oci:Core/drg:Drg": drg,
  "oci:Core/drgAttachment:DrgAttachment": drgAttachment,
  "oci:Core/remotePeeringConnection:RemotePeeringConnection": remotePeeringConnection,
  "oci:Core/networkSecurityGroup:NetworkSecurityGroup": networkSecurityGroup,
  "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule":
    networkSecurityGroupSecurityRule,
  "oci:Core/natGateway:NatGateway": natGateway,
  "oci:Core/serviceGateway:ServiceGateway": serviceGateway,
  "oci:Core/internetGateway:InternetGateway": internetGateway,
  "oci:Core/defaultRouteTable:DefaultRouteTable": defaultRouteTable,
  "oci:Core/defaultSecurityList:DefaultSecurityList": defaultRouteTable,
  "oci:Core/defaultDhcpOptions:DefaultDhcpOptions": defaultRouteTable,
  "oci:Core/routeTable:RouteTable": routeTable,
  "oci:Core/securityList:SecurityList": routeTable,
  "oci:Core/dhcpOptions:DhcpOptions": routeTable,
  "oci:Core/drgRouteTable:DrgRouteTable": drgRouteTable,
  "oci:Core/drgRouteDistribution:DrgRouteDistribution": drgRouteTable,
  "oci:Core/drgRouteTableRouteRule:DrgRouteTableRouteRule": drgRouteTableRouteRule,
};
