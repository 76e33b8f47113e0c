/**
 * Typed wrappers around the Java workload tools of `dev/rehearsal/java` (package
 * `ocigeo.rehearsal`): each run is one short-lived JVM that prints one JSON object per stdout line.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import type { KafkaRuntime } from "./kafkaRuntime";
import { onProcessCleanup } from "./processes";

/** One JSON line printed by a tool. */
export type ToolEvent = Record<string, unknown>;

export interface JavaToolResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  events: ToolEvent[];
  stdout: string;
  stderr: string;
}

export interface RunJavaToolOptions {
  jvmOptions?: string[];
  /** Kill the JVM after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Called for every JSON line as it arrives (progress). */
  onEvent?: (event: ToolEvent) => void;
}

/** Client configuration given to a tool: a properties file, inline properties, or both. */
export interface ToolClientConfig {
  propertiesFile?: string;
  properties?: Record<string, string>;
}

export class JavaToolError extends Error {
  constructor(
    message: string,
    public readonly result: JavaToolResult,
  ) {
    super(message);
    this.name = "JavaToolError";
  }
}

/** Runs `mainClass` of the rehearsal runtime and collects its JSON lines. Never rejects on exit code. */
export function runJavaTool(
  runtime: KafkaRuntime,
  mainClass: string,
  args: string[],
  options: RunJavaToolOptions = {},
): Promise<JavaToolResult> {
  const jvm = [
    "-Xmx256m",
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${runtime.toolsLog4jConfig}`,
    ...(options.jvmOptions ?? []),
    "-cp",
    runtime.classpath,
    mainClass,
  ];
  return new Promise((resolve) => {
    const child = spawn(runtime.java, [...jvm, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    // Killed if this process exits or is interrupted first (Ctrl-C of `npm run rehearse`).
    const forget = onProcessCleanup(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });
    const events: ToolEvent[] = [];
    let stdout = "";
    let stderr = "";
    let pending = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      stdout += text;
      const lines = (pending + text).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) parseLine(line);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
    });
    function parseLine(line: string): void {
      const trimmed = line.trim();
      if (!trimmed.startsWith("{")) return;
      try {
        const event = JSON.parse(trimmed) as ToolEvent;
        events.push(event);
        options.onEvent?.(event);
      } catch {
        // not a JSON line
      }
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 600_000);
    child.once("error", (error) => {
      clearTimeout(timer);
      forget();
      resolve({ exitCode: null, signal: null, events, stdout, stderr: `${stderr}\n${error.message}` });
    });
    child.once("close", (exitCode, signal) => {
      clearTimeout(timer);
      forget();
      parseLine(pending);
      resolve({ exitCode, signal, events, stdout, stderr });
    });
  });
}

let tmpDir: string | undefined;
/** Writes inline client properties to a private temporary file (removed at exit). */
function inlinePropertiesFile(properties: Record<string, string>): string {
  if (!tmpDir) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocigeo-tools-"));
    tmpDir = dir;
    onProcessCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  }
  const file = path.join(tmpDir, `client-${process.hrtime.bigint()}.properties`);
  fs.writeFileSync(file, formatProperties(properties), { mode: 0o600 });
  return file;
}

/** Java properties escaping of a key or value. */
export function escapeProperty(text: string, isKey: boolean): string {
  let out = "";
  for (const [i, ch] of [...text].entries()) {
    if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (isKey && (ch === "=" || ch === ":" || ch === " ")) out += `\\${ch}`;
    else if ((ch === "#" || ch === "!") && i === 0) out += `\\${ch}`;
    else if (!isKey && ch === " " && i === 0) out += "\\ ";
    else out += ch;
  }
  return out;
}

/** `key=value` lines, properly escaped for `java.util.Properties.load`. */
export function formatProperties(properties: Record<string, string>): string {
  return (
    Object.entries(properties)
      .map(([k, v]) => `${escapeProperty(k, true)}=${escapeProperty(v, false)}`)
      .join("\n") + "\n"
  );
}

function clientArgs(config: ToolClientConfig, prefix = ""): string[] {
  const args: string[] = [];
  if (config.propertiesFile) args.push(`--${prefix}config`, config.propertiesFile);
  if (config.properties && Object.keys(config.properties).length > 0) {
    if (config.propertiesFile) {
      for (const [k, v] of Object.entries(config.properties)) args.push(`--${prefix}set`, `${k}=${v}`);
    } else {
      args.push(`--${prefix}config`, inlinePropertiesFile(config.properties));
    }
  }
  return args;
}

/**
 * Arguments of a workload tool (Produce, Verify): the client (with extra client properties), the
 * topic, record count and run id, then each optional flag that has a value, in the order given.
 */
function workloadArgs(
  client: ToolClientConfig,
  extraProperties: Record<string, string> | undefined,
  w: { topic: string; records: number; runId: string },
  optional: [flag: string, value: string | number | boolean | undefined][],
): string[] {
  const args = [
    ...clientArgs({ ...client, properties: { ...client.properties, ...extraProperties } }),
    "--topic",
    w.topic,
    "--records",
    String(w.records),
    "--run-id",
    w.runId,
  ];
  for (const [flag, value] of optional) {
    if (value !== undefined) args.push(flag, String(value));
  }
  return args;
}

function lastEvent(result: JavaToolResult, name: string): ToolEvent | undefined {
  return [...result.events].reverse().find((e) => e.event === name);
}

/** Error details a tool reports for a failed operation. */
export interface ToolError {
  /** Simple class name of the innermost cause, e.g. `PolicyViolationException`. */
  error: string;
  errorClass: string;
  message: string;
  /** Every level of the cause chain as `SimpleName: message`. */
  chain: string[];
}

// ---------------------------------------------------------------------------------------------
// AdminTool

export type AdminOp =
  | { op: "waitReady"; timeoutMs?: number }
  | {
      op: "createTopic";
      name: string;
      partitions?: number;
      replicationFactor?: number;
      configs?: Record<string, string>;
      timeoutMs?: number;
    }
  | { op: "alterTopicConfig"; name: string; configs: Record<string, string>; timeoutMs?: number }
  | { op: "describeTopic"; name: string; timeoutMs?: number }
  | { op: "listTopics"; timeoutMs?: number }
  | { op: "endOffsets"; topic: string; timeoutMs?: number }
  | { op: "waitRecords"; topic: string; records: number; timeoutMs?: number }
  | { op: "deleteTopic"; name: string; timeoutMs?: number }
  | { op: "groupOffsets"; group: string; timeoutMs?: number }
  /** A standalone commit of `topic:partition` → offset, each with `metadata` (default ""). */
  | {
      op: "commitOffsets";
      group: string;
      offsets: Record<string, number>;
      metadata?: string;
      timeoutMs?: number;
    }
  /** Decodes MirrorMaker's `<source>.checkpoints.internal` from the beginning to its end: {@link CheckpointRecord}s. */
  | { op: "checkpoints"; topic: string; timeoutMs?: number }
  /** Decodes a `mm2-offset-syncs.…internal` topic from the beginning to its end: {@link OffsetSyncRecord}s. */
  | { op: "offsetSyncs"; topic: string; timeoutMs?: number };

/** One record of `<source>.checkpoints.internal` (MirrorMaker's `Checkpoint`). */
export interface CheckpointRecord {
  group: string;
  /** The remote topic on the target (`<source>.<topic>` under the prefixed policy) and its partition. */
  topic: string;
  partition: number;
  upstreamOffset: number;
  downstreamOffset: number;
  timestamp: number;
}

/** One record of an offset-syncs topic (MirrorMaker's `OffsetSync`). */
export interface OffsetSyncRecord {
  topic: string;
  partition: number;
  upstreamOffset: number;
  downstreamOffset: number;
  timestamp: number;
}

export type AdminResult = { op: string; ok: boolean; elapsedMs: number } & Partial<ToolError> &
  Record<string, unknown>;

/** Runs admin operations in order in one JVM; one result per operation (failures included). */
export async function adminOps(
  runtime: KafkaRuntime,
  client: ToolClientConfig,
  ops: AdminOp[],
  options: RunJavaToolOptions = {},
): Promise<AdminResult[]> {
  const result = await runJavaTool(
    runtime,
    "ocigeo.rehearsal.AdminTool",
    [...clientArgs(client), "--ops", JSON.stringify(ops)],
    // C1 only: admin calls are short, start-up time dominates.
    { ...options, jvmOptions: ["-XX:TieredStopAtLevel=1", ...(options.jvmOptions ?? [])] },
  );
  const results = result.events.filter((e) => typeof e.op === "string") as AdminResult[];
  if (results.length !== ops.length) {
    throw new JavaToolError(
      `AdminTool returned ${results.length} of ${ops.length} results (exit ${result.exitCode}): ${result.stderr.slice(-4000)}`,
      result,
    );
  }
  return results;
}

/** Thrown by the convenience wrappers when an admin operation fails. */
export class AdminOperationError extends Error {
  constructor(public readonly result: AdminResult) {
    super(`${result.op} failed: ${result.error}: ${result.message}`);
    this.name = "AdminOperationError";
  }
}

/** Like {@link adminOps} but throws {@link AdminOperationError} on the first failed operation. */
export async function adminOpsOrThrow(
  runtime: KafkaRuntime,
  client: ToolClientConfig,
  ops: AdminOp[],
  options: RunJavaToolOptions = {},
): Promise<AdminResult[]> {
  const results = await adminOps(runtime, client, ops, options);
  const failed = results.find((r) => !r.ok);
  if (failed) throw new AdminOperationError(failed);
  return results;
}

// ---------------------------------------------------------------------------------------------
// Produce

export interface ProduceOptions {
  topic: string;
  records: number;
  runId: string;
  /** Partition count of the topic (record `seq` goes to partition `seq % partitions`); default: looked up. */
  partitions?: number;
  startSeq?: number;
  valueBytes?: number;
  /** Records per second; default unlimited. */
  rate?: number;
  /** Negative controls only: `enable.idempotence=true`. */
  idempotence?: boolean;
  /** Negative controls only: a transactional producer (implies idempotence). */
  transactionalId?: string;
  timeoutMs?: number;
  /** Interval of the tool's progress events (default 1000 ms). */
  progressMs?: number;
  /** Extra producer properties (`--set`). */
  producerProperties?: Record<string, string>;
}

export interface ProduceResult {
  ok: boolean;
  sent: number;
  acked: number;
  failed: number;
  bytes: number;
  elapsedMs: number;
  recordsPerSec: number;
  mbPerSec: number;
  /** Present when the producer failed. */
  error?: ToolError;
  raw: JavaToolResult;
}

export async function produce(
  runtime: KafkaRuntime,
  client: ToolClientConfig,
  options: ProduceOptions,
  run: RunJavaToolOptions = {},
): Promise<ProduceResult> {
  const args = workloadArgs(client, options.producerProperties, options, [
    ["--partitions", options.partitions],
    ["--start-seq", options.startSeq],
    ["--value-bytes", options.valueBytes],
    ["--rate", options.rate],
    ["--idempotence", options.idempotence],
    ["--transactional-id", options.transactionalId],
    ["--timeout-ms", options.timeoutMs],
    ["--progress-ms", options.progressMs],
  ]);
  const raw = await runJavaTool(runtime, "ocigeo.rehearsal.Produce", args, run);
  const done = lastEvent(raw, "done");
  const error = lastEvent(raw, "error");
  const num = (e: ToolEvent | undefined, k: string): number =>
    typeof e?.[k] === "number" ? (e[k] as number) : 0;
  if (!done && !error) {
    throw new JavaToolError(
      `Produce ended without a result (exit ${raw.exitCode}): ${raw.stderr.slice(-4000)}`,
      raw,
    );
  }
  return {
    ok: done !== undefined && raw.exitCode === 0,
    sent: num(done, "sent"),
    acked: num(done, "acked"),
    failed: num(done, "failed"),
    bytes: num(done, "bytes"),
    elapsedMs: num(done, "elapsedMs"),
    recordsPerSec: num(done, "recordsPerSec"),
    mbPerSec: num(done, "mbPerSec"),
    error: error ? (error as unknown as ToolError) : undefined,
    raw,
  };
}

// ---------------------------------------------------------------------------------------------
// Verify

export interface VerifyOptions {
  topic: string;
  records: number;
  runId: string;
  startSeq?: number;
  /** When set, every record must be in partition `seq % partitions`. */
  partitions?: number;
  timeoutMs?: number;
  /** Keep reading this long after the last missing record arrived (late duplicates). */
  lingerMs?: number;
  /** Consume as this group (subscribe + commit) instead of assigning all partitions. */
  group?: string;
  consumerProperties?: Record<string, string>;
}

export interface VerifyResult {
  complete: boolean;
  expected: number;
  unique: number;
  received: number;
  duplicates: number;
  missing: number;
  missingSample: number[];
  orderViolations: number;
  keyMismatches: number;
  headerMismatches: number;
  timestampMismatches: number;
  partitionMismatches: number;
  malformed: number;
  foreign: number;
  lagMs: { p50: number; p99: number; max: number; mean: number };
  bytes: number;
  firstReceiveMs: number;
  lastReceiveMs: number;
  elapsedMs: number;
}

export async function verify(
  runtime: KafkaRuntime,
  client: ToolClientConfig,
  options: VerifyOptions,
  run: RunJavaToolOptions = {},
): Promise<VerifyResult> {
  const args = workloadArgs(client, options.consumerProperties, options, [
    ["--start-seq", options.startSeq],
    ["--partitions", options.partitions],
    ["--timeout-ms", options.timeoutMs],
    ["--linger-ms", options.lingerMs],
    ["--group", options.group],
  ]);
  const raw = await runJavaTool(runtime, "ocigeo.rehearsal.Verify", args, {
    ...run,
    timeoutMs: run.timeoutMs ?? (options.timeoutMs ?? 120_000) + 60_000,
  });
  const result = lastEvent(raw, "result");
  if (!result) {
    const error = lastEvent(raw, "error");
    throw new JavaToolError(
      `Verify failed (exit ${raw.exitCode}): ${error ? `${String(error.error)}: ${String(error.message)}` : raw.stderr.slice(-4000)}`,
      raw,
    );
  }
  return result as unknown as VerifyResult;
}

// ---------------------------------------------------------------------------------------------
// Pipe

export interface PipeOptions {
  topic: string;
  targetTopic?: string;
  records: number;
  timeoutMs?: number;
}

export interface PipeResult {
  copied: number;
  acked: number;
  bytes: number;
  elapsedMs: number;
  complete: boolean;
  recordsPerSec: number;
  mbPerSec: number;
}

/** Plain consume→produce copy between two clusters (benchmark ceiling). */
export async function pipe(
  runtime: KafkaRuntime,
  source: ToolClientConfig,
  target: ToolClientConfig,
  options: PipeOptions,
  run: RunJavaToolOptions = {},
): Promise<PipeResult> {
  const args = [...clientArgs(source, "source-"), ...clientArgs(target, "target-"), "--topic", options.topic];
  if (options.targetTopic) args.push("--target-topic", options.targetTopic);
  args.push("--records", String(options.records));
  if (options.timeoutMs !== undefined) args.push("--timeout-ms", String(options.timeoutMs));
  const raw = await runJavaTool(runtime, "ocigeo.rehearsal.Pipe", args, run);
  const done = lastEvent(raw, "done");
  if (!done) {
    const error = lastEvent(raw, "error");
    throw new JavaToolError(
      `Pipe failed (exit ${raw.exitCode}): ${error ? `${String(error.error)}: ${String(error.message)}` : raw.stderr.slice(-4000)}`,
      raw,
    );
  }
  return done as unknown as PipeResult;
}
