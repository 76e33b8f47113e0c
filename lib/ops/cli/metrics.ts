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
import { METRICS_BUDGET, runDeadlineMs } from "../../core/telemetry/budget";
import {
  postMetricDataBatches,
  type MetricDataDetails,
  type MetricSample,
} from "../../core/telemetry/metrics";
import type { KafkaClient, KafkaClientOptions } from "../kafka/client";
import { measureSourceSide, measureTargetSide, type FlowStatus } from "../status/measure";
import {
  checkpointSamples,
  jmxSamples,
  lagSamples,
  nodeSamples,
  sourceSamples,
  targetSamples,
  unreadFlowSamples,
} from "../status/samples";
import { parseCommand, UsageError, parseOrExit } from "./args";
import { CliError } from "./clusters";
import { runAsMain, withDefaults, type KafkaCliIo } from "./kafkaCliIo";
import { nodePlan, type Plan } from "./status";

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

/** A promise that rejects with `what` when `ms` pass first (the work itself is not stopped). */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer within ${Math.round(ms / 100) / 10} s`)),
      ms,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** The poster's Kafka settings: every request and connection bounded, one retry (lib/core/telemetry/budget.ts). */
export function bounded(options: KafkaClientOptions): KafkaClientOptions {
  return {
    ...options,
    requestTimeoutMs: METRICS_BUDGET.kafkaRequestTimeoutMs,
    retries: METRICS_BUDGET.kafkaRetries,
  };
}

/** Connects within `ms`; a connection that comes too late is closed. */
async function connectWithin(
  io: Required<KafkaCliIo>,
  options: KafkaClientOptions,
  ms: number,
  what: string,
) {
  const connecting = io.connect(bounded(options));
  try {
    return await withDeadline(connecting, ms, what);
  } catch (e) {
    connecting.then((c) => c.close()).catch(() => undefined);
    throw e;
  }
}

/**
 * Runs the command; returns the exit code. One run, in phases, most important first, each bounded
 * (lib/core/telemetry/budget.ts): the target read → the JMX scrape → post (node_up, mm2_jmx_up,
 * heartbeat found, heartbeat age, failed tasks) → the source probe → post (source reachable — 0
 * when it does not answer in time —, RPO) → posts of lag per partition, checkpoint ages and
 * MirrorMaker's JMX metrics. A post starts only while a whole call fits before the run's deadline.
 */
export async function runMetricsCli(argv: string[], io0: KafkaCliIo): Promise<number> {
  const parsed = parseOrExit(() => parseMetricsArgs(argv), io0, COMMAND, USAGE);
  if ("exit" in parsed) return parsed.exit;
  const opts = parsed.options;
  const io = withDefaults(io0);
  const B = METRICS_BUDGET;
  const deadline = io.clock() + runDeadlineMs();
  let settings: MonitoringSettings;
  try {
    settings = readMonitoringSettings(io.readFile(opts.monitoring), opts.monitoring);
  } catch (e) {
    io.err(`metrics: ${(e as Error).message}`);
    return 1;
  }
  const base = { deployment: settings.deployment, node: opts.node ?? io.hostname() };
  const poster = new Poster(io, opts.mode, settings, deadline);

  // 1. The target side of every flow, within one deadline for all.
  let plan: Plan | undefined;
  try {
    plan = nodePlan(opts.mm2Properties, io, undefined, "oci-geo-streaming-metrics");
  } catch (e) {
    io.err(`metrics: cannot measure the flows: ${(e as Error).message}`);
    poster.code = 1;
  }
  const measured: { flow: FlowStatus; source: KafkaClientOptions | undefined }[] = [];
  const unread: string[] = [];
  const targetEnd = io.clock() + B.targetDeadlineMs;
  for (const f of plan?.flows ?? []) {
    const name = `${f.spec.source}->${f.spec.target}`;
    try {
      if (!f.target) throw new Error(`no ${f.names[1]} connection`);
      const left = Math.max(0, targetEnd - io.clock());
      const target = await connectWithin(io, f.target, left, `the target ${f.spec.target}`);
      try {
        const flow = await withDeadline(
          measureTargetSide(target, f.spec, io.clock()),
          Math.max(0, targetEnd - io.clock()),
          `reading the target ${f.spec.target}`,
        );
        measured.push({ flow, source: f.source });
      } finally {
        target.close().catch(() => undefined);
      }
    } catch (e) {
      io.err(
        `metrics: cannot measure the flows: cannot read the target ${f.spec.target}: ${(e as Error).message}`,
      );
      unread.push(name);
      poster.code = 1;
    }
  }

  // 2. MirrorMaker's exporter on the loopback.
  const jmxUrl = opts.jmxUrl ?? settings.jmxUrl;
  let mm2Up = false;
  let jmx: MetricSample[] = [];
  if (jmxUrl !== undefined) {
    try {
      const text = await io.httpGet(jmxUrl, B.jmxScrapeTimeoutMs);
      jmx = jmxSamples(text, base, io.clock());
      mm2Up = true;
    } catch (e) {
      io.err(`metrics: MirrorMaker's JMX exporter did not answer at ${jmxUrl}: ${(e as Error).message}`);
    }
  }

  // 3. Post 1: the node and what the target tells, before the source is probed.
  await poster.post("node and target", [
    ...nodeSamples(base, mm2Up, io.clock()),
    ...targetSamples(
      measured.map((m) => m.flow),
      base,
    ),
    ...unreadFlowSamples(unread, base, io.clock()),
  ]);

  // 4. The source side of every flow, within one deadline for all; then post 2.
  const sourceEnd = io.clock() + B.sourceDeadlineMs;
  const probed: FlowStatus[] = [];
  for (const m of measured) {
    const what = `the source ${m.flow.source}`;
    let flow: FlowStatus;
    if (!m.source) {
      flow = await measureSourceSide(m.flow, new Error(`no ${m.flow.source} connection given`), io.clock());
    } else {
      let source: KafkaClient | undefined;
      try {
        source = await connectWithin(io, m.source, Math.max(0, sourceEnd - io.clock()), what);
        flow = await withDeadline(
          measureSourceSide(m.flow, source, io.clock()),
          Math.max(0, sourceEnd - io.clock()),
          `reading ${what}`,
        );
      } catch (e) {
        flow = await measureSourceSide(m.flow, e as Error, io.clock());
      } finally {
        source?.close().catch(() => undefined);
      }
    }
    if (!flow.sourceReachable) io.err(`metrics: ${what} cannot be read: ${flow.sourceError ?? "?"}`);
    probed.push(flow);
  }
  await poster.post("source", sourceSamples(probed, base));

  // 5. The rest, least important last: lag per partition, checkpoints, MirrorMaker's own metrics.
  await poster.post("lag", lagSamples(probed, base));
  await poster.post(
    "checkpoints",
    checkpointSamples(
      measured.map((m) => m.flow),
      base,
    ),
  );
  await poster.post("MirrorMaker JMX", jmx);
  return poster.finish();
}

