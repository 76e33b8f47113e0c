/**
 * The DR drill on the local rehearsal (`npm run drill`): two emulated OCI regions (fra primary, ams
 * dr), the real MirrorMaker 2 on the dr stack's rendered mm2.properties, a paced producer and a
 * consumer group on the primary; once MM2 has checkpointed the group, the primary cluster is killed
 * (SIGKILL of its broker, with the producer and consumer that lived in that region), the group is
 * failed over with {@link planFailover}/{@link executeFailover}, and the same group resumes on dr
 * (`fra.<topic>`). It measures:
 *  - RPO: records the primary acknowledged that dr never received (and their age at the kill);
 *  - RTO: from the kill to the first record consumed on dr (failover run and consumer start-up
 *    included; detection of the outage is not — the drill knows when it killed);
 *  - duplicates: records the group consumed more than once (it resumes from MM2's last checkpoint);
 *  - skipped: records dr had that the group never consumed (must be 0), and lost: acknowledged
 *    records the group never consumed (must all be among the unreplicated ones);
 *  - next to the measured RPO, what `oci-geo-streaming status` estimated just before the kill ("if
 *    the primary were lost now: about N records, S seconds of writes"): the same measurement
 *    (lib/ops/status measureFlow) on the flow read from the node's own mm2.properties, as
 *    `status --mm2-properties` reads it on a node.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { KafkaClient } from "../../lib/ops/kafka/client";
import type { LocalCluster } from "./cluster";
import { ensureKafkaRuntime } from "./kafkaRuntime";
import { logTail, type MirrorMakerHandle } from "./mirrorMaker";
import { runningManagedProcesses } from "./processes";
import {
  prepareRenderedMirrorMaker,
  startEmulatedRegions,
  startRenderedNode,
  type EmulatedRegions,
} from "./renderedConfig";
import { translateOffsets } from "../../lib/ops/failover/checkpoints";
import {
  executeFailover,
  formatProgress,
  planFailover,
  type FailoverPlan,
} from "../../lib/ops/failover/failover";
import { consumedRecords, startGroupConsumer, startPacedProducer, type ToolProcess } from "./rehearsalTools";
import { measureFlow } from "../../lib/ops/status/measure";
import { nodeConfigFromMm2Properties } from "../../lib/ops/status/mm2Config";

export interface DrillOptions {
  /** Records per second (default 100). */
  rate?: number;
  /** Partitions of the topic (default 3). */
  partitions?: number;
  /** Keep running this long after the group's first complete checkpoint before the kill (default 5 s). */
  afterCheckpointMs?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Keep the work directory (logs). */
  keep?: boolean;
}

