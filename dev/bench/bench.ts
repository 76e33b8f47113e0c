/**
 * `npm run bench`: replication throughput and end-to-end lag of MirrorMaker 2 between two local
 * clusters emulating OCI Streaming (source `fra`, target `ams`), for several partition counts, in
 * ONE run, for every configuration of ./benchConfigs (rendered, tuning candidates, quickstart,
 * plain pipe), side by side.
 *
 * Method, per configuration (one warm JVM per MirrorMaker configuration, one per partition count
 * for the pipe):
 *  1. warm-up: a few MiB are replicated first (JIT, connections, task start-up are not measured);
 *  2. throughput — backlog first: the replicator is paused (SIGSTOP of its JVM), a fixed backlog is
 *     produced on the source, the replicator is resumed (SIGCONT); a consumer on the target,
 *     positioned at the end beforehand, records the first and last arrival of the backlog's
 *     records: MiB/s = backlog bytes (key + value) / (last − first arrival). Only that consumer
 *     runs next to the replicator while the backlog drains. A pause longer than Connect's 10 s
 *     session timeout makes MirrorMaker's only worker rejoin its group on resume, which revokes
 *     nothing (checked in its log per step; a revocation would be noted);
 *  3. lag — paced: a producer writes at a fixed, moderate rate (0.25 MiB/s per partition, at most
 *     2 MiB/s in all: below OCI's write limit, so lag is not backlog drain), the consumer on the
 *     target records arrival − record timestamp (the producer's send time) for
 *     every record: p50/p99. Meanwhile the source broker's per-topic fetch counter gives the
 *     partition reads per second (OCI allows 5 per partition and consumer group).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";

import { KAFKA_VERSION } from "../../lib/core/kafkaVersion";
import { OCI_MAX_REQUEST_BYTES, parseProperties } from "../../lib/core/mm2/properties";
import {
  MAX_BATCH_BYTES,
  applyOciTuning,
  currentTuning,
  pipeClientTuning,
  quickstartProperties,
  tuningCandidates,
  type OciTuning,
  type TuningCandidate,
} from "./benchConfigs";
import {
  FETCH_READS_QUERY,
  compileBenchTools,
  fetchReads,
  observeArrivals,
  spawnJava,
  startJmxProbe,
  type BenchJava,
  type JmxProbe,
} from "./benchJava";
import type { LocalCluster } from "../rehearsal/cluster";
import { ensureKafkaRuntime, type KafkaRuntime } from "../rehearsal/kafkaRuntime";
import {
  startMirrorMaker,
  trustStoreFor,
  waitForTopicRecords,
  type MirrorMakerHandle,
} from "../rehearsal/mirrorMaker";
import {
  prepareRenderedMirrorMaker,
  startEmulatedRegions,
  startRenderedNode,
  type EmulatedRegions,
  type PreparedMirrorMaker,
} from "../rehearsal/renderedConfig";
import { produce, runJavaTool } from "../rehearsal/tools";

export const MiB = 1024 * 1024;

export interface BenchSettings {
  quick: boolean;
  partitions: number[];
  /** Value size of every record (key ~20 B and three small headers come on top). */
  valueBytes: number;
  /** Backlog per partition count, MiB. */
  backlogMiB: Record<number, number>;
  /** Replicated before the measurements (per MirrorMaker JVM, per pipe JVM), MiB. */
  warmupMiB: number;
  /** Paced producer rate per partition count, records per second (all partitions together). */
  lagRate: Record<number, number>;
  lagSeconds: number;
  candidates: TuningCandidate[];
  /** Run only these configuration ids (a, b, c, candidate names); undefined = all. */
  only?: string[];
  /**
   * Emulate OCI's 1 MB/s/partition write limit on the target with a Kafka `producer_byte_rate`
   * quota of P MiB/s for the cluster's user (an aggregate: Kafka has no per-partition quota; the
   * broker throttles by delaying responses, over a 2 s window).
   */
  ociWriteQuota: boolean;
}

