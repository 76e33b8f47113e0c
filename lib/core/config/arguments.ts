/**
 * Every argument of {@link GeoReplicatedStreamArgs} and every stack setting, declared once, in the
 * style of Kafka's `ConfigDef`: the argument's path, its runtime type, its default (or the text of
 * a derived one), its simple validator (min, max, oneOf), its stack setting (key, stacks, doc,
 * secret) or none. Derived from it:
 *
 * - the runtime type table `ARG_TYPES` (argTypes.ts) and its min/max/oneOf checks;
 * - the settings table `SETTINGS`, `DEFAULTS` and typed config reading (settings.ts);
 * - the stack program's settings → arguments mapping (lib/program/stackProgram.ts `applySettings`:
 *   a setting with a 1:1 `arg` is set at that path; `mapping: "hand"` ones are mapped by hand);
 * - the Automation API's keys (its site model uses the setting keys);
 * - Pulumi.yaml's `config:` and the config reference (`npm run gen:settings`).
 *
 * The argument's prose stays in its JSDoc in args.ts: editors show it from there and the schema
 * generator reads it; a test checks every `Default:` there against this table.
 *
 * A setting's key names its argument: it ends with the argument's last path segment
 * (`fleetSize` → `replication.fleet.size`), prefixed by its group when the segment alone would be
 * ambiguous. Pure: no Pulumi resources, no I/O.
 */
import { KAFKA_DEFAULT_DOWNLOAD_BASE } from "../kafkaVersion";
import { DEFAULT_INCLUDE, DEFAULT_OFFSET_LAG_MAX, DEFAULT_REFRESH_SECONDS } from "../mm2/replicationModel";
import { DEFAULT_METRIC_NAMESPACE } from "../telemetry/metrics";
import { JMX_EXPORTER_DEFAULT_BASE, NODE_DEFAULT_BASE } from "../telemetry/artifacts";

/**
 * A value's type. `input`: a string, or an Output/Promise of one (a string setting). `object` and
 * `object[]` declare a container whose members are the entries below its path (`streams[].name`).
 * `any`: checked by the validation itself (the home-region provider).
 */
export type ArgType =
  | "string"
  | "integer"
  | "number"
  | "boolean"
  | "input"
  | "string[]"
  | "number[]"
  | "input[]"
  | "object"
  | "object[]"
  | "record<string>"
  | "any";

/** Which stacks a setting is for (documentation, and checked against this repo's stack files). */
export type SettingStacks = "both" | "primary" | "dr" | "replication" | "on-premises";

/** One argument, one setting, or both. */
export interface Definition {
  /**
   * The argument's path in GeoReplicatedStreamArgs; `[]` follows a list of objects
   * (`streams[].partitions`). Absent: a setting only the stack program uses (`homeRegion`).
   */
  readonly arg?: string;
  /** The stack setting's key (without namespace); absent: no setting. */
  readonly key?: string;
  /** The setting's namespace when it is not the project's (only `oci:region`). */
  readonly namespace?: "oci";
  readonly type: ArgType;
  /** For a list of objects: the list whose item members it shares. */
  readonly itemsAs?: string;
  /** The setting's documentation (Pulumi.yaml description and the config reference). */
  readonly doc?: string;
  readonly stacks?: SettingStacks;
  /** Every stack must set it (Pulumi.yaml declares it without a default: the CLI requires it). */
  readonly required?: true;
  /** The default the code applies. */
  readonly default?: string | number | boolean | readonly string[] | readonly object[];
  /**
   * The default depends on other values, or is refused with another one: only `defaultDoc` says it,
   * and neither Pulumi.yaml nor the config reading applies it.
   */
  readonly derivedDefault?: true;
  /** How the default reads in the docs and the JSDoc (`Default: <text>`). */
  readonly defaultDoc?: string;
  /** A Pulumi secret (read with `getSecret`; set with `pulumi config set --secret`). */
  readonly secret?: true;
  readonly oneOf?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  /**
   * The stack program maps this setting to `arg` by hand (it is not 1:1: a mode, a list of one,
   * the peer). The entry then declares no argument type: another entry does.
   */
  readonly mapping?: "hand";
  /** The name in DEFAULTS of an argument without a setting (default: the path's last segment). */
  readonly name?: string;
  /**
   * Where the Automation API's pair model (lib/program/automation) carries the setting, under its
   * key: each region's own (`site`), that region's MirrorMaker fleet (`mirrorMaker`), or the
   * replication both directions share (`pair`). Absent: the pair model derives it (role, peer,
   * direction) or does not offer it.
   */
  readonly automation?: AutomationGroup;
}

