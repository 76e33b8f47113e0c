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
  NetworkArgs,
  MonitoringArgs,
  OnPremisesArgs,
  PeerArgs,
  ReplicationArgs,
  Role,
  StreamPoolArgs,
  StreamSpec,
} from "../core/config/args";
import { validateRegion } from "../core/config/primitives";
import { ProgramConfigKey, readStackSettings, SETTINGS, StackSettings } from "../core/config/settings";
import { ValidationError } from "../core/errors";
import {
  GeoReplicatedStream,
  validateGeoReplicatedStreamArgs,
  ValidatedArgs,
} from "../components/geoReplicatedStream";
import { peerFromStack } from "./peering";

/**
 * Reads the stack's settings (namespace = the project name; the table is lib/core/config/settings.ts),
 * validates them and the component arguments they make — all before anything is registered, the
 * StackReference included — then creates the region's provider (and the home-region provider for
 * IAM) and returns the component's outputs as the stack outputs.
 */
export async function stackProgram(): Promise<Record<string, unknown>> {
  const cfg = new pulumi.Config();
  // Typed and checked first: a bad value fails before anything (the StackReference too) is registered.
  const settings = readStackSettings(cfg, cfg.name);
  const region = new pulumi.Config("oci").require("region");
  const role = required(settings.role, "role", "say which side this stack builds: primary or dr");
  const peer =
    role === "dr"
      ? await peeringOf(
          "primaryStack",
          required(settings.primaryStack, "primaryStack", "the dr stack reads the primary's peering output"),
        )
      : settings.peerStack !== undefined
        ? await peeringOf("peerStack", settings.peerStack)
        : configuredPeer(settings);
  const args = argsFromSettings(settings, region, peer);
  // Validate before the providers are registered, so bad config registers nothing at all.
  validateStackArgs(args, settings, cfg.name);

  const profile = settings.ociConfigProfile;
  const provider = new oci.Provider(`oci-${region}`, { region, configFileProfile: profile });
  if (args.replication) {
    const homeRegion = required(settings.homeRegion, "homeRegion", "IAM is written in the home region");
    args.replication.homeRegionProvider = new oci.Provider(`oci-home-${homeRegion}`, {
      region: homeRegion,
      configFileProfile: profile,
    });
  }
  const site = new GeoReplicatedStream(`geo-${role}`, args, { provider });
  return site.outputs();
}

/** A setting the others make necessary; `why` says why. */
function required<T>(value: T | undefined, key: ProgramConfigKey, why: string): T {
  if (value === undefined) {
    throw new ValidationError(key, `is required (${why}). Set it: pulumi config set ${key} <value>`);
  }
  return value;
}

/**
 * Validates the component arguments a stack's settings make; a problem with an argument that
 * came from a setting names the config key too.
 */
export function validateStackArgs(
  args: GeoReplicatedStreamArgs,
  settings: StackSettings,
  projectName: string,
): ValidatedArgs {
  try {
    return validateGeoReplicatedStreamArgs(args, { providersPending: true });
  } catch (e) {
    throw withConfigKey(e, settings, projectName);
  }
}

/** Adds `(config <ns>:<key>)` to a ValidationError whose field is the argument of a set setting. */
function withConfigKey(e: unknown, settings: StackSettings, projectName: string): unknown {
  if (!(e instanceof ValidationError)) {
    return e;
  }
  const set = settings as Record<string, unknown>;
  const from = SETTINGS.filter((s) => s.arg !== undefined && !s.namespace && set[s.key] !== undefined)
    .filter((s) => e.field === s.arg || e.field.startsWith(`${s.arg}.`) || e.field.startsWith(`${s.arg}[`))
    .sort((a, b) => (b.arg?.length ?? 0) - (a.arg?.length ?? 0))[0];
  if (from === undefined) {
    return e;
  }
  const message = e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message;
  return new ValidationError(e.field, `${message} (config ${projectName}:${from.key})`);
}

/**
 * The component's arguments from the stack's settings. Pure: `peer` is resolved by the caller,
 * and `replication.homeRegionProvider` is left for the caller to create after validation.
 */