/** Posts (or, with --print, collects) the phases' samples, counting what OCI took and what it did not. */
class Poster {
  code = 0;
  private readonly batches: MetricDataDetails[][] = [];
  private accepted = 0;
  private refused = 0;
  private unsent = 0;
  private skipped = 0;
  private dropped = 0;
  private droppedNaN = 0;

  constructor(
    private readonly io: Required<KafkaCliIo>,
    private readonly mode: "post" | "print",
    private readonly settings: MonitoringSettings,
    private readonly deadline: number,
  ) {}

  async post(phase: string, samples: MetricSample[]): Promise<void> {
    const { io, settings } = this;
    const { batches, dropped } = postMetricDataBatches(samples, {
      namespace: settings.namespace,
      compartmentId: settings.compartmentId,
      now: io.clock(),
    });
    this.dropped += dropped.length;
    for (const d of dropped) {
      if (/not a finite number/.test(d.reason)) this.droppedNaN++;
      else io.err(`metrics: not sent: ${d.sample.name} ${JSON.stringify(d.sample.dimensions)}: ${d.reason}`);
    }
    for (const batch of batches) {
      const n = this.batches.length + 1;
      this.batches.push(batch);
      if (this.mode === "print") continue;
      const left = this.deadline - io.clock();
      if (left < METRICS_BUDGET.postCallTimeoutMs) {
        // A call that may not finish before systemd's timeout is not started: the run ends on its own.
        this.skipped += batch.length;
        this.code = 1;
        io.err(
          `metrics: request ${n} (${phase}, ${batch.length} streams) not sent: the run's time budget is spent`,
        );
        continue;
      }
      const result = await postBatch(io, batch, settings.region, METRICS_BUDGET.postCallTimeoutMs);
      if (result === undefined) {
        this.unsent += batch.length;
        this.code = 1;
        continue;
      }
      this.accepted += batch.length - result.refused;
      this.refused += result.refused;
      if (result.refused > 0) this.code = 1;
      io.err(
        `metrics: posted request ${n} (${phase}): ${batch.length - result.refused} of ${batch.length} streams accepted`,
      );
    }
  }

  finish(): number {
    const { io, settings } = this;
    const notSent = `${this.dropped} sample(s) not sent (${this.droppedNaN} NaN)`;
    if (this.mode === "print") {
      const streams = this.batches.reduce((n, b) => n + b.length, 0);
      io.out(
        JSON.stringify(
          {
            endpoint: telemetryIngestionEndpoint(settings.region),
            batches: this.batches,
            dropped: this.dropped,
          },
          null,
          2,
        ),
      );
      io.err(`metrics: ${streams} stream(s) in ${this.batches.length} request(s); ${notSent}`);
      return this.code;
    }
    io.err(
      `metrics: ${this.accepted} stream(s) posted to ${settings.namespace}` +
        (this.refused > 0 ? `; ${this.refused} refused by OCI` : "") +
        (this.unsent > 0 ? `; ${this.unsent} in failed requests` : "") +
        (this.skipped > 0 ? `; ${this.skipped} not sent for lack of time` : "") +
        `; ${notSent}`,
    );
    return this.code;
  }
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
  timeoutMs: number,
): Promise<{ refused: number } | undefined> {
  const file = io.writeTempFile("metric-data.json", JSON.stringify(batch));
  try {
    const r = await io.run("oci", postCommand(file, region), { timeoutMs });
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