/** The one partition count of a --quick run. */
export const QUICK_PARTITIONS = 6;

export function defaultSettings(
  options: { quick?: boolean; ociWriteQuota?: boolean; candidates?: string[]; only?: string[] } = {},
): BenchSettings {
  const quick = options.quick === true;
  // --quick is the smoke the rehearsal tier runs: one partition count (several partitions, so
  // several tasks and fetch sessions), (a), (b) and (c) once each.
  const partitions = quick ? [QUICK_PARTITIONS] : [1, 6, 24];
  // A drain of a few seconds at least: bigger backlogs where more partitions drain faster.
  const backlog = (p: number): number => {
    const base = p === 1 ? (quick ? 16 : 32) : quick ? Math.max(24, p) : Math.max(96, 4 * p);
    // Under the write quota a backlog drains at P MiB/s: keep the drain a few seconds long.
    return options.ociWriteQuota ? Math.min(base, 6 * p) : base;
  };
  return {
    quick,
    partitions,
    valueBytes: 1024,
    backlogMiB: Object.fromEntries(partitions.map((p) => [p, backlog(p)])),
    warmupMiB: quick ? 4 : 8,
    // 0.25 MiB/s per partition, at most 2 MiB/s in all (well below what every setup sustains here).
    lagRate: Object.fromEntries(partitions.map((p) => [p, Math.min(250 * p, 2000)])),
    lagSeconds: quick ? 8 : 12,
    candidates: tuningCandidates(options.candidates ?? (quick ? [] : undefined)),
    ociWriteQuota: options.ociWriteQuota === true,
    only: options.only,
  };
}

export type VariantKind = "rendered" | "candidate" | "quickstart" | "pipe";

export interface VariantInfo {
  id: string;
  label: string;
  kind: VariantKind;
  description: string;
  /** The OCI client tuning in effect (rendered, candidates, pipe). */
  tuning?: OciTuning;
  /** tasks.max of the MirrorMaker configuration. */
  tasksMax?: number;
  /** The properties MirrorMaker ran (credentials redacted). */
  properties?: string;
}

export interface ThroughputResult {
  mibPerSec: number;
  records: number;
  bytes: number;
  firstToLastMs: number;
  /** How long the replicator was paused while the backlog was produced. */
  pausedMs: number;
  missing: number;
  duplicates: number;
  /** Source broker: partition reads per second and partition while the backlog drained. */
  readsPerSecPerPartition: number;
  /** MirrorMaker's worker rejoined its Connect group after the pause (session timeout). */
  rejoined?: boolean;
}

export interface LagResult {
  recordsPerSec: number;
  records: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  missing: number;
  duplicates: number;
  /** Source broker: partition reads of the topic per second and partition during the paced phase. */
  readsPerSecPerPartition: number;
}

export interface StepResult {
  variant: string;
  partitions: number;
  throughput?: ThroughputResult;
  lag?: LagResult;
  notes: string[];
  error?: string;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  kafkaVersion: string;
  host: {
    cpus: number;
    memoryGiB: number;
    loadAverageStart: number[];
    loadAverageEnd: number[];
    node: string;
    java: string;
  };
  settings: Omit<BenchSettings, "candidates"> & { candidates: string[] };
  variants: VariantInfo[];
  steps: StepResult[];
  /** Setup times (cluster start, MirrorMaker start to warm-up replicated), ms. */
  timings: Record<string, number>;
}

export interface RunBenchOptions {
  settings: BenchSettings;
  /** Work directory (logs, properties); created. */
  workDir: string;
  /** Progress lines. */
  log: (line: string) => void;
  runtime?: KafkaRuntime;
}

const SOURCE = "fra";
const TARGET = "ams";

/**
 * Backlog (and warm-up) producer: as fast as the client goes (it runs alone while the replicator is
 * paused), with the largest batches and requests OCI accepts.
 */
