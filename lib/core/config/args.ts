import * as pulumi from "@pulumi/pulumi";

/** Which side of the DR pair an instance builds. */
export type Role = "primary" | "dr";

/** A stream (Kafka topic) created in the pool as an `oci.streaming.Stream`. */
export interface StreamSpec {
  /** Stream name; also the Kafka topic name. 1-249 of `[A-Za-z0-9._-]` (Kafka's topic limit, below OCI's 255). */
  name: string;
  /** Partition count, fixed for the life of the stream (OCI cannot change it). Default: 1. */
  partitions?: number;
  /** Retention in hours, 24..168, fixed after creation. Default: 24. */
  retentionHours?: number;
}

/** Adopt an existing VCN and subnets instead of creating them. */
export interface ExistingNetworkArgs {
  /** OCID of the VCN. */
  vcnId: pulumi.Input<string>;
  /** The VCN's CIDR block (plain: it is validated against the peer's and used in NSG rules). */
  vcnCidr: string;
  /** OCID of the private subnet the stream pool's private endpoint goes into. */
  streamSubnetId: pulumi.Input<string>;
  /** CIDR of that subnet. */
  streamSubnetCidr: string;
  /** OCID of the private subnet for the MirrorMaker fleet. */
  mirrorMakerSubnetId: pulumi.Input<string>;
  /** CIDR of that subnet. */
  mirrorMakerSubnetCidr: string;
  /**
   * OCID of the DRG the VCN is already attached to (OCI attaches a VCN to one DRG at a time; an
   * IPSec or FastConnect link must end on it). The remote peering connection and the IPSec
   * connection go on it, and no DRG or VCN attachment is created; the routes its DRG route tables
   * must hold are reported in the `requiredDrgRouteRules` output. Default: a DRG is created and attached to the VCN.
   */
  drgId?: pulumi.Input<string>;
}

/** The regional network. Either give `vcnCidr` (created) or `existing` (adopted), not both. */
export interface NetworkArgs {
  /**
   * CIDR of the VCN to create, /16 to /29 (OCI allows /16 to /30, but the two subnets need a /29 at
   * least). Required unless `existing` is given.
   */
  vcnCidr?: string;
  /** Private subnet for the stream pool endpoint. Default: the first /24 of `vcnCidr` (its first half when `vcnCidr` is /24 or smaller). */
  streamSubnetCidr?: string;
  /** Private subnet for the MirrorMaker fleet. Default: the second /24 of `vcnCidr` (its second half when `vcnCidr` is /24 or smaller). */
  mirrorMakerSubnetCidr?: string;
  /** VCN DNS label (1-15 alphanumerics, starting with a letter). Default: `geo<role>` (`geoprimary`, `geodr`). */
  dnsLabel?: string;
  /**
   * Adopt this VCN and subnets. The component then creates only the DRG (unless `existing.drgId`
   * names the VCN's own), its attachment, the remote peering connection and the NSGs; the routes
   * toward the peer that the existing route tables need are reported in the `requiredRouteRules`
   * output for the network owner to add.
   */
  existing?: ExistingNetworkArgs;
}

/** The private-endpoint stream pool. Either create one (default) or adopt `existingStreamPoolId`. */
export interface StreamPoolArgs {
  /** Display name of the created pool. Default: `<name>-streaming-pool` (`<name>`: the component's name). */
  name?: string;
  /** OCID of an existing stream pool to adopt (its data stays; declared streams are added to it). */
  existingStreamPoolId?: pulumi.Input<string>;
  /** Customer-managed KMS key OCID for the created pool. Default: Oracle-managed keys. */
  kmsKeyId?: pulumi.Input<string>;
  /** `kafkaSettings.autoCreateTopicsEnable` of the created pool. Default: false (streams are declared). */
  autoCreateTopics?: boolean;
  /** `kafkaSettings.numPartitions` for auto-created topics. Default: 1. */
  defaultPartitions?: number;
  /** `kafkaSettings.logRetentionHours` for auto-created topics, 24..168. Default: 24. */
  defaultRetentionHours?: number;
  /** Private endpoint IP inside the stream subnet. Default: assigned by OCI. */
  privateEndpointIp?: string;
  /**
   * Protect the created pool (Pulumi's `protect`): OCI cannot change a pool's private endpoint
   * settings, so a change of its subnet, NSG or IP replaces it and loses every message; protected,
   * such a change (and `pulumi destroy`) stops with an error instead. Set it to false for a
   * deliberate replace or destroy. Default: true.
   */
  protect?: boolean;
}

