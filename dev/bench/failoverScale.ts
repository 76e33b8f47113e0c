/**
 * `npm run bench:failover`: failover at scale, pure (no cluster): plan and commit time for 10, 100,
 * 1,000 and 3,000 groups × 24 partitions and 1 group × 200 partitions, the new code against the old
 * one run side by side, and the new code twice (the noise floor). A benchmark: it asserts nothing.
 *
 * - plan (pure): the plan from synthetic checkpoints (one per group and partition, as MM2 writes
 *   them): old = the whole topic decoded again for each group (a copy of the old builder below),
 *   new = {@link buildFailoverPlan} (decoded once, indexed);
 * - fetch + commit against an in-memory cluster answering every request after `--latency` ms (the
 *   rehearsal measured ~11 ms a group for DescribeGroups + OffsetCommit, so ~5 ms a request): old =
 *   one group at a time (concurrency 1, no rate cap), new = the default concurrency (4) without a
 *   rate cap (self-managed Kafka / a raised OCI limit) and, for up to 100 groups, with the default
 *   cap of 10 groups/s (OCI's documented KafkaOffsetFetch/KafkaOffsetCommit default);
 * - reads: the checkpoints partition is read in ranges of 4,096 records at 4 reads/s: the reads
 *   and their rate are computed from the records (the pacing is unit-tested with a fake clock).
 *
 *   npm run bench:failover                       # the whole curve (about 3 minutes: the old plan is slow)
 *   npm run bench:failover -- --old-max 1000     # run the old code only up to 1,000 groups
 *   npm run bench:failover -- --latency 5 --json out/bench/failover.json
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";

import {
  encodeCheckpoint,
  translateOffsets,
  groupsInCheckpoints,
  type RawRecord,
} from "../../lib/ops/failover/checkpoints";
import {
  buildFailoverPlan,
  executeFailover,
  planFailover,
  type FailoverPlan,
  type GroupPlan,
} from "../../lib/ops/failover/failover";
import { DEFAULT_READ_PACING } from "../../lib/ops/failover/reads";
import { DEFAULT_GROUP_RUN_LIMITS, type GroupRunLimits } from "../../lib/ops/groupCommits";
import type { ConsumedRecord, KafkaClient, TopicPartitionOffsets } from "../../lib/ops/kafka/client";

/** One checkpoint per group and partition of 3 topics × 8 partitions (24) or of one topic. */
export function syntheticCheckpoints(groups: number, partitions: number): ConsumedRecord[] {
  const topics = partitions === 24 ? ["fra.orders", "fra.payments", "fra.audit"] : ["fra.orders"];
  const per = partitions / topics.length;
  const out: ConsumedRecord[] = [];
  for (let g = 0; g < groups; g++) {
    for (const topic of topics) {
      for (let p = 0; p < per; p++) {
        const up = 1_000 + g * 7 + p;
        out.push({
          partition: 0,
          offset: out.length,
          headers: [],
          timestamp: 0,
          ...encodeCheckpoint({
            group: `app-${String(g).padStart(5, "0")}`,
            topic,
            partition: p,
            upstreamOffset: BigInt(up),
            downstreamOffset: BigInt(up - 3),
            metadata: "",
          }),
        });
      }
    }
  }
  return out;
}

/** The plan builder before this change: the whole topic decoded again for each group (baseline). */
function oldBuildFailoverPlan(records: readonly RawRecord[]): GroupPlan[] {
  return groupsInCheckpoints(records).map((group) => ({
    group,
    partitions: [...translateOffsets(records, group).values()]
      .map((t) => ({
        topic: t.topic,
        partition: t.partition,
        offset: Number(t.offset),
        upstreamOffset: Number(t.upstreamOffset),
        metadata: t.metadata,
      }))
      .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition)),
  }));
}

