/**
 * The metrics the MirrorMaker nodes post to OCI Monitoring, and OCI's rules for posting them
 * (PostMetricData). Pure: no I/O, no Pulumi.
 *
 * OCI's rules (Monitoring API, `PostMetricData` / `MetricDataDetails`):
 *  - a custom namespace starts with a letter and holds letters, digits and underscores only; the
 *    prefixes `oci_` and `oracle_` are reserved for Oracle's own namespaces;
 *  - a metric name "starts with an alphabetical character and includes only alphanumeric characters,
 *    dots, underscores, hyphens, and dollar signs" (MetricDataDetails.name in the Monitoring API
 *    reference; no colons, unlike Prometheus names);
 *  - 1 to 20 dimensions per stream; a key is printable ASCII without spaces or periods (at most 256
 *    characters); a value is non-empty, at most 512 characters;
 *  - at most 50 metric streams (`MetricDataDetails`) per request;
 *  - a datapoint's timestamp is less than 2 hours old and less than 10 minutes in the future.
 * What breaks a rule is not sent; {@link postMetricDataBatches} says why for each dropped sample.
 */

/** The custom namespace the product posts to unless told otherwise. */
export const DEFAULT_METRIC_NAMESPACE = "geo_streaming";

export const POST_METRIC_DATA_LIMITS = {
  maxStreamsPerRequest: 50,
  maxAgeMs: 2 * 3_600_000,
  maxAheadMs: 10 * 60_000,
  minDimensions: 1,
  maxDimensions: 20,
  maxDimensionKeyChars: 256,
  maxDimensionValueChars: 512,
  maxNameChars: 255,
  maxNamespaceChars: 255,
} as const;

const NAMESPACE = /^[A-Za-z][A-Za-z0-9_]*$/;
const METRIC_NAME = /^[A-Za-z][A-Za-z0-9._$-]*$/;
const DIMENSION_KEY = /^[!-~]+$/;

/** Why OCI would refuse `namespace` as a custom metric namespace; undefined when it accepts it. */
export function metricNamespaceProblem(namespace: unknown): string | undefined {
  if (typeof namespace !== "string" || namespace === "") return "is empty";
  if (namespace.length > POST_METRIC_DATA_LIMITS.maxNamespaceChars) {
    return `is ${namespace.length} characters; OCI allows ${POST_METRIC_DATA_LIMITS.maxNamespaceChars}`;
  }
  if (!NAMESPACE.test(namespace)) {
    return `${JSON.stringify(namespace)} must start with a letter and hold only letters, digits and underscores`;
  }
  if (/^(oci|oracle)_/i.test(namespace)) {
    return `${JSON.stringify(namespace)} starts with ${namespace.split("_")[0]}_, which OCI reserves for its own namespaces`;
  }
  return undefined;
}

/** Why OCI would refuse `name` as a metric name; undefined when it accepts it. */
export function metricNameProblem(name: string): string | undefined {
  if (name === "" || name.length > POST_METRIC_DATA_LIMITS.maxNameChars) {
    return `must be 1 to ${POST_METRIC_DATA_LIMITS.maxNameChars} characters`;
  }
  if (!METRIC_NAME.test(name)) {
    return `${JSON.stringify(name)} must start with a letter and hold only letters, digits and . _ - $`;
  }
  return undefined;
}

/** Why OCI would refuse this dimension set; undefined when it accepts it. */
export function dimensionsProblem(dimensions: Record<string, string>): string | undefined {
  const entries = Object.entries(dimensions);
  const L = POST_METRIC_DATA_LIMITS;
  if (entries.length < L.minDimensions || entries.length > L.maxDimensions) {
    return `has ${entries.length} dimensions; OCI takes ${L.minDimensions} to ${L.maxDimensions}`;
  }
  for (const [k, v] of entries) {
    if (!DIMENSION_KEY.test(k) || k.includes(".") || k.length > L.maxDimensionKeyChars) {
      return `dimension key ${JSON.stringify(k)} must be printable ASCII without spaces or periods, at most ${L.maxDimensionKeyChars} characters`;
    }
    if (typeof v !== "string" || v === "" || v.length > L.maxDimensionValueChars) {
      return `dimension ${k} must have a value of 1 to ${L.maxDimensionValueChars} characters`;
    }
  }
  return undefined;
}

/** One measured value of one metric stream (a name and its dimensions). */
export interface MetricSample {
  name: string;
  dimensions: Record<string, string>;
  value: number;
  /** When measured, ms since the epoch. */
  timestamp: number;
}

/** `MetricDataDetails` of the Monitoring API, as the OCI CLI's `--metric-data` takes it. */
export interface MetricDataDetails {
  namespace: string;
  compartmentId: string;
  name: string;
  dimensions: Record<string, string>;
  datapoints: { timestamp: string; value: number }[];
}

