/**
 * The rehearsal side of failover (tests and `npm run drill` only; not exported from the package
 * index): Kafka's own `RemoteClusterUtils.translateOffsets`, a group consumer and a paced producer
 * that report every record, all from `ocigeo.rehearsal.FailoverTools` (dev/rehearsal/java).
 */
import * as fs from "node:fs";
import * as path from "node:path";

import type { LocalCluster } from "./cluster";
import type { KafkaRuntime } from "./kafkaRuntime";
import { startManagedProcess, type ManagedProcess } from "./processes";
import { formatProperties, runJavaTool } from "./tools";
import type { PolicyNames } from "../../lib/core/mm2/topics";

const MAIN = "ocigeo.rehearsal.FailoverTools";

/** `topic:partition` → offset, as Kafka's RemoteClusterUtils.translateOffsets answers for one group. */
export type JavaTranslation = Map<string, { offset: number; metadata: string }>;

/**
 * Runs Kafka's `RemoteClusterUtils.translateOffsets(props, sourceAlias, group, timeout)` for each
 * group against `cluster` (the one holding the checkpoints), with the policy's class and separator.
 */
export async function javaTranslateOffsets(
  cluster: LocalCluster,
  sourceAlias: string,
  groups: string[],
  policy: PolicyNames,
): Promise<Map<string, JavaTranslation>> {
  const policyClass =
    policy.type === "identity"
      ? "org.apache.kafka.connect.mirror.IdentityReplicationPolicy"
      : "org.apache.kafka.connect.mirror.DefaultReplicationPolicy";
  const args = [
    "translate",
    "--config",
    cluster.clientPropertiesFile,
    "--set",
    `replication.policy.class=${policyClass}`,
    "--set",
    `replication.policy.separator=${policy.separator}`,
    "--source-alias",
    sourceAlias,
    "--timeout-ms",
    "60000",
    ...groups.flatMap((g) => ["--group", g]),
  ];
  const result = await runJavaTool(cluster.runtime, MAIN, args, { timeoutMs: 180_000 });
  const out = new Map<string, JavaTranslation>();
  for (const e of result.events) {
    if (e.event !== "translated") continue;
    const offsets = e.offsets as { topic: string; partition: number; offset: number; metadata: string }[];
    out.set(
      String(e.group),
      new Map(offsets.map((o) => [`${o.topic}:${o.partition}`, { offset: o.offset, metadata: o.metadata }])),
    );
  }
  if (result.exitCode !== 0 || out.size !== groups.length) {
    throw new Error(
      `RemoteClusterUtils.translateOffsets failed (exit ${result.exitCode}): ${result.stdout.slice(-2000)}\n${result.stderr.slice(-4000)}`,
    );
  }
  return out;
}

/** A JSON event of a FailoverTools process. */
export type ToolLine = Record<string, unknown> & { event: string };

/** A long-running FailoverTools JVM whose JSON lines are read from its log as they come. */
export interface ToolProcess {
  readonly process: ManagedProcess;
  /** Every JSON line so far (reads what is new first). */
  events(): ToolLine[];
  /** Waits until `predicate` holds for some event; rejects on timeout or exit. */
  waitFor(predicate: (e: ToolLine) => boolean, timeoutMs: number, what: string): Promise<ToolLine>;
}