export const BACKLOG_PRODUCER: Readonly<Record<string, string>> = {
  "batch.size": String(MAX_BATCH_BYTES),
  "max.request.size": String(OCI_MAX_REQUEST_BYTES),
  "linger.ms": "20",
  "max.in.flight.requests.per.connection": "5",
  "buffer.memory": "134217728",
};

function recordsFor(mib: number, valueBytes: number): number {
  return Math.round((mib * MiB) / valueBytes);
}

function redact(text: string): string {
  return text.replace(/password="[^"]*"/g, 'password="<redacted>"');
}

function javaVersion(runtime: KafkaRuntime): string {
  const r = spawnSync(runtime.java, ["-version"], { encoding: "utf8" });
  return (r.stderr || r.stdout || "").split("\n")[0]?.trim() ?? "unknown";
}

class Clock {
  private readonly start = Date.now();
  elapsed(): string {
    const s = Math.floor((Date.now() - this.start) / 1000);
    return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
  }
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** A replicator the benchmark can pause: a MirrorMaker process group or a Pipe JVM. */
interface Pausable {
  pause(): void;
  resume(): void;
  /** Log text since `mark` (MirrorMaker only), for rebalance detection. */
  logSince?(mark: number): string;
  logMark?(): number;
}

interface Context {
  settings: BenchSettings;
  regions: EmulatedRegions;
  bench: BenchJava;
  probe: JmxProbe;
  log: (line: string) => void;
  runtime: KafkaRuntime;
}

async function setWriteQuota(ctx: Context, bytesPerSec: number | undefined): Promise<void> {
  const target = ctx.regions.target;
  const change =
    bytesPerSec === undefined
      ? ["--delete-config", "producer_byte_rate"]
      : ["--add-config", `producer_byte_rate=${bytesPerSec}`];
  const r = await runJavaTool(
    ctx.runtime,
    "kafka.admin.ConfigCommand",
    [
      "--bootstrap-server",
      target.bootstrapServers,
      "--command-config",
      target.clientPropertiesFile,
      "--alter",
      ...change,
      "--entity-type",
      "users",
      "--entity-default",
    ],
    { jvmOptions: ["-XX:TieredStopAtLevel=1"], timeoutMs: 120_000 },
  );
  if (r.exitCode !== 0 && bytesPerSec !== undefined) {
    throw new Error(`setting the write quota failed (exit ${r.exitCode}): ${r.stderr.slice(-2000)}`);
  }
}

/**
 * One partition count on a running, warm replicator: backlog throughput, then paced lag.
 * `sourceTopic` is read by the replicator; `targetTopic` is where its copy lands.
 */
async function measureStep(
  ctx: Context,
  label: string,
  replicator: Pausable,
  partitions: number,
  sourceTopic: string,
  targetTopic: string,
  runTag: string,
): Promise<StepResult> {
  const { settings, regions, bench, probe, log } = ctx;
  const { source, target } = regions;
  const step: StepResult = { variant: "", partitions, notes: [] };
  const prefix = `${label} P=${partitions}`;

  // Throughput: backlog first, with the replicator paused.
  const backlogMiB = settings.backlogMiB[partitions];
  const backlogRecords = recordsFor(backlogMiB, settings.valueBytes);
  const backlogRun = `bl-${runTag}`;
  const drainTimeout = 600_000;
  const observer = await observeArrivals(bench, target.clientPropertiesFile, {
    topic: targetTopic,
    runId: backlogRun,
    records: backlogRecords,
    timeoutMs: drainTimeout,
  });
  const mark = replicator.logMark?.() ?? 0;
  replicator.pause();
  const pausedAt = Date.now();
  let pausedMs = 0;
  try {
    log(`${prefix}: replicator paused, producing a ${backlogMiB} MiB backlog on ${SOURCE}/${sourceTopic}`);
    const produced = await produce(
      ctx.runtime,
      source.toolClient(),
      {
        topic: sourceTopic,
        records: backlogRecords,
        runId: backlogRun,
        partitions,
        valueBytes: settings.valueBytes,
        producerProperties: BACKLOG_PRODUCER,
        timeoutMs: 120_000,
      },
      { jvmOptions: ["-Xmx512m"] },
    );
    if (!produced.ok || produced.acked !== backlogRecords) {
      throw new Error(`backlog producer failed: ${JSON.stringify(produced.error ?? produced.acked)}`);
    }
  } catch (error) {
    observer.stop();
    throw error;
  } finally {
    replicator.resume();
    pausedMs = Date.now() - pausedAt;
  }
  const drainStart = await probe.sample();
  log(`${prefix}: resumed after ${(pausedMs / 1000).toFixed(1)} s; draining ${backlogRecords} records`);
  const ticker = setInterval(() => {
    log(`${prefix}:   ${((100 * observer.arrived) / backlogRecords).toFixed(0)}% of the backlog arrived`);
  }, 5_000);
  let drained;
  try {
    drained = await observer.result();
  } finally {
    clearInterval(ticker);
  }
  const drainEnd = await probe.sample();
  const drainReads = fetchReads(drainEnd, sourceTopic) - fetchReads(drainStart, sourceTopic);
  const firstToLastMs = Math.max(1, drained.lastArrivalMs - drained.firstArrivalMs);
  step.throughput = {
    mibPerSec: drained.bytes / MiB / (firstToLastMs / 1000),
    records: drained.unique,
    bytes: drained.bytes,
    firstToLastMs,
    pausedMs,
    missing: drained.missing,
    duplicates: drained.duplicates,
    readsPerSecPerPartition: drainReads / partitions / Math.max(0.001, (drainEnd.t - drainStart.t) / 1000),
  };
  if (drained.missing > 0) step.notes.push(`${drained.missing} backlog records never arrived`);
  if (drained.duplicates > 0) step.notes.push(`${drained.duplicates} duplicate backlog records`);
  // A pause longer than Connect's session timeout makes the (only) worker rejoin its group on
  // resume: harmless when the new assignment revokes nothing and has no delay, noted otherwise.
  const since = replicator.logSince?.(mark) ?? "";
  if (/Rebalance started/.test(since)) {
    step.throughput.rejoined = true;
    const revoked = /revokedTaskIds=\[[^\]]+\]|delay=[1-9]/.test(since);
    if (revoked) step.notes.push("the Connect rebalance after the pause revoked tasks or delayed them");
  }
  log(
    `${prefix}: throughput ${step.throughput.mibPerSec.toFixed(1)} MiB/s ` +
      `(${(drained.bytes / MiB).toFixed(1)} MiB, first→last arrival ${(firstToLastMs / 1000).toFixed(2)} s; ` +
      `${step.throughput.readsPerSecPerPartition.toFixed(1)} reads/s per partition on ${SOURCE})`,
  );

