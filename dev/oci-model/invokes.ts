/** The OCI model — data sources (invokes): availability domains, images, shapes, tenancy, regions, services, lookups. */
import type { InvokeContext, InvokeHandler, Obj } from "./handlerContext";
import { OCI_REGIONS, regionKey } from "../../lib/core/oci/regions";
import { applyFilters, listOf } from "./dataSourceFilters";
import { availabilityDomainNames, imagesIn, isArmShape, servicesIn, shapes } from "./ociCatalog";
import { hashHex, makeOcid, parseOcid } from "./ocid";
import { resolverIdOf } from "./services/dns";
import { mockHeadendIp } from "./services/onprem";
import { objectStorageNamespace } from "./services/objectStorage";

/** The tenancy's one Object Storage namespace (the same in every region and compartment). */
function getNamespace(ctx: InvokeContext): Obj {
  return { ...ctx.inputs, id: ctx.id, namespace: objectStorageNamespace(ctx.tenancySeed) };
}

function getAvailabilityDomains(ctx: InvokeContext): Obj {
  const { id, inputs: inp, region, filters, tenancySeed } = ctx;
  return {
    ...inp,
    id,
    availabilityDomains: applyFilters(
      availabilityDomainNames(region, tenancySeed).map((n) => ({
        name: n,
        id: makeOcid("availabilitydomain", undefined, `${tenancySeed}|${n}`),
        compartmentId: inp.compartmentId,
      })),
      filters,
    ),
  };
}

function getFaultDomains(ctx: InvokeContext): Obj {
  const { id, inputs: inp, region, filters, tenancySeed } = ctx;
  return {
    ...inp,
    id,
    faultDomains: applyFilters(
      [1, 2, 3].map((n) => ({
        name: `FAULT-DOMAIN-${n}`,
        id: makeOcid("faultdomain", region, `${tenancySeed}|${String(inp.availabilityDomain)}|${n}`),
        availabilityDomain: inp.availabilityDomain,
        compartmentId: inp.compartmentId,
      })),
      filters,
    ),
  };
}

function getImages(ctx: InvokeContext): Obj {
  const { id, inputs: inp, region, filters } = ctx;
  let images = imagesIn(region);
  if (typeof inp.shape === "string") {
    const arch = isArmShape(inp.shape) ? "aarch64" : "x86_64";
    images = images.filter((i) => i.arch === arch);
  }
  images = images.filter(
    (i) =>
      (inp.operatingSystem === undefined || i.operatingSystem === inp.operatingSystem) &&
      (inp.operatingSystemVersion === undefined || i.operatingSystemVersion === inp.operatingSystemVersion) &&
      (inp.displayName === undefined || i.displayName === inp.displayName),
  );
  if (inp.sortBy === "DISPLAYNAME") {
    images.sort((a, b) => a.displayName.localeCompare(b.displayName));
    if (inp.sortOrder !== "ASC") {
      images.reverse();
    }
  } else if (inp.sortOrder === "ASC") {
    images.reverse();
  }
  return {
    ...inp,
    id,
    images: applyFilters(
      images.map(({ arch, ...i }) => ({
        ...i,
        compartmentId: null,
        baseImageId: null,
        createImageAllowed: true,
        launchMode: "NATIVE",
        listingType: "NONE",
        sizeInMbs: "47694",
        billableSizeInGbs: arch === "aarch64" ? "4" : "3",
        state: "AVAILABLE",
        agentFeatures: [],
        launchOptions: [],
        imageSourceDetails: [],
      })),
      filters,
    ),
  };
}

function getShapes(ctx: InvokeContext): Obj {
  const { id, inputs: inp, filters } = ctx;
  return {
    ...inp,
    id,
    shapes: applyFilters(
      shapes().filter((s) => inp.shape === undefined || s.name === inp.shape),
      filters,
    ),
  };
}

function getTenancy(ctx: InvokeContext): Obj {
  const { inputs: inp } = ctx;
  return {
    id: inp.tenancyId,
    tenancyId: inp.tenancyId,
    name: ctx.model.opts.tenancyName ?? "mocktenancy",
    description: "Mock tenancy (offline plan)",
    homeRegionKey: regionKey(ctx.model.homeRegion()).toUpperCase(),
    definedTags: {},
    freeformTags: {},
    upiIdcsCompatibilityLayerEndpoint: "",
  };
}