/** An in-memory dr cluster: every request answers after `latencyMs`; counts requests. */
function memoryCluster(records: ConsumedRecord[], latencyMs: number) {
  const counts = { fetchOffsets: 0, describeGroup: 0, commitOffsets: 0, readRange: 0 };
  const later = <T>(value: T): Promise<T> =>
    new Promise((resolve) => setTimeout(() => resolve(value), latencyMs));
  const client = {
    offsets: (_topic: string, which: "earliest" | "latest") =>
      later(new Map([[0, which === "earliest" ? 0 : records.length]])),
    readRange: (_topic: string, _p: number, from: number, to: number) => {
      counts.readRange++;
      return later(records.slice(from, to));
    },
    fetchOffsets: () => {
      counts.fetchOffsets++;
      return later(new Map() as TopicPartitionOffsets);
    },
    describeGroup: (group: string) => {
      counts.describeGroup++;
      return later({
        groupId: group,
        state: "Empty",
        protocolType: "consumer",
        protocol: "",
        members: [],
        memberCount: 0,
      });
    },
    commitOffsets: () => {
      counts.commitOffsets++;
      return later(undefined);
    },
  };
  return { client: client as unknown as KafkaClient, counts };
}

function seconds<T>(fn: () => T): { value: T; s: number } {
  const t = process.hrtime.bigint();
  const value = fn();
  return { value, s: Number(process.hrtime.bigint() - t) / 1e9 };
}

async function secondsAsync<T>(fn: () => Promise<T>): Promise<{ value: T; s: number }> {
  const t = process.hrtime.bigint();
  const value = await fn();
  return { value, s: Number(process.hrtime.bigint() - t) / 1e9 };
}

/** Fetch (plan) + commit of a plan on the in-memory cluster, within `limits`; seconds. */
async function fetchAndCommit(
  records: ConsumedRecord[],
  latencyMs: number,
  limits: GroupRunLimits,
): Promise<{ fetchS: number; commitS: number; requests: number }> {
  const { client, counts } = memoryCluster(records, latencyMs);
  // Reads unpaced here: the read pacing is accounted separately (see `reads` in the row).
  const plan = await secondsAsync(() =>
    planFailover({
      dr: client,
      sourceAlias: "fra",
      limits,
      reads: { recordsPerRead: DEFAULT_READ_PACING.recordsPerRead, readsPerSecond: 0 },
    }),
  );
  const commit = await secondsAsync(() => executeFailover(plan.value, { dr: client, limits }));
  return {
    fetchS: plan.s,
    commitS: commit.s,
    requests: counts.fetchOffsets + counts.describeGroup + counts.commitOffsets,
  };
}

/** The old run: fetches then commits one group at a time (what commitGroupByGroup did). */
async function oldFetchAndCommit(
  records: ConsumedRecord[],
  latencyMs: number,
): Promise<{ fetchS: number; commitS: number }> {
  return fetchAndCommit(records, latencyMs, { concurrency: 1, perSecond: 0 });
}

export interface ScaleRow {
  groups: number;
  partitions: number;
  records: number;
  planOldS?: number;
  planNewS: [number, number];
  fetchOldS?: number;
  commitOldS?: number;
  fetchNewS: number;
  commitNewS: number;
  /** With the default rate cap (10 groups/s): measured up to 100 groups, else undefined. */
  cappedS?: number;
  /** Checkpoint reads (ranges) and their rate at the default pacing. */
  reads: number;
  readSeconds: number;
}