  // Lag: paced producer; arrivals observed on the target; partition reads counted on the source.
  const rate = settings.lagRate[partitions];
  const lagRecords = rate * settings.lagSeconds;
  const lagRun = `lag-${runTag}`;
  const lagObserver = await observeArrivals(bench, target.clientPropertiesFile, {
    topic: targetTopic,
    runId: lagRun,
    records: lagRecords,
    timeoutMs: settings.lagSeconds * 1000 + 120_000,
  });
  log(`${prefix}: paced producer ${rate} records/s for ${settings.lagSeconds} s`);
  const before = await probe.sample();
  const paced = await produce(ctx.runtime, source.toolClient(), {
    topic: sourceTopic,
    records: lagRecords,
    runId: lagRun,
    partitions,
    valueBytes: settings.valueBytes,
    rate,
    timeoutMs: 120_000,
  });
  const after = await probe.sample();
  if (!paced.ok) {
    lagObserver.stop();
    throw new Error(`paced producer failed: ${JSON.stringify(paced.error)}`);
  }
  const lag = await lagObserver.result();
  const reads = fetchReads(after, sourceTopic) - fetchReads(before, sourceTopic);
  step.lag = {
    recordsPerSec: rate,
    records: lag.unique,
    p50: lag.lagMs.p50,
    p90: lag.lagMs.p90,
    p99: lag.lagMs.p99,
    max: lag.lagMs.max,
    mean: lag.lagMs.mean,
    missing: lag.missing,
    duplicates: lag.duplicates,
    readsPerSecPerPartition: reads / partitions / Math.max(0.001, (after.t - before.t) / 1000),
  };
  if (lag.missing > 0) step.notes.push(`${lag.missing} paced records never arrived`);
  log(
    `${prefix}: lag p50 ${lag.lagMs.p50} ms, p99 ${lag.lagMs.p99} ms; ` +
      `${step.lag.readsPerSecPerPartition.toFixed(1)} reads/s per partition on ${SOURCE}`,
  );
  return step;
}

