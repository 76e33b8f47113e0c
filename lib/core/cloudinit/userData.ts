/**
 * Renders the `#cloud-config` user-data of an MM2 node.
 *
 * The document creates the non-root service user, writes the scripts, the systemd unit and
 * mm2.properties (placeholders only), and runs provision.sh once, which installs Java 17, the OCI
 * CLI and the SHA-512-verified Kafka release and starts mm2.service. Secrets never appear: the node
 * fetches them from OCI Vault at each service start (fetch-secrets.sh); only secret OCIDs, which are
 * identifiers, are written here.
 *
 * Deterministic: the same input gives byte-identical text (no timestamps, stable order), so a
 * `pulumi up` without changes does not replace the instances.
 *
 * Only cloud-init modules present in every Oracle Linux 8/9 cloud.cfg are used (users-groups,
 * write_files without `defer`, runcmd); package installation happens in provision.sh so that a failure
 * is fatal and ordered.
 */

import { gzipSync, strToU8 } from "fflate";
import { ValidationError } from "../errors";
import { KAFKA_DEFAULT_DOWNLOAD_BASE, KAFKA_TGZ, KAFKA_TGZ_SHA512, KAFKA_VERSION } from "../kafkaVersion";
import {
  ReplicationModel,
  ReplicationModelInput,
  needsInternalRest,
  normalizeReplicationModel,
} from "../mm2/replicationModel";
import { renderMm2PropertiesNormalized } from "../mm2/properties";
import { secretSpecs } from "../mm2/secrets";
import { validateReplicationModel } from "../mm2/validate";
import {
  JMX_EXPORTER_HOST,
  JMX_EXPORTER_JAR,
  JMX_EXPORTER_PORT,
  JMX_EXPORTER_SHA256,
  NODE_TARBALL_SHA256,
  TOOLS_BUNDLE_FILE,
  TOOLS_COMMAND,
  TOOLS_DIR,
  jmxExporterConfig,
  jmxExporterUrl,
  metricNamespaceProblem,
  nodeTarballUrl,
} from "../telemetry";
import {
  FetchItem,
  LIBEXEC_DIR,
  LOG_DIR,
  SCRIPT_NAMES,
  SERVICE_USER,
  STATE_DIR,
  SYSTEMD_UNIT_PATH,
  fetchSecretsScript,
  fetchVerifiedScript,
  installKafkaScript,
  installToolsScript,
  metricsServiceUnit,
  metricsTimerUnit,
  toolsInstallUnit,
  nodePropertiesScript,
  provisionScript,
  putSecretScript,
  scriptPath,
  systemdUnit,
} from "./scripts";

export interface UserDataInput {
  /** The replication model (validated here too). */
  readonly model: ReplicationModelInput;
  /** Memory of one node's shape, in GB; the JVM heap is half of it (512 MB to 16 GB). */
  readonly nodeMemoryGbs: number;
  /**
   * Base URL of the Kafka download, laid out like Apache's archive: `<base>/<version>/<tgz>`.
   * Default {@link KAFKA_DEFAULT_DOWNLOAD_BASE}. The SHA-512 is checked whatever the source.
   */
  readonly kafkaDownloadBaseUrl?: string;
  /** CIDR of the MM2 nodes' subnet; the internal REST port is opened to it only. Needed with > 1 node. */
  readonly fleetSubnetCidr?: string;
  /** Prefix for ValidationError fields, e.g. `replication`. */
  readonly fieldPrefix?: string;
  /** Metrics, logs and the operator commands (see {@link OperationsNodeInput}). Default: none. */
  readonly operations?: OperationsNodeInput;
}

/**
 * What a node needs to be operable: where its metrics go, and where its operator commands come from
 * (the bundle of the package version that rendered the user-data, in the stack's tools bucket).
 */
export interface OperationsNodeInput {
  /** The custom metrics namespace (validated). */
  readonly metricNamespace: string;
  /** The compartment the metrics are posted into. */
  readonly compartmentId: string;
  /** The node's region (the telemetry-ingestion endpoint's). */
  readonly region: string;
  /** The `deployment` dimension of every metric (the replication layer's name). */
  readonly deployment: string;
  /** The shape's architecture (which Node.js tarball). */
  readonly arch: "x86_64" | "aarch64";
  /** Base URL of Node.js releases, laid out like https://nodejs.org/dist. */
  readonly nodeDownloadBaseUrl?: string;
  /** Base URL of a Maven repository holding the JMX exporter. */
  readonly jmxExporterDownloadBaseUrl?: string;
  /** The operator bundle in Object Storage, and its SHA-256. */
  readonly tools: {
    readonly namespace: string;
    readonly bucket: string;
    readonly object: string;
    readonly sha256: string;
    readonly version: string;
  };
}