/**
 * What one region needs to know about the other. The plain fields are validated up front;
 * the ids may be Outputs (another component in the same program) or values read from the
 * other stack's `peering` output through a StackReference.
 */
export interface PeerArgs {
  /** The peer's OCI region name, e.g. `eu-amsterdam-1`. */
  region: string;
  /** The peer VCN's CIDR (routed through the DRG). */
  vcnCidr: string;
  /** The peer's MirrorMaker subnet CIDR (allowed to reach this pool on 9092). */
  mirrorMakerSubnetCidr: string;
  /** The peer's remote peering connection OCID. Required for the `dr` role, which requests the peering. */
  remotePeeringConnectionId?: pulumi.Input<string>;
  /** The peer's compartment (MirrorMaker's pull grant is scoped to it). Default: this instance's compartment. */
  compartmentId?: pulumi.Input<string>;
  /** The peer's stream pool OCID (part of the SASL username MirrorMaker uses there). */
  streamPoolId?: pulumi.Input<string>;
  /** The peer's Kafka bootstrap servers (`<fqdn>:9092`). */
  bootstrapServers?: pulumi.Input<string>;
  /**
   * The peer pool's private endpoint FQDN. OCI creates it in the private DNS of the peer's VCN
   * only, so this region's fleet resolves it through a forwarding rule to {@link dnsListenerIp}.
   * Default: the host of `bootstrapServers`.
   */
  endpointFqdn?: pulumi.Input<string>;
  /**
   * The private IP of the peer's DNS listening endpoint (its `peering` bundle carries it). Required
   * when this region replicates from the peer: it is where the peer pool's FQDN is resolved.
   */
  dnsListenerIp?: pulumi.Input<string>;
  /** The peer's declared streams (replicated by the dr side; remote copies get the same partitions). */
  streams?: StreamSpec[];
  /**
   * Whether the peer runs MirrorMaker pulling from this region, and with which policy (its
   * `peering` bundle carries it). Used to refuse loops: both sides replicating from each other
   * (active-active) is allowed only with the `prefixed` policy. Default: not replicating.
   */
  replication?: PeerReplicationInfo;
}

/** How a region replicates from its peer, as published in its `peering` bundle. */
export interface PeerReplicationInfo {
  /** The region runs MirrorMaker pulling from its peer. */
  enabled: boolean;
  /** Its replication policy: `prefixed` (remote topics are `<sourceAlias>.<topic>`) or `identity`. */
  replicationPolicy: "prefixed" | "identity";
}

/** Arguments of {@link GeoReplicatedStream}. */
export interface GeoReplicatedStreamArgs {
  /** `primary` or `dr`. The dr side requests the cross-region peering and (later) runs MirrorMaker. */
  role: Role;
  /** The OCI region name of this instance; must be the region of the provider it is given. */
  region: string;
  /** Compartment OCID for every regional resource. */
  compartmentId: pulumi.Input<string>;
  /** The regional network: created from `vcnCidr`, or adopted. */
  network: NetworkArgs;
  /** The stream pool. Default: a new private pool with auto-create off. */
  streamPool?: StreamPoolArgs;
  /** Streams to create in the pool. Default: none. */
  streams?: StreamSpec[];
  /** The other region. Required for `dr`; optional for `primary` (then no peer routes or rules exist). */
  peer?: PeerArgs;
  /** Tenancy partition quota the streams must fit in (OCI's default limit is often 200). Default: 200. */
  partitionQuota?: number;
  /** The replication layer (Connect harness, credentials, MM2 fleet). Default: none. */
  replication?: ReplicationArgs;
  /** Freeform tags added to every taggable resource. Default: none; the tag `oci-geo-streaming: <role>` is always added. */
  freeformTags?: Record<string, string>;
  /** A Kafka cluster outside OCI (on premises) this region replicates with. Default: none. */
  externalKafka?: ExternalKafkaArgs;
  /** The on-premises networks reached through this region's DRG (IPSec VPN or FastConnect). Default: none. */
  onPremises?: OnPremisesArgs;
  /** Metrics, alarms, notifications, logs and the nodes' operator commands. Default: on, with the defaults below. */
  monitoring?: MonitoringArgs;
}

