/**
 * The stack settings, once: every config key the stack program reads, in the style of Kafka's
 * `ConfigDef` — name, type, default, documentation, validator, which stacks, secret or not — and
 * the defaults the code applies. Everything else is derived from this table:
 *
 * - the stack program reads config through {@link readStackSettings} (typed, checked, defaults
 *   applied) before it registers anything;
 * - `Pulumi.yaml`'s `config:` section and the README's config reference are generated from it
 *   (`npm run gen:settings`; tests/unit/settings.test.ts fails when either has drifted);
 * - the Automation API's key list ({@link PROGRAM_CONFIG_KEYS}) and its encoding of values;
 * - the component's JSDoc `Default:` texts (lib/core/config/args.ts) are checked against `defaultText`.
 *
 * The Pulumi CLI treats every key declared in Pulumi.yaml without a `default` as required (there is
 * no "optional" declaration), so only two kinds of setting are declared there: `required` ones and
 * ones with a static `default`. The rest are documented in the README only.
 *
 * Pure: no Pulumi resources, no I/O.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../errors";
import { KAFKA_DEFAULT_DOWNLOAD_BASE } from "../kafkaVersion";
import { DEFAULT_INCLUDE, DEFAULT_REFRESH_SECONDS } from "../mm2/replicationModel";
import { DEFAULT_METRIC_NAMESPACE } from "../telemetry/metrics";
import { JMX_EXPORTER_DEFAULT_BASE, NODE_DEFAULT_BASE } from "../telemetry/artifacts";

/**
 * The defaults the code applies, shared by the component's validation (lib/core/config/validate*.ts),
 * the settings table below and so the docs generated from it.
 */
export const DEFAULTS = {
  /** Tenancy partition quota (OCI's default limit is often 200). */
  partitionQuota: 200,
  /** Partitions of a declared stream, and of auto-created topics. */
  partitions: 1,
  /** Retention of a declared stream, and of auto-created topics (OCI's minimum). */
  retentionHours: 24,
  autoCreateTopics: false,
  fleetSize: 2,
  shape: "VM.Standard.E5.Flex",
  ocpus: 2,
  /** Memory per VM, raised to the shape's minimum GB per OCPU × OCPUs when that is more. */
  memoryGbs: 16,
  replicationPolicy: "prefixed",
  replicationFlow: "peer-to-local",
  ikeVersion: "V2",
  groupsInclude: DEFAULT_INCLUDE,
  refreshIntervalSeconds: DEFAULT_REFRESH_SECONDS,
  kafkaDownloadBaseUrl: KAFKA_DEFAULT_DOWNLOAD_BASE,
  kafkaDownloadCidr: "0.0.0.0/0",
  nodeDownloadBaseUrl: NODE_DEFAULT_BASE,
  jmxExporterDownloadBaseUrl: JMX_EXPORTER_DEFAULT_BASE,
  monitoringEnabled: true,
  metricNamespace: DEFAULT_METRIC_NAMESPACE,
  rpoTargetSeconds: 300,
  lagAlarmMinutes: 5,
  heartbeatMaxAgeSeconds: 60,
} as const;

/** Config value types, as Pulumi.yaml declares them (`array` with `items`). */
export type SettingType = "string" | "integer" | "boolean" | "string[]" | "object[]" | "object";

/** Which stacks a setting is for (documentation, and checked against this repo's stack files). */
export type SettingStacks = "both" | "primary" | "dr" | "replication" | "on-premises";

/** One setting. */
export interface Setting {
  /** The key, without its namespace. */
  readonly key: string;
  /** The namespace when it is not the project's (only `oci:region`). */
  readonly namespace?: "oci";
  readonly type: SettingType;
  /** What it means (one or two sentences; Pulumi.yaml description and README). */
  readonly doc: string;
  readonly stacks: SettingStacks;
  /** Every stack must set it: declared in Pulumi.yaml without a default (the CLI then requires it). */
  readonly required?: true;
  /** A static default: declared in Pulumi.yaml with it, and applied by {@link readStackSettings}. */
  readonly default?: string | number | boolean | readonly string[] | readonly object[];
  /** How the default reads in the docs and the JSDoc (`Default: <text>`); derived defaults have only this. */
  readonly defaultDoc?: string;
  /** A Pulumi secret (read with `getSecret`; set with `pulumi config set --secret`). */
  readonly secret?: true;
  /** Allowed values of a string setting. */
  readonly oneOf?: readonly string[];
  /** Smallest value of an integer setting. */
  readonly min?: number;
  /** The component argument it sets (a path in GeoReplicatedStreamArgs; its JSDoc default is checked). */
  readonly arg?: string;
}