/** The groups of the Automation API's pair model. */
export type AutomationGroup = "site" | "mirrorMaker" | "pair";

export const DEFINITION_LIST = [
  // --- both stacks ---
  {
    key: "region",
    namespace: "oci",
    arg: "region",
    type: "string",
    stacks: "both",
    required: true,
    doc: "The stack's OCI region, e.g. eu-frankfurt-1.",
  },
  {
    key: "role",
    arg: "role",
    type: "string",
    stacks: "both",
    required: true,
    oneOf: ["primary", "dr"],
    doc: "Which side this stack builds: primary or dr.",
  },
  {
    key: "compartmentId",
    automation: "site",
    arg: "compartmentId",
    type: "input",
    stacks: "both",
    required: true,
    doc: "OCID of the compartment every regional resource goes into.",
  },
  {
    key: "vcnCidr",
    automation: "site",
    arg: "network.vcnCidr",
    type: "string",
    stacks: "both",
    required: true,
    doc: "CIDR of the VCN to create, /16 to /29 (OCI allows /16 to /30, but the two subnets need a /29 at least). Must not overlap the peer's.",
  },
  {
    key: "streamSubnetCidr",
    automation: "site",
    arg: "network.streamSubnetCidr",
    type: "string",
    stacks: "both",
    defaultDoc: "the first /24 of vcnCidr (its first half when vcnCidr is /24 or smaller)",
    doc: "Private subnet of the stream pool's endpoint.",
  },
  {
    key: "mirrorMakerSubnetCidr",
    automation: "site",
    arg: "network.mirrorMakerSubnetCidr",
    type: "string",
    stacks: "both",
    defaultDoc: "the second /24 of vcnCidr (its second half when vcnCidr is /24 or smaller)",
    doc: "Private subnet of the MirrorMaker fleet.",
  },
  { arg: "network.dnsLabel", type: "string", defaultDoc: "geo<role> (geoprimary, geodr)" },
  { arg: "network.existing.vcnId", type: "input" },
  { arg: "network.existing.vcnCidr", type: "string" },
  { arg: "network.existing.streamSubnetId", type: "input" },
  { arg: "network.existing.streamSubnetCidr", type: "string" },
  { arg: "network.existing.mirrorMakerSubnetId", type: "input" },
  { arg: "network.existing.mirrorMakerSubnetCidr", type: "string" },
  { arg: "network.existing.drgId", type: "input", defaultDoc: "a DRG is created and attached to the VCN" },
  {
    key: "streams",
    automation: "site",
    arg: "streams",
    type: "object[]",
    stacks: "both",
    default: [],
    defaultDoc: "none",
    doc: "Streams to create: a list of { name, partitions (default 1), retentionHours (24..168, default 24) }.",
  },
  { arg: "streams[].name", type: "string" },
  { arg: "streams[].partitions", type: "integer", default: 1 },
  { arg: "streams[].retentionHours", type: "integer", default: 24 },
  {
    key: "partitionQuota",
    automation: "site",
    arg: "partitionQuota",
    type: "integer",
    stacks: "both",
    min: 1,
    default: 200,
    doc: "Tenancy partition limit the streams must fit in.",
  },
  {
    arg: "streamPool.name",
    type: "string",
    defaultDoc: "<name>-streaming-pool (<name>: the component's name)",
  },
  {
    key: "autoCreateTopics",
    automation: "site",
    arg: "streamPool.autoCreateTopics",
    type: "boolean",
    stacks: "both",
    default: false,
    // Not applied on reading config: it is refused together with existingStreamPoolId.
    derivedDefault: true,
    defaultDoc: "false (streams are declared)",
    doc: "kafkaSettings.autoCreateTopicsEnable of a created pool.",
  },
  { arg: "streamPool.defaultPartitions", type: "integer", default: 1, name: "defaultPartitions" },
  { arg: "streamPool.defaultRetentionHours", type: "integer", default: 24, name: "defaultRetentionHours" },
  { arg: "streamPool.privateEndpointIp", type: "string", defaultDoc: "assigned by OCI" },
  {
    key: "kmsKeyId",
    automation: "site",
    arg: "streamPool.kmsKeyId",
    type: "input",
    stacks: "both",
    defaultDoc: "Oracle-managed keys",
    doc: "Customer-managed KMS key OCID of a created pool.",
  },
  {
    key: "existingStreamPoolId",
    automation: "site",
    arg: "streamPool.existingStreamPoolId",
    type: "input",
    stacks: "both",
    doc: "Adopt this stream pool instead of creating one.",
  },
  {
    key: "streamPoolProtect",
    automation: "site",
    arg: "streamPool.protect",
    name: "streamPoolProtect",
    type: "boolean",
    stacks: "both",
    default: true,
    doc: "Protect a created stream pool (Pulumi protect): a change that would replace it (its private endpoint settings) or a destroy stops instead of deleting its messages. Set false before a deliberate replace or destroy.",
  },
  {
    key: "ociConfigProfile",
    automation: "site",
    type: "string",
    stacks: "both",
    // Not declared with a default: an explicit profile makes the provider read ~/.oci/config.
    defaultDoc: "the provider's (DEFAULT, or the OCI_*/TF_VAR_* environment)",
    doc: "Profile in ~/.oci/config the stack's providers authenticate with.",
  },
  {
    arg: "freeformTags",
    type: "record<string>",
    defaultDoc: "none; the tag oci-geo-streaming: <role> is always added",
  },
  // --- one role ---
  { arg: "peer", type: "object" },
  {
    key: "peerRegion",
    arg: "peer.region",
    type: "string",
    stacks: "primary",
    mapping: "hand",
    doc: "The dr region (routes and NSG rules toward it); with peerVcnCidr and peerMirrorMakerSubnetCidr.",
  },
  {
    key: "peerVcnCidr",
    arg: "peer.vcnCidr",
    type: "string",
    stacks: "primary",
    mapping: "hand",
    doc: "The dr VCN's CIDR.",
  },
  {
    key: "peerMirrorMakerSubnetCidr",
    arg: "peer.mirrorMakerSubnetCidr",
    type: "string",
    stacks: "primary",
    mapping: "hand",
    doc: "The dr MirrorMaker subnet's CIDR (allowed to reach the pool on 9092).",
  },
  { arg: "peer.region", type: "string" },
  { arg: "peer.vcnCidr", type: "string" },
  { arg: "peer.mirrorMakerSubnetCidr", type: "string" },
  { arg: "peer.remotePeeringConnectionId", type: "input" },
  { arg: "peer.compartmentId", type: "input", defaultDoc: "this instance's compartment" },
  { arg: "peer.streamPoolId", type: "input" },
  { arg: "peer.bootstrapServers", type: "input" },
  { arg: "peer.endpointFqdn", type: "input", defaultDoc: "the host of bootstrapServers" },
  { arg: "peer.dnsListenerIp", type: "input" },
  { arg: "peer.streams", type: "object[]", itemsAs: "streams" },
  { arg: "peer.replication.enabled", type: "boolean" },
  { arg: "peer.replication.replicationPolicy", type: "string", oneOf: ["prefixed", "identity"] },
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
    automation: "pair",
    arg: "replication.tenancyId",
    type: "input",
    stacks: "both",
    doc: "Tenancy OCID. Setting it builds the replication layer (IAM lives at the tenancy root).",
  },
  {
    key: "homeRegion",
    automation: "pair",
    type: "string",
    stacks: "replication",
    doc: "The tenancy's home region (IAM is written there through a second provider). Required with tenancyId.",
  },
  // Checked as a provider by validateReplication (a string there is the common mistake).
  { arg: "replication.homeRegionProvider", type: "any" },
  {
    key: "tenancyName",
    automation: "pair",
    arg: "replication.tenancyName",
    type: "input",
    stacks: "replication",
    defaultDoc: "looked up from tenancyId",
    doc: "Tenancy name used in OCI Kafka usernames.",
  },
  {
    key: "replicationEnabled",
    arg: "replication.enabled",
    type: "boolean",
    stacks: "replication",
    defaultDoc: "true for dr or an external flow, false for a primary pulling from its peer",
    doc: "Run MirrorMaker here (the primary too: failback, active-active).",
  },
  {
    key: "replicationFlow",
    arg: "replication.flow",
    type: "string",
    stacks: "replication",
    oneOf: ["peer-to-local", "external-to-local", "local-to-external"],
    default: "peer-to-local",
    doc: "What this stack's MirrorMaker replicates: peer-to-local (the peer region's pool into this one), external-to-local (on-premises Kafka into this pool) or local-to-external (this pool out to on-premises Kafka).",
  },
  // The credentials' mode follows from credentialsAuthToken: mapped by hand.
  { arg: "replication.credentials.mode", type: "string", oneOf: ["create", "existing"] },
  {
    key: "credentialsUserName",
    automation: "mirrorMaker",
    arg: "replication.credentials.userName",
    type: "string",
    stacks: "replication",
    mapping: "hand",
    defaultDoc: "a created user",
    doc: "IAM user MirrorMaker authenticates as (an existing one with credentialsAuthToken).",
  },
  {
    arg: "replication.credentials.userName",
    type: "string",
    defaultDoc:
      "<prefix>-<name>-replication-credentials-user (<prefix>: replication.iamNamePrefix; <name>: the component's name)",
  },
  {
    key: "credentialsEmail",
    automation: "mirrorMaker",
    arg: "replication.credentials.email",
    type: "string",
    stacks: "replication",
    mapping: "hand",
    doc: "Required for a created user when identityDomains. Email of the created MirrorMaker IAM user: tenancies with identity domains refuse a user without one.",
  },
  { arg: "replication.credentials.email", type: "string" },
  {
    key: "credentialsDomain",
    automation: "mirrorMaker",
    arg: "replication.credentials.domain",
    type: "string",
    stacks: "replication",
    mapping: "hand",
    defaultDoc: "the Default domain in a tenancy with identity domains; none in a classic one",
    doc: "Identity domain of an existing credentialsUserName (part of its Kafka username <tenancy>/<domain>/<user>/<pool>).",
  },
  {
    arg: "replication.credentials.domain",
    type: "string",
    defaultDoc: "the Default domain in a tenancy with identity domains; none in a classic one",
  },
  {
    key: "credentialsAuthToken",
    automation: "mirrorMaker",
    arg: "replication.credentials.authToken",
    type: "string",
    stacks: "replication",
    secret: true,
    mapping: "hand",
    defaultDoc: "a created token",
    doc: "Auth token of an existing credentialsUserName (pulumi config set --secret).",
  },
  { arg: "replication.credentials.authToken", type: "input" },
  {
    key: "identityDomains",
    automation: "pair",
    arg: "replication.identityDomains",
    type: "boolean",
    stacks: "replication",
    default: true,
    doc: "The tenancy has identity domains (every tenancy created since 2023): created users need credentialsEmail, policies name 'Default'/'<group>'. false for a classic tenancy; the deployment checks it against the tenancy.",
  },
  {
    key: "iamNamePrefix",
    automation: "pair",
    arg: "replication.iamNamePrefix",
    type: "string",
    stacks: "replication",
    defaultDoc: "<project>-<stack>",
    doc: "Prefix of the IAM names this deployment creates (user, group, dynamic group, policies), which OCI keeps unique across the tenancy: two deployments in one tenancy need different ones. Letters, digits, '-', '.', '_', at most 40; empty: the component's names alone (the names before prefixes existed).",
  },
  {
    key: "vaultId",
    automation: "mirrorMaker",
    arg: "replication.vault.vaultId",
    type: "input",
    stacks: "replication",
    defaultDoc: "a vault and an AES-256 key are created",
    doc: "Existing OCI Vault for the secrets (with vaultKeyId).",
  },
  {
    key: "vaultKeyId",
    automation: "mirrorMaker",
    arg: "replication.vault.keyId",
    type: "input",
    stacks: "replication",
    doc: "Key in vaultId that encrypts the secrets. Required with vaultId.",
  },
  {
    key: "fleetSize",
    automation: "mirrorMaker",
    arg: "replication.fleet.size",
    type: "integer",
    stacks: "replication",
    min: 1,
    default: 2,
    doc: "Number of MirrorMaker VMs, spread over fault domains.",
  },
  {
    key: "fleetShape",
    automation: "mirrorMaker",
    arg: "replication.fleet.shape",
    type: "string",
    stacks: "replication",
    default: "VM.Standard.E5.Flex",
    doc: "Flexible shape of the MirrorMaker VMs.",
  },
  {
    key: "fleetOcpus",
    automation: "mirrorMaker",
    arg: "replication.fleet.ocpus",
    type: "integer",
    stacks: "replication",
    min: 1,
    default: 2,
    doc: "OCPUs per VM (an OCPU is 2 vCPUs on x86 shapes, 1 on Ampere A1).",
  },
  {
    key: "fleetMemoryInGbs",
    automation: "mirrorMaker",
    arg: "replication.fleet.memoryInGbs",
    type: "integer",
    stacks: "replication",
    min: 1,
    default: 16,
    derivedDefault: true,
    defaultDoc: "16, or the shape's minimum GB per OCPU × ocpus when that is more",
    doc: "Memory per VM in GB.",
  },
  {
    key: "fleetImageId",
    automation: "mirrorMaker",
    arg: "replication.fleet.imageId",
    type: "input",
    stacks: "replication",
    defaultDoc: "the newest Oracle Linux 8 platform image for the shape",
    doc: "Image OCID of the MirrorMaker VMs.",
  },
  {
    arg: "replication.fleet.sshAuthorizedKeys",
    type: "string",
    defaultDoc: "none (managed SSH sessions only)",
  },
  {
    key: "bastionClientCidrs",
    automation: "mirrorMaker",
    arg: "replication.bastionClientCidrs",
    type: "string[]",
    stacks: "replication",
    defaultDoc: "no bastion",
    doc: "Client CIDRs allowed to use the OCI Bastion of the fleet's subnet (never 0.0.0.0/0).",
  },
  {
    key: "topicsInclude",
    automation: "pair",
    arg: "replication.topicsInclude",
    type: "string[]",
    stacks: "replication",
    defaultDoc:
      "exactly the source's declared streams (the peer's streams, externalKafka.topics, or this pool's streams for local-to-external)",
    doc: "Java regexes of topics to replicate.",
  },
  {
    key: "topicsExclude",
    automation: "pair",
    arg: "replication.topicsExclude",
    type: "string[]",
    stacks: "replication",
    doc: "Java regexes of topics never to replicate (internal and harness topics always are excluded).",
  },
  {
    key: "groupsInclude",
    automation: "pair",
    arg: "replication.groupsInclude",
    type: "string[]",
    stacks: "replication",
    default: DEFAULT_INCLUDE,
    doc: "Java regexes of consumer groups to checkpoint.",
  },
  {
    key: "groupsExclude",
    automation: "pair",
    arg: "replication.groupsExclude",
    type: "string[]",
    stacks: "replication",
    doc: "Java regexes of consumer groups not to checkpoint (console-consumer-.*, connect-.* and __.* always are excluded).",
  },
  {
    key: "replicationPolicy",
    automation: "pair",
    arg: "replication.replicationPolicy",
    type: "string",
    stacks: "replication",
    oneOf: ["prefixed", "identity"],
    default: "prefixed",
    doc: "prefixed (remote topics are <source alias>.<topic>) or identity (same names; one direction only).",
  },
  {
    key: "tasksMax",
    automation: "pair",
    arg: "replication.tasksMax",
    type: "integer",
    stacks: "replication",
    min: 1,
    defaultDoc:
      "min(partitions to replicate, fleet size × vCPUs per VM), at least 1 (vCPUs: 2 per OCPU on x86 shapes, 1 on Ampere A1)",
    doc: "MirrorMaker tasks.max.",
  },
  { arg: "replication.refreshIntervalSeconds", type: "integer", default: DEFAULT_REFRESH_SECONDS },
  {
    key: "checkpointIntervalSeconds",
    automation: "pair",
    arg: "replication.checkpointIntervalSeconds",
    type: "integer",
    stacks: "replication",
    min: 1,
    default: 60,
    doc: "Seconds between MirrorMaker's consumer-group checkpoints (emit.checkpoints.interval.seconds): how old the translated offsets a failover uses may be.",
  },
  {
    key: "offsetLagMax",
    automation: "pair",
    arg: "replication.offsetLagMax",
    type: "integer",
    stacks: "replication",
    min: 0,
    default: DEFAULT_OFFSET_LAG_MAX,
    doc: "MirrorMaker's offset.lag.max: how many records a replicated partition may advance before MirrorMaker writes a new offset sync; lower means finer offset translation at failover and more writes to the offset-syncs stream.",
  },
  {
    key: "kafkaDownloadBaseUrl",
    automation: "pair",
    arg: "replication.kafkaDownloadBaseUrl",
    type: "string",
    stacks: "replication",
    default: KAFKA_DEFAULT_DOWNLOAD_BASE,
    doc: "Base URL the VMs download the Kafka release from (a mirror laid out like Apache's archive; the SHA-512 is checked).",
  },
  {
    key: "kafkaDownloadCidr",
    automation: "pair",
    arg: "replication.kafkaDownloadCidr",
    type: "string",
    stacks: "replication",
    default: "0.0.0.0/0",
    defaultDoc: "0.0.0.0/0 through the NAT gateway",
    doc: "CIDR of that mirror, narrowing the fleet's HTTPS egress.",
  },
  {
    key: "nodeDownloadBaseUrl",
    arg: "replication.nodeDownloadBaseUrl",
    type: "string",
    stacks: "replication",
    default: NODE_DEFAULT_BASE,
    doc: "Base URL the VMs download the operator commands' Node.js runtime from (laid out like nodejs.org/dist; the SHA-256 is checked).",
  },
  {
    key: "jmxExporterDownloadBaseUrl",
    arg: "replication.jmxExporterDownloadBaseUrl",
    type: "string",
    stacks: "replication",
    default: JMX_EXPORTER_DEFAULT_BASE,
    doc: "Base URL of the Maven repository the VMs download the Prometheus JMX exporter from (the SHA-256 is checked).",
  },
  // --- monitoring (both stacks) ---
  {
    key: "monitoringEnabled",
    arg: "monitoring.enabled",
    type: "boolean",
    stacks: "both",
    default: true,
    doc: "Create the Notifications topic, the alarms and (with MirrorMaker) the metrics, logs, Run Command policies and the nodes' operator commands.",
  },
  {
    key: "metricNamespace",
    arg: "monitoring.metricNamespace",
    type: "string",
    stacks: "both",
    default: DEFAULT_METRIC_NAMESPACE,
    doc: "Custom OCI Monitoring namespace the MirrorMaker nodes post to (letters, digits, underscores; not oci_ or oracle_ first).",
  },
  {
    key: "rpoTargetSeconds",
    arg: "monitoring.rpoTargetSeconds",
    type: "integer",
    stacks: "both",
    min: 1,
    default: 300,
    doc: "RPO target: the lag alarm fires when the oldest record not yet replicated is older than this.",
  },
  {
    key: "lagAlarmMinutes",
    arg: "monitoring.lagAlarmMinutes",
    type: "integer",
    stacks: "both",
    min: 1,
    default: 5,
    doc: "Minutes the lag must stay above rpoTargetSeconds before the lag alarm fires (1..60).",
  },
  {
    key: "heartbeatMaxAgeSeconds",
    arg: "monitoring.heartbeatMaxAgeSeconds",
    type: "integer",
    stacks: "both",
    min: 1,
    default: 60,
    doc: "A replicated heartbeat older than this fires the heartbeat alarm.",
  },
  {
    key: "notificationTopicId",
    arg: "monitoring.notificationTopicId",
    type: "input",
    stacks: "both",
    defaultDoc: "a topic is created",
    doc: "Existing Notifications (ONS) topic OCID the alarms notify.",
  },
  {
    key: "alarmEmails",
    arg: "monitoring.emails",
    type: "string[]",
    stacks: "both",
    defaultDoc: "none",
    doc: "Email addresses subscribed to the alarms' topic (each confirms OCI's email).",
  },
  { arg: "monitoring.pagerDutyUrls", type: "input[]", defaultDoc: "none" },
  { arg: "monitoring.slackWebhookUrls", type: "input[]", defaultDoc: "none" },
  { arg: "monitoring.httpsUrls", type: "input[]", defaultDoc: "none" },
  // One URL per setting (a list of secrets does not fit `pulumi config set --secret`): mapped by hand.
  {
    key: "alarmPagerDutyUrl",
    arg: "monitoring.pagerDutyUrls",
    type: "string",
    stacks: "both",
    secret: true,
    mapping: "hand",
    doc: "PagerDuty Events API integration URL subscribed to the topic (pulumi config set --secret).",
  },
  {
    key: "alarmSlackWebhookUrl",
    arg: "monitoring.slackWebhookUrls",
    type: "string",
    stacks: "both",
    secret: true,
    mapping: "hand",
    doc: "Slack incoming-webhook URL subscribed to the topic (pulumi config set --secret).",
  },
  {
    key: "alarmHttpsUrl",
    arg: "monitoring.httpsUrls",
    type: "string",
    stacks: "both",
    secret: true,
    mapping: "hand",
    doc: "HTTPS endpoint (CUSTOM_HTTPS) subscribed to the topic (pulumi config set --secret).",
  },
  {
    key: "operatorGroup",
    arg: "monitoring.operatorGroup",
    type: "string",
    stacks: "replication",
    defaultDoc: "none (grant it yourself)",
    doc: "IAM group of the operators allowed to use Run Command on the MirrorMaker nodes.",
  },
  // --- on premises ---
  {
    key: "onPremCidrs",
    arg: "onPremises.cidrs",
    type: "string[]",
    stacks: "on-premises",
    doc: "On-premises CIDRs routed from the MirrorMaker subnet through the DRG (with ipsecCpeIpAddress or fastConnectVirtualCircuitId).",
  },
  {
    key: "onPremDnsDomains",
    arg: "onPremises.dns.domains",
    type: "string[]",
    stacks: "on-premises",
    doc: "Domains the on-premises DNS server answers (the brokers' names): the fleet's VCN forwards exactly these to onPremDnsServerIp.",
  },
  {
    key: "onPremDnsServerIp",
    arg: "onPremises.dns.serverIp",
    type: "string",
    stacks: "on-premises",
    doc: "IPv4 address of the on-premises DNS server, inside onPremCidrs (one: an OCI resolver rule forwards to exactly one address).",
  },
  {
    key: "ipsecCpeIpAddress",
    arg: "onPremises.ipsec.cpeIpAddress",
    type: "string",
    stacks: "on-premises",
    doc: "Public IPv4 of the on-premises VPN device: creates the CPE and a site-to-site IPSec VPN (tunnel keys generated, output as secrets).",
  },
  { arg: "onPremises.ipsec.cpeDeviceShapeId", type: "input", defaultDoc: "none (generic)" },
  {
    key: "ipsecIkeVersion",
    arg: "onPremises.ipsec.ikeVersion",
    type: "string",
    stacks: "on-premises",
    oneOf: ["V1", "V2"],
    default: "V2",
    doc: "IKE version of both tunnels.",
  },
  {
    arg: "onPremises.ipsec.sharedSecrets",
    type: "input[]",
    defaultDoc:
      "two random 64-character keys, output as secrets (vpnTunnels[i].sharedSecret) for the on-premises side",
  },
  {
    key: "fastConnectVirtualCircuitId",
    arg: "onPremises.fastConnect.virtualCircuitId",
    type: "input",
    stacks: "on-premises",
    doc: "Instead of IPSec: an existing private FastConnect virtual circuit whose gateway is this stack's DRG.",
  },
  {
    key: "externalKafka",
    arg: "externalKafka",
    type: "object",
    stacks: "on-premises",
    defaultDoc: "none",
    doc: "The on-premises Kafka cluster, as the externalKafka argument without its secrets: { alias, bootstrapServers, brokerCidrs, brokerPorts, securityProtocol (SASL_SSL|SSL|SASL_PLAINTEXT), sasl: { mechanism, username }, tls: { caCertificatePem, clientCertificatePem, endpointIdentification }, topics }. Its secrets have keys of their own.",
  },
  { arg: "externalKafka.alias", type: "string" },
  { arg: "externalKafka.bootstrapServers", type: "string" },
  { arg: "externalKafka.brokerCidrs", type: "string[]" },
  { arg: "externalKafka.brokerPorts", type: "number[]", defaultDoc: "the ports in bootstrapServers" },
  {
    arg: "externalKafka.securityProtocol",
    type: "string",
    oneOf: ["SASL_SSL", "SSL", "SASL_PLAINTEXT"],
  },
  {
    arg: "externalKafka.sasl.mechanism",
    type: "string",
    oneOf: ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"],
  },
  { arg: "externalKafka.sasl.username", type: "string" },
  {
    key: "externalKafkaPassword",
    arg: "externalKafka.sasl.password",
    type: "input",
    stacks: "on-premises",
    secret: true,
    doc: "SASL password of externalKafka's sasl.username (pulumi config set --secret).",
  },
  { arg: "externalKafka.tls.caCertificatePem", type: "input", defaultDoc: "the JVM's public CAs" },
  { arg: "externalKafka.tls.clientCertificatePem", type: "input" },
  {
    key: "externalKafkaClientKeyPem",
    arg: "externalKafka.tls.clientKeyPem",
    type: "input",
    stacks: "on-premises",
    secret: true,
    doc: "Mutual TLS: the client's PKCS#8 private key, PEM (pulumi config set --secret).",
  },
  {
    key: "externalKafkaClientKeyPassword",
    arg: "externalKafka.tls.clientKeyPassword",
    type: "input",
    stacks: "on-premises",
    secret: true,
    defaultDoc: "the key is not encrypted",
    doc: "Password of an encrypted externalKafkaClientKeyPem (pulumi config set --secret).",
  },
  {
    arg: "externalKafka.tls.endpointIdentification",
    type: "boolean",
    default: true,
    defaultDoc: "true (only turn off for IP-only certificates)",
  },
  { arg: "externalKafka.topics", type: "object[]", itemsAs: "streams" },
] as const satisfies readonly Definition[];

