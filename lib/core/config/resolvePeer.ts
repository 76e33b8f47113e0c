/** Step 3 of the validation (./validate.ts): the peer region's bundle. */
import { ValidationError } from "../errors";
import { contains, parseCidr } from "../cidr";
import { PeerArgs, Role } from "./args";
import { resolveStreams, validateCidr, validateRegion } from "./primitives";
import type { ResolvedNetwork } from "./resolved";
import { requireDisjoint, requireInside } from "./resolveNetwork";

/** Validates the peer bundle (required for the dr role) against this region and network. */
export function resolvePeer(
  role: Role,
  region: string,
  network: ResolvedNetwork,
  peer: PeerArgs | undefined,
): PeerArgs | undefined {
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
  requireListenerInside(peer.dnsListenerIp, peerVcn);
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
 * The peer's DNS listening endpoint, when given as a plain value, lies in the peer's VCN: the
 * forwarding rule for the peer pool's private FQDN points at it, and an address outside the VCN
 * would answer nothing (an Output is known only later and checked by OCI then).
 */
function requireListenerInside(
  ip: PeerArgs["dnsListenerIp"],
  peerVcn: ReturnType<typeof validateCidr>,
): void {
  if (typeof ip !== "string" || ip === "") return;
  const host = parseCidr(`${ip}/32`);
  if (typeof host === "string") {
    throw new ValidationError(
      "peer.dnsListenerIp",
      `${JSON.stringify(ip)} is not an IPv4 address. Give the peer's DNS listening endpoint address (its peering output's dnsListenerIp)`,
    );
  }
  if (!contains(peerVcn, host)) {
    throw new ValidationError(
      "peer.dnsListenerIp",
      `${ip} is not inside peer.vcnCidr ${peerVcn.text}: the DNS forwarding rule for the peer pool's name would point at an address no listener answers on. Give the peer's DNS listening endpoint (in its VCN; the peering output carries it), or correct peer.vcnCidr`,
    );
  }
}