/** Where the JMX exporter lives on a node. */
export const JMX_EXPORTER_DIR = "/opt/jmx-exporter";
/** The Run Command plugin runs commands as this user (no sudo unless granted). */
export const RUN_COMMAND_USER = "ocarun";
/** The file MM2's log4j2 configuration writes, which OCI Logging's agent tails. */
export const MM2_LOG_FILE = `${LOG_DIR}/connect.log`;

/** A file written on the node by cloud-init. */
export interface NodeFile {
  readonly path: string;
  readonly owner: string;
  readonly permissions: string;
  readonly content: string;
}

/**
 * OCI's limit on an instance's metadata: "The metadata attribute supports key/value string pairs.
 * The extendedMetadata attribute supports nested JSON objects. The combined size of these two
 * attributes can be a maximum of 32,000 bytes" (OCI Compute, "Updating Instance Metadata").
 * `user_data` and `ssh_authorized_keys` are metadata keys, so both count.
 */
export const OCI_INSTANCE_METADATA_MAX_BYTES = 32_000;

/**
 * The instance's `user_data`: the `#cloud-config` document gzip-compressed and base64-encoded.
 *
 * - OCI takes `user_data` base64-encoded, and cloud-init's Oracle datasource decodes it
 *   (`DataSourceOracle`: `self.userdata_raw = base64.b64decode(user_data)`).
 * - cloud-init then gunzips what is gzip and keeps what is not (`user_data.convert_string` calls
 *   `util.decomp_gzip(bdata, decode=False)`, which returns the input unchanged when it is not gzip):
 *   compressed user-data is detected by content, no MIME header needed. Read in cloud-init 22.4 and
 *   present since its first releases; Oracle Linux 8 ships 23.4.
 * - Compression is pure JavaScript (fflate, pinned to one version), level 9, no timestamp and no
 *   file name: the same document gives the same bytes on every machine and Node.js version (Node's
 *   zlib is Chromium's fork, whose output is not promised to stay the same). OCI cannot update
 *   `user_data` in place (it replaces the instance), so the bytes must not drift.
 *
 * The document compresses about 3:1, and long topic lists far better, which lifts the cap the
 * metadata limit put on the number of replicated streams (see {@link instanceMetadata}).
 */
export function encodeUserData(document: string): string {
  return Buffer.from(gzipSync(strToU8(document), { level: 9, mtime: 0 })).toString("base64");
}

/** The metadata of an MM2 node: its user-data (encoded) and, when given, the SSH keys for Bastion sessions. */
export function instanceMetadata(document: string, sshAuthorizedKeys?: string): Record<string, string> {
  return {
    user_data: encodeUserData(document),
    ...(sshAuthorizedKeys ? { ssh_authorized_keys: sshAuthorizedKeys } : {}),
  };
}

/** The size OCI counts for a metadata map, taken as its JSON text (keys and quotes included: an upper bound). */
export function instanceMetadataBytes(metadata: Record<string, string>): number {
  return Buffer.byteLength(JSON.stringify(metadata), "utf8");
}

export const MIN_HEAP_MB = 512;
export const MAX_HEAP_MB = 16_384;

/** Heap for a node with this much memory: half of it, between 512 MB and 16 GB. */
export function heapMbFor(memoryGbs: number): number {
  return Math.min(MAX_HEAP_MB, Math.max(MIN_HEAP_MB, Math.floor((memoryGbs * 1024) / 2)));
}

export function kafkaHome(): string {
  return `/opt/kafka-${KAFKA_VERSION}`;
}

/** Download URL of the pinned Kafka release under a base URL. */
export function kafkaDownloadUrl(base: string = KAFKA_DEFAULT_DOWNLOAD_BASE): string {
  return `${base.replace(/\/+$/, "")}/${KAFKA_VERSION}/${KAFKA_TGZ}`;
}

const URL_PATTERN = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[A-Za-z0-9._~%+=@:/-]*)?$/;
const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

