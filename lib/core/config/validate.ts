import { ValidationError } from "../errors";
import { Cidr, contains, mustParseCidr, overlaps, subnet } from "../cidr";
import { regionAlias } from "../oci/regions";
import { GeoReplicatedStreamArgs, NetworkArgs, PeerArgs, Role, StreamPoolArgs } from "./args";
import {
  refuseUnsetModeKeys,
  ResolvedStream,
  resolveStreams,
  validateCidr,
  validateRegion,
  validateRetention,
} from "./primitives";
import { checkArgTypes } from "./argTypes";
import { resolveMonitoring, ResolvedMonitoring } from "./validateMonitoring";
import { DEFAULTS } from "./settings";
import {
  resolveExternalKafka,
  ResolvedExternalKafka,
  ResolvedOnPremises,
  resolveOnPremises,
} from "./validateExternal";

/**
 * Pure validation of {@link GeoReplicatedStreamArgs}. Every check throws a {@link ValidationError}
 * naming the field and the fix; the component calls {@link resolveArgs} before it registers
 * anything, so bad input never leaves a half-built deployment behind.
 */

const DNS_LABEL_PATTERN = /^[A-Za-z][A-Za-z0-9]{0,14}$/;
/**
 * Prefix lengths OCI accepts for a VCN's CIDR block and for a subnet (Networking overview: "The
 * allowable VCN size range is /16 to /30"; a /30 subnet is the smallest).
 */
const OCI_PREFIX = { min: 16, max: 30 };
/** What an OCID looks like, for hints: it passes {@link OCID_PATTERN} (a test checks). */
export const EXAMPLE_COMPARTMENT_OCID = "ocid1.compartment.oc1..aaaaaaaaexamplecompartmentuniqueid";
export const OCID_PATTERN = /^ocid1\.[a-z0-9]+\.[a-z0-9-]*\.[a-z0-9-]*\.[A-Za-z0-9._-]+$/;

/** The network with defaults applied and CIDRs known. */
export interface ResolvedNetwork {
  mode: "create" | "adopt";
  vcnCidr: string;
  streamSubnetCidr: string;
  mirrorMakerSubnetCidr: string;
  dnsLabel: string;
  existing?: NetworkArgs["existing"];
}