export interface DrillReport {
  topic: string;
  remoteTopic: string;
  group: string;
  rate: number;
  /** Seconds from the workload start to the kill. */
  runSeconds: number;
  acked: number;
  onDr: number;
  /** RPO: acknowledged by the primary, never on dr. */
  rpoRecords: number;
  /** Age at the kill of the oldest acknowledged record dr never received (0 when none). */
  rpoMs: number;
  /**
   * `status`'s estimate of the RPO, measured just before the kill: records and seconds of writes a
   * loss of the primary would cost, when it was measured and how long the measurement took.
   */
  estimate: { records?: number; seconds?: number; measuredAt: number; tookMs: number; msBeforeKill: number };
  /** Kill → first record consumed on dr. */
  rtoMs: number;
  /** Kill → failover committed. */
  failoverMs: number;
  consumedOnPrimary: number;
  consumedOnDr: number;
  duplicates: number;
  /** Records dr had that the group never consumed (must be 0). */
  skipped: number;
  /** Acknowledged records the group never consumed. */
  lost: number;
  /** Of those, the ones dr had (must be 0). */
  lostThoughOnDr: number;
  /** Where the group resumed on dr and what the primary consumer had reached (last consumed + 1). */
  resume: {
    partition: number;
    /** Where the dr consumer started (its first assignment's position). */
    drOffset: number;
    /** What failover committed on dr for the partition. */
    committedOffset: number;
    /** The primary consumer's position at the kill (last consumed + 1). */
    primaryPosition: number;
    /** The source offset of the checkpoint failover used. */
    upstreamOffset: number;
  }[];
  workDir: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function clientFor(cluster: LocalCluster): Promise<KafkaClient> {
  return KafkaClient.connect({
    bootstrapServers: cluster.bootstrapServers,
    sasl: { username: cluster.username!, password: cluster.password! },
    tls: { caPem: fs.readFileSync(cluster.caPemPath!, "utf8") },
    requestTimeoutMs: 10_000,
  });
}

function seqOf(value: Buffer | null): number {
  const m = value ? /^run=[^;]*;seq=(\d+);/.exec(value.subarray(0, 80).toString("utf8")) : null;
  return m ? Number(m[1]) : -1;
}

export async function runDrill(options: DrillOptions = {}): Promise<DrillReport> {
  const log = options.log ?? (() => undefined);
  const rate = options.rate ?? 100;
  const partitions = options.partitions ?? 3;
  const topic = "orders";
  const group = "drill-app";
  const runtime = await ensureKafkaRuntime();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocigeo-drill-"));
  let regions: EmulatedRegions | undefined;
  let mm: MirrorMakerHandle | undefined;
  const tools: ToolProcess[] = [];
  let dr: KafkaClient | undefined;
  try {
    log("starting two emulated OCI regions (fra = primary, ams = dr)…");
    regions = await startEmulatedRegions({ runtime });
    const { source, target } = regions;
    const prepared = await prepareRenderedMirrorMaker({
      source,
      target,
      workDir,
      streams: [{ name: topic, partitions }],
      overrides: { refreshIntervalSeconds: 5 },
    });
    const remoteTopic = prepared.remoteTopic(topic);
    mm = await startRenderedNode(prepared, 0, { runtime });
    log(
      `MirrorMaker 2 started on the rendered mm2.properties (${prepared.sourceAlias} -> ${prepared.targetAlias})`,
    );

    const producer = startPacedProducer({
      cluster: source,
      topic,
      partitions,
      runId: "drill",
      rate,
      workDir,
    });
    tools.push(producer);
    const primaryConsumer = startGroupConsumer({
      cluster: source,
      topic,
      group,
      workDir,
      name: "primary-consumer",
    });
    tools.push(primaryConsumer);
    const started = Date.now();
    log(
      `workload: ${rate} records/s to ${topic} (${partitions} partitions); group ${group} consuming on the primary`,
    );

    // Wait until MM2 has checkpointed the group on every partition (emit.checkpoints.interval.seconds).
    dr = await clientFor(target);
    const checkpointsTopic = `${prepared.sourceAlias}.checkpoints.internal`;
    const deadline = Date.now() + 240_000;
    for (;;) {
      const t = translateOffsets(await dr.readAll(checkpointsTopic), group);
      if (t.size === partitions) break;
      if (Date.now() > deadline) throw new Error(`no checkpoint of ${group} within 240 s\n${logTail(mm)}`);
      await sleep(1_000);
    }
    log(
      `MM2 checkpointed ${group} after ${((Date.now() - started) / 1000).toFixed(1)} s; killing the primary in ${(options.afterCheckpointMs ?? 5_000) / 1000} s`,
    );
    await sleep(options.afterCheckpointMs ?? 5_000);

    // status's estimate, just before the kill: the flow as a node's status reads it from its own
    // mm2.properties, measured with fresh connections (connecting is not part of the estimate).
    const [flow] = nodeConfigFromMm2Properties(prepared.written, (f) => fs.readFileSync(f, "utf8")).flows;
    const primary = await clientFor(source);
    const measureStart = Date.now();
    const status = await measureFlow({ target: dr, source: primary, now: Date.now }, flow).finally(() =>
      primary.close(),
    );
    const measureEnd = Date.now();

    // The primary region dies: its broker, and the producer and consumer that ran there.
    const killedAt = Date.now();
    source.process.kill("SIGKILL");
    primaryConsumer.process.kill("SIGKILL");
    await source.process.exited;
    await sleep(300); // acknowledgements already received are printed; none can come after the kill
    producer.process.kill("SIGKILL");
    log(
      `primary killed (SIGKILL) at +${((killedAt - started) / 1000).toFixed(1)} s; status estimated ${status.rpo.records ?? "?"} records / ${status.rpo.seconds ?? "?"} s ${killedAt - status.measuredAt} ms before`,
    );

    // Failover, as an operator would run it: fresh connection to dr, plan, commit.
    const failoverClient = await clientFor(target);
    let plan: FailoverPlan;
    try {
      plan = await planFailover({
        dr: failoverClient,
        sourceAlias: prepared.sourceAlias,
        groups: [group],
      });
      await executeFailover(plan, {
        dr: failoverClient,
        onProgress: (p) => log(`failover ${formatProgress(p)}`),
      });
    } finally {
      await failoverClient.close();
    }
    const failoverMs = Date.now() - killedAt;
    const drConsumer = startGroupConsumer({
      cluster: target,
      topic: remoteTopic,
      group,
      reset: "none",
      workDir,
      name: "dr-consumer",
    });
    tools.push(drConsumer);
    const first = await drConsumer.waitFor((e) => e.event === "records", 60_000, "the first record on dr");
    const rtoMs = Number(first.t) - killedAt;
    log(`group ${group} consuming on dr (${remoteTopic}) ${rtoMs} ms after the kill`);

    // Let the dr consumer drain what dr has (MM2 can add nothing more: its source is gone).
    let end = await dr.offsets(remoteTopic, "latest");
    const drainDeadline = Date.now() + 60_000;
    for (;;) {
      const got = consumedRecords(drConsumer.events());
      const reached = [...end].every(
        ([p, e]) => e === 0 || got.some((r) => r.partition === p && r.offset === e - 1),
      );
      if (reached) {
        const again = await dr.offsets(remoteTopic, "latest");
        if ([...again].every(([p, e]) => end.get(p) === e)) break;
        end = again;
      }
      if (Date.now() > drainDeadline)
        throw new Error("the dr consumer did not reach the end of the remote topic in 60 s");
      await sleep(200);
    }
    await drConsumer.process.stop(15_000);
    const drRecords = await dr.readAll(remoteTopic);

    // Accounting.
    const ackEvents = producer.events().filter((e) => e.event === "acked");
    const ackTime = new Map(ackEvents.map((e) => [Number(e.seq), Number(e.t)]));
    const onDr = new Set(drRecords.map((r) => seqOf(r.value)));
    const primaryConsumed = consumedRecords(primaryConsumer.events());
    const drConsumed = consumedRecords(drConsumer.events());
    const seen = new Set<number>();
    let duplicates = 0;
    for (const r of [...primaryConsumed, ...drConsumed]) {
      if (seen.has(r.seq)) duplicates++;
      else seen.add(r.seq);
    }
    const unreplicated = [...ackTime.keys()].filter((s) => !onDr.has(s));
    const lost = [...ackTime.keys()].filter((s) => !seen.has(s));
    const skipped = [...onDr].filter((s) => !seen.has(s));
    const assigned = drConsumer.events().find((e) => e.event === "assigned");
    const positions = (assigned?.positions ?? {}) as Record<string, number>;
    const reachedOnPrimary = positionsOf(primaryConsumed, partitions);
    const planned = (p: number) => plan.groups[0].partitions.find((x) => x.partition === p);
    return {
      topic,
      remoteTopic,
      group,
      rate,
      runSeconds: (killedAt - started) / 1000,
      acked: ackTime.size,
      onDr: onDr.size,
      rpoRecords: unreplicated.length,
      rpoMs: unreplicated.length === 0 ? 0 : killedAt - Math.min(...unreplicated.map((s) => ackTime.get(s)!)),
      estimate: {
        ...status.rpo,
        measuredAt: status.measuredAt,
        tookMs: measureEnd - measureStart,
        msBeforeKill: killedAt - status.measuredAt,
      },
      rtoMs,
      failoverMs,
      consumedOnPrimary: primaryConsumed.length,
      consumedOnDr: drConsumed.length,
      duplicates,
      skipped: skipped.length,
      lost: lost.length,
      lostThoughOnDr: lost.filter((s) => onDr.has(s)).length,
      resume: [...Array(partitions).keys()].map((p) => ({
        partition: p,
        drOffset: positions[String(p)] ?? -1,
        committedOffset: planned(p)?.offset ?? -1,
        primaryPosition: reachedOnPrimary[p],
        upstreamOffset: planned(p)?.upstreamOffset ?? -1,
      })),
      workDir,
    };
  } finally {
    await Promise.all(tools.map((t) => t.process.stop(5_000)));
    await mm?.stop();
    await dr?.close();
    await regions?.stop();
    if (!options.keep) fs.rmSync(workDir, { recursive: true, force: true });
    const left = runningManagedProcesses();
    if (left.length > 0) log(`warning: still running: ${left.map((p) => p.name).join(", ")}`);
  }
}

/** Per partition, the primary consumer's position (last consumed offset + 1). */
function positionsOf(consumed: { partition: number; offset: number }[], partitions: number): number[] {
  return [...Array(partitions).keys()].map((p) =>
    consumed.filter((r) => r.partition === p).reduce((m, r) => Math.max(m, r.offset + 1), 0),
  );
}

/** The report as the lines `npm run drill` prints. */
export function formatDrillReport(r: DrillReport): string[] {
  return [
    `DR drill: ${r.topic} -> ${r.remoteTopic}, group ${r.group}, ${r.rate} records/s, primary killed after ${r.runSeconds.toFixed(1)} s`,
    `  RPO: ${r.rpoRecords} of ${r.acked} records acknowledged by the primary never reached dr` +
      (r.rpoRecords > 0 ? ` (oldest acknowledged ${r.rpoMs} ms before the kill)` : ""),
    `  status's estimate ${r.estimate.msBeforeKill} ms before the kill: ${r.estimate.records === undefined ? "unknown" : `about ${r.estimate.records} records, ${r.estimate.seconds} s of writes`} (measured RPO: ${r.rpoRecords} records, ${(r.rpoMs / 1000).toFixed(1)} s)`,
    `  RTO: ${(r.rtoMs / 1000).toFixed(1)} s from the kill to the first record consumed on dr (failover committed after ${(r.failoverMs / 1000).toFixed(1)} s)`,
    `  duplicates: ${r.duplicates} records consumed twice (the group resumes from MM2's last checkpoint)`,
    `  skipped: ${r.skipped} records dr had that the group never consumed; lost: ${r.lost} acknowledged records never consumed (${r.lostThoughOnDr} of them on dr)`,
    `  consumed: ${r.consumedOnPrimary} on the primary, ${r.consumedOnDr} on dr; dr holds ${r.onDr} records`,
    ...r.resume.map(
      (p) =>
        `  partition ${p.partition}: primary consumer had reached offset ${p.primaryPosition}; checkpoint at source offset ${p.upstreamOffset}; failover committed ${p.committedOffset} on dr; the consumer resumed at ${p.drOffset}`,
    ),
  ];
}