function stepTopic(variant: string, partitions: number): string {
  return `bench-${variant}-p${partitions}`;
}

async function deleteTopics(cluster: LocalCluster, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await cluster.admin(names.map((name) => ({ op: "deleteTopic" as const, name })));
}

interface MirrorMakerVariant {
  info: VariantInfo;
  /** Edits the rendered text (tuning candidates) — undefined = the rendered text as is. */
  edit?: (rendered: string) => string;
  quickstart?: boolean;
}

async function runMirrorMakerVariant(
  ctx: Context,
  variant: MirrorMakerVariant,
  workDir: string,
  timings: Record<string, number>,
): Promise<StepResult[]> {
  const { settings, regions, log } = ctx;
  const { source, target } = regions;
  const id = variant.info.id;
  const warmTopic = `bench-${id}-warm`;
  const streams = [
    { name: warmTopic, partitions: 6 },
    ...settings.partitions.map((p) => ({ name: stepTopic(id, p), partitions: p })),
  ];
  const dir = path.join(workDir, id);
  log(`${variant.info.label}: rendering and creating topics (${streams.map((s) => s.name).join(", ")})`);
  const prepared: PreparedMirrorMaker = await prepareRenderedMirrorMaker({
    source,
    target,
    sourceAlias: SOURCE,
    targetAlias: TARGET,
    streams,
    workDir: dir,
    edit: variant.edit,
  });
  let propertiesFile = prepared.propertiesFiles[0];
  if (variant.quickstart) {
    const topics = parseProperties(prepared.rendered).get(`${SOURCE}->${TARGET}.topics`) ?? ".*";
    const text = quickstartProperties({ sourceAlias: SOURCE, targetAlias: TARGET, source, target, topics });
    propertiesFile = path.join(dir, "quickstart-mm2.properties");
    fs.writeFileSync(propertiesFile, text, { mode: 0o600 });
    variant.info.properties = redact(text);
    variant.info.tasksMax = 1;
    // Quickstart keeps offset-syncs on the source (default): pre-create it there as an ordinary topic.
    const r = await source.admin([
      { op: "createTopic", name: `mm2-offset-syncs.${TARGET}.internal`, partitions: 1 },
    ]);
    if (!r[0].ok && r[0].error !== "TopicExistsException") {
      throw new Error(`creating the offset-syncs topic failed: ${JSON.stringify(r[0])}`);
    }
  } else {
    variant.info.properties = prepared.written;
    variant.info.tasksMax = Number(parseProperties(prepared.written).get("tasks.max"));
  }
  const warmRecords = recordsFor(settings.warmupMiB, settings.valueBytes);
  const produced = await produce(ctx.runtime, source.toolClient(), {
    topic: warmTopic,
    records: warmRecords,
    runId: `warm-${id}`,
    partitions: 6,
    valueBytes: settings.valueBytes,
    producerProperties: BACKLOG_PRODUCER,
  });
  if (!produced.ok) throw new Error(`warm-up producer failed: ${JSON.stringify(produced.error)}`);

  const started = Date.now();
  log(`${variant.info.label}: starting MirrorMaker (tasks.max=${variant.info.tasksMax}), warming up`);
  const logFile = path.join(dir, "mirror-maker.log");
  const mm: MirrorMakerHandle = variant.quickstart
    ? await startMirrorMaker({
        propertiesFile,
        clusters: [TARGET],
        logFile,
        trustStore: trustStoreFor(source),
        heapMb: 384,
        runtime: ctx.runtime,
        name: `mirror-maker-${id}`,
      })
    : await startRenderedNode(prepared, 0, { logFile, heapMb: 384, runtime: ctx.runtime });
  const steps: StepResult[] = [];
  try {
    await waitForTopicRecords(target, prepared.remoteTopic(warmTopic), warmRecords, 240_000);
    timings[`${id}.startToWarm`] = Date.now() - started;
    log(`${variant.info.label}: warm (${((Date.now() - started) / 1000).toFixed(1)} s after start)`);
    const pausable: Pausable = {
      pause: () => mm.kill("SIGSTOP"),
      resume: () => mm.kill("SIGCONT"),
      logMark: () => mm.log().length,
      logSince: (m) => mm.log().slice(m),
    };
    for (const p of settings.partitions) {
      if (!mm.running) throw new Error(`MirrorMaker exited; log tail:\n${mm.log().slice(-3000)}`);
      const topic = stepTopic(id, p);
      const step = await withQuota(ctx, p, () =>
        measureStep(ctx, variant.info.label, pausable, p, topic, prepared.remoteTopic(topic), `${id}-${p}`),
      ).catch((error: unknown): StepResult => {
        const message = error instanceof Error ? error.message : String(error);
        log(`${variant.info.label} P=${p}: FAILED: ${message.split("\n")[0]}`);
        mm.kill("SIGCONT");
        return { variant: id, partitions: p, notes: [], error: message };
      });
      step.variant = id;
      steps.push(step);
    }
  } finally {
    mm.kill("SIGCONT");
    await mm.stop(20_000);
    await Promise.all([
      deleteTopics(
        source,
        streams.map((s) => s.name),
      ),
      deleteTopics(
        target,
        streams.map((s) => prepared.remoteTopic(s.name)),
      ),
    ]).catch(() => undefined);
  }
  return steps;
}

