/**
 * The stack program: Pulumi stack config in, one GeoReplicatedStream out. This repository's
 * `index.ts` runs it for the `primary` and `dr` stacks; the Automation API runs it inline.
 */
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import {
  CredentialsArgs,
  ExternalKafkaArgs,
  ExternalSaslArgs,
  GeoReplicatedStreamArgs,
  IpsecArgs,
  OnPremisesArgs,
  PeerArgs,
  PeeringBundle,
  ReplicationArgs,
  Role,
  StreamPoolArgs,
  StreamSpec,
} from "../config/args";
import { validateRegion } from "../config/primitives";
import { ValidationError } from "../errors";
import { GeoReplicatedStream, validateGeoReplicatedStreamArgs } from "../geoReplicatedStream";

/**
 * Reads the stack's config (namespace = the project name; see Pulumi.yaml for the schema),
 * validates it, creates the region's provider (and the home-region provider for IAM), and
 * returns the component's outputs as the stack outputs.
 */
export async function stackProgram(): Promise<Record<string, unknown>> {
  const cfg = new pulumi.Config();
  const role = cfg.require("role") as Role;
  const region = new pulumi.Config("oci").require("region");

  const peer =
    role === "dr"
      ? await peeringOf("primaryStack", cfg.require("primaryStack"))
      : cfg.get("peerStack") !== undefined
        ? await peeringOf("peerStack", cfg.require("peerStack"))
        : configuredPeer(cfg);
  const args = argsFromConfig(cfg, region, peer);
  // Validate before the providers are registered, so bad config registers nothing at all.
  validateGeoReplicatedStreamArgs(args, { providersPending: true });

  const profile = cfg.get("ociConfigProfile");
  const provider = new oci.Provider(`oci-${region}`, { region, configFileProfile: profile });
  if (args.replication) {
    const homeRegion = cfg.require("homeRegion");
    args.replication.homeRegionProvider = new oci.Provider(`oci-home-${homeRegion}`, {
      region: homeRegion,
      configFileProfile: profile,
    });
  }
  const site = new GeoReplicatedStream(`geo-${role}`, args, { provider });
  return site.outputs();
}

/** The parts of `pulumi.Config` the mapping reads; the Automation API supplies its own reader. */
export interface StackConfigReader {
  get(key: string): string | undefined;
  require(key: string): string;
  getNumber(key: string): number | undefined;
  getBoolean(key: string): boolean | undefined;
  getObject<T>(key: string): T | undefined;
  requireSecret(key: string): pulumi.Output<string>;
}

/**
 * The component's arguments from stack config, key by key (the schema is in Pulumi.yaml). Pure:
 * `peer` is resolved by the caller, and `replication.homeRegionProvider` is left for the caller
 * to create after validation.
 */
export function argsFromConfig(
  cfg: StackConfigReader,
  region: string,
  peer: PeerArgs | undefined,
): GeoReplicatedStreamArgs {
  return {
    role: cfg.require("role") as Role,
    region,
    compartmentId: cfg.require("compartmentId"),
    network: {
      vcnCidr: cfg.get("vcnCidr"),
      streamSubnetCidr: cfg.get("streamSubnetCidr"),
      mirrorMakerSubnetCidr: cfg.get("mirrorMakerSubnetCidr"),
    },
    streamPool: definedOnly<StreamPoolArgs>({
      kmsKeyId: cfg.get("kmsKeyId"),
      autoCreateTopics: cfg.getBoolean("autoCreateTopics"),
      existingStreamPoolId: cfg.get("existingStreamPoolId"),
    }),
    streams: cfg.getObject<StreamSpec[]>("streams") ?? [],
    peer,
    partitionQuota: cfg.getNumber("partitionQuota"),
    replication: replicationArgs(cfg),
    ...onPremisesArgs(cfg),
  };
}

/** The `externalKafka` config object: everything but the secrets, which have keys of their own. */
export interface ExternalKafkaConfig {
  alias: string;
  bootstrapServers: string;
  brokerCidrs: string[];
  brokerPorts?: number[];
  securityProtocol?: ExternalKafkaArgs["securityProtocol"];
  saslMechanism?: ExternalSaslArgs["mechanism"];
  saslUsername?: string;
  caCertificatePem?: string;
  clientCertificatePem?: string;
  endpointIdentification?: boolean;
  topics?: StreamSpec[];
}