export interface DroppedSample {
  sample: MetricSample;
  reason: string;
}

/**
 * The samples as PostMetricData requests: one stream per name and dimension set (its samples as
 * datapoints), at most 50 streams per request, in a stable order. Samples OCI would refuse are
 * dropped with the reason: a value that is not a finite number (the JMX exporter reports NaN for
 * an idle partition's max/avg), a timestamp 2 hours old or 10 minutes ahead, a bad name or
 * dimension set.
 */
export function postMetricDataBatches(
  samples: readonly MetricSample[],
  options: { namespace: string; compartmentId: string; now: number },
): { batches: MetricDataDetails[][]; dropped: DroppedSample[] } {
  const nsProblem = metricNamespaceProblem(options.namespace);
  if (nsProblem !== undefined) throw new Error(`metric namespace ${nsProblem}`);
  const L = POST_METRIC_DATA_LIMITS;
  const dropped: DroppedSample[] = [];
  const streams = new Map<string, MetricDataDetails>();
  for (const sample of samples) {
    const reason =
      (!Number.isFinite(sample.value) ? `value ${String(sample.value)} is not a finite number` : undefined) ??
      (sample.timestamp <= options.now - L.maxAgeMs ? "timestamp is 2 hours old or more" : undefined) ??
      (sample.timestamp >= options.now + L.maxAheadMs
        ? "timestamp is 10 minutes ahead or more"
        : undefined) ??
      metricNameProblem(sample.name) ??
      dimensionsProblem(sample.dimensions);
    if (reason !== undefined) {
      dropped.push({ sample, reason });
      continue;
    }
    const dims = Object.fromEntries(Object.entries(sample.dimensions).sort(([a], [b]) => a.localeCompare(b)));
    const key = JSON.stringify([sample.name, dims]);
    let stream = streams.get(key);
    if (!stream) {
      stream = {
        namespace: options.namespace,
        compartmentId: options.compartmentId,
        name: sample.name,
        dimensions: dims,
        datapoints: [],
      };
      streams.set(key, stream);
    }
    stream.datapoints.push({ timestamp: new Date(sample.timestamp).toISOString(), value: sample.value });
  }
  const ordered = [...streams.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, s]) => s);
  const batches: MetricDataDetails[][] = [];
  for (let i = 0; i < ordered.length; i += L.maxStreamsPerRequest) {
    batches.push(ordered.slice(i, i + L.maxStreamsPerRequest));
  }
  return { batches, dropped };
}

/**
 * The product's end-to-end signals (from lib/ops/status, measured on Kafka) and the node's liveness,
 * as posted by `oci-geo-streaming metrics`. Every one carries the dimensions `deployment` (the
 * replication layer's name) and `node` (the host name); the alarms name them.
 */
export const PRODUCT_METRICS = {
  /** Records on the source not on the target yet, per partition (dims flow, topic, partition). */
  lagRecords: "replication_lag_records",
  /** Age in seconds of the oldest record not copied yet, per partition (dims flow, topic, partition). */
  lagSeconds: "replication_lag_seconds",
  /** Age of the newest replicated heartbeat (dim flow); not posted while there is none. */
  heartbeatAgeSeconds: "replicated_heartbeat_age_seconds",
  /**
   * 1 when a heartbeat of the flow was found on the target, else 0 — posted at every run, also when
   * there is none or the target cannot be read (dim flow), so that "never written" is a value.
   */
  heartbeatFound: "replicated_heartbeat_found",
  /** Age of each group's newest checkpoint (dims flow, group). */
  checkpointAgeSeconds: "checkpoint_age_seconds",
  /** What losing the source now would cost (dim flow). */
  rpoRecords: "rpo_records",
  rpoSeconds: "rpo_seconds",
  /** Connectors and tasks FAILED in the workers' status topic (dim flow). */
  tasksFailed: "connect_tasks_failed",
  /** 1 when the source cluster could be read, else 0 (dim flow). */
  sourceReachable: "source_reachable",
  /** 1 when MirrorMaker's JMX exporter answered on this node, else 0. */
  mm2Up: "mm2_jmx_up",
  /** 1 at every run of the poster, posted first: its absence means the node (or its poster) is down. */
  nodeUp: "node_up",
} as const;

/**
 * The JMX exporter's families posted as they are (the rule set in {@link jmxExporterConfig} makes
 * them): per-partition replication latency and record age, per-group checkpoint latency, and the
 * connector tasks' status. Max and average are NaN on an idle partition and are dropped then.
 */
export const POSTED_JMX_METRICS: readonly string[] = [
  "mm2_source_replication_latency_ms_max",
  "mm2_source_record_age_ms_max",
  "mm2_source_record_rate",
  "mm2_source_byte_rate",
  "mm2_checkpoint_checkpoint_latency_ms_max",
  "mm2_connect_task_status",
  "mm2_consumer_records_lag_max",
];