async function withQuota<T>(ctx: Context, partitions: number, body: () => Promise<T>): Promise<T> {
  if (!ctx.settings.ociWriteQuota) return body();
  await setWriteQuota(ctx, partitions * MiB);
  try {
    return await body();
  } finally {
    await setWriteQuota(ctx, undefined);
  }
}

async function runPipeVariant(ctx: Context, info: VariantInfo): Promise<StepResult[]> {
  const { settings, regions, bench, log } = ctx;
  const { source, target } = regions;
  const clients = pipeClientTuning(info.tuning ?? currentTuning());
  const steps: StepResult[] = [];
  for (const p of settings.partitions) {
    const topic = stepTopic(info.id, p);
    const targetTopic = `${SOURCE}.${topic}`;
    const warmRecords = recordsFor(settings.warmupMiB, settings.valueBytes);
    const total =
      warmRecords +
      recordsFor(settings.backlogMiB[p], settings.valueBytes) +
      settings.lagRate[p] * settings.lagSeconds;
    const [s, t] = await Promise.all([
      source.admin([{ op: "createTopic", name: topic, partitions: p }]),
      target.admin([{ op: "createTopic", name: targetTopic, partitions: p }]),
    ]);
    for (const r of [...s, ...t])
      if (!r.ok) throw new Error(`creating pipe topics failed: ${JSON.stringify(r)}`);
    const args = [
      "--source-config",
      source.clientPropertiesFile,
      "--target-config",
      target.clientPropertiesFile,
    ];
    for (const [k, v] of Object.entries(clients.consumer)) args.push("--source-set", `${k}=${v}`);
    for (const [k, v] of Object.entries(clients.producer)) args.push("--target-set", `${k}=${v}`);
    args.push("--topic", topic, "--target-topic", targetTopic, "--records", String(total));
    args.push("--timeout-ms", String(30 * 60_000), "--progress-ms", "200");
    log(`${info.label} P=${p}: starting the pipe, warming up`);
    const pipe = spawnJava(bench, "ocigeo.rehearsal.Pipe", args, { jvmOptions: ["-Xmx384m"] });
    try {
      const produced = await produce(ctx.runtime, source.toolClient(), {
        topic,
        records: warmRecords,
        runId: `warm-${info.id}-${p}`,
        partitions: p,
        valueBytes: settings.valueBytes,
        producerProperties: BACKLOG_PRODUCER,
      });
      if (!produced.ok) throw new Error(`warm-up producer failed: ${JSON.stringify(produced.error)}`);
      await pipe.waitFor(
        (e) => e.event === "progress" && Number(e.acked) >= warmRecords,
        180_000,
        "the warm-up records to be copied",
      );
      const pausable: Pausable = {
        pause: () => pipe.signal("SIGSTOP"),
        resume: () => pipe.signal("SIGCONT"),
      };
      const step = await withQuota(ctx, p, () =>
        measureStep(ctx, info.label, pausable, p, topic, targetTopic, `${info.id}-${p}`),
      ).catch((error: unknown): StepResult => {
        const message = error instanceof Error ? error.message : String(error);
        log(`${info.label} P=${p}: FAILED: ${message.split("\n")[0]}`);
        return { variant: info.id, partitions: p, notes: [], error: message };
      });
      step.variant = info.id;
      steps.push(step);
      const done = await Promise.race([pipe.done, sleep(60_000).then(() => undefined)]);
      if (!done) step.notes.push("pipe did not finish on its own");
    } finally {
      pipe.signal("SIGCONT");
      if (pipe.running) pipe.signal("SIGKILL");
      await pipe.done;
      await Promise.all([deleteTopics(source, [topic]), deleteTopics(target, [targetTopic])]).catch(
        () => undefined,
      );
    }
  }
  return steps;
}

