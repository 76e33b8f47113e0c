/**
 * `oci-geo-streaming metrics`: one run of a MirrorMaker node's metrics poster (mm2-metrics.timer
 * starts it every minute). It measures the node's flows end to end (lib/ops/status: lag per partition,
 * the replicated heartbeat's age, checkpoint ages, the RPO, failed tasks), scrapes MirrorMaker's JMX
 * exporter on the loopback, adds the node's liveness, and posts everything to OCI Monitoring with
 * PostMetricData through the OCI CLI and the instance's own principal — at most 50 streams per
 * request, NaN and out-of-range samples dropped with the reason (lib/core/telemetry/metrics.ts).
 *
 * Why the OCI CLI: the node has it already (fetch-secrets.sh reads Vault with it), it signs requests
 * with the instance principal, and the SDK would add its whole dependency tree to the bundle for one
 * call.
 *
 * Exit codes: 0 posted (or printed); 1 a post failed, the target could not be measured, or a
 * setting is missing (what could be posted still was); 2 usage error.
 */
import { DEFAULT_CONFIG_DIR } from "../../core/mm2/replicationModel";
import { parseProperties } from "../../core/mm2/properties";
import {
  postMetricDataBatches,
  type MetricDataDetails,
  type MetricSample,
} from "../../core/telemetry/metrics";
import { jmxSamples, nodeSamples, statusSamples } from "../status/samples";
import { parseCommand, UsageError, parseOrExit } from "./args";
import { CliError } from "./clusters";
import { runAsMain, withDefaults, type KafkaCliIo } from "./kafkaCliIo";
import { measureAll, nodePlan } from "./status";

export const COMMAND = "oci-geo-streaming metrics";
export const DEFAULT_MONITORING_PROPERTIES = `${DEFAULT_CONFIG_DIR}/monitoring.properties`;

export const USAGE = `usage: ${COMMAND} (--post | --print) [--mm2-properties <file>] [--monitoring <file>]
         [--jmx-url <url>] [--node <name>]

One run of the node's metrics poster: measures every flow of mm2.properties end to end (lag per
partition in records and seconds, replicated heartbeat age, checkpoint age per group, RPO, failed
tasks), scrapes MirrorMaker's JMX exporter, and posts the samples to OCI Monitoring (--post: the OCI
CLI with the instance principal, at most 50 metric streams per request) or prints the requests as
JSON (--print). The namespace, compartment, region and deployment come from monitoring.properties
(written by the node's user-data).

  --mm2-properties   default ${DEFAULT_CONFIG_DIR}/mm2.properties
  --monitoring       default ${DEFAULT_MONITORING_PROPERTIES}
  --jmx-url          default: monitoring.properties' jmxUrl
  --node             the node dimension; default: the host name

Exit codes: 0 posted or printed; 1 a post failed, a flow could not be measured, or a setting is
missing (whatever could be posted was); 2 usage error.`;

const OPTIONS = {
  post: { type: "boolean" },
  print: { type: "boolean" },
  "mm2-properties": { type: "string" },
  monitoring: { type: "string" },
  "jmx-url": { type: "string" },
  node: { type: "string" },
} as const;

export interface MetricsCliOptions {
  mode: "post" | "print";
  mm2Properties: string;
  monitoring: string;
  jmxUrl?: string;
  node?: string;
}

export function parseMetricsArgs(argv: string[]): MetricsCliOptions | "help" {
  const parsed = parseCommand(argv, { command: COMMAND, usage: USAGE, options: OPTIONS });
  if (parsed === "help") return "help";
  const v = parsed.values;
  if ((v.post ?? false) === (v.print ?? false)) {
    throw new UsageError("give exactly one of --post (to OCI Monitoring) or --print (the requests as JSON)");
  }
  return {
    mode: v.post ? "post" : "print",
    mm2Properties: v["mm2-properties"] ?? `${DEFAULT_CONFIG_DIR}/mm2.properties`,
    monitoring: v.monitoring ?? DEFAULT_MONITORING_PROPERTIES,
    jmxUrl: v["jmx-url"],
    node: v.node,
  };
}

/** What monitoring.properties holds. */
export interface MonitoringSettings {
  namespace: string;
  compartmentId: string;
  region: string;
  deployment: string;
  jmxUrl?: string;
}

export function readMonitoringSettings(text: string, file: string): MonitoringSettings {
  const p = parseProperties(text);
  const need = (key: string): string => {
    const value = p.get(key);
    if (value === undefined || value === "") throw new CliError(`${file} has no ${key}`, 1);
    return value;
  };
  return {
    namespace: need("namespace"),
    compartmentId: need("compartmentId"),
    region: need("region"),
    deployment: need("deployment"),
    jmxUrl: p.get("jmxUrl"),
  };
}

/** The region's ingestion endpoint (PostMetricData is not served by the query endpoint). */
export function telemetryIngestionEndpoint(region: string): string {
  return `https://telemetry-ingestion.${region}.oraclecloud.com`;
}

/** The OCI CLI call that posts one batch from `file`. */
export function postCommand(file: string, region: string): string[] {
  return [
    "monitoring",
    "metric-data",
    "post",
    "--metric-data",
    `file://${file}`,
    "--endpoint",
    telemetryIngestionEndpoint(region),
    "--auth",
    "instance_principal",
  ];
}