function getRegionSubscriptions(ctx: InvokeContext): Obj {
  const { id, inputs: inp, region, filters } = ctx;
  const home = ctx.model.homeRegion();
  const regions = new Set<string>([
    home,
    ...(ctx.model.opts.subscribedRegions ?? []),
    ...ctx.model.regionsSeen,
    region,
  ]);
  return {
    ...inp,
    id,
    regionSubscriptions: applyFilters(
      [...regions].sort().map((r) => ({
        regionName: r,
        regionKey: regionKey(r).toUpperCase(),
        isHomeRegion: r === home,
        state: "READY",
        tenancyId: inp.tenancyId,
      })),
      filters,
    ),
  };
}

function getRegions(ctx: InvokeContext): Obj {
  const { id, filters } = ctx;
  return {
    id,
    regions: applyFilters(
      OCI_REGIONS.map((r) => ({ name: r, key: regionKey(r).toUpperCase() })),
      filters,
    ),
  };
}

function getServices(ctx: InvokeContext): Obj {
  const { id, region, filters } = ctx;
  return { id, services: applyFilters(servicesIn(region), filters) };
}

function getStreamPool(ctx: InvokeContext): Obj {
  const { inputs: inp, region } = ctx;
  const pool = ctx.model.describeExisting("oci:Streaming/streamPool:StreamPool", inp.streamPoolId, region);
  return {
    ...pool,
    id: inp.streamPoolId,
    streamPoolId: inp.streamPoolId,
    // Data sources return nested blocks as lists.
    kafkaSettings: listOf(pool.kafkaSettings),
    privateEndpointSettings: listOf(pool.privateEndpointSettings),
    customEncryptionKeys: listOf(pool.customEncryptionKey),
  };
}

function getStreamPools(ctx: InvokeContext): Obj {
  const { id, inputs: inp, region, filters } = ctx;
  const pools = [...ctx.model.known.entries()]
    .filter(([, k]) => k.type === "oci:Streaming/streamPool:StreamPool" && k.region === region)
    .map(([poolId, k]): Obj => ({ ...k.outputs, id: poolId }))
    .filter(
      (p) => (inp.name === undefined || p.name === inp.name) && (inp.id === undefined || p.id === inp.id),
    );
  return { ...inp, id, streamPools: applyFilters(pools, filters) };
}

function getIpsecConnectionTunnels(ctx: InvokeContext): Obj {
  const { id, inputs: inp, filters } = ctx;
  const ipsec = ctx.model.lookup(inp.ipsecId);
  if (ipsec?.type !== "oci:Core/ipsec:Ipsec") {
    throw new Error(`no IPSec connection ${String(inp.ipsecId)}`);
  }
  const cpe = ctx.model.lookup(ipsec.outputs.cpeId);
  const tunnels = [1, 2].map((n) => ({
    id: makeOcid("ipsectunnel", ipsec.region, `${String(inp.ipsecId)}|${n}`),
    ipsecId: inp.ipsecId,
    vpnIp: mockHeadendIp(`${String(inp.ipsecId)}|${n}`),
    cpeIp: cpe?.outputs.ipAddress,
    routing: "STATIC",
    ikeVersion: "V1",
    status: "DOWN",
    state: "AVAILABLE",
  }));
  return { ...inp, id, ipSecConnectionTunnels: applyFilters(tunnels, filters) };
}

function getVirtualCircuit(ctx: InvokeContext): Obj {
  const { inputs: inp, region } = ctx;
  return {
    ...ctx.model.describeExisting("oci:Core/virtualCircuit:VirtualCircuit", inp.virtualCircuitId, region),
    id: inp.virtualCircuitId,
    virtualCircuitId: inp.virtualCircuitId,
  };
}

function getVcn(ctx: InvokeContext): Obj {
  const { inputs: inp, region } = ctx;
  return {
    ...ctx.model.describeExisting("oci:Core/vcn:Vcn", inp.vcnId, region),
    id: inp.vcnId,
    vcnId: inp.vcnId,
  };
}