async function row(
  groups: number,
  partitions: number,
  opts: { latencyMs: number; oldMax: number },
): Promise<ScaleRow> {
  const records = syntheticCheckpoints(groups, partitions);
  const runOld = groups <= opts.oldMax;
  const planOld = runOld ? seconds(() => oldBuildFailoverPlan(records)) : undefined;
  const a = seconds(() => buildFailoverPlan(records, { sourceAlias: "fra" }));
  const b = seconds(() => buildFailoverPlan(records, { sourceAlias: "fra" }));
  if (planOld) sameGroups(planOld.value, a.value);
  const old = runOld ? await oldFetchAndCommit(records, opts.latencyMs) : undefined;
  const neu = await fetchAndCommit(records, opts.latencyMs, {
    concurrency: DEFAULT_GROUP_RUN_LIMITS.concurrency,
    perSecond: 0,
  });
  const capped =
    groups <= 100 ? await fetchAndCommit(records, opts.latencyMs, DEFAULT_GROUP_RUN_LIMITS) : undefined;
  const reads = Math.ceil(records.length / DEFAULT_READ_PACING.recordsPerRead);
  return {
    groups,
    partitions,
    records: records.length,
    planOldS: planOld?.s,
    planNewS: [a.s, b.s],
    fetchOldS: old?.fetchS,
    commitOldS: old?.commitS,
    fetchNewS: neu.fetchS,
    commitNewS: neu.commitS,
    cappedS: capped ? capped.fetchS + capped.commitS : undefined,
    reads,
    readSeconds: (reads - 1) / DEFAULT_READ_PACING.readsPerSecond,
  };
}

function sameGroups(old: GroupPlan[], plan: FailoverPlan): void {
  if (JSON.stringify(old) !== JSON.stringify(plan.groups)) {
    throw new Error("the new plan differs from the old one: the benchmark compares nothing");
  }
}

const f = (s: number | undefined, digits = 3): string => (s === undefined ? "-" : s.toFixed(digits));

export function formatRows(rows: readonly ScaleRow[], latencyMs: number): string[] {
  const lines = [
    `failover at scale (pure; in-memory cluster answering each request after ${latencyMs} ms)`,
    "groups×partitions  records | plan old s  new s (run 1, run 2)  old/new | fetch+commit old s  new s (4 in flight)  old/new | capped 10/s s | checkpoint reads (4/s)",
  ];
  for (const r of rows) {
    const planNew = Math.min(...r.planNewS);
    const oldFc = r.fetchOldS !== undefined ? r.fetchOldS + r.commitOldS! : undefined;
    const newFc = r.fetchNewS + r.commitNewS;
    lines.push(
      [
        `${`${r.groups}×${r.partitions}`.padEnd(18)} ${String(r.records).padStart(7)}`,
        `${f(r.planOldS).padStart(10)}  ${f(r.planNewS[0], 4)}, ${f(r.planNewS[1], 4)}  ${r.planOldS !== undefined ? `${(r.planOldS / planNew).toFixed(0)}×` : "-"}`,
        `${f(oldFc, 2).padStart(18)}  ${f(newFc, 2)}  ${oldFc !== undefined ? `${(oldFc / newFc).toFixed(1)}×` : "-"}`,
        `${r.cappedS !== undefined ? f(r.cappedS, 1) : `~${((2 * r.groups) / 10).toFixed(0)} (computed)`}`,
        `${r.reads} read(s) in ${r.readSeconds.toFixed(2)} s`,
      ].join(" | "),
    );
  }
  lines.push(
    "noise floor: the two new plan runs; the capped column is what OCI's documented 10 OffsetFetch + 10 OffsetCommit per second allow (2 × groups / 10 s).",
  );
  return lines;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "old-max": { type: "string" },
      latency: { type: "string" },
      json: { type: "string" },
      groups: { type: "string" },
    },
  });
  const latencyMs = Number(values.latency ?? 5);
  const oldMax = Number(values["old-max"] ?? 3000);
  const groupCounts = (values.groups ?? "10,100,1000,3000").split(",").map(Number);
  const rows: ScaleRow[] = [];
  for (const g of groupCounts) {
    rows.push(await row(g, 24, { latencyMs, oldMax }));
    process.stderr.write(`done: ${g} groups × 24 partitions\n`);
  }
  rows.push(await row(1, 200, { latencyMs, oldMax }));
  for (const line of formatRows(rows, latencyMs)) process.stdout.write(`${line}\n`);
  if (values.json) {
    fs.mkdirSync(path.dirname(values.json), { recursive: true });
    fs.writeFileSync(values.json, JSON.stringify({ latencyMs, rows }, null, 2));
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench:failover: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