/**
 * Operating the deployment: every region gets a Notifications topic and alarms on its pool's
 * throttling; a region that runs MirrorMaker also gets its nodes' metrics in OCI Monitoring (MM2's
 * JMX metrics and the end-to-end lag, heartbeat, checkpoint and RPO signals), alarms on them, MM2's
 * log in OCI Logging, Run Command, and the operator commands on every node.
 */
export interface MonitoringArgs {
  /** Create the monitoring resources and install the exporter, poster and operator commands on the nodes. Default: true. */
  enabled?: boolean;
  /**
   * Custom OCI Monitoring namespace the nodes post to: a letter first, then letters, digits and
   * underscores; never `oci_` or `oracle_` first (OCI reserves them). Default: `geo_streaming`.
   */
  metricNamespace?: string;
  /** The RPO target in seconds: the lag alarm fires when the oldest uncopied record is older. Default: 300. */
  rpoTargetSeconds?: number;
  /** Minutes the lag must stay above rpoTargetSeconds before the lag alarm fires (1..60). Default: 5. */
  lagAlarmMinutes?: number;
  /** A replicated heartbeat older than this many seconds fires the heartbeat alarm (MM2 emits one a second). Default: 60. */
  heartbeatMaxAgeSeconds?: number;
  /** An existing Notifications (ONS) topic the alarms notify. Default: a topic is created. */
  notificationTopicId?: pulumi.Input<string>;
  /** Email addresses subscribed to the alarms' topic (each must confirm OCI's email). Default: none. */
  emails?: string[];
  /** PagerDuty Events API integration URLs subscribed to the topic; Pulumi secrets (they carry the key). Default: none. */
  pagerDutyUrls?: pulumi.Input<string>[];
  /** Slack incoming-webhook URLs subscribed to the topic; Pulumi secrets. Default: none. */
  slackWebhookUrls?: pulumi.Input<string>[];
  /** HTTPS endpoints (CUSTOM_HTTPS) subscribed to the topic; Pulumi secrets (a URL may carry a token). Default: none. */
  httpsUrls?: pulumi.Input<string>[];
  /**
   * IAM group of the operators allowed to run commands on the fleet through Run Command
   * (`manage instance-agent-command-family` in the compartment). Default: none (grant it yourself).
   */
  operatorGroup?: string;
}

/** SASL credentials for an external Kafka cluster. */
export interface ExternalSaslArgs {
  /** `PLAIN`, `SCRAM-SHA-256` or `SCRAM-SHA-512`. */
  mechanism: "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";
  /** The SASL username MirrorMaker authenticates as on the external cluster. */
  username: string;
  /** Must be a Pulumi secret (`config.requireSecret`, `pulumi.secret`); stored in OCI Vault. */
  password: pulumi.Input<string>;
}

/** TLS settings for an external Kafka cluster (SSL or SASL_SSL). */
export interface ExternalTlsArgs {
  /**
   * PEM CA certificate(s) the brokers' certificates chain to, when a private CA signed them.
   * Stored in Vault; the VM writes it as a PEM truststore at boot. Default: the JVM's public CAs.
   */
  caCertificatePem?: pulumi.Input<string>;
  /** Mutual TLS: the client certificate chain, PEM. Requires `clientKeyPem`. */
  clientCertificatePem?: pulumi.Input<string>;
  /** Mutual TLS: the client's PKCS#8 private key, PEM. Must be a Pulumi secret; stored in Vault. */
  clientKeyPem?: pulumi.Input<string>;
  /** Password of an encrypted `clientKeyPem` (Pulumi secret). Default: the key is not encrypted. */
  clientKeyPassword?: pulumi.Input<string>;
  /** Check the broker's host name against its certificate. Default: true (only turn off for IP-only certificates). */
  endpointIdentification?: boolean;
}