const SETTING_LIST = [
  // --- both stacks ---
  {
    key: "region",
    namespace: "oci",
    type: "string",
    stacks: "both",
    required: true,
    doc: "The stack's OCI region, e.g. eu-frankfurt-1.",
    arg: "region",
  },
  {
    key: "role",
    type: "string",
    stacks: "both",
    required: true,
    oneOf: ["primary", "dr"],
    doc: "Which side this stack builds: primary or dr.",
    arg: "role",
  },
  {
    key: "compartmentId",
    type: "string",
    stacks: "both",
    required: true,
    doc: "OCID of the compartment every regional resource goes into.",
    arg: "compartmentId",
  },
  {
    key: "vcnCidr",
    type: "string",
    stacks: "both",
    required: true,
    doc: "CIDR of the VCN to create, /16 to /29 (OCI allows /16 to /30, but the two subnets need a /29 at least). Must not overlap the peer's.",
    arg: "network.vcnCidr",
  },
  {
    key: "streamSubnetCidr",
    type: "string",
    stacks: "both",
    defaultDoc: "the first /24 of vcnCidr (its first half when vcnCidr is /24 or smaller)",
    doc: "Private subnet of the stream pool's endpoint.",
    arg: "network.streamSubnetCidr",
  },
  {
    key: "mirrorMakerSubnetCidr",
    type: "string",
    stacks: "both",
    defaultDoc: "the second /24 of vcnCidr (its second half when vcnCidr is /24 or smaller)",
    doc: "Private subnet of the MirrorMaker fleet.",
    arg: "network.mirrorMakerSubnetCidr",
  },
  {
    key: "streams",
    type: "object[]",
    stacks: "both",
    default: [],
    defaultDoc: "none",
    doc: "Streams to create: a list of { name, partitions (default 1), retentionHours (24..168, default 24) }.",
    arg: "streams",
  },
  {
    key: "partitionQuota",
    type: "integer",
    stacks: "both",
    min: 1,
    default: DEFAULTS.partitionQuota,
    doc: "Tenancy partition limit the streams must fit in.",
    arg: "partitionQuota",
  },
  {
    key: "autoCreateTopics",
    type: "boolean",
    stacks: "both",
    // Not a static default: it is refused together with existingStreamPoolId.
    defaultDoc: "false (streams are declared)",
    doc: "kafkaSettings.autoCreateTopicsEnable of a created pool.",
    arg: "streamPool.autoCreateTopics",
  },
  {
    key: "kmsKeyId",
    type: "string",
    stacks: "both",
    defaultDoc: "Oracle-managed keys",
    doc: "Customer-managed KMS key OCID of a created pool.",
    arg: "streamPool.kmsKeyId",
  },
  {
    key: "existingStreamPoolId",
    type: "string",
    stacks: "both",
    doc: "Adopt this stream pool instead of creating one.",
    arg: "streamPool.existingStreamPoolId",
  },
  {
    key: "ociConfigProfile",
    type: "string",
    stacks: "both",
    // Not declared with a default: an explicit profile makes the provider read ~/.oci/config.
    defaultDoc: "the provider's (DEFAULT, or the OCI_*/TF_VAR_* environment)",
    doc: "Profile in ~/.oci/config the stack's providers authenticate with.",
  },
  // --- one role ---
  {
    key: "peerRegion",
    type: "string",
    stacks: "primary",
    doc: "The dr region (routes and NSG rules toward it); with peerVcnCidr and peerMirrorMakerSubnetCidr.",
    arg: "peer.region",
  },
  {
    key: "peerVcnCidr",
    type: "string",
    stacks: "primary",
    doc: "The dr VCN's CIDR.",
    arg: "peer.vcnCidr",
  },
  {
    key: "peerMirrorMakerSubnetCidr",
    type: "string",
    stacks: "primary",
    doc: "The dr MirrorMaker subnet's CIDR (allowed to reach the pool on 9092).",
    arg: "peer.mirrorMakerSubnetCidr",
  },
  {
    key: "primaryStack",
    type: "string",
    stacks: "dr",
    doc: "Fully qualified name of the primary stack (org/project/primary), read through a StackReference.",
  },
  {
    key: "peerStack",
    type: "string",
    stacks: "primary",
    doc: "Failback: the dr stack's fully qualified name; its peering output lets the primary pull from dr (with replicationEnabled).",
  },
  // --- replication layer (tenancyId builds it) ---
  {
    key: "tenancyId",
    type: "string",
    stacks: "both",
    doc: "Tenancy OCID. Setting it builds the replication layer (IAM lives at the tenancy root).",
    arg: "replication.tenancyId",
  },
  {
    key: "homeRegion",
    type: "string",
    stacks: "replication",
    doc: "The tenancy's home region (IAM is written there through a second provider). Required with tenancyId.",
  },
  {
    key: "tenancyName",
    type: "string",
    stacks: "replication",
    defaultDoc: "looked up from tenancyId",
    doc: "Tenancy name used in OCI Kafka usernames.",
    arg: "replication.tenancyName",
  },
  {
    key: "replicationEnabled",
    type: "boolean",
    stacks: "replication",
    defaultDoc: "true for dr or an external flow, false for a primary pulling from its peer",
    doc: "Run MirrorMaker here (the primary too: failback, active-active).",
    arg: "replication.enabled",
  },
  {
    key: "replicationFlow",
    type: "string",
    stacks: "replication",
    oneOf: ["peer-to-local", "external-to-local", "local-to-external"],
    default: DEFAULTS.replicationFlow,
    doc: "What this stack's MirrorMaker replicates: peer-to-local (the peer region's pool into this one), external-to-local (on-premises Kafka into this pool) or local-to-external (this pool out to on-premises Kafka).",
    arg: "replication.flow",
  },
  {
    key: "mm2UserName",
    type: "string",
    stacks: "replication",
    defaultDoc: "a created user",
    doc: "IAM user MirrorMaker authenticates as (an existing one with mm2AuthToken).",
  },
  {
    key: "mm2UserEmail",
    type: "string",
    stacks: "replication",
    doc: "Required for a created user when identityDomains. Email of the created MirrorMaker IAM user: tenancies with identity domains refuse a user without one.",
    arg: "replication.credentials.email",
  },
  {
    key: "mm2UserDomain",
    type: "string",
    stacks: "replication",
    defaultDoc: "the Default domain in a tenancy with identity domains; none in a classic one",
    doc: "Identity domain of an existing mm2UserName (part of its Kafka username <tenancy>/<domain>/<user>/<pool>).",
    arg: "replication.credentials.domain",
  },
  {
    key: "identityDomains",
    type: "boolean",
    stacks: "replication",
    default: true,
    doc: "The tenancy has identity domains (every tenancy created since 2023): created users need mm2UserEmail, policies name 'Default'/'<group>'. false for a classic tenancy; the deployment checks it against the tenancy.",
    arg: "replication.identityDomains",
  },
  {
    key: "mm2AuthToken",
    type: "string",
    stacks: "replication",
    secret: true,
    defaultDoc: "a created token",
    doc: "Auth token of an existing mm2UserName (pulumi config set --secret).",
  },
  {
    key: "vaultId",
    type: "string",
    stacks: "replication",
    defaultDoc: "a vault and an AES-256 key are created",
    doc: "Existing OCI Vault for the secrets (with vaultKeyId).",
    arg: "replication.vault",
  },
  {
    key: "vaultKeyId",
    type: "string",
    stacks: "replication",
    doc: "Key in vaultId that encrypts the secrets. Required with vaultId.",
  },
  {
    key: "mm2FleetSize",
    type: "integer",
    stacks: "replication",
    min: 1,
    default: DEFAULTS.fleetSize,
    doc: "Number of MirrorMaker VMs, spread over fault domains.",
    arg: "replication.fleet.size",
  },
  {
    key: "mm2Shape",
    type: "string",
    stacks: "replication",
    default: DEFAULTS.shape,
    doc: "Flexible shape of the MirrorMaker VMs.",
    arg: "replication.fleet.shape",
  },
  {
    key: "mm2Ocpus",
    type: "integer",
    stacks: "replication",
    min: 1,
    default: DEFAULTS.ocpus,
    doc: "OCPUs per VM (an OCPU is 2 vCPUs on x86 shapes, 1 on Ampere A1).",
    arg: "replication.fleet.ocpus",
  },
  {
    key: "mm2MemoryGbs",
    type: "integer",
    stacks: "replication",
    min: 1,
    defaultDoc: `${DEFAULTS.memoryGbs}, or the shape's minimum GB per OCPU × ocpus when that is more`,
    doc: "Memory per VM in GB.",
    arg: "replication.fleet.memoryInGbs",
  },
  {
    key: "mm2ImageId",
    type: "string",
    stacks: "replication",
    defaultDoc: "the newest Oracle Linux 8 platform image for the shape",
    doc: "Image OCID of the MirrorMaker VMs.",
    arg: "replication.fleet.imageId",
  },
  {
    key: "bastionClientCidrs",
    type: "string[]",
    stacks: "replication",
    defaultDoc: "no bastion",
    doc: "Client CIDRs allowed to use the OCI Bastion of the fleet's subnet (never 0.0.0.0/0).",
    arg: "replication.bastionClientCidrs",
  },
  {
    key: "topicsInclude",
    type: "string[]",
    stacks: "replication",
    defaultDoc:
      "exactly the source's declared streams (the peer's streams, externalKafka.topics, or this pool's streams for local-to-external)",
    doc: "Java regexes of topics to replicate.",
    arg: "replication.topicsInclude",
  },
  {
    key: "topicsExclude",
    type: "string[]",
    stacks: "replication",
    doc: "Java regexes of topics never to replicate (internal and harness topics always are excluded).",
    arg: "replication.topicsExclude",
  },
  {
    key: "groupsInclude",
    type: "string[]",
    stacks: "replication",
    default: DEFAULTS.groupsInclude,
    doc: "Java regexes of consumer groups to checkpoint.",
    arg: "replication.groupsInclude",
  },
  {
    key: "groupsExclude",
    type: "string[]",
    stacks: "replication",
    doc: "Java regexes of consumer groups not to checkpoint (console-consumer-.*, connect-.* and __.* always are excluded).",
    arg: "replication.groupsExclude",
  },
  {
    key: "replicationPolicy",
    type: "string",
    stacks: "replication",
    oneOf: ["prefixed", "identity"],
    default: DEFAULTS.replicationPolicy,
    doc: "prefixed (remote topics are <source alias>.<topic>) or identity (same names; one direction only).",
    arg: "replication.replicationPolicy",
  },
  {
    key: "tasksMax",
    type: "integer",
    stacks: "replication",
    min: 1,
    defaultDoc:
      "min(partitions to replicate, fleet size × vCPUs per VM), at least 1 (vCPUs: 2 per OCPU on x86 shapes, 1 on Ampere A1)",
    doc: "MirrorMaker tasks.max.",
    arg: "replication.tasksMax",
  },
  {
    key: "kafkaDownloadBaseUrl",
    type: "string",
    stacks: "replication",
    default: DEFAULTS.kafkaDownloadBaseUrl,
    doc: "Base URL the VMs download the Kafka release from (a mirror laid out like Apache's archive; the SHA-512 is checked).",
    arg: "replication.kafkaDownloadBaseUrl",
  },
  {
    key: "kafkaDownloadCidr",
    type: "string",
    stacks: "replication",
    default: DEFAULTS.kafkaDownloadCidr,
    defaultDoc: `${DEFAULTS.kafkaDownloadCidr} through the NAT gateway`,
    doc: "CIDR of that mirror, narrowing the fleet's HTTPS egress.",
    arg: "replication.kafkaDownloadCidr",
  },
  {
    key: "nodeDownloadBaseUrl",
    type: "string",
    stacks: "replication",
    default: DEFAULTS.nodeDownloadBaseUrl,
    doc: "Base URL the VMs download the operator commands' Node.js runtime from (laid out like nodejs.org/dist; the SHA-256 is checked).",
    arg: "replication.nodeDownloadBaseUrl",
  },
  {
    key: "jmxExporterDownloadBaseUrl",
    type: "string",
    stacks: "replication",
    default: DEFAULTS.jmxExporterDownloadBaseUrl,
    doc: "Base URL of the Maven repository the VMs download the Prometheus JMX exporter from (the SHA-256 is checked).",
    arg: "replication.jmxExporterDownloadBaseUrl",
  },
  // --- monitoring (both stacks) ---
  {
    key: "monitoringEnabled",
    type: "boolean",
    stacks: "both",
    default: DEFAULTS.monitoringEnabled,
    doc: "Create the Notifications topic, the alarms and (with MirrorMaker) the metrics, logs, Run Command policies and the nodes' operator commands.",
    arg: "monitoring.enabled",
  },
  {
    key: "metricNamespace",
    type: "string",
    stacks: "both",
    default: DEFAULTS.metricNamespace,
    doc: "Custom OCI Monitoring namespace the MirrorMaker nodes post to (letters, digits, underscores; not oci_ or oracle_ first).",
    arg: "monitoring.metricNamespace",
  },
  {
    key: "rpoTargetSeconds",
    type: "integer",
    stacks: "both",
    min: 1,
    default: DEFAULTS.rpoTargetSeconds,
    doc: "RPO target: the lag alarm fires when the oldest record not yet replicated is older than this.",
    arg: "monitoring.rpoTargetSeconds",
  },
  {
    key: "lagAlarmMinutes",
    type: "integer",
    stacks: "both",
    min: 1,
    default: DEFAULTS.lagAlarmMinutes,
    doc: "Minutes the lag must stay above rpoTargetSeconds before the lag alarm fires (1..60).",
    arg: "monitoring.lagAlarmMinutes",
  },
  {
    key: "heartbeatMaxAgeSeconds",
    type: "integer",
    stacks: "both",
    min: 1,
    default: DEFAULTS.heartbeatMaxAgeSeconds,
    doc: "A replicated heartbeat older than this fires the heartbeat alarm.",
    arg: "monitoring.heartbeatMaxAgeSeconds",
  },
  {
    key: "alarmTopicId",
    type: "string",
    stacks: "both",
    defaultDoc: "a topic is created",
    doc: "Existing Notifications (ONS) topic OCID the alarms notify.",
    arg: "monitoring.notificationTopicId",
  },
  {
    key: "alarmEmails",
    type: "string[]",
    stacks: "both",
    defaultDoc: "none",
    doc: "Email addresses subscribed to the alarms' topic (each confirms OCI's email).",
    arg: "monitoring.emails",
  },
  {
    key: "alarmPagerDutyUrl",
    type: "string",
    stacks: "both",
    secret: true,
    doc: "PagerDuty Events API integration URL subscribed to the topic (pulumi config set --secret).",
  },
  {
    key: "alarmSlackWebhookUrl",
    type: "string",
    stacks: "both",
    secret: true,
    doc: "Slack incoming-webhook URL subscribed to the topic (pulumi config set --secret).",
  },
  {
    key: "alarmHttpsUrl",
    type: "string",
    stacks: "both",
    secret: true,
    doc: "HTTPS endpoint (CUSTOM_HTTPS) subscribed to the topic (pulumi config set --secret).",
  },
  {
    key: "operatorGroup",
    type: "string",
    stacks: "replication",
    defaultDoc: "none (grant it yourself)",
    doc: "IAM group of the operators allowed to use Run Command on the MirrorMaker nodes.",
    arg: "monitoring.operatorGroup",
  },
  // --- on premises ---
  {
    key: "onPremCidrs",
    type: "string[]",
    stacks: "on-premises",
    doc: "On-premises CIDRs routed from the MirrorMaker subnet through the DRG (with ipsecCpeIpAddress or fastConnectVirtualCircuitId).",
    arg: "onPremises.cidrs",
  },
  {
    key: "onPremDnsDomains",
    type: "string[]",
    stacks: "on-premises",
    doc: "Domains the on-premises DNS server answers (the brokers' names): the fleet's VCN forwards exactly these to onPremDnsServerIp.",
    arg: "onPremises.dns.domains",
  },
  {
    key: "onPremDnsServerIp",
    type: "string",
    stacks: "on-premises",
    doc: "IPv4 address of the on-premises DNS server, inside onPremCidrs (one: an OCI resolver rule forwards to exactly one address).",
    arg: "onPremises.dns.serverIp",
  },
  {
    key: "ipsecCpeIpAddress",
    type: "string",
    stacks: "on-premises",
    doc: "Public IPv4 of the on-premises VPN device: creates the CPE and a site-to-site IPSec VPN (tunnel keys generated, output as secrets).",
    arg: "onPremises.ipsec.cpeIpAddress",
  },
  {
    key: "ipsecIkeVersion",
    type: "string",
    stacks: "on-premises",
    oneOf: ["V1", "V2"],
    default: DEFAULTS.ikeVersion,
    doc: "IKE version of both tunnels.",
    arg: "onPremises.ipsec.ikeVersion",
  },
  {
    key: "fastConnectVirtualCircuitId",
    type: "string",
    stacks: "on-premises",
    doc: "Instead of IPSec: an existing private FastConnect virtual circuit whose gateway is this stack's DRG.",
    arg: "onPremises.fastConnect.virtualCircuitId",
  },
  {
    key: "externalKafka",
    type: "object",
    stacks: "on-premises",
    defaultDoc: "none",
    doc: "The on-premises Kafka cluster: { alias, bootstrapServers, brokerCidrs, brokerPorts, securityProtocol (SASL_SSL|SSL|SASL_PLAINTEXT), saslMechanism, saslUsername, caCertificatePem, clientCertificatePem, endpointIdentification, topics }. Its secrets have keys of their own.",
    arg: "externalKafka",
  },
  {
    key: "externalKafkaPassword",
    type: "string",
    stacks: "on-premises",
    secret: true,
    doc: "SASL password of externalKafka's saslUsername (pulumi config set --secret).",
    arg: "externalKafka.sasl.password",
  },
  {
    key: "externalKafkaClientKeyPem",
    type: "string",
    stacks: "on-premises",
    secret: true,
    doc: "Mutual TLS: the client's PKCS#8 private key, PEM (pulumi config set --secret).",
    arg: "externalKafka.tls.clientKeyPem",
  },
  {
    key: "externalKafkaClientKeyPassword",
    type: "string",
    stacks: "on-premises",
    secret: true,
    defaultDoc: "the key is not encrypted",
    doc: "Password of an encrypted externalKafkaClientKeyPem (pulumi config set --secret).",
    arg: "externalKafka.tls.clientKeyPassword",
  },
] as const satisfies readonly Setting[];

