/**
 * Local single-node KRaft Kafka clusters for the rehearsal, optionally behaving like an OCI
 * Streaming stream pool:
 *
 * - SASL_SSL + PLAIN on the client listener (certificate from the process-wide rehearsal CA),
 *   OCI-shaped username `<tenancy>/<user>/<streamPoolOCID>`;
 * - compacted topics refused on create and alter (`ocigeo.rehearsal.OciCreateTopicPolicy`,
 *   `OciAlterConfigPolicy`), except the Connect harness topics;
 * - idempotent and transactional producers refused (`ocigeo.rehearsal.OciAuthorizer`);
 * - no topic auto-creation, replication factor 1, 1 MiB max message;
 * - the three Connect harness topics `<harnessOCID>-config|-offset|-status` pre-created compacted.
 *
 * Without emulation the cluster is plain Kafka (PLAINTEXT; SASL_PLAINTEXT with SCRAM-SHA-512 and
 * SCRAM-SHA-256; or SSL with a required client certificate, i.e. mutual TLS), standing in for an
 * on-premises cluster.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

import { OCI_MAX_REQUEST_BYTES } from "../../lib/core/mm2/properties";
import { ensureKafkaRuntime, type KafkaRuntime } from "./kafkaRuntime";
import {
  issueClientKeystore,
  issueServerKeystore,
  rehearsalCa,
  type ClientKeystore,
  type RehearsalCa,
} from "./pki";
import {
  onProcessCleanup,
  startManagedProcess,
  tailFile,
  waitForFileMatch,
  type ManagedProcess,
} from "./processes";
import {
  adminOps,
  adminOpsOrThrow,
  formatProperties,
  runJavaTool,
  type AdminOp,
  type AdminResult,
  type ToolClientConfig,
} from "./tools";

export interface HarnessTopics {
  config: string;
  offset: string;
  status: string;
}

export interface StartClusterOptions {
  /** Short name used in file names, client ids and generated OCIDs (e.g. `fra`). */
  name: string;
  /** Behave like OCI Streaming (see the module comment). */
  ociEmulation: boolean;
  /**
   * Without emulation only: `plaintext` (default), `scram` (SASL_PLAINTEXT, SCRAM-SHA-512 and
   * SCRAM-SHA-256, credentials created at format time) or `mtls` (SSL, client certificate required;
   * certificates from the process-wide rehearsal CA).
   */
  security?: "plaintext" | "scram" | "mtls";
  /**
   * Client username. Default with emulation: `<tenancyName>/<userName>/<streamPoolOCID>` (OCI's
   * shape); SCRAM: `<name>-mm2`.
   */
  username?: string;
  /** Emulation: tenancy name in the default username. Default `ocigeo-rehearsal`. */
  tenancyName?: string;
  /** Emulation: IAM user name in the default username. Default `<name>-mm2`. */
  userName?: string;
  /** Client password (OCI: the auth token). Default: random. */
  password?: string;
  /** Region identifier used inside generated OCIDs. Default `eu-<name>-1`. */
  region?: string;
  /** Emulation only: pre-create the Connect harness topics (default true). */
  harness?: boolean;
  /** Harness OCID; default a random `ocid1.connectharness.oc1.<region>.amaaaaaa…`. */
  harnessOcid?: string;
  /** Partitions of the harness topics; default config 1, offset 25, status 5 (Connect's defaults). */
  harnessPartitions?: Partial<Record<keyof HarnessTopics, number>>;
  /** Extra or overriding broker properties. */
  brokerProperties?: Record<string, string>;
  /** Broker heap (default 512 MiB). */
  heapMb?: number;
  jvmOptions?: string[];
  /** Default 120 s. */
  startTimeoutMs?: number;
  /** Default: a fresh directory under the OS temp dir. */
  workDir?: string;
  /**
   * Keep the work dir (data, logs, certificates) after stop(). Default: kept when `workDir` was
   * given or `$OCI_GEO_REHEARSAL_KEEP === "1"`, removed otherwise.
   */
  keepWorkDir?: boolean;
  runtime?: KafkaRuntime;
}

export interface TopicDescription {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Dynamic topic configs plus `cleanup.policy` and `retention.ms`. */
  configs: Record<string, string>;
}

