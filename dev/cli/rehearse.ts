/**
 * `npm run rehearse`: a local DR rehearsal on real Kafka. Stands up two clusters emulating OCI
 * Streaming (eu-frankfurt-1 → eu-amsterdam-1), runs the real MirrorMaker 2 with exactly the
 * mm2.properties the dr stack renders (only endpoints, credentials and the config dir differ),
 * produces a workload on the primary's declared streams, shows live progress, verifies that every
 * record arrived on dr intact, prints a summary, and tears everything down (also on Ctrl-C).
 *
 *   npm run rehearse
 *   npm run rehearse -- --records 50000 --nodes 2 --value-bytes 1024
 *
 * Exit code 0 when every produced record is accounted for on dr, 1 otherwise, 2 on bad usage,
 * 130 when interrupted.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import {
  numberValue,
  parseCommand,
  USAGE_EXIT_CODE,
  UsageError,
  usageErrorLine,
} from "../../lib/ops/cli/args";
import { readProject, readStackConfig } from "../plan/stackConfig";
import { ensureKafkaRuntime, repoRoot, type KafkaRuntime } from "../rehearsal/kafkaRuntime";
import { logTail, waitForTopicRecords, type MirrorMakerHandle } from "../rehearsal/mirrorMaker";
import { onProcessCleanup } from "../rehearsal/processes";
import {
  prepareRenderedMirrorMaker,
  startEmulatedRegions,
  startRenderedNode,
  type EmulatedRegions,
  type RehearsalStream,
} from "../rehearsal/renderedConfig";
import { produce, verify, type ProduceResult, type VerifyResult } from "../rehearsal/tools";

/** OCI Streaming's write limit per partition. */
export const OCI_PARTITION_BYTES_PER_SECOND = 1024 * 1024;

export const DEFAULT_STREAMS: RehearsalStream[] = [
  { name: "orders", partitions: 6, retentionHours: 168 },
  { name: "payments", partitions: 3, retentionHours: 72 },
];

const USAGE = `usage: npm run rehearse -- [--records N] [--nodes N] [--value-bytes N] [--keep]

Stands up two local Kafka clusters emulating OCI Streaming (fra -> ams), runs MirrorMaker 2 with
the mm2.properties the dr stack renders, produces N records over the primary's declared streams
(Pulumi.primary.yaml), rate-limited to OCI's 1 MB/s per partition, and verifies every record
arrived on dr. Defaults: --records 20000 --nodes 1 --value-bytes 512. --keep keeps the work
directory (logs, rendered config).`;

export interface RehearseOptions {
  records: number;
  nodes: number;
  valueBytes: number;
  keep: boolean;
}

/** Parses the command line; throws a {@link UsageError} on bad input. */
export function parseArgs(argv: string[]): RehearseOptions | "help" {
  const parsed = parseCommand(argv, {
    usage: USAGE,
    options: {
      records: { type: "string" },
      nodes: { type: "string" },
      "value-bytes": { type: "string" },
      keep: { type: "boolean" },
    },
  });
  if (parsed === "help") return "help";
  const v = parsed.values;
  const whole = (flag: string, text: string | undefined, min: number, max: number, fallback: number) =>
    text === undefined
      ? fallback
      : numberValue(flag, text, {
          min,
          max,
          integer: true,
          what: `needs a whole number from ${min} to ${max}`,
        });
  return {
    records: whole("--records", v.records, 1, 10_000_000, 20_000),
    nodes: whole("--nodes", v.nodes, 1, 4, 1),
    valueBytes: whole("--value-bytes", v["value-bytes"], 64, 1_000_000, 512),
    keep: v.keep ?? false,
  };
}