/** Every setting, in documentation order. */
export const SETTINGS: readonly Setting[] = SETTING_LIST;

type Entry = (typeof SETTING_LIST)[number];
type ProjectEntry = Exclude<Entry, { namespace: "oci" }>;

/** The project-namespace keys the stack program reads (what the Automation API manages). */
export type ProgramConfigKey = ProjectEntry["key"];

type Widen<E> = E extends { oneOf: readonly (infer U)[] }
  ? U
  : E extends { secret: true }
    ? pulumi.Output<string>
    : E extends { type: "string" }
      ? string
      : E extends { type: "integer" }
        ? number
        : E extends { type: "boolean" }
          ? boolean
          : E extends { type: "string[]" }
            ? string[]
            : E extends { type: "object[]" }
              ? Record<string, unknown>[]
              : Record<string, unknown>;

/**
 * The stack's settings, typed by the table: a setting with a static default is always present,
 * the others are `undefined` when unset.
 */
export type StackSettings = {
  [E in ProjectEntry as E["key"]]: E extends { default: unknown } ? Widen<E> : Widen<E> | undefined;
};

/** The project-namespace keys, in table order. */
export const PROGRAM_CONFIG_KEYS: readonly ProgramConfigKey[] = SETTINGS.filter(
  (s) => s.namespace === undefined,
).map((s) => s.key as ProgramConfigKey);