function validateNodeInput(input: UserDataInput): void {
  const at = (f: string): string => (input.fieldPrefix ? `${input.fieldPrefix}.${f}` : f);
  if (
    typeof input.nodeMemoryGbs !== "number" ||
    !Number.isFinite(input.nodeMemoryGbs) ||
    input.nodeMemoryGbs < 1
  ) {
    throw new ValidationError(
      at("nodeMemoryGbs"),
      "must be a number of GB >= 1. Give the memory of the node's shape",
    );
  }
  if (input.kafkaDownloadBaseUrl !== undefined && !URL_PATTERN.test(input.kafkaDownloadBaseUrl)) {
    throw new ValidationError(
      at("kafkaDownloadBaseUrl"),
      "must be an http(s) URL without quotes, spaces or query string, laid out like https://archive.apache.org/dist/kafka. Give the mirror's base URL",
    );
  }
  const ops = input.operations;
  if (ops !== undefined) {
    const nsProblem = metricNamespaceProblem(ops.metricNamespace);
    if (nsProblem !== undefined) throw new ValidationError(at("metricNamespace"), nsProblem);
    for (const [field, url] of [
      ["nodeDownloadBaseUrl", ops.nodeDownloadBaseUrl],
      ["jmxExporterDownloadBaseUrl", ops.jmxExporterDownloadBaseUrl],
    ] as const) {
      if (url !== undefined && !(URL_PATTERN.test(url) && url.startsWith("https://"))) {
        throw new ValidationError(
          at(field),
          "must be an https URL without quotes, spaces or query string. Give the mirror's base URL",
        );
      }
    }
    if (!/^[0-9a-f]{64}$/.test(ops.tools.sha256)) {
      throw new Error("internal: the operator bundle's SHA-256 must be 64 lower-case hex digits");
    }
  }
  if (input.model.fleet?.nodes > 1) {
    const m = CIDR_PATTERN.exec(input.fleetSubnetCidr ?? "");
    const ok = m !== null && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
    if (!ok) {
      throw new ValidationError(
        at("fleetSubnetCidr"),
        "must be the IPv4 CIDR of the MM2 nodes' subnet (e.g. 10.20.1.0/24) when the fleet has more than one node: the internal REST port is opened to it only",
      );
    }
  }
}

function fetchItems(model: ReplicationModel): FetchItem[] {
  return secretSpecs(model).map((s) =>
    s.kind === "property"
      ? { kind: "property", secretId: s.secretId, key: s.key, escape: s.escape }
      : { kind: "file", secretId: s.secretId, path: s.path },
  );
}

/**
 * Every file the user-data writes, in the order it writes them. Exposed so that tests and the local
 * rehearsal use exactly what the nodes get.
 */
export function renderNodeFiles(input: UserDataInput): NodeFile[] {
  validateReplicationModel(input.model, { fieldPrefix: input.fieldPrefix });
  validateNodeInput(input);
  const model = normalizeReplicationModel(input.model);
  const multiNode = needsInternalRest(model);
  const script = (name: string, content: string): NodeFile => ({
    path: scriptPath(name),
    owner: "root:root",
    permissions: "0755",
    content,
  });
  const secrets = fetchItems(model);
  const files: NodeFile[] = [
    script(SCRIPT_NAMES.putSecret, putSecretScript()),
    script(SCRIPT_NAMES.fetchSecrets, fetchSecretsScript(model.configDir, secrets)),
  ];
  if (multiNode) {
    files.push(script(SCRIPT_NAMES.nodeProperties, nodePropertiesScript(model.configDir)));
  }
  const ops = input.operations;
  const exporterPath = `${JMX_EXPORTER_DIR}/${JMX_EXPORTER_JAR}`;
  if (ops) {
    files.push(
      script(SCRIPT_NAMES.fetchVerified, fetchVerifiedScript()),
      script(
        SCRIPT_NAMES.installTools,
        installToolsScript({
          toolsDir: TOOLS_DIR,
          command: TOOLS_COMMAND,
          nodeUrl: nodeTarballUrl(ops.arch, ops.nodeDownloadBaseUrl),
          nodeSha256: NODE_TARBALL_SHA256[ops.arch],
          bundleSource: `oci-object://${ops.tools.namespace}/${ops.tools.bucket}/${ops.tools.object}`,
          bundleSha256: ops.tools.sha256,
          bundleFile: TOOLS_BUNDLE_FILE,
          version: ops.tools.version,
          runCommandUser: RUN_COMMAND_USER,
        }),
      ),
    );
  }
  files.push(
    script(
      SCRIPT_NAMES.installKafka,
      installKafkaScript(kafkaDownloadUrl(input.kafkaDownloadBaseUrl), kafkaHome(), KAFKA_TGZ_SHA512),
    ),
    script(
      SCRIPT_NAMES.provision,
      provisionScript({
        configDir: model.configDir,
        internalRest: multiNode
          ? { port: model.fleet.internalRestPort, peerCidr: input.fleetSubnetCidr ?? "" }
          : undefined,
        operations: ops
          ? {
              exporterUrl: jmxExporterUrl(ops.jmxExporterDownloadBaseUrl),
              exporterSha256: JMX_EXPORTER_SHA256,
              exporterPath,
            }
          : undefined,
      }),
    ),
    {
      path: SYSTEMD_UNIT_PATH,
      owner: "root:root",
      permissions: "0644",
      content: systemdUnit({
        configDir: model.configDir,
        kafkaHome: kafkaHome(),
        targetAlias: model.target,
        heapMb: heapMbFor(input.nodeMemoryGbs),
        multiNode,
        secretCount: secrets.length,
        operations: ops
          ? {
              javaAgent: `-javaagent:${exporterPath}=${JMX_EXPORTER_HOST}:${JMX_EXPORTER_PORT}:${model.configDir}/jmx-exporter.yaml`,
              log4jConfig: `${kafkaHome()}/config/connect-log4j2.yaml`,
            }
          : undefined,
      }),
    },
    {
      // Root-owned until provision.sh hands it to the service user (which does not exist yet when
      // write_files runs; `defer` is avoided because not every Oracle Linux cloud.cfg runs it).
      path: `${model.configDir}/mm2.properties`,
      owner: "root:root",
      permissions: "0600",
      content: renderMm2PropertiesNormalized(model),
    },
  );
  if (ops) {
    const unit = (path: string, content: string): NodeFile => ({
      path,
      owner: "root:root",
      permissions: "0644",
      content,
    });
    files.push(
      unit(`${model.configDir}/jmx-exporter.yaml`, jmxExporterConfig()),
      unit(`${model.configDir}/monitoring.properties`, monitoringProperties(ops, model.configDir)),
      unit("/etc/systemd/system/oci-geo-streaming-install.service", toolsInstallUnit()),
      unit(
        "/etc/systemd/system/mm2-metrics.service",
        metricsServiceUnit({ command: TOOLS_COMMAND, configDir: model.configDir }),
      ),
      unit("/etc/systemd/system/mm2-metrics.timer", metricsTimerUnit()),
      // MM2's log4j2 configuration rolls connect.log hourly and never deletes: keep a week.
      unit("/etc/tmpfiles.d/mm2.conf", `e ${LOG_DIR} - - - 7d\n`),
    );
  }
  return files;
}