/** The primary stack's declared streams (Pulumi.primary.yaml), or the built-in defaults. */
export function declaredStreams(projectDir = repoRoot()): { streams: RehearsalStream[]; from: string } {
  try {
    const project = readProject(projectDir);
    const config = readStackConfig(project, "primary").config;
    const raw = config[`${project.name}:streams`];
    if (raw !== undefined) {
      const parsed = JSON.parse(raw) as { name: string; partitions?: number; retentionHours?: number }[];
      const streams = parsed.map((s) => ({
        name: s.name,
        partitions: s.partitions ?? 1,
        retentionHours: s.retentionHours ?? 24,
      }));
      if (streams.length > 0) return { streams, from: "Pulumi.primary.yaml" };
    }
  } catch {
    // fall back to the defaults
  }
  return { streams: DEFAULT_STREAMS, from: "built-in defaults" };
}

/** Splits `total` records over the streams in proportion to their partitions. */
export function splitRecords(streams: RehearsalStream[], total: number): number[] {
  const partitions = streams.reduce((sum, s) => sum + s.partitions, 0);
  const shares = streams.map((s) => Math.floor((total * s.partitions) / partitions));
  shares[0] += total - shares.reduce((a, b) => a + b, 0);
  return shares;
}

const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");

function line(text: string): void {
  process.stdout.write(`${text}\n`);
}

interface StreamRun {
  stream: RehearsalStream;
  remote: string;
  records: number;
  rate: number;
  sent: number;
  acked: number;
  replicated: number;
  duplicates: number;
  produced?: ProduceResult;
  verified?: VerifyResult;
}

