/** Step 1 of the validation (./validate.ts): the network, its CIDRs and default subnets. */
import { ValidationError } from "../errors";
import { Cidr, contains, overlaps, subnet } from "../cidr";
import { NetworkArgs, Role } from "./args";
import { checkAdoptedDrg } from "./adoption";
import { validateCidr } from "./primitives";
import type { ResolvedNetwork } from "./resolved";

const DNS_LABEL_PATTERN = /^[A-Za-z][A-Za-z0-9]{0,14}$/;
/**
 * Prefix lengths OCI accepts for a VCN's CIDR block and for a subnet (Networking overview: "The
 * allowable VCN size range is /16 to /30"; a /30 subnet is the smallest).
 */
const OCI_PREFIX = { min: 16, max: 30 };

export function requireInside(field: string, inner: Cidr, outerField: string, outer: Cidr): void {
  if (!contains(outer, inner)) {
    throw new ValidationError(
      field,
      `${inner.text} is not inside ${outerField} ${outer.text}. Choose a block within the VCN`,
    );
  }
}

export function requireDisjoint(field: string, a: Cidr, otherField: string, b: Cidr): void {
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
    checkAdoptedDrg(e);
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
