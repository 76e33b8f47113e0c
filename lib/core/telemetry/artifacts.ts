/**
 * What the MirrorMaker nodes download besides Kafka, pinned and checksum-verified like it: the
 * Prometheus JMX exporter (a Java agent in MirrorMaker's JVM) and the Node.js runtime the operator
 * commands run on; and where those commands live on a node. The local rehearsal fetches the same
 * exporter jar and checks the same checksum. Pure.
 */

/** The Prometheus JMX exporter: the newest agent on Maven Central (newer ones are GitHub-only). */
export const JMX_EXPORTER_VERSION = "1.0.1";
export const JMX_EXPORTER_JAR = `jmx_prometheus_javaagent-${JMX_EXPORTER_VERSION}.jar`;
/**
 * SHA-256 of {@link JMX_EXPORTER_JAR} (computed from the Central artifact, whose published SHA-1
 * is f9c53eb0aa1828c3c9cd7647238563e43a4ed68c; Central publishes no SHA-256).
 */
export const JMX_EXPORTER_SHA256 = "7d61f737fd661610ccc14aea79764faa1ea94a340cbc8f0029b3d2edea3d80c1";
export const JMX_EXPORTER_DEFAULT_BASE = "https://repo1.maven.org/maven2";
/** The exporter's HTTP endpoint on a node: loopback only (the poster reads it; nothing else may). */
export const JMX_EXPORTER_HOST = "127.0.0.1";
export const JMX_EXPORTER_PORT = 9404;

/** Download URL of the pinned exporter under a Maven-layout base URL. */
export function jmxExporterUrl(base: string = JMX_EXPORTER_DEFAULT_BASE): string {
  return `${base.replace(/\/+$/, "")}/io/prometheus/jmx/jmx_prometheus_javaagent/${JMX_EXPORTER_VERSION}/${JMX_EXPORTER_JAR}`;
}

/**
 * The exporter's rule set for Kafka 4.1's MirrorMaker 2 (dedicated mode), checked against the
 * 4.1.2 classes by the rehearsal (tests/rehearsal/monitoring.test.ts scrapes it). Kafka 4.0 made
 * the source alias part of every MM2 metric name (KIP-911; `add.source.alias.to.metrics` is gone),
 * so rule sets written for 3.x (Strimzi's) no longer match. `connector-task-metrics` beans carry
 * only connector and task: one flow per target (this product's rule) keeps them unambiguous.
 */
export function jmxExporterConfig(): string {
  return `# Prometheus JMX exporter rules for Kafka 4.1 MirrorMaker 2 (rendered by oci-geo-streaming)
lowercaseOutputName: true
lowercaseOutputLabelNames: true
includeObjectNames:
  - "kafka.connect.mirror:type=MirrorSourceConnector,*"
  - "kafka.connect.mirror:type=MirrorCheckpointConnector,*"
  - "kafka.connect:type=connector-task-metrics,*"
  - "kafka.consumer:type=consumer-fetch-manager-metrics,*"
rules:
  - pattern: 'kafka.connect.mirror<type=MirrorSourceConnector, source=([^,]+), target=([^,]+), topic=([^,]+), partition=([0-9]+)><>(replication-latency-ms|replication-latency-ms-max|replication-latency-ms-avg|record-age-ms|record-age-ms-max|record-age-ms-avg|byte-rate|record-rate|byte-count|record-count):'
    name: mm2_source_$5
    type: GAUGE
    labels: {source: "$1", target: "$2", topic: "$3", partition: "$4"}
  - pattern: 'kafka.connect.mirror<type=MirrorCheckpointConnector, source=([^,]+), target=([^,]+), group=([^,]+), topic=([^,]+), partition=([0-9]+)><>(checkpoint-latency-ms|checkpoint-latency-ms-max|checkpoint-latency-ms-avg):'
    name: mm2_checkpoint_$6
    type: GAUGE
    labels: {source: "$1", target: "$2", group: "$3", topic: "$4", partition: "$5"}
  - pattern: 'kafka.connect<type=connector-task-metrics, connector=([^,]+), task=([0-9]+)><>status: ([a-z-]+)'
    name: mm2_connect_task_status
    value: 1
    type: GAUGE
    labels: {connector: "$1", task: "$2", status: "$3"}
  - pattern: 'kafka.consumer<type=consumer-fetch-manager-metrics, client-id="?([^,"]+)->([^,|"]+)\\|([^,|"]+)\\|replication-consumer"?, topic=([^,]+), partition=([0-9]+)><>(records-lag|records-lag-max):'
    name: mm2_consumer_$6
    type: GAUGE
    labels: {source: "$1", target: "$2", task: "$3", topic: "$4", partition: "$5"}
`;
}

/**
 * The Node.js runtime of the operator commands on a node: the official linux tarball (Oracle
 * Linux 8's AppStream stops at nodejs:22 of an unstated minor, below what @platformatic/kafka
 * needs), SHA-256 from the release's SHASUMS256.txt.
 */
export const NODE_VERSION = "24.11.1";
export const NODE_TARBALL_SHA256: Record<"x86_64" | "aarch64", string> = {
  x86_64: "60e3b0a8500819514aca603487c254298cd776de0698d3cd08f11dba5b8289a8",
  aarch64: "6b0863fb9f627bf4a6c5948dce1de4398174a2e05dbe717503d828e211ca01f0",
};
export const NODE_DEFAULT_BASE = "https://nodejs.org/dist";

/** The tarball's name for a shape's architecture. */
export function nodeTarball(arch: "x86_64" | "aarch64"): string {
  return `node-v${NODE_VERSION}-linux-${arch === "aarch64" ? "arm64" : "x64"}.tar.xz`;
}

/** Download URL of the pinned Node.js tarball under a base laid out like nodejs.org/dist. */
export function nodeTarballUrl(arch: "x86_64" | "aarch64", base: string = NODE_DEFAULT_BASE): string {
  return `${base.replace(/\/+$/, "")}/v${NODE_VERSION}/${nodeTarball(arch)}`;
}

/** Where the operator commands live on a node. */
export const TOOLS_DIR = "/opt/oci-geo-streaming";
export const TOOLS_COMMAND = "/usr/local/bin/oci-geo-streaming";
/** The file name of the self-contained operator bundle (built by `npm run build` into dist/bundle/). */
export const TOOLS_BUNDLE_FILE = "oci-geo-streaming.cjs";

/** The bundle's content-addressed object name in the tools bucket. */
export function toolsObjectName(version: string, sha256: string): string {
  return `tools/oci-geo-streaming-${version}-${sha256}.cjs`;
}