function getSubnet(ctx: InvokeContext): Obj {
  const { inputs: inp, region } = ctx;
  return {
    ...ctx.model.describeExisting("oci:Core/subnet:Subnet", inp.subnetId, region),
    id: inp.subnetId,
    subnetId: inp.subnetId,
  };
}

/** The VCN's private resolver (OCI creates it with the VCN; the data source waits until it is AVAILABLE). */
function getCnvDnsResolverAssociation(ctx: InvokeContext): Obj {
  const { inputs: inp, model, region } = ctx;
  const vcnId = inp.vcnId;
  if (typeof vcnId !== "string" || parseOcid(vcnId)?.kind !== "vcn") {
    throw new Error(`getCnvDnsResolverAssociation: vcnId ${String(vcnId)} is not a VCN OCID`);
  }
  const vcnRegion = model.lookup(vcnId)?.region ?? parseOcid(vcnId)?.region ?? region;
  return { id: vcnId, vcnId, dnsResolverId: resolverIdOf(model, vcnId, vcnRegion), state: "AVAILABLE" };
}

/**
 * The tenancy's identity domains. A tenancy with identity domains lists its Default domain; a
 * classic tenancy answers the Domains API with 404 (OCI's CIS report treats exactly that as
 * "identity domains disabled").
 */
function getDomains(ctx: InvokeContext): Obj {
  const { inputs: inp, model, id, filters } = ctx;
  if (!model.identityDomains) {
    throw new Error(
      "404-NotAuthorizedOrNotFound, Feature domain-migration-complete is not enabled for this tenancy",
    );
  }
  const home = model.homeRegion();
  const domain = {
    id: makeOcid("domain", home, `${model.tenancyId()}|Default`),
    compartmentId: inp.compartmentId,
    displayName: "Default",
    description: "Default identity domain",
    type: "DEFAULT",
    state: "ACTIVE",
    licenseType: "free",
    homeRegion: home,
    isPrimaryEmailRequired: true,
    url: `https://idcs-${hashHex(model.tenancyId(), 32)}.identity.oraclecloud.com:443`,
    homeRegionUrl: `https://idcs-${hashHex(model.tenancyId(), 32)}.identity.oraclecloud.com:443`,
  };
  const matches =
    (inp.displayName === undefined || inp.displayName === domain.displayName) &&
    (inp.type === undefined || inp.type === domain.type) &&
    (inp.state === undefined || inp.state === domain.state);
  return { ...inp, id, domains: applyFilters(matches ? [domain] : [], filters) };
}

/** Invoke handlers, by token. */
export const INVOKES: Record<string, InvokeHandler> = {
  "oci:Core/getCnvDnsResolverAssociation:getCnvDnsResolverAssociation": getCnvDnsResolverAssociation,
  "oci:Identity/getDomains:getDomains": getDomains,
  "oci:Identity/getAvailabilityDomains:getAvailabilityDomains": getAvailabilityDomains,
  "oci:Identity/getFaultDomains:getFaultDomains": getFaultDomains,
  "oci:Core/getImages:getImages": getImages,
  "oci:Core/getShapes:getShapes": getShapes,
  "oci:Identity/getTenancy:getTenancy": getTenancy,
  "oci:Identity/getRegionSubscriptions:getRegionSubscriptions": getRegionSubscriptions,
  "oci:Identity/getRegions:getRegions": getRegions,
  "oci:Core/getServices:getServices": getServices,
  "oci:Streaming/getStreamPool:getStreamPool": getStreamPool,
  "oci:Streaming/getStreamPools:getStreamPools": getStreamPools,
  "oci:Core/getIpsecConnectionTunnels:getIpsecConnectionTunnels": getIpsecConnectionTunnels,
  "oci:Core/getVirtualCircuit:getVirtualCircuit": getVirtualCircuit,
  "oci:Core/getVcn:getVcn": getVcn,
  "oci:Core/getSubnet:getSubnet": getSubnet,
  "oci:ObjectStorage/getNamespace:getNamespace": getNamespace,
};