export async function rehearse(options: RehearseOptions): Promise<number> {
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s`;
  const step = (text: string): void => line(`[${elapsed()}] ${text}`);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocigeo-rehearse-"));
  const forgetWorkDir = options.keep
    ? () => true
    : onProcessCleanup(() => fs.rmSync(workDir, { recursive: true, force: true }));

  let regions: EmulatedRegions | undefined;
  const mirrorMakers: MirrorMakerHandle[] = [];
  try {
    step("Kafka runtime (Maven Central; the first run downloads the jars)");
    const runtime: KafkaRuntime = await ensureKafkaRuntime({ log: (l) => line(`           ${l}`) });
    const { streams, from } = declaredStreams();
    step(
      `streams from ${from}: ${streams.map((s) => `${s.name}(${s.partitions})`).join(", ")}; starting the emulated regions fra (primary) and ams (dr)`,
    );
    regions = await startEmulatedRegions({ runtime });
    const { source, target } = regions;
    const prepared = await prepareRenderedMirrorMaker({
      source,
      target,
      streams,
      workDir,
      nodes: options.nodes,
    });
    step(
      `rendered the dr stack's mm2.properties (${prepared.propertiesFiles.length} node${options.nodes > 1 ? "s" : ""}): ${prepared.propertiesFiles[0]}`,
    );
    step(`pre-created on ams as the component does: ${prepared.mm2TopicNames.join(", ")}`);
    for (let i = 0; i < options.nodes; i++) {
      mirrorMakers.push(await startRenderedNode(prepared, i, { runtime }));
    }
    step(
      `MirrorMaker 2 started (pid ${mirrorMakers.map((m) => m.pid).join(", ")}); waiting until it replicates`,
    );
    // Warm-up: one record per stream must come through before the measured workload starts.
    await Promise.all(
      streams.map(async (s) => {
        const warm = await produce(runtime, source.toolClient(), {
          topic: s.name,
          records: s.partitions,
          runId: "warmup",
          partitions: s.partitions,
        });
        if (!warm.ok) throw new Error(`producing to ${s.name} failed: ${JSON.stringify(warm.error)}`);
        await waitForTopicRecords(target, prepared.remoteTopic(s.name), s.partitions, 150_000);
      }),
    );

    const shares = splitRecords(streams, options.records);
    const runs: StreamRun[] = streams.map((stream, i) => ({
      stream,
      remote: prepared.remoteTopic(stream.name),
      records: shares[i],
      // OCI accepts 1 MB/s per partition: the producer never asks for more.
      rate: Math.floor((stream.partitions * OCI_PARTITION_BYTES_PER_SECOND) / options.valueBytes),
      sent: 0,
      acked: 0,
      replicated: 0,
      duplicates: 0,
    }));
    const runId = `rehearse-${Date.now().toString(36)}`;
    const timeoutMs = 150_000;
    // The verifiers (one consumer per remote topic) start first: a record's lag is then the time
    // from its produce to its arrival on dr, not a JVM's start-up. Each is ready once it has read
    // the warm-up records.
    const ready = runs.map(() => {
      let resolve = (): void => undefined;
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    });
    const verifying = runs.map((r, i) =>
      verify(
        runtime,
        target.toolClient(),
        {
          topic: r.remote,
          records: r.records,
          runId,
          partitions: r.stream.partitions,
          timeoutMs,
          lingerMs: 2_000,
        },
        {
          onEvent: (e) => {
            if (e.event === "progress") {
              ready[i].resolve();
              r.replicated = Number(e.unique);
              r.duplicates = Number(e.duplicates);
            }
          },
        },
      ).then((v) => {
        ready[i].resolve();
        r.verified = v;
        r.replicated = v.unique;
        r.duplicates = v.duplicates;
        return v;
      }),
    );
    let readyTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(ready.map((x) => x.promise)),
      new Promise((resolve) => (readyTimer = setTimeout(resolve, 60_000))),
    ]);
    clearTimeout(readyTimer);
    step(
      `producing ${fmt(options.records)} records of ${options.valueBytes} B (${runs.map((r) => `${r.stream.name}: ${fmt(r.records)} at <= ${fmt(r.rate)}/s`).join(", ")})`,
    );
    let produceStart = Number.POSITIVE_INFINITY;
    const producing = runs.map((r) =>
      produce(
        runtime,
        source.toolClient(),
        {
          topic: r.stream.name,
          records: r.records,
          runId,
          partitions: r.stream.partitions,
          valueBytes: options.valueBytes,
          rate: r.rate,
          progressMs: 250,
        },
        {
          onEvent: (e) => {
            if (e.event !== "progress" && e.event !== "done") return;
            // Events carry the tool's elapsed time since it started producing.
            produceStart = Math.min(produceStart, Date.now() - Number(e.elapsedMs));
            r.sent = Math.max(r.sent, Number(e.sent));
          },
        },
      ).then((p) => {
        r.produced = p;
        r.acked = p.acked;
        return p;
      }),
    );
    const ticker = setInterval(() => {
      const sent = runs.reduce((s, r) => s + Math.max(r.sent, r.acked), 0);
      const replicated = runs.reduce((s, r) => s + r.replicated, 0);
      step(
        `produced ${fmt(sent).padStart(7)}/${fmt(options.records)}  replicated ${fmt(replicated).padStart(7)}  lag ${fmt(Math.max(0, sent - replicated)).padStart(6)} records`,
      );
    }, 2_000);
    let produced: ProduceResult[];
    let verified: VerifyResult[];
    try {
      produced = await Promise.all(producing);
      verified = await Promise.all(verifying);
    } finally {
      clearInterval(ticker);
    }
    return summarize(runs, produced, verified, options, produceStart, mirrorMakers, step);
  } finally {
    step("tearing down (MirrorMaker, brokers, work directory)");
    await Promise.all(mirrorMakers.map((m) => m.stop().catch(() => undefined)));
    await regions?.stop().catch(() => undefined);
    if (!options.keep) fs.rmSync(workDir, { recursive: true, force: true });
    else line(`work directory kept: ${workDir}`);
    forgetWorkDir();
    step("done: no process left behind");
  }
}