/** `onPremises` and `externalKafka` from config; neither when `onPremCidrs` and `externalKafka` are unset. */
function onPremisesArgs(
  cfg: StackConfigReader,
): Pick<GeoReplicatedStreamArgs, "onPremises" | "externalKafka"> {
  const cidrs = cfg.getObject<string[]>("onPremCidrs");
  const cpe = cfg.get("ipsecCpeIpAddress");
  const vc = cfg.get("fastConnectVirtualCircuitId");
  const onPremises: OnPremisesArgs | undefined =
    cidrs !== undefined || cpe !== undefined || vc !== undefined
      ? definedOnly<OnPremisesArgs>({
          cidrs: cidrs ?? [],
          ipsec:
            cpe !== undefined
              ? definedOnly({
                  cpeIpAddress: cpe,
                  ikeVersion: cfg.get("ipsecIkeVersion") as IpsecArgs["ikeVersion"],
                })
              : undefined,
          fastConnect: vc !== undefined ? { virtualCircuitId: vc } : undefined,
          dns:
            cfg.get("onPremDnsServerIp") !== undefined || cfg.get("onPremDnsDomains") !== undefined
              ? {
                  domains: cfg.getObject<string[]>("onPremDnsDomains") ?? [],
                  serverIp: cfg.get("onPremDnsServerIp") ?? "",
                }
              : undefined,
        })
      : undefined;
  const ext = cfg.getObject<ExternalKafkaConfig>("externalKafka");
  const secret = (key: string) => (cfg.get(key) !== undefined ? cfg.requireSecret(key) : undefined);
  const externalKafka: ExternalKafkaArgs | undefined =
    ext !== undefined
      ? definedOnly<ExternalKafkaArgs>({
          alias: ext.alias,
          bootstrapServers: ext.bootstrapServers,
          brokerCidrs: ext.brokerCidrs,
          brokerPorts: ext.brokerPorts,
          securityProtocol: ext.securityProtocol,
          sasl:
            ext.saslMechanism !== undefined || ext.saslUsername !== undefined
              ? {
                  mechanism: ext.saslMechanism ?? "SCRAM-SHA-512",
                  username: ext.saslUsername ?? "",
                  password: secret("externalKafkaPassword") ?? "",
                }
              : undefined,
          tls:
            ext.caCertificatePem !== undefined ||
            ext.clientCertificatePem !== undefined ||
            ext.endpointIdentification !== undefined ||
            cfg.get("externalKafkaClientKeyPem") !== undefined
              ? definedOnly({
                  caCertificatePem: ext.caCertificatePem,
                  clientCertificatePem: ext.clientCertificatePem,
                  clientKeyPem: secret("externalKafkaClientKeyPem"),
                  clientKeyPassword: secret("externalKafkaClientKeyPassword"),
                  endpointIdentification: ext.endpointIdentification,
                })
              : undefined,
          topics: ext.topics,
        })
      : undefined;
  return definedOnly({ onPremises, externalKafka });
}

/**
 * Reads the other stack's `peering` output (plain values) through a StackReference: the dr stack
 * always reads the primary's; the primary reads the dr's only for failback (`peerStack`).
 */
async function peeringOf(field: string, stackName: string): Promise<PeerArgs> {
  const ref = new pulumi.StackReference(field === "primaryStack" ? "primary" : "peer", { name: stackName });
  const details = await ref.getOutputDetails("peering");
  const bundle = (details.value ?? details.secretValue) as PeeringBundle | undefined;
  if (!bundle || typeof bundle.region !== "string") {
    throw new ValidationError(
      field,
      `stack "${stackName}" has no 'peering' output. Deploy that stack first, or fix the stack name`,
    );
  }
  return bundle;
}

/** The primary's view of its dr peer: network facts from config (nothing is read from the dr stack). */
export function configuredPeer(cfg: StackConfigReader): PeerArgs | undefined {
  const region = cfg.get("peerRegion");
  if (region === undefined) {
    return undefined;
  }
  return {
    region,
    vcnCidr: cfg.require("peerVcnCidr"),
    mirrorMakerSubnetCidr: cfg.require("peerMirrorMakerSubnetCidr"),
  };
}

/** The replication layer's config; none when `tenancyId` is not set. */
function replicationArgs(cfg: StackConfigReader): ReplicationArgs | undefined {
  const tenancyId = cfg.get("tenancyId");
  if (tenancyId === undefined) {
    return undefined;
  }
  validateRegion("homeRegion", cfg.require("homeRegion"));
  const userName = cfg.get("mm2UserName");
  const credentials: CredentialsArgs =
    cfg.get("mm2AuthToken") !== undefined
      ? {
          mode: "existing",
          userName: cfg.require("mm2UserName"),
          authToken: cfg.requireSecret("mm2AuthToken"),
          domain: cfg.get("mm2UserDomain"),
        }
      : { mode: "create", userName, email: cfg.get("mm2UserEmail") };
  const vaultId = cfg.get("vaultId");
  return definedOnly<ReplicationArgs>({
    enabled: cfg.getBoolean("replicationEnabled"),
    tenancyId,
    identityDomains: cfg.getBoolean("identityDomains"),
    tenancyName: cfg.get("tenancyName"),
    // Created after validation (see above).
    homeRegionProvider: undefined as unknown as pulumi.ProviderResource,
    credentials,
    vault: vaultId !== undefined ? { vaultId, keyId: cfg.require("vaultKeyId") } : undefined,
    fleet: definedOnly({
      size: cfg.getNumber("mm2FleetSize"),
      shape: cfg.get("mm2Shape"),
      ocpus: cfg.getNumber("mm2Ocpus"),
      memoryInGbs: cfg.getNumber("mm2MemoryGbs"),
      imageId: cfg.get("mm2ImageId"),
    }),
    bastionClientCidrs: cfg.getObject<string[]>("bastionClientCidrs"),
    topicsInclude: cfg.getObject<string[]>("topicsInclude"),
    topicsExclude: cfg.getObject<string[]>("topicsExclude"),
    groupsInclude: cfg.getObject<string[]>("groupsInclude"),
    groupsExclude: cfg.getObject<string[]>("groupsExclude"),
    replicationPolicy: cfg.get("replicationPolicy") as ReplicationArgs["replicationPolicy"],
    flow: cfg.get("replicationFlow") as ReplicationArgs["flow"],
    tasksMax: cfg.getNumber("tasksMax"),
    kafkaDownloadBaseUrl: cfg.get("kafkaDownloadBaseUrl"),
    kafkaDownloadCidr: cfg.get("kafkaDownloadCidr"),
  });
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
