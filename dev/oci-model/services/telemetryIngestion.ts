/**
 * The OCI model — Monitoring's ingestion API (`PostMetricData` on
 * `telemetry-ingestion.<region>.oraclecloud.com`): what it accepts and what it refuses, written
 * from OCI's documentation and NOT from the product's own rules (lib/core/telemetry/metrics.ts), so
 * that the rehearsal can catch the product breaking one.
 *
 * Sources (read 2026-12-01):
 *  - OCI CLI `oci monitoring metric-data post`
 *    https://docs.oracle.com/iaas/tools/oci-cli/latest/oci_cli_docs/cmdref/monitoring/metric-data/post.html
 *    — timestamps less than two hours in the past and less than 10 minutes in the future; per call
 *    1 to 20 dimensions per metric group, at most 50 unique metric streams; the telemetry-ingestion
 *    endpoint, not the telemetry one;
 *  - `MetricDataDetails`, `Datapoint`, `PostMetricDataDetails`, `PostMetricDataResponseDetails`
 *    (oci-typescript-sdk lib/components/monitoring/lib/model/*.ts, and
 *    https://docs.oracle.com/en-us/iaas/tools/typescript/2.93.0/modules/_monitoring_lib_model_metric_data_details_.metricdatadetails.html)
 *    — namespace: starts with a letter, only letters, digits and underscores, no `oci_` / `oracle_`
 *    prefix; name: starts with a letter, only letters, digits, `.`, `_`, `-`, `$`; dimension key:
 *    printable ASCII without spaces, at most 256 characters; dimension value: at most 512
 *    characters; no empty key or value; at least one datapoint; `count` > 0 when given;
 *    NON_ATOMIC (the default): the objects that fail validation are listed in `failedMetrics` with a
 *    message, the rest are stored — unless none passes, when the whole request is refused.
 *  - "Publishing Custom Metrics Using the API"
 *    https://docs.oracle.com/iaas/Content/Monitoring/Tasks/publishingcustommetrics.htm — the reserved
 *    prefixes again.
 * A value must be a finite number (the API's `value` is a JSON number: JSON has no NaN or Infinity,
 * and a poster that serialises NaN sends `null`).
 */

export interface PostedDatapoint {
  timestamp: string;
  value: number;
  count?: number;
}

/** One stored metric object, as the service keeps it. */
export interface StoredMetric {
  namespace: string;
  compartmentId: string;
  name: string;
  dimensions: Record<string, string>;
  datapoints: PostedDatapoint[];
  /** When it was accepted (ms since the epoch). */
  receivedAt: number;
}

export interface FailedMetric {
  message: string;
  metricData: unknown;
}

/** The outcome of one PostMetricData call. */
export type PostMetricDataResult =
  | { status: 200; failedMetricsCount: number; failedMetrics: FailedMetric[]; accepted: StoredMetric[] }
  | { status: 400 | 404; code: string; message: string };