/** Every definition, in documentation order. */
export const DEFINITIONS: readonly Definition[] = DEFINITION_LIST;

type Entry = (typeof DEFINITION_LIST)[number];

/** The setting keys the Automation API's pair model carries in group `G`. */
export type AutomationKey<G extends AutomationGroup> = Extract<Entry, { automation: G }>["key"];

/** The setting keys of one group of the Automation API's pair model, in documentation order. */
export function automationKeys<G extends AutomationGroup>(group: G): readonly AutomationKey<G>[] {
  const entries: readonly Definition[] = DEFINITION_LIST;
  return entries.filter((d) => d.automation === group).map((d) => d.key as AutomationKey<G>);
}

/** The last segment of an argument path, without `[]`. */
export function leafOf(arg: string): string {
  return arg.split(".").at(-1)!.replace(/\[\]$/, "");
}

/** The name a definition goes by in DEFAULTS: its setting key, else its `name`, else its leaf. */
export function nameOf(d: Definition): string {
  return d.key ?? d.name ?? leafOf(d.arg ?? "");
}

type Leaf<P extends string> = P extends `${string}.${infer R}` ? Leaf<R> : P extends `${infer L}[]` ? L : P;
type NameOf<E> = E extends { key: infer K extends string }
  ? K
  : E extends { name: infer N extends string }
    ? N
    : E extends { arg: infer A extends string }
      ? Leaf<A>
      : never;
type WithDefault = Extract<Entry, { default: unknown }> & { mapping?: never };

/**
 * The defaults the code applies, by name (a setting's key, or the argument's `name` or last path
 * segment): shared by the component's validation (validate*.ts), the settings and the docs.
 */
export const DEFAULTS = Object.fromEntries(
  DEFINITIONS.filter((d) => d.default !== undefined && d.mapping !== "hand").map((d) => [
    nameOf(d),
    d.default,
  ]),
) as { readonly [E in WithDefault as NameOf<E>]: E["default"] };
