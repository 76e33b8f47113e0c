import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import {
  ExternalKafkaArgs,
  GeoReplicatedStreamArgs,
  NetworkArgs,
  ReplicationArgs,
} from "../../lib/core/config/args";

/** Shared argument fixtures: a valid dr configuration and every way to break it. */
const COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaa5x2rdkq4vfu6r3jgiqdjvnqwz7xq7fnv3xhm3f2tkl4yc3e6lmoa";
const PRIMARY_RPC = "ocid1.remotepeeringconnection.oc1.eu-frankfurt-1.aaaaaaaarpc";

/** A valid dr configuration; each case below breaks one thing. */
/** The dr network adopted instead of created (an existing VCN and subnets in eu-amsterdam-1). */
export function adoptedNetwork(): NetworkArgs {
  return {
    existing: {
      vcnId: "ocid1.vcn.oc1.ams.existingvcn",
      vcnCidr: "10.20.0.0/16",
      streamSubnetId: "ocid1.subnet.oc1.ams.existingstreams",
      streamSubnetCidr: "10.20.1.0/24",
      mirrorMakerSubnetId: "ocid1.subnet.oc1.ams.existingmm",
      mirrorMakerSubnetCidr: "10.20.2.0/24",
    },
  };
}

/** The email a created MirrorMaker user needs in a tenancy with identity domains. */
export const MM2_EMAIL = "mm2-service@example.com";

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
      // The primary's DNS listener (its peering bundle carries it): dr resolves its pool there.
      dnsListenerIp: "10.10.2.53",
    },
  };
}

type Case = [title: string, mutate: (a: GeoReplicatedStreamArgs) => void, field: string, message: RegExp];