/** A Kafka cluster outside OCI Streaming. Normal Kafka behaviour applies to it. */
export interface ExternalKafkaArgs {
  /** MM2 cluster alias, also the prefix of its topics' remote copies in OCI, e.g. `onprem`. */
  alias: string;
  /** Comma-separated `host:port` list reachable from the MirrorMaker subnet through the DRG. */
  bootstrapServers: string;
  /**
   * CIDRs of every broker (bootstrap and advertised listeners): the fleet's only egress to the
   * external cluster, on `brokerPorts`. Each must lie inside `onPremises.cidrs`.
   */
  brokerCidrs: string[];
  /** Ports of the brokers' listeners. Default: the ports in `bootstrapServers`. */
  brokerPorts?: number[];
  /** `SASL_SSL` (default), `SSL` (TLS, optionally mutual) or `SASL_PLAINTEXT` (SASL without TLS). */
  securityProtocol?: "SASL_SSL" | "SSL" | "SASL_PLAINTEXT";
  /** SASL credentials; required for SASL_SSL and SASL_PLAINTEXT, refused for SSL. */
  sasl?: ExternalSaslArgs;
  /** TLS settings; refused for SASL_PLAINTEXT. */
  tls?: ExternalTlsArgs;
  /** Topics on the external cluster replicated into OCI (their remote copies are created up front). */
  topics?: StreamSpec[];
}

/** An IPSec VPN from this region's DRG to the on-premises VPN device. */
export interface IpsecArgs {
  /** Public IPv4 address of the on-premises VPN device (the CPE). */
  cpeIpAddress: string;
  /** OCI CPE device shape OCID (vendor template). Default: none (generic). */
  cpeDeviceShapeId?: pulumi.Input<string>;
  /** IKE version of both tunnels. Default: `V2`. */
  ikeVersion?: "V1" | "V2";
  /**
   * Pre-shared keys of the two tunnels, as Pulumi secrets. Default: two random 64-character keys,
   * output as secrets (`vpnTunnels[i].sharedSecret`) for the on-premises side.
   */
  sharedSecrets?: [pulumi.Input<string>, pulumi.Input<string>];
}

/** An existing FastConnect virtual circuit (private) that terminates on this region's DRG. */
export interface FastConnectArgs {
  /** The virtual circuit's OCID. Its gateway must be this region's DRG (output `drgId`). */
  virtualCircuitId: pulumi.Input<string>;
}

/**
 * DNS between OCI and the on-premises networks. OCI private DNS answers only names of its own VCN:
 * the fleet resolves the brokers' names through a forwarding rule per domain to the on-premises
 * DNS server, and the on-premises DNS resolves this region's pool FQDN by conditionally forwarding
 * it to the listening endpoint (output `dnsListenerIp`).
 */
export interface OnPremisesDnsArgs {
  /**
   * Domains the on-premises DNS server answers, e.g. `["dc1.corp.example"]`: every broker host
   * name in `externalKafka.bootstrapServers` (and the brokers' advertised listeners) must lie in
   * one. Never `oraclecloud.com`, `oraclevcn.com` or a parent of them (that would forward OCI's own
   * names away from OCI).
   */
  domains: string[];
  /**
   * IPv4 address of the on-premises DNS server, inside `onPremises.cidrs`. One address: an OCI
   * resolver rule forwards to exactly one (put a load balancer in front for redundancy).
   */
  serverIp: string;
}

/** The on-premises networks, and how the DRG reaches them: exactly one of `ipsec` or `fastConnect`. */
export interface OnPremisesArgs {
  /** On-premises CIDRs routed through the DRG (the IPSec static routes). */
  cidrs: string[];
  /** A site-to-site IPSec VPN from this region's DRG (exactly one of `ipsec` and `fastConnect`). */
  ipsec?: IpsecArgs;
  /** An existing private FastConnect virtual circuit ending on this region's DRG (exactly one of `ipsec` and `fastConnect`). */
  fastConnect?: FastConnectArgs;
  /**
   * DNS forwarding both ways. Required when `externalKafka.bootstrapServers` names hosts rather
   * than IP addresses. Default: none.
   */
  dns?: OnPremisesDnsArgs;
}