/** Arguments after validation and defaults. */
export interface ResolvedArgs {
  role: Role;
  region: string;
  compartmentId: GeoReplicatedStreamArgs["compartmentId"];
  network: ResolvedNetwork;
  streamPool: Required<
    Pick<StreamPoolArgs, "autoCreateTopics" | "defaultPartitions" | "defaultRetentionHours">
  > &
    Omit<StreamPoolArgs, "autoCreateTopics" | "defaultPartitions" | "defaultRetentionHours">;
  streams: ResolvedStream[];
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

function requireInside(field: string, inner: Cidr, outerField: string, outer: Cidr): void {
  if (!contains(outer, inner)) {
    throw new ValidationError(
      field,
      `${inner.text} is not inside ${outerField} ${outer.text}. Choose a block within the VCN`,
    );
  }
}

function requireDisjoint(field: string, a: Cidr, otherField: string, b: Cidr): void {
  if (overlaps(a, b)) {
    throw new ValidationError(
      field,
      `${a.text} overlaps ${otherField} ${b.text}. Peered networks and sibling subnets need non-overlapping CIDRs`,
    );
  }
}

function requirePrefix(field: string, cidr: Cidr, min: number, max: number): void {
  if (cidr.prefix < min || cidr.prefix > max) {
    throw new ValidationError(
      field,
      `${cidr.text} has prefix /${cidr.prefix}; OCI accepts /${min} to /${max}`,
    );
  }
}

/** Validates the network arguments and fills in the default subnets. */
export function resolveNetwork(network: NetworkArgs | undefined, role: Role): ResolvedNetwork {
  if (!network) {
    throw new ValidationError(
      "network",
      "is required. Give network.vcnCidr to create a VCN, or network.existing",
    );
  }
  if (network.existing) {
    for (const key of ["vcnCidr", "streamSubnetCidr", "mirrorMakerSubnetCidr", "dnsLabel"] as const) {
      if (network[key] !== undefined) {
        throw new ValidationError(
          `network.${key}`,
          "cannot be set together with network.existing (that would adopt and create the same VCN). Put the existing VCN's CIDRs in network.existing, or drop network.existing to create a VCN",
        );
      }
    }
    const e = network.existing;
    for (const key of ["vcnId", "streamSubnetId", "mirrorMakerSubnetId"] as const) {
      if (e[key] === undefined || e[key] === "") {
        throw new ValidationError(
          `network.existing.${key}`,
          "is required when adopting a VCN. Give the OCID",
        );
      }
    }
    const vcn = validateCidr("network.existing.vcnCidr", e.vcnCidr);
    const streams = validateCidr("network.existing.streamSubnetCidr", e.streamSubnetCidr);
    const mm = validateCidr("network.existing.mirrorMakerSubnetCidr", e.mirrorMakerSubnetCidr);
    requireInside("network.existing.streamSubnetCidr", streams, "network.existing.vcnCidr", vcn);
    requireInside("network.existing.mirrorMakerSubnetCidr", mm, "network.existing.vcnCidr", vcn);
    requireDisjoint(
      "network.existing.mirrorMakerSubnetCidr",
      mm,
      "network.existing.streamSubnetCidr",
      streams,
    );
    return {
      mode: "adopt",
      vcnCidr: vcn.text,
      streamSubnetCidr: streams.text,
      mirrorMakerSubnetCidr: mm.text,
      dnsLabel: "",
      existing: e,
    };
  }
  if (network.vcnCidr === undefined) {
    throw new ValidationError(
      "network.vcnCidr",
      "is required. Give the CIDR of the VCN to create (e.g. 10.10.0.0/16), or network.existing to adopt one",
    );
  }
  const vcn = validateCidr("network.vcnCidr", network.vcnCidr);
  requirePrefix("network.vcnCidr", vcn, OCI_PREFIX.min, OCI_PREFIX.max);
  if (vcn.prefix >= OCI_PREFIX.max) {
    throw new ValidationError(
      "network.vcnCidr",
      `${vcn.text} is a /${vcn.prefix}: OCI accepts it as a VCN, but it cannot hold the two separate subnets this component needs (OCI's smallest subnet is a /${OCI_PREFIX.max}). Use a /${OCI_PREFIX.max - 1} or larger`,
    );
  }
  const half = Math.max(vcn.prefix + 1, 24);
  const streams =
    network.streamSubnetCidr !== undefined
      ? validateCidr("network.streamSubnetCidr", network.streamSubnetCidr)
      : subnet(vcn, half, 0);
  const mm =
    network.mirrorMakerSubnetCidr !== undefined
      ? validateCidr("network.mirrorMakerSubnetCidr", network.mirrorMakerSubnetCidr)
      : subnet(vcn, half, 1);
  requirePrefix("network.streamSubnetCidr", streams, OCI_PREFIX.min, OCI_PREFIX.max);
  requirePrefix("network.mirrorMakerSubnetCidr", mm, OCI_PREFIX.min, OCI_PREFIX.max);
  requireInside("network.streamSubnetCidr", streams, "network.vcnCidr", vcn);
  requireInside("network.mirrorMakerSubnetCidr", mm, "network.vcnCidr", vcn);
  requireDisjoint("network.mirrorMakerSubnetCidr", mm, "network.streamSubnetCidr", streams);
  const dnsLabel = network.dnsLabel ?? `geo${role}`;
  if (!DNS_LABEL_PATTERN.test(dnsLabel)) {
    throw new ValidationError(
      "network.dnsLabel",
      `"${dnsLabel}" is not a valid VCN DNS label. Use 1-15 letters and digits, starting with a letter`,
    );
  }
  return {
    mode: "create",
    vcnCidr: vcn.text,
    streamSubnetCidr: streams.text,
    mirrorMakerSubnetCidr: mm.text,
    dnsLabel,
  };
}

function resolveStreamPool(pool: StreamPoolArgs | undefined): ResolvedArgs["streamPool"] {
  const p = pool ?? {};
  refuseUnsetModeKeys(p, "streamPool.", {
    existingStreamPoolId: "creating a new stream pool",
    kmsKeyId: "Oracle-managed encryption keys",
  });
  if (p.existingStreamPoolId !== undefined) {
    for (const key of [
      "name",
      "kmsKeyId",
      "autoCreateTopics",
      "defaultPartitions",
      "defaultRetentionHours",
      "privateEndpointIp",
    ] as const) {
      if (p[key] !== undefined) {
        throw new ValidationError(
          `streamPool.${key}`,
          "configures a pool to create, but streamPool.existingStreamPoolId adopts one (adopting and creating the same pool). Drop one of the two",
        );
      }
    }
  }
  const defaultPartitions = p.defaultPartitions ?? DEFAULTS.partitions;
  if (!Number.isInteger(defaultPartitions) || defaultPartitions < 1) {
    throw new ValidationError(
      "streamPool.defaultPartitions",
      `${String(defaultPartitions)} is not a valid partition count. Use a whole number of at least 1`,
    );
  }
  const defaultRetentionHours = validateRetention(
    "streamPool.defaultRetentionHours",
    p.defaultRetentionHours ?? DEFAULTS.retentionHours,
  );
  return {
    ...p,
    autoCreateTopics: p.autoCreateTopics ?? DEFAULTS.autoCreateTopics,
    defaultPartitions,
    defaultRetentionHours,
  };
}

function resolvePeer(role: Role, region: string, network: ResolvedNetwork, peer: PeerArgs | undefined) {
  if (!peer) {
    if (role === "dr") {
      throw new ValidationError(
        "peer",
        "is required for the dr role. Pass the primary's peering bundle (primary.peering, or the primary stack's 'peering' output)",
      );
    }
    return undefined;
  }
  const peerRegion = validateRegion("peer.region", peer.region);
  if (peerRegion === region) {
    throw new ValidationError(
      "peer.region",
      `is ${region}, the same region as this instance. Cross-region DR needs the primary and dr in different regions`,
    );
  }
  const peerVcn = validateCidr("peer.vcnCidr", peer.vcnCidr);
  const peerMm = validateCidr("peer.mirrorMakerSubnetCidr", peer.mirrorMakerSubnetCidr);
  requireInside("peer.mirrorMakerSubnetCidr", peerMm, "peer.vcnCidr", peerVcn);
  requireDisjoint(
    "network.vcnCidr",
    validateCidr("network.vcnCidr", network.vcnCidr),
    "peer.vcnCidr",
    peerVcn,
  );
  if (
    role === "dr" &&
    (peer.remotePeeringConnectionId === undefined || peer.remotePeeringConnectionId === "")
  ) {
    throw new ValidationError(
      "peer.remotePeeringConnectionId",
      "is required for the dr role, which requests the cross-region peering. Pass the primary's remote peering connection OCID",
    );
  }
  // The normalised text (trimmed CIDRs, streams with their defaults) is what the resources get.
  return {
    ...peer,
    region: peerRegion,
    vcnCidr: peerVcn.text,
    mirrorMakerSubnetCidr: peerMm.text,
    ...(peer.streams !== undefined
      ? { streams: resolveStreams(peer.streams, Number.MAX_SAFE_INTEGER, "peer.streams") }
      : {}),
  };
}

/**
 * Validates every argument and applies defaults. Throws {@link ValidationError} on the first
 * problem. Pure: registers nothing and reads no Output.
 */
export function resolveArgs(args: GeoReplicatedStreamArgs): ResolvedArgs {
  if (!args || typeof args !== "object") {
    throw new ValidationError("args", "are required");
  }
  checkArgTypes(args);
  if (args.role !== "primary" && args.role !== "dr") {
    throw new ValidationError("role", `${JSON.stringify(args.role)} is not a role. Use "primary" or "dr"`);
  }
  const region = validateRegion("region", args.region);
  if (args.compartmentId === undefined || args.compartmentId === "") {
    throw new ValidationError("compartmentId", "is required. Give the OCID of the compartment to build in");
  }
  if (typeof args.compartmentId === "string" && !OCID_PATTERN.test(args.compartmentId)) {
    throw new ValidationError(
      "compartmentId",
      `"${args.compartmentId}" is not an OCID. Give the compartment's (or tenancy's) OCID as the Console copies it, e.g. ${EXAMPLE_COMPARTMENT_OCID}`,
    );
  }
  const partitionQuota = args.partitionQuota ?? DEFAULTS.partitionQuota;
  if (!Number.isInteger(partitionQuota) || partitionQuota < 1) {
    throw new ValidationError(
      "partitionQuota",
      `${String(partitionQuota)} is not a partition quota. Give your tenancy's partition limit as a whole number`,
    );
  }
  const network = resolveNetwork(args.network, args.role);
  const streamPool = resolveStreamPool(args.streamPool);
  const streams = resolveStreams(args.streams, partitionQuota);
  const peer = resolvePeer(args.role, region, network, args.peer);
  const ociCidrs = [{ field: "network.vcnCidr", cidr: mustParseCidr(network.vcnCidr) }];
  if (peer) {
    ociCidrs.push({ field: "peer.vcnCidr", cidr: mustParseCidr(peer.vcnCidr) });
  }
  const onPremises = resolveOnPremises(args.onPremises, ociCidrs);
  const aliases = [region, ...(peer ? [peer.region] : [])].map(regionAlias);
  const externalKafka = resolveExternalKafka(args.externalKafka, onPremises, aliases, partitionQuota);
  if (onPremises && !externalKafka) {
    throw new ValidationError(
      "externalKafka",
      "is required with onPremises: the on-premises connectivity exists for MirrorMaker to reach an external Kafka cluster. Add externalKafka, or remove onPremises",
    );
  }
  return {
    role: args.role,
    region,
    compartmentId: args.compartmentId,
    network,
    streamPool,
    streams,
    peer,
    partitionQuota,
    freeformTags: { ...(args.freeformTags ?? {}), "oci-geo-streaming": args.role },
    onPremises,
    externalKafka,
    monitoring: resolveMonitoring(args.monitoring),
  };
}