export function argsFromSettings(
  settings: StackSettings,
  region: string,
  peer: PeerArgs | undefined,
): GeoReplicatedStreamArgs {
  const s = settings;
  return {
    role: s.role as Role,
    region,
    compartmentId: s.compartmentId as string,
    network: definedOnly<NetworkArgs>({
      vcnCidr: s.vcnCidr,
      streamSubnetCidr: s.streamSubnetCidr,
      mirrorMakerSubnetCidr: s.mirrorMakerSubnetCidr,
    }),
    streamPool: definedOnly<StreamPoolArgs>({
      kmsKeyId: s.kmsKeyId,
      autoCreateTopics: s.autoCreateTopics,
      existingStreamPoolId: s.existingStreamPoolId,
    }),
    streams: s.streams as unknown as StreamSpec[],
    peer,
    partitionQuota: s.partitionQuota,
    replication: replicationArgs(s),
    monitoring: monitoringArgs(s),
    ...onPremisesArgs(s),
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

/** `onPremises` and `externalKafka` from the settings; neither when their keys are unset. */
function onPremisesArgs(s: StackSettings): Pick<GeoReplicatedStreamArgs, "onPremises" | "externalKafka"> {
  const cidrs = s.onPremCidrs;
  const cpe = s.ipsecCpeIpAddress;
  const vc = s.fastConnectVirtualCircuitId;
  const onPremises: OnPremisesArgs | undefined =
    cidrs !== undefined || cpe !== undefined || vc !== undefined
      ? definedOnly<OnPremisesArgs>({
          cidrs: cidrs ?? [],
          ipsec: cpe !== undefined ? { cpeIpAddress: cpe, ikeVersion: s.ipsecIkeVersion } : undefined,
          fastConnect: vc !== undefined ? { virtualCircuitId: vc } : undefined,
          dns:
            s.onPremDnsServerIp !== undefined || s.onPremDnsDomains !== undefined
              ? { domains: [...(s.onPremDnsDomains ?? [])], serverIp: s.onPremDnsServerIp ?? "" }
              : undefined,
        })
      : undefined;
  const ext = s.externalKafka as ExternalKafkaConfig | undefined;
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
                  password: s.externalKafkaPassword ?? "",
                }
              : undefined,
          tls:
            ext.caCertificatePem !== undefined ||
            ext.clientCertificatePem !== undefined ||
            ext.endpointIdentification !== undefined ||
            s.externalKafkaClientKeyPem !== undefined
              ? definedOnly({
                  caCertificatePem: ext.caCertificatePem,
                  clientCertificatePem: ext.clientCertificatePem,
                  clientKeyPem: s.externalKafkaClientKeyPem,
                  clientKeyPassword: s.externalKafkaClientKeyPassword,
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
  return peerFromStack(ref, { field, stackName });
}

/** The primary's view of its dr peer: network facts from config (nothing is read from the dr stack). */
export function configuredPeer(s: StackSettings): PeerArgs | undefined {
  if (s.peerRegion === undefined) {
    return undefined;
  }
  return {
    region: s.peerRegion,
    vcnCidr: required(s.peerVcnCidr, "peerVcnCidr", "with peerRegion"),
    mirrorMakerSubnetCidr: required(
      s.peerMirrorMakerSubnetCidr,
      "peerMirrorMakerSubnetCidr",
      "with peerRegion",
    ),
  };
}

/** The replication layer's arguments; none when `tenancyId` is not set. */
function replicationArgs(s: StackSettings): ReplicationArgs | undefined {
  if (s.tenancyId === undefined) {
    return undefined;
  }
  validateRegion(
    "homeRegion",
    required(s.homeRegion, "homeRegion", "with tenancyId: IAM is written in the home region"),
  );
  const credentials: CredentialsArgs =
    s.mm2AuthToken !== undefined
      ? definedOnly<CredentialsArgs>({
          mode: "existing",
          userName: required(
            s.mm2UserName,
            "mm2UserName",
            "with mm2AuthToken: the user the token belongs to",
          ),
          authToken: s.mm2AuthToken,
          domain: s.mm2UserDomain,
        })
      : definedOnly<CredentialsArgs>({ mode: "create", userName: s.mm2UserName, email: s.mm2UserEmail });
  return definedOnly<ReplicationArgs>({
    enabled: s.replicationEnabled,
    tenancyId: s.tenancyId,
    identityDomains: s.identityDomains,
    tenancyName: s.tenancyName,
    // Created after validation (see above).
    homeRegionProvider: undefined as unknown as pulumi.ProviderResource,
    credentials,
    vault:
      s.vaultId !== undefined
        ? {
            vaultId: s.vaultId,
            keyId: required(s.vaultKeyId, "vaultKeyId", "with vaultId: the key that encrypts the secrets"),
          }
        : undefined,
    fleet: definedOnly({
      size: s.mm2FleetSize,
      shape: s.mm2Shape,
      ocpus: s.mm2Ocpus,
      memoryInGbs: s.mm2MemoryGbs,
      imageId: s.mm2ImageId,
    }),
    bastionClientCidrs: s.bastionClientCidrs,
    topicsInclude: s.topicsInclude,
    topicsExclude: s.topicsExclude,
    groupsInclude: s.groupsInclude,
    groupsExclude: s.groupsExclude,
    replicationPolicy: s.replicationPolicy,
    flow: s.replicationFlow,
    tasksMax: s.tasksMax,
    kafkaDownloadBaseUrl: s.kafkaDownloadBaseUrl,
    kafkaDownloadCidr: s.kafkaDownloadCidr,
    nodeDownloadBaseUrl: s.nodeDownloadBaseUrl,
    jmxExporterDownloadBaseUrl: s.jmxExporterDownloadBaseUrl,
  });
}

/** `monitoring` from the settings: the webhook URLs come from their secret keys. */
function monitoringArgs(s: StackSettings): MonitoringArgs {
  const one = (v: pulumi.Output<string> | undefined) => (v !== undefined ? [v] : undefined);
  return definedOnly<MonitoringArgs>({
    enabled: s.monitoringEnabled,
    metricNamespace: s.metricNamespace,
    rpoTargetSeconds: s.rpoTargetSeconds,
    lagAlarmMinutes: s.lagAlarmMinutes,
    heartbeatMaxAgeSeconds: s.heartbeatMaxAgeSeconds,
    notificationTopicId: s.alarmTopicId,
    emails: s.alarmEmails,
    pagerDutyUrls: one(s.alarmPagerDutyUrl),
    slackWebhookUrls: one(s.alarmSlackWebhookUrl),
    httpsUrls: one(s.alarmHttpsUrl),
    operatorGroup: s.operatorGroup,
  });
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
