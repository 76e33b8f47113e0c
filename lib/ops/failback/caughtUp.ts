/**
 * Has the primary caught up with dr? For each topic T replicated dr -> primary, per partition, the
 * LAST record of dr's T-p is compared with the last record of the primary's `<drAlias>.T`-p.
 * MirrorMaker 2 keeps key, value, headers and timestamp, and copies in order, so the partition is
 * caught up when dr's partition is empty or those two records are equal. (Offsets cannot be
 * compared: the copy starts at dr's log start and a restarted MM2 may copy records twice.)
 *
 * Only meaningful once nothing writes to dr's T any more: the operator stops dr's producers before
 * the `wait` step. While records still arrive, {@link PartitionCatchUp.behind} estimates how many
 * records dr has that the primary has not (record counts; exact when MM2 copied nothing twice).
 */
import type { ConsumedRecord, KafkaClient } from "../kafka/client";
import { isMm2SkippedTopic, remoteTopicName, type PolicyNames } from "../../core/mm2/topics";

/** The parts of a record MM2 preserves. */
export type ComparableRecord = Pick<ConsumedRecord, "key" | "value" | "headers" | "timestamp">;

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

/** True when MM2's copy `b` carries exactly the record `a` (key, value, headers in order, timestamp). */
export function sameRecord(a: ComparableRecord, b: ComparableRecord): boolean {
  return (
    a.timestamp === b.timestamp &&
    sameBytes(a.key, b.key) &&
    sameBytes(a.value, b.value) &&
    a.headers.length === b.headers.length &&
    a.headers.every((h, i) => h.key === b.headers[i].key && sameBytes(h.value, b.headers[i].value))
  );
}

/** One partition's end offsets and last record on one side. */
export interface PartitionTail {
  earliest: number;
  latest: number;
  /** The record at `latest - 1` (undefined when the partition is empty). */
  last?: ComparableRecord;
}

export interface PartitionCatchUp {
  /** dr's topic (the primary's is `<drAlias>.<topic>`). */
  topic: string;
  partition: number;
  caughtUp: boolean;
  /** Why not: the copy's last record differs, the copy is missing, … */
  reason?: string;
  /** Records dr has that the primary has not, when determinable (counts; see the module doc). */
  behind?: number;
}

/**
 * The pure comparison for one partition. `primary` undefined: the primary has no such partition
 * (the remote topic is missing, or has fewer partitions).
 */
export function comparePartition(
  topic: string,
  partition: number,
  dr: PartitionTail,
  primary: PartitionTail | undefined,
): PartitionCatchUp {
  const base = { topic, partition };
  if (dr.latest <= dr.earliest || dr.last === undefined) return { ...base, caughtUp: true, behind: 0 };
  if (!primary) {
    return { ...base, caughtUp: false, reason: "the primary has no copy of this partition" };
  }
  if (primary.last !== undefined && sameRecord(dr.last, primary.last)) {
    return { ...base, caughtUp: true, behind: 0 };
  }
  const count = dr.latest - dr.earliest - (primary.latest - primary.earliest);
  return {
    ...base,
    caughtUp: false,
    reason:
      primary.last === undefined
        ? "the copy on the primary is empty"
        : "the last record on the primary is not dr's last record",
    // A negative difference means MM2 copied records twice (or retention differs): not determinable.
    behind: count > 0 ? count : undefined,
  };
}

/**
 * The record at `offset` of `topic`-`partition` (undefined when it does not exist, or is a
 * transaction marker). Fetches from `offset`; the batch holding it may start earlier.
 */
export async function readRecordAt(
  client: Pick<KafkaClient, "readRange">,
  topic: string,
  partition: number,
  offset: number,
): Promise<ConsumedRecord | undefined> {
  if (offset < 0) return undefined;
  return (await client.readRange(topic, partition, offset, offset + 1))[0];
}