/** Runs the command; returns the exit code. */
export async function runMetricsCli(argv: string[], io0: KafkaCliIo): Promise<number> {
  const parsed = parseOrExit(() => parseMetricsArgs(argv), io0, COMMAND, USAGE);
  if ("exit" in parsed) return parsed.exit;
  const opts = parsed.options;
  const io = withDefaults(io0);
  let code = 0;
  let settings: MonitoringSettings;
  try {
    settings = readMonitoringSettings(io.readFile(opts.monitoring), opts.monitoring);
  } catch (e) {
    io.err(`metrics: ${(e as Error).message}`);
    return 1;
  }
  const base = { deployment: settings.deployment, node: opts.node ?? io.hostname() };
  const samples: MetricSample[] = [];

  try {
    const flows = await measureAll(
      nodePlan(opts.mm2Properties, io, undefined, "oci-geo-streaming-metrics"),
      io,
    );
    samples.push(...statusSamples(flows, base));
  } catch (e) {
    io.err(`metrics: cannot measure the flows: ${(e as Error).message}`);
    code = 1;
  }
  const jmxUrl = opts.jmxUrl ?? settings.jmxUrl;
  let mm2Up = false;
  if (jmxUrl !== undefined) {
    try {
      const text = await io.httpGet(jmxUrl, 5_000);
      samples.push(...jmxSamples(text, base, io.clock()));
      mm2Up = true;
    } catch (e) {
      io.err(`metrics: MirrorMaker's JMX exporter did not answer at ${jmxUrl}: ${(e as Error).message}`);
    }
  }
  samples.push(...nodeSamples(base, mm2Up, io.clock()));

  const { batches, dropped } = postMetricDataBatches(samples, {
    namespace: settings.namespace,
    compartmentId: settings.compartmentId,
    now: io.clock(),
  });
  const droppedNaN = dropped.filter((d) => /not a finite number/.test(d.reason)).length;
  for (const d of dropped.filter((x) => !/not a finite number/.test(x.reason))) {
    io.err(`metrics: not sent: ${d.sample.name} ${JSON.stringify(d.sample.dimensions)}: ${d.reason}`);
  }
  const streams = batches.reduce((n, b) => n + b.length, 0);
  if (opts.mode === "print") {
    io.out(
      JSON.stringify(
        { endpoint: telemetryIngestionEndpoint(settings.region), batches, dropped: dropped.length },
        null,
        2,
      ),
    );
    io.err(
      `metrics: ${streams} stream(s) in ${batches.length} request(s); ${dropped.length} sample(s) not sent (${droppedNaN} NaN)`,
    );
    return code;
  }
  let accepted = 0;
  let refused = 0;
  let unsent = 0;
  for (const [i, batch] of batches.entries()) {
    const result = await postBatch(io, batch, settings.region);
    if (result === undefined) {
      unsent += batch.length;
      code = 1;
      continue;
    }
    accepted += batch.length - result.refused;
    refused += result.refused;
    if (result.refused > 0) code = 1;
    io.err(
      `metrics: posted request ${i + 1}/${batches.length}: ${batch.length - result.refused} of ${batch.length} streams accepted`,
    );
  }
  io.err(
    `metrics: ${accepted} stream(s) posted to ${settings.namespace}` +
      (refused > 0 ? `; ${refused} refused by OCI` : "") +
      (unsent > 0 ? `; ${unsent} in failed requests` : "") +
      `; ${dropped.length} sample(s) not sent (${droppedNaN} NaN)`,
  );
  return code;
}

/** One refused stream of a PostMetricData answer, as the OCI CLI prints it (`failed-metrics`). */
interface FailedMetric {
  message?: string;
  "metric-data"?: { name?: string; dimensions?: Record<string, string> };
}

/**
 * How many streams OCI refused in a PostMetricData answer. With the default NON_ATOMIC batching
 * OCI accepts the valid streams and lists the others in `failedMetrics`, with `failedMetricsCount`
 * (Monitoring API, PostMetricDataResponseDetails); the HTTP status is 200 either way.
 */
export function refusedStreams(stdout: string): { count: number; failed: FailedMetric[] } {
  try {
    const data =
      (
        JSON.parse(stdout) as {
          data?: { "failed-metrics-count"?: number; "failed-metrics"?: FailedMetric[] };
        }
      ).data ?? {};
    const failed = Array.isArray(data["failed-metrics"]) ? data["failed-metrics"] : [];
    return { count: Math.max(data["failed-metrics-count"] ?? 0, failed.length), failed };
  } catch {
    return { count: 0, failed: [] };
  }
}

/** Posts one batch: how many of its streams OCI refused, or undefined when the request failed. */
async function postBatch(
  io: Required<KafkaCliIo>,
  batch: MetricDataDetails[],
  region: string,
): Promise<{ refused: number } | undefined> {
  const file = io.writeTempFile("metric-data.json", JSON.stringify(batch));
  try {
    const r = await io.run("oci", postCommand(file, region), { timeoutMs: 40_000 });
    if (r.code !== 0) {
      io.err(
        `metrics: PostMetricData failed (oci exit ${r.code}): ${r.stderr.trim().split("\n").slice(-3).join(" ")}`,
      );
      return undefined;
    }
    const { count, failed } = refusedStreams(r.stdout);
    if (count > 0) {
      io.err(`metrics: OCI refused ${count} of ${batch.length} streams`);
      for (const f of failed.slice(0, 20)) {
        const m = f["metric-data"] ?? {};
        io.err(
          `metrics: refused: ${m.name ?? "?"} ${JSON.stringify(m.dimensions ?? {})}: ${f.message ?? "(no reason given)"}`,
        );
      }
    }
    return { refused: count };
  } finally {
    io.removeTempFile(file);
  }
}

if (require.main === module) {
  runAsMain(COMMAND, runMetricsCli);
}