/** The setting of `key` (project namespace unless `oci:`-prefixed). */
export function settingOf(key: string): Setting | undefined {
  const [ns, k] = key.includes(":") ? key.split(":", 2) : [undefined, key];
  return SETTINGS.find((s) => s.key === k && (ns === undefined ? !s.namespace : s.namespace === ns));
}

/** `Default: <text>` of a setting as the docs and the JSDoc say it; undefined when it has none. */
export function defaultText(s: Setting): string | undefined {
  return s.defaultDoc ?? (s.default !== undefined ? formatValue(s.default) : undefined);
}

/** A value as the docs write it: strings bare, lists and objects as JSON. */
export function formatValue(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** The full key (`<namespace>:<key>`). */
export function fullKey(s: Setting, projectName: string): string {
  return `${s.namespace ?? projectName}:${s.key}`;
}

/** Pulumi.yaml's type declaration of a setting (`type`, and `items` for lists). */
export function pulumiType(t: SettingType): { type: string; items?: { type: string } } {
  return t === "string[]"
    ? { type: "array", items: { type: "string" } }
    : t === "object[]"
      ? { type: "array", items: { type: "object" } }
      : { type: t };
}

/** The parts of `pulumi.Config` the settings are read through (the Automation API supplies its own). */
export interface StackConfigReader {
  /** The raw value (structured values are JSON text), undefined when unset. */
  get(key: string): string | undefined;
  /** The value as a Pulumi secret, undefined when unset. */
  getSecret(key: string): pulumi.Output<string> | undefined;
}

/** A stack config value in the text form `pulumi.Config` hands it over, as a setting's type. */
export function parseSettingValue(s: Setting, raw: string, projectName: string): unknown {
  const key = fullKey(s, projectName);
  const fail = (what: string, fix: string): never => {
    throw new ValidationError(s.key, `${JSON.stringify(raw)} is not ${what}. ${fix} (config ${key})`);
  };
  switch (s.type) {
    case "string":
      if (s.oneOf !== undefined && !s.oneOf.includes(raw)) {
        fail(`one of ${s.oneOf.join(", ")}`, `Set one of them: pulumi config set ${key} ${s.oneOf[0]}`);
      }
      return raw;
    case "integer": {
      if (!/^[-+]?\d+$/.test(raw)) {
        fail(
          "a whole number",
          `Set a number without quotes or units, e.g. pulumi config set ${key} ${s.min ?? 1}`,
        );
      }
      const n = Number(raw);
      if (s.min !== undefined && n < s.min) {
        fail(`at least ${s.min}`, `Set a whole number of at least ${s.min}`);
      }
      return n;
    }
    case "boolean":
      if (raw !== "true" && raw !== "false") {
        fail("true or false", `Set it to true or false: pulumi config set ${key} true`);
      }
      return raw === "true";
    default: {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = undefined;
      }
      if (s.type === "object") {
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
          fail("an object", `Write it as a YAML mapping under ${key} in the stack file`);
        }
        return parsed;
      }
      const itemType = s.type === "string[]" ? "string" : "object";
      if (!Array.isArray(parsed)) {
        fail(`a list`, `Write it as a YAML list of ${itemType}s under ${key} in the stack file`);
      }
      (parsed as unknown[]).forEach((item, i) => {
        const ok =
          itemType === "string"
            ? typeof item === "string"
            : item !== null && typeof item === "object" && !Array.isArray(item);
        if (!ok) {
          throw new ValidationError(
            `${s.key}[${i}]`,
            `${JSON.stringify(item)} is not a ${itemType}. Every item of ${key} must be a ${itemType}${itemType === "string" ? " (quote it in YAML)" : ""}`,
          );
        }
      });
      return parsed;
    }
  }
}