export interface LocalCluster {
  readonly name: string;
  readonly ociEmulation: boolean;
  readonly securityProtocol: "SASL_SSL" | "SASL_PLAINTEXT" | "SSL" | "PLAINTEXT";
  readonly saslMechanism?: "PLAIN" | "SCRAM-SHA-512";
  readonly bootstrapServers: string;
  readonly username?: string;
  readonly password?: string;
  /** Emulation: stream pool OCID embedded in the username. */
  readonly streamPoolOcid?: string;
  /** Emulation: the rehearsal CA's truststore (same for every emulated cluster of this process). */
  readonly truststorePath?: string;
  readonly truststorePassword?: string;
  readonly truststoreType?: "PKCS12";
  readonly caPemPath?: string;
  /** mTLS: the client's PEM key store (unencrypted PKCS#8 key + chain, as Kafka reads ssl.keystore.type=PEM). */
  readonly clientKeystorePemPath?: string;
  /** mTLS: the client certificate chain alone (PEM). */
  readonly clientCertPemPath?: string;
  readonly harnessOcid?: string;
  readonly harnessTopics?: HarnessTopics;
  readonly clusterId: string;
  readonly workDir: string;
  readonly logFile: string;
  /** Client properties written at start (`clientConfig()`), mode 0600. */
  readonly clientPropertiesFile: string;
  readonly runtime: KafkaRuntime;
  readonly process: ManagedProcess;
  /** Everything a Kafka client needs to connect (bootstrap, security, SASL, truststore). */
  clientConfig(overrides?: Record<string, string>): Record<string, string>;
  /** Tool client configuration (properties file + overrides). */
  toolClient(overrides?: Record<string, string>): ToolClientConfig;
  /** Admin operations as the cluster's user; one result per op, failures included. */
  admin(ops: AdminOp[]): Promise<AdminResult[]>;
  /** Creates a topic; throws AdminOperationError when the broker refuses. */
  createTopic(name: string, partitions: number, configs?: Record<string, string>): Promise<void>;
  alterTopicConfig(name: string, configs: Record<string, string>): Promise<void>;
  describeTopic(name: string): Promise<TopicDescription>;
  /** Sum of the end offsets of a topic's partitions. */
  endOffsets(topic: string): Promise<{ total: number; partitions: Record<string, number> }>;
  stop(): Promise<void>;
}

const reservedPorts = new Set<number>();

/** A free TCP port on 127.0.0.1, not handed out before by this process. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        const p = typeof address === "object" && address ? address.port : 0;
        server.close(() => resolve(p));
      });
    });
    if (port > 0 && !reservedPorts.has(port)) {
      reservedPorts.add(port);
      return port;
    }
  }
  throw new Error("no free TCP port found on 127.0.0.1");
}

function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

function randomToken(bytes = 18): string {
  return randomBytes(bytes).toString("base64url").replace(/[-_]/g, "x");
}

function ocidUnique(): string {
  return `amaaaaaa${randomBytes(20).toString("hex")}`;
}

export function harnessTopicNames(harnessOcid: string): HarnessTopics {
  return {
    config: `${harnessOcid}-config`,
    offset: `${harnessOcid}-offset`,
    status: `${harnessOcid}-status`,
  };
}

function jaasPlain(username: string, password: string, extra = ""): string {
  return (
    `org.apache.kafka.common.security.plain.PlainLoginModule required ` +
    `username="${username}" password="${password}"${extra};`
  );
}

function jaasScram(username: string, password: string): string {
  return `org.apache.kafka.common.security.scram.ScramLoginModule required username="${username}" password="${password}";`;
}

function assertJaasSafe(what: string, value: string): void {
  if (/["\\\n;]/.test(value))
    throw new Error(`${what} must not contain quotes, backslashes, semicolons or newlines`);
}

/** The broker's TLS listener settings: a certificate from the process-wide rehearsal CA, trusting that CA. */
async function brokerTls(
  runtime: KafkaRuntime,
  workDir: string,
  clientAuth: "none" | "required",
): Promise<{ ca: RehearsalCa; props: Record<string, string> }> {
  const ca = await rehearsalCa(runtime);
  const keystore = await issueServerKeystore(runtime, ca, path.join(workDir, "tls"), [
    "localhost",
    "127.0.0.1",
  ]);
  return {
    ca,
    props: {
      "ssl.keystore.location": keystore.keystorePath,
      "ssl.keystore.password": keystore.keystorePassword,
      "ssl.keystore.type": keystore.keystoreType,
      "ssl.truststore.location": ca.truststorePath,
      "ssl.truststore.password": ca.truststorePassword,
      "ssl.truststore.type": ca.truststoreType,
      "ssl.client.auth": clientAuth,
    },
  };
}