/** Everything the other region's instance needs, exported as the `peering` output. */
export interface PeeringBundle {
  /** The exporting region's role. */
  role: Role;
  /** Its OCI region name. */
  region: string;
  /** Its compartment OCID. */
  compartmentId: string;
  /** Its VCN's CIDR. */
  vcnCidr: string;
  /** Its MirrorMaker subnet's CIDR. */
  mirrorMakerSubnetCidr: string;
  /** Its remote peering connection OCID (the dr side peers to it). */
  remotePeeringConnectionId: string;
  /** Its stream pool OCID. */
  streamPoolId: string;
  /** Its pool's Kafka bootstrap servers (`<endpointFqdn>:9092`). */
  bootstrapServers: string;
  /** The pool's private endpoint FQDN (resolvable only inside this VCN, and through its listener). */
  endpointFqdn: string;
  /** The private IP of this region's DNS listening endpoint, where the peer resolves the FQDN. */
  dnsListenerIp?: string;
  /** Its declared streams. */
  streams: StreamSpec[];
  /** Whether this region runs MirrorMaker pulling from its peer, and its policy. */
  replication: PeerReplicationInfo;
}

/** How MirrorMaker authenticates to OCI Streaming. */
export type CredentialsArgs =
  | {
      /**
       * Create a dedicated IAM user and group with stream push/pull on exactly the pools involved,
       * and an auth token for it (made secret). Default.
       */
      mode: "create";
      /** Name of the IAM user. Default: `<prefix>-<name>-replication-credentials-user` (`<prefix>`: replication.iamNamePrefix; `<name>`: the component's name). */
      userName?: string;
      /**
       * The user's email. Required in a tenancy with identity domains (the IAM API refuses a user
       * without one there: "The primary email must be specified"); ignored otherwise.
       */
      email?: string;
    }
  | {
      /** Use an existing IAM user and an auth token you already have. */
      mode: "existing";
      /** The IAM user's name (not OCID): it is part of the Kafka SASL username. */
      userName: string;
      /**
       * The identity domain the user lives in, part of the Kafka SASL username
       * (`<tenancy>/<domain>/<user>/<pool>`). Default: the Default domain in a tenancy with identity domains; none in a classic one.
       */
      domain?: string;
      /** The user's auth token. Must be a Pulumi secret (`config.requireSecret`, `pulumi.secret`). */
      authToken: pulumi.Input<string>;
    };

/** The MirrorMaker 2 fleet's compute. */
export interface FleetArgs {
  /** Number of MM2 instances, spread over fault domains. Default: 2. */
  size?: number;
  /** A flexible VM shape. Default: `VM.Standard.E5.Flex`. */
  shape?: string;
  /** OCPUs per instance. Default: 2. */
  ocpus?: number;
  /** Memory per instance in GB. Default: 16, or the shape's minimum GB per OCPU × ocpus when that is more. */
  memoryInGbs?: number;
  /** Image OCID. Default: the newest Oracle Linux 8 platform image for the shape. Found by invoke; later runs keep the image unless this pins one. */
  imageId?: pulumi.Input<string>;
  /** SSH public keys for Bastion port-forwarding sessions. Default: none (managed SSH sessions only). */
  sshAuthorizedKeys?: string;
}

/** What a region's MirrorMaker replicates, see {@link ReplicationArgs.flow}. */
export type ReplicationFlow = "peer-to-local" | "external-to-local" | "local-to-external";