/**
 * Reads every project setting of a stack: typed, checked against the table (type, allowed values,
 * minimum) and with static defaults applied. Throws a {@link ValidationError} naming the key and
 * the fix on the first bad value; registers nothing. Secrets are read with `getSecret`.
 */
export function readStackSettings(cfg: StackConfigReader, projectName: string): StackSettings {
  const out: Record<string, unknown> = {};
  for (const s of SETTINGS) {
    if (s.namespace !== undefined) {
      continue;
    }
    if (s.secret) {
      out[s.key] = cfg.get(s.key) !== undefined ? cfg.getSecret(s.key) : undefined;
      continue;
    }
    const raw = cfg.get(s.key);
    out[s.key] =
      raw !== undefined
        ? parseSettingValue(s, raw, projectName)
        : s.default !== undefined
          ? structuredClone(s.default)
          : undefined;
  }
  return out as StackSettings;
}

/**
 * A value in the text form `pulumi config set-all --plaintext` stores and `pulumi.Config` hands
 * over (strings as they are, everything else as JSON). Checks the value against the setting's type.
 */
export function settingText(key: ProgramConfigKey, value: unknown, projectName: string): string {
  const s = settingOf(key);
  if (s === undefined) {
    throw new Error(`internal: ${key} is not a setting (lib/core/config/settings.ts)`);
  }
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (!s.secret) {
    parseSettingValue(s, text, projectName);
  }
  return text;
}