/** End offsets and last record of every partition of `topic` (empty map when the topic does not exist). */
export async function readTails(client: KafkaClient, topic: string): Promise<Map<number, PartitionTail>> {
  const [earliest, latest] = [await client.offsets(topic, "earliest"), await client.offsets(topic, "latest")];
  const out = new Map<number, PartitionTail>();
  for (const [p, end] of latest) {
    const start = earliest.get(p) ?? 0;
    out.set(p, {
      earliest: start,
      latest: end,
      last: end > start ? await readRecordAt(client, topic, p, end - 1) : undefined,
    });
  }
  return out;
}

/**
 * dr's topics the reverse flow replicates when none are named: every topic that is not a remote copy
 * (`<alias><sep>…` for either alias), not MM2's or Kafka's own (heartbeats, `*.internal`, `__*`), and
 * not a Connect harness topic (`ocid1.connectharness.…`).
 */
export function defaultReplicatedTopics(
  topics: readonly string[],
  aliases: { primary: string; dr: string },
  policy: PolicyNames,
): string[] {
  return topics
    .filter(
      (t) =>
        !isMm2SkippedTopic(policy, aliases.primary, t) &&
        !t.startsWith(`${aliases.dr}${policy.separator}`) &&
        !t.startsWith("ocid1.connectharness.") &&
        !t.startsWith("mm2-"),
    )
    .sort();
}

export interface CatchUpReport {
  caughtUp: boolean;
  partitions: PartitionCatchUp[];
}

/** Compares every partition of `topics` on dr with its copy on the primary, once. */
export async function checkCaughtUp(options: {
  dr: KafkaClient;
  primary: KafkaClient;
  topics: readonly string[];
  drAlias: string;
  policy: PolicyNames;
}): Promise<CatchUpReport> {
  const partitions: PartitionCatchUp[] = [];
  const primaryTopics = new Set(await options.primary.listTopics());
  for (const topic of options.topics) {
    const drTails = await readTails(options.dr, topic);
    const remote = remoteTopicName(options.policy, options.drAlias, topic);
    const primaryTails = primaryTopics.has(remote) ? await readTails(options.primary, remote) : new Map();
    for (const [p, tail] of drTails) {
      const r = comparePartition(topic, p, tail, primaryTails.get(p));
      if (!primaryTopics.has(remote) && !r.caughtUp) {
        r.reason = `${remote} does not exist on the primary (is the reverse flow running and does it replicate ${topic}?)`;
      }
      partitions.push(r);
    }
  }
  return { caughtUp: partitions.every((p) => p.caughtUp), partitions };
}

/** One progress line of a poll: `poll 3: 4/6 partitions caught up; orders:1 ~12 behind, …`. */
export function formatCatchUp(poll: number, report: CatchUpReport, elapsedMs: number): string {
  const done = report.partitions.filter((p) => p.caughtUp).length;
  const lagging = report.partitions
    .filter((p) => !p.caughtUp)
    .map(
      (p) =>
        `${p.topic}:${p.partition} ${p.behind !== undefined ? `~${p.behind} behind` : `(${p.reason ?? "behind"})`}`,
    );
  const head = `poll ${poll} (+${(elapsedMs / 1000).toFixed(0)} s): ${done}/${report.partitions.length} partition(s) caught up`;
  return lagging.length === 0
    ? head
    : `${head}; ${lagging.slice(0, 8).join(", ")}${lagging.length > 8 ? `, and ${lagging.length - 8} more` : ""}`;
}

/**
 * Polls {@link checkCaughtUp} every `pollMs` until every partition is caught up or `timeoutMs`
 * passed; returns the last report (caughtUp false on timeout).
 */
export async function waitForCatchUp(options: {
  check: () => Promise<CatchUpReport>;
  timeoutMs: number;
  pollMs: number;
  onPoll?: (line: string, report: CatchUpReport) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}): Promise<CatchUpReport & { polls: number; elapsedMs: number }> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const start = now();
  for (let poll = 1; ; poll++) {
    const report = await options.check();
    const elapsedMs = now() - start;
    options.onPoll?.(formatCatchUp(poll, report, elapsedMs), report);
    if (report.caughtUp || elapsedMs + options.pollMs > options.timeoutMs) {
      return { ...report, polls: poll, elapsedMs };
    }
    await sleep(options.pollMs);
  }
}