/** The variants of a run, in execution order. */
export function planVariants(settings: BenchSettings): {
  pipe: VariantInfo;
  mirrorMakers: MirrorMakerVariant[];
} {
  const current = currentTuning();
  const pipe: VariantInfo = {
    id: "c",
    label: "(c) pipe",
    kind: "pipe",
    description:
      "ocigeo.rehearsal.Pipe: one KafkaConsumer → one KafkaProducer (same kafka-clients, SASL_SSL/PLAIN), keys/values/headers/timestamps/partitions copied; consumer and producer carry the rendered config's OCI tuning; acks=all, idempotence off",
    tuning: current,
  };
  const mirrorMakers: MirrorMakerVariant[] = [
    {
      info: {
        id: "b",
        label: "(b) quickstart",
        kind: "quickstart",
        description:
          "MirrorMaker 2 defaults + tasks.max=1; only bootstrap, SASL_SSL/PLAIN credentials, enable.idempotence=false, harness worker storage, replication factors -1, sync.topic.configs/acls off, the same topic selection; internal topics pre-created",
      },
      quickstart: true,
    },
    {
      info: {
        id: "a",
        label: "(a) rendered",
        kind: "rendered",
        description: "the dr stack's mm2.properties as renderMm2Properties writes it (current OCI tuning)",
        tuning: current,
      },
    },
    ...settings.candidates.map((c): MirrorMakerVariant => ({
      info: {
        id: c.name,
        label: `(a:${c.name})`,
        kind: "candidate",
        description: `rendered, OCI tuning replaced: ${c.description}`,
        tuning: c.tuning,
      },
      edit: (rendered) => applyOciTuning(rendered, c.tuning),
    })),
  ];
  return { pipe, mirrorMakers };
}