/** Starts a single-node KRaft cluster (broker + controller in one JVM) on 127.0.0.1. */
export async function startCluster(options: StartClusterOptions): Promise<LocalCluster> {
  const runtime = options.runtime ?? (await ensureKafkaRuntime());
  const name = options.name;
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(name))
    throw new Error(`cluster name "${name}": letters, digits, dashes`);
  const emulate = options.ociEmulation;
  const security = emulate ? "oci" : (options.security ?? "plaintext");
  const region = options.region ?? `eu-${name.toLowerCase()}-1`;
  const workDir = options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `ocigeo-${name}-`));
  fs.mkdirSync(workDir, { recursive: true });
  // A caller-supplied work dir is never deleted unless asked to.
  const keep =
    options.keepWorkDir ?? (options.workDir !== undefined || process.env.OCI_GEO_REHEARSAL_KEEP === "1");
  const forgetWorkDir = keep
    ? () => true
    : onProcessCleanup(() => fs.rmSync(workDir, { recursive: true, force: true }));
  const logFile = path.join(workDir, "broker.log");
  const dataDir = path.join(workDir, "data");
  const [clientPort, controllerPort] = [await freePort(), await freePort()];
  const bootstrapServers = `127.0.0.1:${clientPort}`;
  const clusterId = randomClusterId();

  const streamPoolOcid = emulate ? `ocid1.streampool.oc1.${region}.${ocidUnique()}` : undefined;
  const username =
    security === "plaintext" || security === "mtls"
      ? undefined
      : (options.username ??
        (emulate
          ? `${options.tenancyName ?? "ocigeo-rehearsal"}/${options.userName ?? `${name}-mm2`}/${streamPoolOcid}`
          : `${name}-mm2`));
  const password =
    security === "plaintext" || security === "mtls" ? undefined : (options.password ?? randomToken());
  if (username) assertJaasSafe("username", username);
  if (password) assertJaasSafe("password", password);
  const brokerUser = "ocigeo-broker";
  const brokerPassword = randomToken();
  const harnessOcid =
    emulate && options.harness !== false
      ? (options.harnessOcid ?? `ocid1.connectharness.oc1.${region}.${ocidUnique()}`)
      : undefined;
  const harnessTopics = harnessOcid ? harnessTopicNames(harnessOcid) : undefined;

  const props: Record<string, string> = {
    "process.roles": "broker,controller",
    "node.id": "1",
    "controller.quorum.voters": `1@127.0.0.1:${controllerPort}`,
    "controller.listener.names": "CONTROLLER",
    listeners: `CLIENT://127.0.0.1:${clientPort},CONTROLLER://127.0.0.1:${controllerPort}`,
    "advertised.listeners": `CLIENT://127.0.0.1:${clientPort}`,
    "inter.broker.listener.name": "CLIENT",
    "log.dirs": dataDir,
    "num.partitions": "1",
    "default.replication.factor": "1",
    "min.insync.replicas": "1",
    "offsets.topic.replication.factor": "1",
    "offsets.topic.num.partitions": "5",
    "transaction.state.log.replication.factor": "1",
    "transaction.state.log.min.isr": "1",
    "transaction.state.log.num.partitions": "5",
    "share.coordinator.state.topic.replication.factor": "1",
    "auto.create.topics.enable": "false",
    "group.initial.rebalance.delay.ms": "0",
  };
  let ca: RehearsalCa | undefined;
  let clientKeystore: ClientKeystore | undefined;
  if (security === "oci") {
    const tls = await brokerTls(runtime, workDir, "none");
    ca = tls.ca;
    const usersFile = path.join(workDir, "plain-users.properties");
    fs.writeFileSync(usersFile, formatProperties({ [username!]: password!, [brokerUser]: brokerPassword }), {
      mode: 0o600,
    });
    Object.assign(props, {
      "listener.security.protocol.map": "CLIENT:SASL_SSL,CONTROLLER:PLAINTEXT",
      "sasl.enabled.mechanisms": "PLAIN",
      "sasl.mechanism.inter.broker.protocol": "PLAIN",
      "listener.name.client.plain.sasl.jaas.config": jaasPlain(
        brokerUser,
        brokerPassword,
        ` users_file="${usersFile}"`,
      ),
      "listener.name.client.plain.sasl.server.callback.handler.class":
        "ocigeo.rehearsal.PlainUsersCallbackHandler",
      ...tls.props,
      "authorizer.class.name": "ocigeo.rehearsal.OciAuthorizer",
      "create.topic.policy.class.name": "ocigeo.rehearsal.OciCreateTopicPolicy",
      "alter.config.policy.class.name": "ocigeo.rehearsal.OciAlterConfigPolicy",
      // OCI's "1 MB" request/message limit, read as decimal (lib/core/mm2/properties.ts OCI_MAX_REQUEST_BYTES).
      "message.max.bytes": String(OCI_MAX_REQUEST_BYTES),
    });
  } else if (security === "mtls") {
    const tls = await brokerTls(runtime, workDir, "required");
    ca = tls.ca;
    clientKeystore = await issueClientKeystore(runtime, ca, path.join(workDir, "tls-client"), `${name}-mm2`);
    Object.assign(props, {
      "listener.security.protocol.map": "CLIENT:SSL,CONTROLLER:PLAINTEXT",
      ...tls.props,
    });
  } else if (security === "scram") {
    Object.assign(props, {
      "listener.security.protocol.map": "CLIENT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
      "sasl.enabled.mechanisms": "SCRAM-SHA-512,SCRAM-SHA-256",
      "sasl.mechanism.inter.broker.protocol": "SCRAM-SHA-512",
      "listener.name.client.scram-sha-512.sasl.jaas.config": jaasScram(brokerUser, brokerPassword),
      "listener.name.client.scram-sha-256.sasl.jaas.config": jaasScram(brokerUser, brokerPassword),
    });
  } else {
    props["listener.security.protocol.map"] = "CLIENT:PLAINTEXT,CONTROLLER:PLAINTEXT";
  }
  Object.assign(props, options.brokerProperties ?? {});
  const serverProperties = path.join(workDir, "server.properties");
  fs.writeFileSync(serverProperties, formatProperties(props), { mode: 0o600 });

  // kafka-storage format
  const formatArgs = ["format", "-t", clusterId, "-c", serverProperties];
  if (security === "scram") {
    formatArgs.push("--add-scram", `SCRAM-SHA-512=[name=${brokerUser},password=${brokerPassword}]`);
    formatArgs.push("--add-scram", `SCRAM-SHA-512=[name=${username},password=${password}]`);
    formatArgs.push("--add-scram", `SCRAM-SHA-256=[name=${username},password=${password}]`);
  }
  const formatted = await runJavaTool(runtime, "kafka.tools.StorageTool", formatArgs, {
    jvmOptions: ["-XX:TieredStopAtLevel=1"],
    timeoutMs: 120_000,
  });
  if (formatted.exitCode !== 0) {
    throw new Error(
      `kafka-storage format failed for ${name} (exit ${formatted.exitCode}):\n${formatted.stdout}\n${formatted.stderr}`,
    );
  }

  const clientConfig = (overrides: Record<string, string> = {}): Record<string, string> => {
    const config: Record<string, string> = { "bootstrap.servers": bootstrapServers };
    if (security === "oci") {
      Object.assign(config, {
        "security.protocol": "SASL_SSL",
        "sasl.mechanism": "PLAIN",
        "sasl.jaas.config": jaasPlain(username!, password!),
        "ssl.truststore.location": ca!.truststorePath,
        "ssl.truststore.password": ca!.truststorePassword,
        "ssl.truststore.type": ca!.truststoreType,
      });
    } else if (security === "mtls") {
      Object.assign(config, {
        "security.protocol": "SSL",
        "ssl.truststore.location": ca!.truststorePath,
        "ssl.truststore.password": ca!.truststorePassword,
        "ssl.truststore.type": ca!.truststoreType,
        // Kafka's own PEM key store reading the file the TypeScript tools take as well.
        "ssl.keystore.type": "PEM",
        "ssl.keystore.location": clientKeystore!.keystorePemPath,
      });
    } else if (security === "scram") {
      Object.assign(config, {
        "security.protocol": "SASL_PLAINTEXT",
        "sasl.mechanism": "SCRAM-SHA-512",
        "sasl.jaas.config": jaasScram(username!, password!),
      });
    } else {
      config["security.protocol"] = "PLAINTEXT";
    }
    return { ...config, ...overrides };
  };
  const clientPropertiesFile = path.join(workDir, "client.properties");
  fs.writeFileSync(clientPropertiesFile, formatProperties(clientConfig()), { mode: 0o600 });
  const toolClient = (overrides: Record<string, string> = {}): ToolClientConfig => ({
    propertiesFile: clientPropertiesFile,
    properties: overrides,
  });

  const broker = startManagedProcess({
    name: `kafka-${name}`,
    command: runtime.java,
    args: [
      `-Xmx${options.heapMb ?? 512}m`,
      `-Xms${Math.min(options.heapMb ?? 512, 256)}m`,
      "-XX:+ExitOnOutOfMemoryError",
      "-Djava.awt.headless=true",
      `-Dlog4j2.configurationFile=${runtime.serverLog4jConfig}`,
      ...(options.jvmOptions ?? []),
      "-cp",
      runtime.classpath,
      "ocigeo.rehearsal.ParentWatch",
      "kafka.Kafka",
      serverProperties,
    ],
    logFile,
    cwd: workDir,
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await broker.stop(20_000);
    reservedPorts.delete(clientPort);
    reservedPorts.delete(controllerPort);
    if (!keep) fs.rmSync(workDir, { recursive: true, force: true });
    forgetWorkDir();
  };

  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const started = Date.now();
  try {
    await waitForFileMatch(logFile, /Kafka Server started/, {
      timeoutMs: startTimeoutMs,
      exited: broker.exited,
      what: `broker ${name} to start`,
    });
    const setup: AdminOp[] = [
      { op: "waitReady", timeoutMs: Math.max(10_000, startTimeoutMs - (Date.now() - started)) },
    ];
    if (harnessTopics) {
      const given = options.harnessPartitions ?? {};
      const partitions = { config: given.config ?? 1, offset: given.offset ?? 25, status: given.status ?? 5 };
      for (const kind of ["config", "offset", "status"] as const) {
        setup.push({
          op: "createTopic",
          name: harnessTopics[kind],
          partitions: partitions[kind],
          configs: { "cleanup.policy": "compact" },
        });
      }
    }
    if (security !== "plaintext" || harnessTopics) {
      await adminOpsOrThrow(runtime, toolClient(), setup);
    }
  } catch (error) {
    const tail = tailFile(logFile, 60);
    await stop().catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `cluster ${name} did not start: ${message}${message.includes(tail) ? "" : `\nbroker log tail:\n${tail}`}`,
    );
  }

  const admin = (ops: AdminOp[]): Promise<AdminResult[]> => adminOps(runtime, toolClient(), ops);
  return {
    name,
    ociEmulation: emulate,
    securityProtocol:
      security === "oci"
        ? "SASL_SSL"
        : security === "scram"
          ? "SASL_PLAINTEXT"
          : security === "mtls"
            ? "SSL"
            : "PLAINTEXT",
    saslMechanism: security === "oci" ? "PLAIN" : security === "scram" ? "SCRAM-SHA-512" : undefined,
    bootstrapServers,
    username,
    password,
    streamPoolOcid,
    truststorePath: ca?.truststorePath,
    truststorePassword: ca?.truststorePassword,
    truststoreType: ca?.truststoreType,
    caPemPath: ca?.caPemPath,
    clientKeystorePemPath: clientKeystore?.keystorePemPath,
    clientCertPemPath: clientKeystore?.certPemPath,
    harnessOcid,
    harnessTopics,
    clusterId,
    workDir,
    logFile,
    clientPropertiesFile,
    runtime,
    process: broker,
    clientConfig,
    toolClient,
    admin,
    async createTopic(topic, partitions, configs = {}) {
      await adminOpsOrThrow(runtime, toolClient(), [{ op: "createTopic", name: topic, partitions, configs }]);
    },
    async alterTopicConfig(topic, configs) {
      await adminOpsOrThrow(runtime, toolClient(), [{ op: "alterTopicConfig", name: topic, configs }]);
    },
    async describeTopic(topic) {
      const [result] = await adminOpsOrThrow(runtime, toolClient(), [{ op: "describeTopic", name: topic }]);
      return result as unknown as TopicDescription;
    },
    async endOffsets(topic) {
      const [result] = await adminOpsOrThrow(runtime, toolClient(), [{ op: "endOffsets", topic }]);
      return result as unknown as { total: number; partitions: Record<string, number> };
    },
    stop,
  };
}