function summarize(
  runs: StreamRun[],
  produced: ProduceResult[],
  verified: VerifyResult[],
  options: RehearseOptions,
  produceStart: number,
  mirrorMakers: MirrorMakerHandle[],
  step: (text: string) => void,
): number {
  const sum = (f: (v: VerifyResult) => number): number => verified.reduce((s, v) => s + f(v), 0);
  const acked = produced.reduce((s, p) => s + p.acked, 0);
  const failedSends = produced.reduce((s, p) => s + p.failed, 0);
  const unique = sum((v) => v.unique);
  const missing = sum((v) => v.missing);
  const duplicates = sum((v) => v.duplicates);
  const integrity = sum(
    (v) =>
      v.orderViolations +
      v.keyMismatches +
      v.headerMismatches +
      v.timestampMismatches +
      v.partitionMismatches +
      v.malformed,
  );
  // Payload bytes of this run's records (the verifiers' byte counts include the warm-up records).
  const bytes = unique * options.valueBytes;
  const lastReceive = Math.max(...verified.map((v) => v.lastReceiveMs));
  const replicationSeconds = Math.max(0.001, (lastReceive - produceStart) / 1000);
  const produceSeconds = Math.max(0.001, Math.max(...produced.map((p) => p.elapsedMs)) / 1000);

  line("");
  line("Summary (fra -> ams, real MirrorMaker 2 on the dr stack's rendered mm2.properties)");
  line("  stream       produced  replicated  missing  duplicates  lag p50 ms  lag p99 ms");
  runs.forEach((r, i) => {
    const v = verified[i];
    line(
      `  ${r.stream.name.padEnd(11)} ${fmt(produced[i].acked).padStart(9)} ${fmt(v.unique).padStart(11)} ${fmt(v.missing).padStart(8)} ${fmt(v.duplicates).padStart(11)} ${fmt(v.lagMs.p50).padStart(11)} ${fmt(v.lagMs.p99).padStart(11)}`,
    );
  });
  line(
    `  ${"total".padEnd(11)} ${fmt(acked).padStart(9)} ${fmt(unique).padStart(11)} ${fmt(missing).padStart(8)} ${fmt(duplicates).padStart(11)} ${fmt(Math.max(...verified.map((v) => v.lagMs.p50))).padStart(11)} ${fmt(Math.max(...verified.map((v) => v.lagMs.p99))).padStart(11)}  (lag: worst stream)`,
  );
  line(
    `  produce:     ${fmt(acked / produceSeconds)} records/s, ${((acked * options.valueBytes) / 1048576 / produceSeconds).toFixed(2)} MB/s (rate limit: 1 MB/s per partition)`,
  );
  line(
    `  replication: ${fmt(unique / replicationSeconds)} records/s, ${(bytes / 1048576 / replicationSeconds).toFixed(2)} MB/s of values end to end (first produce to last record on dr)`,
  );
  line(`  last record on dr ${((lastReceive - produceStart) / 1000).toFixed(1)} s after the first produce`);
  line(
    `  record integrity (order, keys, headers, timestamps, partitions): ${integrity === 0 ? "intact" : `${integrity} problems`}`,
  );
  line("");
  const ok =
    failedSends === 0 && missing === 0 && integrity === 0 && unique === acked && acked === options.records;
  if (ok) {
    step(
      `OK: all ${fmt(acked)} produced records are on dr${duplicates > 0 ? ` (${fmt(duplicates)} duplicates, at-least-once)` : ""}`,
    );
    return 0;
  }
  step(
    `FAILED: ${fmt(missing)} records missing on dr, ${fmt(failedSends)} sends failed, ${integrity} integrity problems`,
  );
  for (const v of verified) {
    if (v.missing > 0) line(`  ${v.missing} missing, e.g. seq ${v.missingSample.join(", ")}`);
  }
  for (const [i, mm] of mirrorMakers.entries()) {
    line(`MirrorMaker node ${i + 1} log tail:\n${logTail(mm, 40)}`);
  }
  return 1;
}

async function main(): Promise<void> {
  let options: RehearseOptions | "help";
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${usageErrorLine("rehearse", error, "npm run rehearse --")}\n`);
    process.exit(USAGE_EXIT_CODE);
  }
  if (options === "help") {
    line(USAGE);
    return;
  }
  // Ctrl-C / SIGTERM: leave through process.exit, whose handler (dev/rehearsal/processes.ts) kills
  // every broker, MirrorMaker and tool JVM and removes the work directories.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      process.stderr.write(`\ninterrupted (${signal}): stopping every process\n`);
      process.exit(130);
    });
  }
  try {
    process.exitCode = await rehearse(options);
  } catch (error) {
    process.stderr.write(
      `rehearsal failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}

if (require.main === module) {
  void main();
}