/** The replication layer: Connect harness, credentials in Vault, and the MM2 fleet. */
export interface ReplicationArgs {
  /**
   * Run MirrorMaker in this region ("remote consume, local produce"). Default: true for dr or an
   * external flow, false for a primary pulling from its peer. Turn it on in the primary for
   * failback, or in both regions for active-active (which needs the `prefixed` policy).
   */
  enabled?: boolean;
  /**
   * What this region's MirrorMaker replicates: `peer-to-local` (the peer region's pool into this
   * one), `external-to-local` (the on-premises cluster into this pool) or `local-to-external` (this
   * pool out to the on-premises cluster; MM2's worker state then lives there). MirrorMaker always
   * runs in this region. Default: `peer-to-local`.
   */
  flow?: ReplicationFlow;
  /** Tenancy OCID: IAM users, groups, dynamic groups and policies live at its root. */
  tenancyId: pulumi.Input<string>;
  /** Tenancy name as it appears in OCI Kafka usernames. Default: looked up from `tenancyId`. */
  tenancyName?: pulumi.Input<string>;
  /** Provider for the tenancy's home region: IAM can only be written there. */
  homeRegionProvider: pulumi.ProviderResource;
  /**
   * The tenancy has identity domains (every tenancy created since 2023 does): a created user
   * needs `credentials.email` and lands in the Default domain, policies name groups as
   * `'Default'/'<group>'`, and the Kafka username carries the domain. Set false for a classic
   * tenancy. The deployment checks it against the tenancy (the Domains API) before creating the
   * user. Default: true.
   */
  identityDomains?: boolean;
  /**
   * Prefix of the IAM names this deployment creates at the tenancy's root (the MirrorMaker user,
   * its group, the fleet's dynamic group, the policies): OCI keeps these names unique across the
   * whole tenancy, so two deployments there (a staging pair next to production, a second region
   * pair) need different prefixes. Each name is `<prefix>-<component name>-<what>`, cut to OCI's
   * 100 characters with a short hash when longer. Letters, digits, `-`, `.` and `_`, at most 40;
   * empty: the component's names alone (the names before this argument existed). Default:
   * `<project>-<stack>`.
   */
  iamNamePrefix?: string;
  /** Credentials. Default: `{ mode: "create" }`. */
  credentials?: CredentialsArgs;
  /** Existing Vault and key for the token secret. Default: a vault and an AES-256 key are created. */
  vault?: {
    /** OCID of the existing vault. */
    vaultId: pulumi.Input<string>;
    /** OCID of the key in that vault that encrypts the secrets. */
    keyId: pulumi.Input<string>;
  };
  /** Fleet compute. */
  fleet?: FleetArgs;
  /** Client CIDRs allowed to use the OCI Bastion that targets the fleet's subnet. Default: no bastion. */
  bastionClientCidrs?: string[];
  /**
   * Java regular expressions of topics to replicate. Default: exactly the source's declared streams
   * (the peer's `streams`, `externalKafka.topics`, or this pool's `streams` for `local-to-external`).
   */
  topicsInclude?: string[];
  /** Java regular expressions of topics never to replicate (internal and harness topics are always excluded). */
  topicsExclude?: string[];
  /** Java regular expressions of consumer groups to checkpoint. Default: `[".*"]`. */
  groupsInclude?: string[];
  /** Java regular expressions of consumer groups not to checkpoint (`console-consumer-.*`, `connect-.*` and `__.*` always are excluded). */
  groupsExclude?: string[];
  /** `prefixed` (remote topics are `<sourceAlias>.<topic>`) or `identity` (same names). Default: `prefixed`. */
  replicationPolicy?: "prefixed" | "identity";
  /**
   * MM2 `tasks.max`. Default: min(partitions to replicate, fleet size × vCPUs per VM), at least 1
   * (vCPUs: 2 per OCPU on x86 shapes, 1 on Ampere A1).
   */
  tasksMax?: number;
  /** Seconds between topic and group refreshes. Default: 60. */
  refreshIntervalSeconds?: number;
  /**
   * Seconds between MM2's consumer-group checkpoints (`emit.checkpoints.interval.seconds`): how old
   * the translated offsets a failover uses may be. Default: 60.
   */
  checkpointIntervalSeconds?: number;
  /**
   * MM2's `offset.lag.max`: how many records a replicated partition may advance before MirrorMaker
   * writes a new offset sync. Lower: finer offset translation at failover, more writes to the
   * offset-syncs stream. Default: 100.
   */
  offsetLagMax?: number;
  /** Base URL the VMs download the Kafka release from (a mirror). Default: `https://archive.apache.org/dist/kafka`. */
  kafkaDownloadBaseUrl?: string;
  /**
   * CIDR of that mirror, to narrow the fleet's HTTPS egress (then the Node.js and JMX exporter
   * downloads must come from mirrors there too). Default: 0.0.0.0/0 through the NAT gateway.
   */
  kafkaDownloadCidr?: string;
  /** Base URL the VMs download the Node.js runtime of the operator commands from (laid out like nodejs.org/dist; the SHA-256 is checked). Default: `https://nodejs.org/dist`. */
  nodeDownloadBaseUrl?: string;
  /** Base URL of the Maven repository the VMs download the JMX exporter from (the SHA-256 is checked). Default: `https://repo1.maven.org/maven2`. */
  jmxExporterDownloadBaseUrl?: string;
}