const BASIC_CASES: Case[] = [
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
    /OCI accepts \/16 to \/30/,
  ],
  [
    "VCN too small for the two subnets (OCI takes a /30 VCN, not two /31 subnets)",
    (a) => (a.network.vcnCidr = "10.20.0.0/30"),
    "network.vcnCidr",
    /cannot hold the two separate subnets.*Use a \/29 or larger/,
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
    "an adopted VCN's DRG given as another kind of OCID",
    (a) => {
      a.network = adoptedNetwork();
      a.network.existing!.drgId = "ocid1.drgattachment.oc1.eu-amsterdam-1.aaaa";
    },
    "network.existing.drgId",
    /is not a DRG OCID/,
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

const TENANCY = "ocid1.tenancy.oc1..aaaaaaaaq3z5xqv4hn7fz2ob6a2fwq6jd4o7ryv7w3xk2pbrqazx5ny3gyja";
const NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789._-";

/** `n` distinct stream names of `length` characters that gzip cannot shorten much (the worst case). */
export function longNames(n: number, length: number): string[] {
  return Array.from({ length: n }, (_v, i) => {
    let name = `t${i}-`;
    for (let k = 0; name.length < length; k++) {
      for (const byte of createHash("sha256").update(`${i}|${k}`).digest()) {
        name += NAME_CHARS[byte % NAME_CHARS.length];
      }
    }
    return name.slice(0, length);
  });
}

/**
 * The dr fixture replicating from its peer. `homeRegionProvider` is left for each tier to fill in:
 * the pure tier validates with `providersPending`, the mock tier gives a mock provider.
 */
export function withReplication(
  a: GeoReplicatedStreamArgs,
  rep: Partial<ReplicationArgs> = {},
): ReplicationArgs {
  a.peer = {
    ...a.peer!,
    streamPoolId: "ocid1.streampool.oc1.fra.amaaaaaapeerpool",
    bootstrapServers: "peer.streaming.eu-frankfurt-1.oci.oraclecloud.com:9092",
    streams: [{ name: "orders", partitions: 6, retentionHours: 168 }],
  };
  a.replication = {
    tenancyId: TENANCY,
    homeRegionProvider: undefined as unknown as pulumi.ProviderResource,
    credentials: { mode: "create", email: MM2_EMAIL },
    ...rep,
  };
  return a.replication;
}

/** Replication rules that must hold before anything is registered. */
function replicationCases(): Case[] {
  return [
    [
      "a region name as homeRegionProvider",
      (a) => (withReplication(a).homeRegionProvider = "eu-frankfurt-1" as unknown as pulumi.ProviderResource),
      "replication.homeRegionProvider",
      /is the string "eu-frankfurt-1", not an OCI provider/,
    ],
    [
      "an existing vault whose id is undefined (an unset environment variable)",
      (a) =>
        (withReplication(a).vault = { vaultId: undefined as unknown as string, keyId: "ocid1.key.oc1..k" }),
      "replication.vault.vaultId",
      /is undefined: an existing vault needs both vaultId and keyId/,
    ],
    [
      "a user name that is set but undefined (a created user named after the component instead)",
      (a) => (withReplication(a).credentials = { mode: "create", userName: undefined, email: MM2_EMAIL }),
      "replication.credentials.userName",
      /is set but undefined .*silently mean a created user named after the component/,
    ],
    [
      "an image id that is set but empty (the newest image instead of the pinned one)",
      (a) => (withReplication(a).fleet = { imageId: "" }),
      "replication.fleet.imageId",
      /is set but empty/,
    ],
    [
      "an adopted pool id that is set but undefined (a new pool instead)",
      (a) => (a.streamPool = { existingStreamPoolId: undefined }),
      "streamPool.existingStreamPoolId",
      /silently mean creating a new stream pool/,
    ],
    [
      "streams whose names overflow the nodes' instance metadata (32,000 bytes)",
      (a) => {
        withReplication(a);
        a.partitionQuota = 1_000;
        a.peer!.streams = longNames(450, 55).map((name) => ({ name }));
      },
      "peer.streams",
      /instance metadata \d+ bytes .* above the \d+ this package allows under OCI's 32000-byte limit/,
    ],
  ];
}

/**
 * Every argument of GeoReplicatedStreamArgs by the JavaScript type it must have (a test holds this
 * list to lib/core/config/args.ts with the TypeScript compiler API). `[0]`: an element of a list.
 */
export const ARG_KINDS: Record<
  string,
  "string" | "boolean" | "number" | "input" | "list" | "provider" | "record"
> = {
  role: "string",
  region: "string",
  compartmentId: "input",
  "network.vcnCidr": "string",
  "network.streamSubnetCidr": "string",
  "network.mirrorMakerSubnetCidr": "string",
  "network.dnsLabel": "string",
  "network.existing.vcnId": "input",
  "network.existing.vcnCidr": "string",
  "network.existing.streamSubnetId": "input",
  "network.existing.streamSubnetCidr": "string",
  "network.existing.mirrorMakerSubnetId": "input",
  "network.existing.mirrorMakerSubnetCidr": "string",
  "network.existing.drgId": "input",
  "streamPool.name": "string",
  "streamPool.existingStreamPoolId": "input",
  "streamPool.kmsKeyId": "input",
  "streamPool.autoCreateTopics": "boolean",
  "streamPool.defaultPartitions": "number",
  "streamPool.defaultRetentionHours": "number",
  "streamPool.privateEndpointIp": "string",
  "streamPool.protect": "boolean",
  "streams[0].name": "string",
  "streams[0].partitions": "number",
  "streams[0].retentionHours": "number",
  "peer.region": "string",
  "peer.vcnCidr": "string",
  "peer.mirrorMakerSubnetCidr": "string",
  "peer.remotePeeringConnectionId": "input",
  "peer.compartmentId": "input",
  "peer.streamPoolId": "input",
  "peer.bootstrapServers": "input",
  "peer.endpointFqdn": "input",
  "peer.dnsListenerIp": "input",
  "peer.streams[0].name": "string",
  "peer.streams[0].partitions": "number",
  "peer.streams[0].retentionHours": "number",
  "peer.replication.enabled": "boolean",
  "peer.replication.replicationPolicy": "string",
  partitionQuota: "number",
  "replication.enabled": "boolean",
  "replication.flow": "string",
  "replication.tenancyId": "input",
  "replication.tenancyName": "input",
  "replication.homeRegionProvider": "provider",
  "replication.identityDomains": "boolean",
  "replication.iamNamePrefix": "string",
  "replication.credentials.mode": "string",
  "replication.credentials.userName": "string",
  "replication.credentials.email": "string",
  "replication.credentials.domain": "string",
  "replication.credentials.authToken": "input",
  "replication.vault.vaultId": "input",
  "replication.vault.keyId": "input",
  "replication.fleet.size": "number",
  "replication.fleet.shape": "string",
  "replication.fleet.ocpus": "number",
  "replication.fleet.memoryInGbs": "number",
  "replication.fleet.imageId": "input",
  "replication.fleet.sshAuthorizedKeys": "string",
  "replication.bastionClientCidrs": "list",
  "replication.topicsInclude": "list",
  "replication.topicsExclude": "list",
  "replication.groupsInclude": "list",
  "replication.groupsExclude": "list",
  "replication.replicationPolicy": "string",
  "replication.tasksMax": "number",
  "replication.refreshIntervalSeconds": "number",
  "replication.checkpointIntervalSeconds": "number",
  "replication.offsetLagMax": "number",
  "replication.kafkaDownloadBaseUrl": "string",
  "replication.kafkaDownloadCidr": "string",
  "replication.nodeDownloadBaseUrl": "string",
  "replication.jmxExporterDownloadBaseUrl": "string",
  "monitoring.enabled": "boolean",
  "monitoring.metricNamespace": "string",
  "monitoring.rpoTargetSeconds": "number",
  "monitoring.lagAlarmMinutes": "number",
  "monitoring.heartbeatMaxAgeSeconds": "number",
  "monitoring.notificationTopicId": "input",
  "monitoring.emails": "list",
  "monitoring.pagerDutyUrls": "list",
  "monitoring.slackWebhookUrls": "list",
  "monitoring.httpsUrls": "list",
  "monitoring.operatorGroup": "string",
  freeformTags: "record",
  "externalKafka.alias": "string",
  "externalKafka.bootstrapServers": "string",
  "externalKafka.brokerCidrs": "list",
  "externalKafka.brokerPorts": "list",
  "externalKafka.securityProtocol": "string",
  "externalKafka.sasl.mechanism": "string",
  "externalKafka.sasl.username": "string",
  "externalKafka.sasl.password": "input",
  "externalKafka.tls.caCertificatePem": "input",
  "externalKafka.tls.clientCertificatePem": "input",
  "externalKafka.tls.clientKeyPem": "input",
  "externalKafka.tls.clientKeyPassword": "input",
  "externalKafka.tls.endpointIdentification": "boolean",
  "externalKafka.topics[0].name": "string",
  "externalKafka.topics[0].partitions": "number",
  "externalKafka.topics[0].retentionHours": "number",
  "onPremises.cidrs": "list",
  "onPremises.ipsec.cpeIpAddress": "string",
  "onPremises.ipsec.cpeDeviceShapeId": "input",
  "onPremises.ipsec.ikeVersion": "string",
  "onPremises.ipsec.sharedSecrets": "list",
  "onPremises.fastConnect.virtualCircuitId": "input",
  "onPremises.dns.domains": "list",
  "onPremises.dns.serverIp": "string",
};

/** A value of the wrong type for each kind, and what the refusal says. */
const WRONG: Record<(typeof ARG_KINDS)[string], [value: unknown, message: RegExp]> = {
  string: [42, /is the number 42; expected a string/],
  boolean: ["yes", /is the string "yes"; expected a boolean: true or false, without quotes/],
  number: ["6", /is the string "6"; expected a number, without quotes/],
  input: [42, /is the number 42; expected a string \(or a Pulumi Output of one\)/],
  list: ["10.0.0.0/24", /is the string "10\.0\.0\.0\/24"; expected a list/],
  provider: ["eu-frankfurt-1", /is the string "eu-frankfurt-1", not an OCI provider/],
  record: [{ team: 7 }, /is the number 7; expected a string/],
};

/** Sets `path` (`a.b[0].c`) in `target`, creating the objects and lists on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.replace(/\[(\d+)\]/g, ".$1").split(".");
  let at: Record<string, unknown> = target;
  keys.slice(0, -1).forEach((k, i) => {
    if (at[k] === undefined || at[k] === null || typeof at[k] !== "object") {
      at[k] = /^\d+$/.test(keys[i + 1]) ? [] : {};
    }
    at = at[k] as Record<string, unknown>;
  });
  at[keys[keys.length - 1]] = value;
}

/** One case per argument: the wrong JavaScript type, refused naming exactly that argument. */
function wrongTypeCases(): Case[] {
  return Object.entries(ARG_KINDS).map(([path, kind]): Case => {
    const [value, message] = WRONG[kind];
    const field = kind === "record" ? `${path}.team` : path;
    return [
      `${path} of the wrong type (${JSON.stringify(value)})`,
      (a) => {
        if (path.startsWith("replication.")) withReplication(a);
        setPath(a as unknown as Record<string, unknown>, path, value);
      },
      field,
      message,
    ];
  });
}

/** A stand-in CA certificate (PEM framing is what validation checks). */
export const CA_PEM =
  "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUfake0ca0only0for0tests0000wCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----\n";
export const CLIENT_CERT_PEM =
  "-----BEGIN CERTIFICATE-----\nMIIBtDCCAVqgAwIBAgIUfake0client0cert0000000000wCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----\n";
export const CLIENT_KEY_PEM =
  "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgFAKE0KEY0never0used\n-----END PRIVATE KEY-----\n";
export const ONPREM_PASSWORD = "onprem-Pa55-(scram)-never-in-clear";

/** An on-premises cluster reached through an IPSec VPN (SASL_SSL + SCRAM-SHA-512, private CA). */
export function withOnPremises(a: GeoReplicatedStreamArgs): GeoReplicatedStreamArgs {
  a.onPremises = { cidrs: ["172.16.0.0/16"], ipsec: { cpeIpAddress: "198.51.100.10" } };
  a.externalKafka = {
    alias: "onprem",
    bootstrapServers: "172.16.1.10:9093,172.16.1.11:9093",
    brokerCidrs: ["172.16.1.0/24"],
    securityProtocol: "SASL_SSL",
    sasl: { mechanism: "SCRAM-SHA-512", username: "mm2", password: pulumi.secret(ONPREM_PASSWORD) },
    tls: { caCertificatePem: CA_PEM },
    topics: [{ name: "ledger", partitions: 4, retentionHours: 72 }],
  };
  return a;
}

/** Every on-premises validation rule: a valid on-premises setup with one thing broken. */
function externalCases(): Case[] {
  const ext = (a: GeoReplicatedStreamArgs): ExternalKafkaArgs => withOnPremises(a).externalKafka!;
  const onPrem = (a: GeoReplicatedStreamArgs) => withOnPremises(a).onPremises!;
  return [
    [
      "onPremises without externalKafka",
      (a) => delete withOnPremises(a).externalKafka,
      "externalKafka",
      /is required with onPremises/,
    ],
    [
      "externalKafka without onPremises",
      (a) => delete withOnPremises(a).onPremises,
      "onPremises",
      /only through the DRG/,
    ],
    [
      "on-premises CIDR overlapping the VCN",
      (a) => (onPrem(a).cidrs = ["10.20.128.0/17"]),
      "onPremises.cidrs[0]",
      /overlaps network.vcnCidr/,
    ],
    [
      "on-premises CIDR overlapping the peer VCN",
      (a) => (onPrem(a).cidrs = ["172.16.0.0/16", "10.10.0.0/24"]),
      "onPremises.cidrs[1]",
      /overlaps peer.vcnCidr/,
    ],
    ["on-premises 0.0.0.0/0", (a) => (onPrem(a).cidrs = ["0.0.0.0/0"]), "onPremises.cidrs[0]", /all traffic/],
    [
      "both IPSec and FastConnect",
      (a) => (onPrem(a).fastConnect = { virtualCircuitId: "ocid1.virtualcircuit.oc1.eu-amsterdam-1.aaaa" }),
      "onPremises",
      /exactly one of ipsec/,
    ],
    ["neither IPSec nor FastConnect", (a) => delete onPrem(a).ipsec, "onPremises", /exactly one of ipsec/],
    [
      "a private CPE address",
      (a) => (onPrem(a).ipsec!.cpeIpAddress = "192.168.1.1"),
      "onPremises.ipsec.cpeIpAddress",
      /private address/,
    ],
    [
      "a CPE address that is not IPv4",
      (a) => (onPrem(a).ipsec!.cpeIpAddress = "vpn.corp.example"),
      "onPremises.ipsec.cpeIpAddress",
      /not an IPv4 address/,
    ],
    [
      "a plain-string tunnel key",
      (a) => (onPrem(a).ipsec!.sharedSecrets = ["plain", pulumi.secret("s")]),
      "onPremises.ipsec.sharedSecrets[0]",
      /plain string/,
    ],
    [
      "one tunnel key for two tunnels",
      (a) => (onPrem(a).ipsec!.sharedSecrets = [pulumi.secret("s")] as unknown as [string, string]),
      "onPremises.ipsec.sharedSecrets",
      /one pre-shared key per tunnel/,
    ],
    [
      "a FastConnect id that is not a virtual circuit",
      (a) => {
        withOnPremises(a).onPremises = {
          cidrs: ["172.16.0.0/16"],
          fastConnect: { virtualCircuitId: "ocid1.drg.oc1..x" },
        };
      },
      "onPremises.fastConnect.virtualCircuitId",
      /not a virtual circuit OCID/,
    ],
    [
      "an mm2.properties keyword as alias",
      (a) => (ext(a).alias = "source"),
      "externalKafka.alias",
      /is taken/,
    ],
    ["a region's alias as alias", (a) => (ext(a).alias = "fra"), "externalKafka.alias", /is taken/],
    ["an alias with a dot", (a) => (ext(a).alias = "on.prem"), "externalKafka.alias", /not a cluster alias/],
    [
      "bootstrap without a port",
      (a) => (ext(a).bootstrapServers = "172.16.1.10"),
      "externalKafka.bootstrapServers",
      /not host:port/,
    ],
    [
      "a broker CIDR outside the on-premises CIDRs",
      (a) => (ext(a).brokerCidrs = ["192.168.0.0/24"]),
      "externalKafka.brokerCidrs[0]",
      /not inside any of onPremises.cidrs/,
    ],
    [
      "a bootstrap address outside the broker CIDRs",
      (a) => (ext(a).bootstrapServers = "172.16.9.9:9093"),
      "externalKafka.bootstrapServers",
      /in none of externalKafka.brokerCidrs/,
    ],
    [
      "broker ports missing a bootstrap port",
      (a) => (ext(a).brokerPorts = [9092]),
      "externalKafka.brokerPorts",
      /leaves out port 9093/,
    ],
    [
      "PLAINTEXT",
      (a) => (ext(a).securityProtocol = "PLAINTEXT" as "SSL"),
      "externalKafka.securityProtocol",
      /PLAINTEXT is refused/,
    ],
    [
      "SASL credentials with SSL",
      (a) => (ext(a).securityProtocol = "SSL"),
      "externalKafka.sasl",
      /does not use SASL/,
    ],
    [
      "SASL_SSL without SASL credentials",
      (a) => delete ext(a).sasl,
      "externalKafka.sasl",
      /is required with SASL_SSL/,
    ],
    [
      "a plain-string SASL password",
      (a) => (ext(a).sasl!.password = ONPREM_PASSWORD),
      "externalKafka.sasl.password",
      /plain string/,
    ],
    [
      "GSSAPI",
      (a) => (ext(a).sasl!.mechanism = "GSSAPI" as "PLAIN"),
      "externalKafka.sasl.mechanism",
      /not supported/,
    ],
    [
      "TLS settings with SASL_PLAINTEXT",
      (a) => (ext(a).securityProtocol = "SASL_PLAINTEXT"),
      "externalKafka.tls",
      /does not use TLS/,
    ],
    [
      "a CA certificate that is not PEM",
      (a) => (ext(a).tls = { caCertificatePem: "MIIB..." }),
      "externalKafka.tls.caCertificatePem",
      /not PEM/,
    ],
    [
      "a client certificate without its key",
      (a) => (ext(a).tls!.clientCertificatePem = CLIENT_CERT_PEM),
      "externalKafka.tls.clientKeyPem",
      /needs both/,
    ],
    [
      "a plain-string client key",
      (a) =>
        Object.assign(ext(a).tls!, { clientCertificatePem: CLIENT_CERT_PEM, clientKeyPem: CLIENT_KEY_PEM }),
      "externalKafka.tls.clientKeyPem",
      /plain string/,
    ],
    [
      "SSL without a client certificate",
      (a) => (delete ext(a).sasl, (a.externalKafka!.securityProtocol = "SSL")),
      "externalKafka.tls.clientKeyPem",
      /what authenticates MirrorMaker/,
    ],
    [
      "broker host names without on-premises DNS",
      (a) => (ext(a).bootstrapServers = "kafka1.dc1.corp.example:9093"),
      "onPremises.dns",
      /OCI private DNS answers only names of its own VCNs/,
    ],
    [
      "a broker host name outside the on-premises DNS domains",
      (a) => {
        // ext() and onPrem() each set up the on-premises fixture afresh: one setup, then both edits.
        withOnPremises(a);
        a.externalKafka!.bootstrapServers = "kafka1.dc2.corp.example:9093";
        a.onPremises!.dns = { domains: ["dc1.corp.example"], serverIp: "172.16.0.53" };
      },
      "onPremises.dns.domains",
      /Add dc2\.corp\.example to onPremises\.dns\.domains/,
    ],
    [
      "forwarding OCI's own namespace on premises",
      (a) => (onPrem(a).dns = { domains: ["oraclecloud.com"], serverIp: "172.16.0.53" }),
      "onPremises.dns.domains[0]",
      /overlaps OCI's own namespace oraclecloud\.com/,
    ],
    [
      "forwarding a parent of OCI's namespace (com)",
      (a) => (onPrem(a).dns = { domains: ["corp.example", "com"], serverIp: "172.16.0.53" }),
      "onPremises.dns.domains[1]",
      /overlaps OCI's own namespace/,
    ],
    [
      "an on-premises DNS domain that is not a name",
      (a) => (onPrem(a).dns = { domains: ["dc1 corp"], serverIp: "172.16.0.53" }),
      "onPremises.dns.domains[0]",
      /not a domain name/,
    ],
    [
      "on-premises DNS without domains",
      (a) => (onPrem(a).dns = { domains: [], serverIp: "172.16.0.53" }),
      "onPremises.dns.domains",
      /is empty/,
    ],
    [
      "an on-premises DNS server outside onPremises.cidrs",
      (a) => (onPrem(a).dns = { domains: ["dc1.corp.example"], serverIp: "192.168.0.53" }),
      "onPremises.dns.serverIp",
      /no route leads there/,
    ],
    [
      "an on-premises DNS server that is not an address",
      (a) => (onPrem(a).dns = { domains: ["dc1.corp.example"], serverIp: "dns1.corp.example" }),
      "onPremises.dns.serverIp",
      /not an IPv4 address/,
    ],
    [
      "an external topic with 0 partitions",
      (a) => (ext(a).topics = [{ name: "ledger", partitions: 0 }]),
      "externalKafka.topics[0].partitions",
      /./,
    ],
  ];
}

/** Every validation rule, with the field its error must name. */
export const INVALID_CASES: Case[] = [
  ...BASIC_CASES,
  ...externalCases(),
  ...replicationCases(),
  ...wrongTypeCases(),
];
