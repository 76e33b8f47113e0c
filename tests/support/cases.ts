import { GeoReplicatedStreamArgs } from "../../lib/config/args";

/** Shared argument fixtures: a valid dr configuration and every way to break it. */
const COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaa5x2rdkq4vfu6r3jgiqdjvnqwz7xq7fnv3xhm3f2tkl4yc3e6lmoa";
const PRIMARY_RPC = "ocid1.remotepeeringconnection.oc1.eu-frankfurt-1.aaaaaaaarpc";

/** A valid dr configuration; each case below breaks one thing. */
export function validDr(): GeoReplicatedStreamArgs {
  return {
    role: "dr",
    region: "eu-amsterdam-1",
    compartmentId: COMPARTMENT,
    network: {
      vcnCidr: "10.20.0.0/16",
      streamSubnetCidr: "10.20.1.0/24",
      mirrorMakerSubnetCidr: "10.20.2.0/24",
    },
    streams: [
      { name: "orders", partitions: 6, retentionHours: 168 },
      { name: "payments", partitions: 3 },
    ],
    peer: {
      region: "eu-frankfurt-1",
      vcnCidr: "10.10.0.0/16",
      mirrorMakerSubnetCidr: "10.10.2.0/24",
      remotePeeringConnectionId: PRIMARY_RPC,
    },
  };
}

type Case = [title: string, mutate: (a: GeoReplicatedStreamArgs) => void, field: string, message: RegExp];

/** Every validation rule, with the field its error must name. */
export const INVALID_CASES: Case[] = [
  ["malformed region", (a) => (a.region = "Frankfurt"), "region", /not an OCI region name/],
  ["region key instead of name", (a) => (a.region = "FRA"), "region", /not a region key/],
  ["unknown region", (a) => (a.region = "eu-atlantis-1"), "region", /not a known OCI commercial region/],
  [
    "malformed peer region",
    (a) => (a.peer!.region = "eu_frankfurt_1"),
    "peer.region",
    /not an OCI region name/,
  ],
  ["peer region equals own region", (a) => (a.peer!.region = "eu-amsterdam-1"), "peer.region", /same region/],
  [
    "invalid VCN CIDR",
    (a) => (a.network.vcnCidr = "10.20.0.0/33"),
    "network.vcnCidr",
    /prefix length above 32/,
  ],
  ["VCN CIDR with host bits", (a) => (a.network.vcnCidr = "10.20.0.1/16"), "network.vcnCidr", /host bits/],
  [
    "VCN too large for OCI",
    (a) => (a.network.vcnCidr = "10.0.0.0/8"),
    "network.vcnCidr",
    /OCI accepts \/16 to \/28/,
  ],
  ["missing VCN CIDR", (a) => delete a.network.vcnCidr, "network.vcnCidr", /is required/],
  [
    "VCN overlaps peer VCN",
    (a) => {
      a.peer!.vcnCidr = "10.20.128.0/17";
      a.peer!.mirrorMakerSubnetCidr = "10.20.130.0/24";
    },
    "network.vcnCidr",
    /overlaps peer.vcnCidr/,
  ],
  [
    "stream subnet outside VCN",
    (a) => (a.network.streamSubnetCidr = "10.21.1.0/24"),
    "network.streamSubnetCidr",
    /not inside network.vcnCidr/,
  ],
  [
    "mirrormaker subnet outside VCN",
    (a) => (a.network.mirrorMakerSubnetCidr = "192.168.0.0/24"),
    "network.mirrorMakerSubnetCidr",
    /not inside network.vcnCidr/,
  ],
  [
    "subnets overlap",
    (a) => (a.network.mirrorMakerSubnetCidr = "10.20.1.128/25"),
    "network.mirrorMakerSubnetCidr",
    /overlaps network.streamSubnetCidr/,
  ],
  [
    "peer mirrormaker subnet outside peer VCN",
    (a) => (a.peer!.mirrorMakerSubnetCidr = "10.11.2.0/24"),
    "peer.mirrorMakerSubnetCidr",
    /not inside peer.vcnCidr/,
  ],
  [
    "invalid DNS label",
    (a) => (a.network.dnsLabel = "2bad-label"),
    "network.dnsLabel",
    /not a valid VCN DNS label/,
  ],
  [
    "stream name with a space",
    (a) => (a.streams![0].name = "my orders"),
    "streams[0].name",
    /not a name OCI/,
  ],
  ["stream name with a slash", (a) => (a.streams![1].name = "a/b"), "streams[1].name", /not a name OCI/],
  ["empty stream name", (a) => (a.streams![0].name = ""), "streams[0].name", /not a name OCI/],
  ["stream name too long", (a) => (a.streams![0].name = "x".repeat(250)), "streams[0].name", /1-249/],
  ["duplicate stream names", (a) => (a.streams![1].name = "orders"), "streams[1].name", /declared twice/],
  ["zero partitions", (a) => (a.streams![0].partitions = 0), "streams[0].partitions", /at least 1/],
  ["fractional partitions", (a) => (a.streams![0].partitions = 1.5), "streams[0].partitions", /whole number/],
  [
    "partitions above the quota",
    (a) => {
      a.partitionQuota = 5;
      a.streams = [{ name: "big", partitions: 6 }];
    },
    "streams[0].partitions",
    /exceeds the partition quota of 5/,
  ],
  [
    "total partitions above the quota",
    (a) => (a.partitionQuota = 8),
    "streams",
    /need 9 partitions in all, above the partition quota of 8/,
  ],
  ["invalid quota", (a) => (a.partitionQuota = 0), "partitionQuota", /not a partition quota/],
  [
    "retention below 24 h",
    (a) => (a.streams![0].retentionHours = 23),
    "streams[0].retentionHours",
    /24 to 168/,
  ],
  [
    "retention above 168 h",
    (a) => (a.streams![0].retentionHours = 169),
    "streams[0].retentionHours",
    /24 to 168/,
  ],
  [
    "pool default retention out of range",
    (a) => (a.streamPool = { defaultRetentionHours: 200 }),
    "streamPool.defaultRetentionHours",
    /24 to 168/,
  ],
  [
    "adopting and creating the same VCN",
    (a) =>
      (a.network.existing = {
        vcnId: "ocid1.vcn.oc1.eu-amsterdam-1.aaaa",
        vcnCidr: "10.20.0.0/16",
        streamSubnetId: "ocid1.subnet.oc1.eu-amsterdam-1.aaaa",
        streamSubnetCidr: "10.20.1.0/24",
        mirrorMakerSubnetId: "ocid1.subnet.oc1.eu-amsterdam-1.bbbb",
        mirrorMakerSubnetCidr: "10.20.2.0/24",
      }),
    "network.vcnCidr",
    /cannot be set together with network.existing/,
  ],
  [
    "adopting and creating the same pool",
    (a) =>
      (a.streamPool = { existingStreamPoolId: "ocid1.streampool.oc1.eu-amsterdam-1.aaaa", kmsKeyId: "k" }),
    "streamPool.kmsKeyId",
    /adopting and creating the same pool/,
  ],
  ["dr without a peer", (a) => delete a.peer, "peer", /required for the dr role/],
  [
    "dr peer without its RPC",
    (a) => delete a.peer!.remotePeeringConnectionId,
    "peer.remotePeeringConnectionId",
    /required for the dr role/,
  ],
  ["unknown role", (a) => ((a as { role: string }).role = "secondary"), "role", /Use "primary" or "dr"/],
  ["compartment not an OCID", (a) => (a.compartmentId = "my-compartment"), "compartmentId", /not an OCID/],
];