/** Runs the whole benchmark; never leaves a process behind (clusters are stopped in `finally`). */
export async function runBench(options: RunBenchOptions): Promise<BenchReport> {
  const { settings } = options;
  const clock = new Clock();
  const log = (line: string): void => options.log(`[${clock.elapsed()}] ${line}`);
  const startedAt = new Date();
  const loadStart = os.loadavg();
  fs.mkdirSync(options.workDir, { recursive: true });
  const runtime = options.runtime ?? (await ensureKafkaRuntime({ log: (l) => log(`kafka runtime: ${l}`) }));
  const bench = compileBenchTools(runtime, path.join(options.workDir, "bench-classes"));
  const timings: Record<string, number> = {};
  const steps: StepResult[] = [];
  const planned = planVariants(settings);
  const selected = (id: string): boolean => settings.only === undefined || settings.only.includes(id);
  const pipe = planned.pipe;
  const mirrorMakers = planned.mirrorMakers.filter((m) => selected(m.info.id));
  const known = [pipe.id, ...planned.mirrorMakers.map((m) => m.info.id)];
  const unknown = (settings.only ?? []).filter((id) => !known.includes(id));
  if (unknown.length > 0)
    throw new Error(`--only: unknown configuration(s) ${unknown.join(", ")} (known: ${known.join(", ")})`);

  log("starting the two emulated OCI regions (fra = source, ams = target)");
  const t0 = Date.now();
  // With the write quota, a 2 s quota window (default 11 s) so that a backlog burst is throttled
  // after ~2 s at the quota instead of passing whole.
  const regions = await startEmulatedRegions({
    runtime,
    cluster: settings.ociWriteQuota
      ? { brokerProperties: { "quota.window.num": "2", "quota.window.size.seconds": "1" } }
      : undefined,
  });
  timings.clustersStart = Date.now() - t0;
  let probe: JmxProbe | undefined;
  try {
    probe = await startJmxProbe(bench, regions.source.process.pid, [FETCH_READS_QUERY]);
    const ctx: Context = { settings, regions, bench, probe, log, runtime };
    if (settings.ociWriteQuota)
      log("OCI write limit emulated: producer_byte_rate = P MiB/s on ams during each step");
    try {
      if (selected(pipe.id)) steps.push(...(await runPipeVariant(ctx, pipe)));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${pipe.label}: FAILED: ${message.split("\n")[0]}`);
      for (const p of settings.partitions)
        steps.push({ variant: pipe.id, partitions: p, notes: [], error: message });
    }
    for (const v of mirrorMakers) {
      try {
        steps.push(...(await runMirrorMakerVariant(ctx, v, options.workDir, timings)));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`${v.info.label}: FAILED: ${message.split("\n")[0]}`);
        for (const p of settings.partitions)
          steps.push({ variant: v.info.id, partitions: p, notes: [], error: message });
      }
    }
  } finally {
    await probe?.close().catch(() => undefined);
    log("stopping the clusters");
    await regions.stop();
  }
  const finishedAt = new Date();
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    kafkaVersion: KAFKA_VERSION,
    host: {
      cpus: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
      loadAverageStart: loadStart,
      loadAverageEnd: os.loadavg(),
      node: process.version,
      java: javaVersion(runtime),
    },
    settings: { ...settings, candidates: settings.candidates.map((c) => c.name) },
    variants: [...(selected(pipe.id) ? [pipe] : []), ...mirrorMakers.map((m) => m.info)],
    steps,
    timings,
  };
}