const NAMESPACE = /^[A-Za-z][A-Za-z0-9_]*$/;
const NAME = /^[A-Za-z][A-Za-z0-9._$-]*$/;
const PRINTABLE_NO_SPACE = /^[\x21-\x7e]+$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const MAX_STREAMS = 50;
const MAX_DIMENSIONS = 20;
const PAST_MS = 2 * 60 * 60 * 1000;
const FUTURE_MS = 10 * 60 * 1000;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Why OCI refuses one metric object; undefined when it passes. */
export function metricObjectProblem(m: unknown, now: number): string | undefined {
  if (!isRecord(m)) return "InvalidParameter: a metric object must be a JSON object";
  const { namespace, compartmentId, name, dimensions, datapoints } = m;
  if (typeof namespace !== "string" || !NAMESPACE.test(namespace)) {
    return `InvalidParameter: namespace ${JSON.stringify(namespace)} must start with a letter and hold only letters, digits and underscores`;
  }
  if (/^(oci_|oracle_)/i.test(namespace)) {
    return `InvalidParameter: namespace ${namespace} uses a reserved prefix (oci_, oracle_)`;
  }
  if (typeof compartmentId !== "string" || !/^ocid1\.(compartment|tenancy)\./.test(compartmentId)) {
    return `InvalidParameter: compartmentId ${JSON.stringify(compartmentId)} is not a compartment OCID`;
  }
  if (typeof name !== "string" || !NAME.test(name)) {
    return `InvalidParameter: name ${JSON.stringify(name)} must start with a letter and hold only letters, digits, '.', '_', '-', '$'`;
  }
  if (!isRecord(dimensions)) return "InvalidParameter: dimensions are required";
  const entries = Object.entries(dimensions);
  if (entries.length < 1 || entries.length > MAX_DIMENSIONS) {
    return `InvalidParameter: ${entries.length} dimensions; 1 to ${MAX_DIMENSIONS} are allowed`;
  }
  for (const [k, v] of entries) {
    if (k.length > 256 || !PRINTABLE_NO_SPACE.test(k)) {
      return `InvalidParameter: dimension key ${JSON.stringify(k)} must be 1 to 256 printable ASCII characters without spaces`;
    }
    if (typeof v !== "string" || v.length === 0 || v.length > 512) {
      return `InvalidParameter: dimension ${k} must have a string value of 1 to 512 characters`;
    }
  }
  if (!Array.isArray(datapoints) || datapoints.length === 0) {
    return "InvalidParameter: at least one datapoint is required";
  }
  for (const d of datapoints) {
    if (!isRecord(d)) return "InvalidParameter: a datapoint must be an object";
    if (typeof d.value !== "number" || !Number.isFinite(d.value)) {
      return `InvalidParameter: datapoint value ${JSON.stringify(d.value)} is not a number`;
    }
    if (d.count !== undefined && (typeof d.count !== "number" || !(d.count > 0))) {
      return `InvalidParameter: datapoint count ${JSON.stringify(d.count)} must be greater than zero`;
    }
    if (
      typeof d.timestamp !== "string" ||
      !RFC3339.test(d.timestamp) ||
      Number.isNaN(Date.parse(d.timestamp))
    ) {
      return `InvalidParameter: datapoint timestamp ${JSON.stringify(d.timestamp)} is not RFC 3339`;
    }
    const t = Date.parse(d.timestamp);
    if (t <= now - PAST_MS)
      return `InvalidParameter: datapoint timestamp ${d.timestamp} is two hours old or more`;
    if (t >= now + FUTURE_MS) {
      return `InvalidParameter: datapoint timestamp ${d.timestamp} is 10 minutes or more in the future`;
    }
  }
  return undefined;
}

/** The identity of a metric stream: namespace, compartment, name and dimension set. */
export function streamKey(m: {
  namespace: string;
  compartmentId: string;
  name: string;
  dimensions: Record<string, string>;
}): string {
  const dims = Object.entries(m.dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([m.namespace, m.compartmentId, m.name, dims]);
}

/**
 * One PostMetricData call on the ingestion endpoint of `region` (`endpoint` as the client gave it),
 * with `PostMetricDataDetails.metricData` = `metricData`, NON_ATOMIC.
 */
export function postMetricData(
  request: { endpoint: string; region: string; metricData: unknown },
  now: number,
): PostMetricDataResult {
  const ingestion = `https://telemetry-ingestion.${request.region}.oraclecloud.com`;
  if (request.endpoint.replace(/\/+$/, "") !== ingestion) {
    return {
      status: 404,
      code: "NotAuthorizedOrNotFound",
      message: `PostMetricData is served by ${ingestion} only, not ${request.endpoint}`,
    };
  }
  if (!Array.isArray(request.metricData) || request.metricData.length === 0) {
    return { status: 400, code: "InvalidParameter", message: "metricData must be a non-empty list" };
  }
  const streams = new Set(
    request.metricData.map((m) =>
      isRecord(m) && isRecord(m.dimensions) ? streamKey(m as unknown as StoredMetric) : JSON.stringify(m),
    ),
  );
  if (streams.size > MAX_STREAMS) {
    return {
      status: 400,
      code: "InvalidParameter",
      message: `${streams.size} unique metric streams in one request; at most ${MAX_STREAMS}`,
    };
  }
  const failedMetrics: FailedMetric[] = [];
  const accepted: StoredMetric[] = [];
  for (const m of request.metricData) {
    const problem = metricObjectProblem(m, now);
    if (problem !== undefined) {
      failedMetrics.push({ message: problem, metricData: m });
      continue;
    }
    const r = m as Record<string, unknown>;
    accepted.push({
      namespace: r.namespace as string,
      compartmentId: r.compartmentId as string,
      name: r.name as string,
      dimensions: { ...(r.dimensions as Record<string, string>) },
      datapoints: (r.datapoints as PostedDatapoint[]).map((d) => ({ ...d })),
      receivedAt: now,
    });
  }
  if (accepted.length === 0) {
    return {
      status: 400,
      code: "InvalidParameter",
      message: `no metric object passed validation: ${failedMetrics[0].message}`,
    };
  }
  return { status: 200, failedMetricsCount: failedMetrics.length, failedMetrics, accepted };
}