/**
 * monitoring.properties: what `oci-geo-streaming metrics` reads on a node besides mm2.properties —
 * the namespace and compartment of the metrics, the region's telemetry-ingestion endpoint, the
 * `deployment` dimension and the exporter's URL.
 */
export function monitoringProperties(ops: OperationsNodeInput, configDir: string): string {
  return [
    "# Read by oci-geo-streaming metrics (rendered by oci-geo-streaming; no secret here).",
    `namespace=${ops.metricNamespace}`,
    `compartmentId=${ops.compartmentId}`,
    `region=${ops.region}`,
    `deployment=${ops.deployment}`,
    `jmxUrl=http://${JMX_EXPORTER_HOST}:${JMX_EXPORTER_PORT}/metrics`,
    `mm2Properties=${configDir}/mm2.properties`,
    "",
  ].join("\n");
}

/** A YAML double-quoted scalar (JSON strings are valid YAML). */
function yq(value: string): string {
  return JSON.stringify(value);
}

/** A YAML literal block scalar at the given indentation; content must end with exactly one newline. */
function yamlBlock(content: string, indent: string): string {
  if (!content.endsWith("\n") || content.endsWith("\n\n")) {
    throw new Error("internal: block content must end with exactly one newline");
  }
  if (/[\t\r]/.test(content) || /^ /.test(content)) {
    throw new Error(
      "internal: block content must not contain tabs or carriage returns nor start with a space",
    );
  }
  const body = content
    .slice(0, -1)
    .split("\n")
    .map((l) => (l === "" ? "" : `${indent}${l}`))
    .join("\n");
  return `|\n${body}\n`;
}

/**
 * Renders the `#cloud-config` document (uncompressed: what `cloud-init schema` checks and the plan
 * writes; the instance gets {@link encodeUserData} of it). Throws `ValidationError` for an invalid
 * model or node input. Its size against OCI's metadata limit is checked by the component's
 * validation (lib/core/config/validateFleetPlan.ts), before anything is registered.
 */
export function renderUserData(input: UserDataInput): string {
  const files = renderNodeFiles(input);
  const model = normalizeReplicationModel(input.model);
  const out: string[] = [
    "#cloud-config",
    `# MirrorMaker 2 node replicating into "${model.target}" (Apache Kafka ${KAFKA_VERSION}).`,
    "# Rendered by oci-geo-streaming (lib/core/cloudinit). Holds no secret: the node reads them from OCI Vault.",
    "users:",
    "  - default",
    `  - name: ${SERVICE_USER}`,
    `    gecos: ${yq("Kafka MirrorMaker 2")}`,
    "    system: true",
    "    shell: /sbin/nologin",
    "    lock_passwd: true",
    `    homedir: ${STATE_DIR}`,
    "    no_create_home: true",
    "write_files:",
  ];
  for (const f of files) {
    out.push(
      `  - path: ${yq(f.path)}`,
      `    owner: ${yq(f.owner)}`,
      `    permissions: ${yq(f.permissions)}`,
      `    content: ${yamlBlock(f.content, "      ")}`.replace(/\n$/, ""),
    );
  }
  out.push("runcmd:", `  - [${yq(`${LIBEXEC_DIR}/${SCRIPT_NAMES.provision}`)}]`);
  return `${out.join("\n")}\n`;
}