function startTool(runtime: KafkaRuntime, name: string, args: string[], logFile: string): ToolProcess {
  const proc = startManagedProcess({
    name,
    command: runtime.java,
    args: [
      "-Xmx256m",
      "-Djava.awt.headless=true",
      `-Dlog4j2.configurationFile=${runtime.toolsLog4jConfig}`,
      "-cp",
      runtime.classpath,
      "ocigeo.rehearsal.ParentWatch",
      MAIN,
      ...args,
    ],
    logFile,
  });
  const events: ToolLine[] = [];
  let position = 0;
  let pending = "";
  const read = (): ToolLine[] => {
    let fd: number | undefined;
    try {
      fd = fs.openSync(logFile, "r");
      const size = fs.fstatSync(fd).size;
      if (size > position) {
        const buf = Buffer.alloc(size - position);
        fs.readSync(fd, buf, 0, buf.length, position);
        position = size;
        const lines = (pending + buf.toString("utf8")).split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) {
          const t = line.trim();
          if (!t.startsWith("{")) continue;
          try {
            const e = JSON.parse(t) as ToolLine;
            if (typeof e.event === "string") events.push(e);
          } catch {
            // a log line that starts with a brace
          }
        }
      }
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
    return events;
  };
  return {
    process: proc,
    events: read,
    async waitFor(predicate, timeoutMs, what) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = read().find(predicate);
        if (found) return found;
        const error = events.find((e) => e.event === "error");
        if (error) throw new Error(`${name} failed while waiting for ${what}: ${JSON.stringify(error)}`);
        if (!proc.running) throw new Error(`${name} exited while waiting for ${what}; log: ${logFile}`);
        if (Date.now() > deadline)
          throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; log: ${logFile}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** Client properties file for a cluster plus overrides (mode 0600, in `dir`). */
function clientFile(
  cluster: LocalCluster,
  dir: string,
  name: string,
  overrides: Record<string, string>,
): string {
  const file = path.join(dir, `${name}.properties`);
  fs.writeFileSync(file, formatProperties(cluster.clientConfig(overrides)), { mode: 0o600 });
  return file;
}

export interface GroupConsumerOptions {
  cluster: LocalCluster;
  topic: string;
  group: string;
  /** auto.offset.reset; `none` makes a member without a committed offset fail (default earliest). */
  reset?: "earliest" | "latest" | "none";
  commitIntervalMs?: number;
  /** Directory for the log and properties file. */
  workDir: string;
  name?: string;
}

/**
 * A real Kafka consumer, member of `group`, subscribed to `topic`. Events: `assigned`
 * (`positions`: partition → where it starts), `records` (`records`: [partition, offset, seq][], `t`),
 * `closed`. SIGTERM commits and closes; SIGKILL is a crash.
 */
export function startGroupConsumer(options: GroupConsumerOptions): ToolProcess {
  const name = options.name ?? `consumer-${options.group}-${options.cluster.name}`;
  const config = clientFile(options.cluster, options.workDir, name, {});
  return startTool(
    options.cluster.runtime,
    name,
    [
      "consume",
      "--config",
      config,
      "--topic",
      options.topic,
      "--group",
      options.group,
      "--reset",
      options.reset ?? "earliest",
      "--commit-interval-ms",
      String(options.commitIntervalMs ?? 1000),
    ],
    path.join(options.workDir, `${name}-${Date.now()}.log`),
  );
}

export interface PacedProducerOptions {
  cluster: LocalCluster;
  topic: string;
  partitions: number;
  runId: string;
  /** Records per second (default 50). */
  rate?: number;
  /** Stop after this many (default: until killed). */
  records?: number;
  workDir: string;
}

/** The rehearsal workload at a steady rate; an `acked` event (seq, partition, offset, t) per acknowledged record. */
export function startPacedProducer(options: PacedProducerOptions): ToolProcess {
  const name = `producer-${options.runId}`;
  const config = clientFile(options.cluster, options.workDir, name, {});
  const args = [
    "produce",
    "--config",
    config,
    "--topic",
    options.topic,
    "--partitions",
    String(options.partitions),
    "--run-id",
    options.runId,
    "--rate",
    String(options.rate ?? 50),
  ];
  if (options.records !== undefined) args.push("--records", String(options.records));
  return startTool(options.cluster.runtime, name, args, path.join(options.workDir, `${name}.log`));
}

/** `[partition, offset, seq]` of every record a consumer reported. */
export function consumedRecords(
  events: ToolLine[],
): { partition: number; offset: number; seq: number; t: number }[] {
  return events
    .filter((e) => e.event === "records")
    .flatMap((e) =>
      (e.records as [number, number, number][]).map(([partition, offset, seq]) => ({
        partition,
        offset,
        seq,
        t: Number(e.t),
      })),
    );
}
