/**
 * Failback of consumer groups: commit, on the primary, where each group resumes after it consumed
 * on dr. Two kinds of partitions:
 *
 * - `<drAlias>.T` on the primary (the copies of what producers wrote on dr after the failover): the
 *   reverse flow's checkpoints (`<drAlias>.checkpoints.internal` on the primary) translate them, as
 *   Kafka's RemoteClusterUtils does — {@link planFailover} from lib/ops/failover, pointed at the primary.
 * - the primary's own `T`, for the dr consumers of the remote copies `<primaryAlias>.T`: Kafka has
 *   no translation for these (the reverse flow does not replicate remote copies, so it has no offset
 *   syncs for them); they are translated with the FORWARD flow's offset syncs, read backwards
 *   ({@link inverseTranslate}; rule and proof in lib/ops/failback/offsetSyncs.ts).
 *
 * At scale: the checkpoints and the offset syncs are read once (paced) and indexed; the groups'
 * commits are fetched a few groups at a time ({@link GroupRunLimits}); the records the
 * after-last-sync check compares are read with one range per partition on each cluster.
 *
 * Commit rule: a partition's commit on the primary only moves forward (max of the translation and
 * what the group already has there), unless `overwrite`. Re-running after the consumers moved back
 * and advanced is therefore a no-op, and the group's pre-failover commit on `T` (which may be ahead
 * of what ever reached dr) is never rewound. A group with active members on the primary is refused.
 */
import type { KafkaClient, TopicPartitionOffsets } from "../kafka/client";
import { planFailover, type PlannedPartition } from "../failover/failover";
import { checkpointsTopicName, offsetSyncsTopicName, type PolicyNames } from "../../core/mm2/topics";
import { sameRecord, type ComparableRecord } from "./caughtUp";
import {
  decodeOffsetSyncs,
  inverseTranslate,
  OffsetSyncIndex,
  type InverseRule,
  type OffsetSync,
} from "./offsetSyncs";
import type { ForwardCapture } from "./state";
import {
  commitGroupByGroup,
  DEFAULT_GROUP_RUN_LIMITS,
  mapBounded,
  offsetsOf,
  progressLine,
  refusedOrFailed,
  type GroupRunLimits,
  type RunClock,
} from "../groupCommits";
import { DEFAULT_READ_PACING, readTopicOnce, type ReadPacing } from "../failover/reads";

/** One partition of a group's failback plan. */
export interface FailbackPartition extends PlannedPartition {
  /** `checkpoint`: `<drAlias>.T` from the reverse checkpoints; `offset-sync`: `T` from the forward syncs. */
  kind: "checkpoint" | "offset-sync";
  /** The translation before the forward-only rule (negative: untranslatable). */
  translated: number;
  /**
   * checkpoint: the group's commit on dr's T when known (newer than the checkpoint's
   * `upstreamOffset` = the checkpoint is stale: MM2 has not checkpointed the last commits yet);
   * offset-sync: the group's commit on dr's `<primaryAlias>.T` that was translated.
   */
  drOffset?: number;
  /** offset-sync only: the remote copy on dr whose commit was translated (`fra.orders`). */
  drTopic?: string;
  /** offset-sync only: how the translation was made, and whether the record check confirmed it. */
  rule?: InverseRule;
  checked?: "confirmed" | "differs-fell-back" | "unavailable-fell-back";
}

export interface FailbackGroupPlan {
  group: string;
  partitions: FailbackPartition[];
  /**
   * `T:p` the group has committed on dr whose copy `<drAlias>.T` exists on the primary but that no
   * reverse checkpoint names yet (MM2 has not checkpointed the group there): nothing is committed
   * for them, so they count as stale.
   */
  missingCheckpoints?: string[];
}

export interface FailbackPlan {
  primaryAlias: string;
  drAlias: string;
  checkpointsTopic: string;
  checkpointRecords: number;
  /** Where the forward syncs and dr commits came from: dr itself, the capture `reverse` made, or nowhere. */
  forwardSource: "dr" | "capture" | "none";
  offsetSyncsTopic: string;
  offsetSyncs: number;
  groups: FailbackGroupPlan[];
}

export interface PlanFailbackOptions {
  /** Client of the primary cluster (the reverse flow's target). */
  primary: KafkaClient;
  /** Client of dr; optional (without it, the remote copies are translated from the capture only). */
  dr?: KafkaClient;
  primaryAlias: string;
  drAlias: string;
  /** Default: every group in the reverse checkpoints or with commits on dr's remote copies. */
  groups?: string[];
  policy: PolicyNames;
  capture?: ForwardCapture;
  /** Commit the translation even when it moves a commit backwards. */
  overwrite?: boolean;
  /** Pacing of the stream reads. Default {@link DEFAULT_READ_PACING}. */
  reads?: ReadPacing;
  /** Groups whose commits are fetched at once / per second. Default {@link DEFAULT_GROUP_RUN_LIMITS}. */
  limits?: GroupRunLimits;
  clock?: RunClock;
}

function offsetsToRecord(o: TopicPartitionOffsets): Record<string, Record<string, number>> {
  return Object.fromEntries(
    [...o].map(([t, parts]) => [t, Object.fromEntries([...parts].map(([p, v]) => [String(p), v]))]),
  );
}

/** Every consumer group on dr with commits on remote copies of the primary's topics (`<primaryAlias><sep>…`). */
export async function remoteCopyCommits(
  dr: KafkaClient,
  primaryAlias: string,
  policy: PolicyNames,
  groups?: string[],
  limits: GroupRunLimits = DEFAULT_GROUP_RUN_LIMITS,
  clock?: RunClock,
): Promise<Record<string, Record<string, Record<string, number>>>> {
  return remoteCopiesOf(await allCommitsOn(dr, groups, limits, clock), primaryAlias, policy);
}

/** Every commit of each group (listed on the cluster when not named), a few groups at a time. */
async function allCommitsOn(
  cluster: KafkaClient,
  groups: string[] | undefined,
  limits: GroupRunLimits,
  clock?: RunClock,
): Promise<Map<string, TopicPartitionOffsets>> {
  const names =
    groups ??
    (await cluster.listGroups())
      .filter((g) => g.protocolType === "consumer" || g.protocolType === "")
      .map((g) => g.groupId);
  const all = await mapBounded(names, limits, (g) => cluster.fetchOffsets(g, null), { clock });
  return new Map(names.map((g, i) => [g, all[i]]));
}

function remoteCopiesOf(
  commits: Map<string, TopicPartitionOffsets>,
  primaryAlias: string,
  policy: PolicyNames,
): Record<string, Record<string, Record<string, number>>> {
  const prefix = `${primaryAlias}${policy.separator}`;
  const out: Record<string, Record<string, Record<string, number>>> = {};
  for (const [g, all] of commits) {
    const remote = new Map(
      [...all].filter(([t]) => t.startsWith(prefix) && !t.endsWith(`${policy.separator}internal`)),
    );
    if (remote.size > 0) out[g] = offsetsToRecord(remote);
  }
  return out;
}

/** Reads the forward flow's offset syncs on dr (empty when the topic does not exist). */
export async function readForwardSyncs(
  dr: KafkaClient,
  primaryAlias: string,
  policy: PolicyNames,
  options: { reads?: ReadPacing; clock?: RunClock } = {},
): Promise<{ topic: string; syncs: OffsetSync[] } | undefined> {
  const topic = offsetSyncsTopicName(policy, primaryAlias);
  if (!(await dr.listTopics()).includes(topic)) return undefined;
  const records = await readTopicOnce(dr, topic, {
    pacing: options.reads ?? DEFAULT_READ_PACING,
    clock: options.clock,
  });
  return { topic, syncs: decodeOffsetSyncs(records) };
}

/** What `reverse` saves before the switch (which deletes dr's forward layer under the identity policy). */
export async function captureForward(
  dr: KafkaClient,
  primaryAlias: string,
  policy: PolicyNames,
  now: Date,
): Promise<ForwardCapture> {
  const read = await readForwardSyncs(dr, primaryAlias, policy);
  return {
    takenAt: now.toISOString(),
    offsetSyncsTopic: read?.topic ?? offsetSyncsTopicName(policy, primaryAlias),
    syncs: read?.syncs ?? [],
    commits: await remoteCopyCommits(dr, primaryAlias, policy),
  };
}

/** Reads everything and plans; commits nothing. */
export async function planFailback(options: PlanFailbackOptions): Promise<FailbackPlan> {
  const { primary, dr, policy, primaryAlias, drAlias } = options;
  const sep = policy.separator;
  const limits = options.limits ?? DEFAULT_GROUP_RUN_LIMITS;
  const reads = { reads: options.reads, clock: options.clock };
  // Forward syncs and dr's commits on the remote copies: live when dr still has them, else the capture.
  let forwardSource: FailbackPlan["forwardSource"] = "none";
  let syncs: OffsetSync[] = [];
  let commits: Record<string, Record<string, Record<string, number>>> = {};
  const live = dr ? await readForwardSyncs(dr, primaryAlias, policy, reads) : undefined;
  // Every commit of the named groups on dr, fetched once: the remote copies' and dr's own topics'.
  let drAll = new Map<string, TopicPartitionOffsets>();
  if (dr && live) {
    forwardSource = "dr";
    syncs = live.syncs;
    drAll = await allCommitsOn(dr, options.groups, limits, options.clock);
    commits = remoteCopiesOf(drAll, primaryAlias, policy);
  } else if (options.capture) {
    forwardSource = "capture";
    syncs = options.capture.syncs;
    commits = options.capture.commits;
  }
  const syncIndex = new OffsetSyncIndex(syncs);
  const reverse = await planFailover({
    dr: primary,
    sourceAlias: drAlias,
    groups: options.groups,
    policy,
    reads: options.reads,
    limits,
    clock: options.clock,
  });
  const reverseByGroup = new Map(reverse.groups.map((g) => [g.group, g.partitions]));
  const names =
    options.groups ?? [...new Set([...reverse.groups.map((g) => g.group), ...Object.keys(commits)])].sort();

  const logStarts = new Map<string, Map<number, number>>();
  const logStart = async (topic: string, p: number): Promise<number> => {
    if (!logStarts.has(topic)) logStarts.set(topic, await primary.offsets(topic, "earliest"));
    return logStarts.get(topic)!.get(p) ?? 0;
  };
  const primaryTopics = new Set(await primary.listTopics());

  // The group's commits on dr's own topics (to tell a stale checkpoint: dr is the reverse source)
  // and on the primary, a few groups at a time.
  const fetched = await mapBounded(
    names,
    limits,
    async (group) => {
      const drCommits =
        drAll.get(group) ??
        (dr ? await dr.fetchOffsets(group, null) : new Map<string, Map<number, number>>());
      const wanted = new Map<string, number[]>();
      for (const [remoteTopic, parts] of Object.entries(commits[group] ?? {})) {
        wanted.set(
          remoteTopic.slice(`${primaryAlias}${sep}`.length),
          Object.keys(parts).map((p) => Number(p)),
        );
      }
      const current =
        wanted.size > 0 ? await primary.fetchOffsets(group, wanted) : new Map<string, Map<number, number>>();
      return { drCommits, current };
    },
    { clock: options.clock },
  );

  const groups: FailbackGroupPlan[] = [];
  const checks: RecordCheck[] = [];
  for (const [i, group] of names.entries()) {
    const { drCommits, current } = fetched[i];
    const partitions: FailbackPartition[] = [];
    const missingCheckpoints: string[] = [];
    const fromCheckpoints = reverseByGroup.get(group) ?? [];
    const checkpointed = new Set(fromCheckpoints.map((c) => `${c.topic}:${c.partition}`));
    for (const p of fromCheckpoints) {
      const original = p.topic.slice(`${drAlias}${sep}`.length);
      partitions.push({
        ...p,
        kind: "checkpoint",
        translated: p.offset,
        drOffset: drCommits.get(original)?.get(p.partition),
      });
    }
    for (const [t, parts] of drCommits) {
      if (!primaryTopics.has(`${drAlias}${sep}${t}`)) continue;
      for (const p of parts.keys()) {
        if (!checkpointed.has(`${drAlias}${sep}${t}:${p}`)) missingCheckpoints.push(`${t}:${p}`);
      }
    }
    for (const [remoteTopic, parts] of Object.entries(commits[group] ?? {})) {
      const topic = remoteTopic.slice(`${primaryAlias}${sep}`.length);
      for (const [ps, o] of Object.entries(parts)) {
        const partition = Number(ps);
        const inv = inverseTranslate(syncIndex, topic, partition, o, await logStart(topic, partition));
        const planned: FailbackPartition = {
          topic,
          partition,
          offset: inv.offset,
          translated: inv.offset,
          upstreamOffset: o,
          metadata: "",
          currentOffset: current.get(topic)?.get(partition),
          kind: "offset-sync",
          drOffset: o,
          drTopic: remoteTopic,
          rule: inv.rule,
        };
        if (inv.needsCheck) checks.push({ planned, fallback: inv.fallback });
        partitions.push(planned);
      }
    }
    groups.push(
      missingCheckpoints.length > 0 ? { group, partitions, missingCheckpoints } : { group, partitions },
    );
  }

  await checkRecords(checks, forwardSource === "dr" ? dr : undefined, primary, options.reads);

  for (const g of groups) {
    for (const p of g.partitions) {
      if (
        p.translated >= 0 &&
        p.currentOffset !== undefined &&
        p.currentOffset > p.translated &&
        !options.overwrite
      ) {
        p.offset = p.currentOffset;
      }
    }
    g.partitions.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  }
  return {
    primaryAlias,
    drAlias,
    checkpointsTopic: checkpointsTopicName(policy, drAlias),
    checkpointRecords: reverse.checkpointRecords,
    forwardSource,
    offsetSyncsTopic: offsetSyncsTopicName(policy, primaryAlias),
    offsetSyncs: syncs.length,
    groups,
  };
}

/** An after-last-sync translation waiting for its record comparison. */
interface RecordCheck {
  planned: FailbackPartition;
  fallback: number;
}

/**
 * The after-last-sync check of every such partition: the record before the group's position on
 * dr's remote copy and the one before the translation on the primary must be the same record,
 * else the translation falls back to the sync's upstream offset. The records are read with ONE
 * range per partition on each cluster (the offsets of every group that needs it), not one read
 * per group: many groups on one partition cost one read, within OCI's 5 reads per second.
 */
async function checkRecords(
  checks: readonly RecordCheck[],
  dr: KafkaClient | undefined,
  primary: KafkaClient,
  pacing: ReadPacing | undefined,
): Promise<void> {
  if (checks.length === 0) return;
  const onDr = dr
    ? await recordsAt(
        dr,
        checks.map((c) => ({
          topic: c.planned.drTopic!,
          partition: c.planned.partition,
          offset: c.planned.drOffset! - 1,
        })),
        pacing,
      )
    : new Map<string, ComparableRecord>();
  const onPrimary = await recordsAt(
    primary,
    checks
      .filter((c) => onDr.has(`${c.planned.drTopic!}:${c.planned.partition}:${c.planned.drOffset! - 1}`))
      .map((c) => ({ topic: c.planned.topic, partition: c.planned.partition, offset: c.planned.offset - 1 })),
    pacing,
  );
  for (const c of checks) {
    const p = c.planned;
    const a = onDr.get(`${p.drTopic!}:${p.partition}:${p.drOffset! - 1}`);
    const b = onPrimary.get(`${p.topic}:${p.partition}:${p.offset - 1}`);
    if (a && b && sameRecord(a, b)) p.checked = "confirmed";
    else {
      p.checked = a && b ? "differs-fell-back" : "unavailable-fell-back";
      p.offset = p.translated = c.fallback;
    }
  }
}

/**
 * The records at the wanted offsets, keyed `topic:partition:offset`: one range read per partition
 * from the lowest to the highest offset wanted (split in ranges of the pacing's size when they lie
 * far apart). A failed read leaves its records out (the check then falls back).
 */
async function recordsAt(
  client: Pick<KafkaClient, "readRange">,
  wanted: readonly { topic: string; partition: number; offset: number }[],
  pacing: ReadPacing = DEFAULT_READ_PACING,
): Promise<Map<string, ComparableRecord>> {
  const byPartition = new Map<string, { topic: string; partition: number; offsets: number[] }>();
  for (const w of wanted) {
    if (w.offset < 0) continue;
    const key = `${w.topic}:${w.partition}`;
    const entry = byPartition.get(key) ?? { topic: w.topic, partition: w.partition, offsets: [] };
    entry.offsets.push(w.offset);
    byPartition.set(key, entry);
  }
  const out = new Map<string, ComparableRecord>();
  for (const { topic, partition, offsets } of byPartition.values()) {
    const sorted = [...new Set(offsets)].sort((a, b) => a - b);
    // Ranges of at most recordsPerRead offsets, each starting at a wanted offset.
    for (let i = 0; i < sorted.length;) {
      const from = sorted[i];
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1] < from + pacing.recordsPerRead) j++;
      const to = sorted[j] + 1;
      const records = await client.readRange(topic, partition, from, to).catch(() => []);
      for (const r of records) out.set(`${topic}:${partition}:${r.offset}`, r);
      i = j + 1;
    }
  }
  return out;
}

/**
 * Partitions whose reverse checkpoint is older than the group's commit on dr, or missing (MM2 has
 * not checkpointed the group's last commits yet), as `topic:partition` on dr.
 */
export function staleCheckpoints(g: FailbackGroupPlan): string[] {
  return [
    ...g.partitions
      .filter((p) => p.kind === "checkpoint" && p.drOffset !== undefined && p.drOffset > p.upstreamOffset)
      .map((p) => `${p.topic}:${p.partition}`),
    ...(g.missingCheckpoints ?? []),
  ];
}

export type FailbackGroupStatus =
  "committed" | "would-commit" | "already-committed" | "refused" | "no-translation" | "failed";

export interface FailbackGroupResult {
  group: string;
  status: FailbackGroupStatus;
  reason?: string;
  /** Partitions whose commit changes (or would). */
  partitions: number;
  /** Partitions left as they are because the primary's commit is already ahead. */
  kept: number;
  untranslatable: number;
  /** Checkpoint partitions older than the group's commit on dr (safe: more duplicates). */
  stale: number;
}

export interface FailbackProgress extends FailbackGroupResult {
  index: number;
  total: number;
}

/** What to commit for a group: partitions whose planned offset differs from the primary's commit. */
export function commitsOf(g: FailbackGroupPlan): TopicPartitionOffsets {
  return offsetsOf(g.partitions, (p) => p.offset >= 0 && p.offset !== p.currentOffset);
}

/** What to do with a group (pure), from its plan and DescribeGroups on the primary. */
export function decideFailbackGroup(
  g: FailbackGroupPlan,
  onPrimary: { state: string; activeMembers: number },
  dryRun: boolean,
): FailbackGroupResult {
  const translatable = g.partitions.filter((p) => p.offset >= 0);
  const changing = translatable.filter((p) => p.offset !== p.currentOffset).length;
  const base = {
    group: g.group,
    partitions: changing,
    kept: translatable.filter(
      (p) => p.currentOffset !== undefined && p.currentOffset > p.translated && p.offset === p.currentOffset,
    ).length,
    untranslatable: g.partitions.length - translatable.length,
    stale: staleCheckpoints(g).length,
  };
  if (translatable.length === 0) {
    return {
      ...base,
      status: "no-translation",
      reason: `group ${g.group}: no reverse checkpoint and no commit on dr's remote copies names it (has it consumed on dr? is MM2's reverse flow checkpointing it?)`,
    };
  }
  if (onPrimary.activeMembers > 0 || !["Empty", "Dead", ""].includes(onPrimary.state)) {
    return {
      ...base,
      status: "refused",
      reason: `group ${g.group} has ${onPrimary.activeMembers} active member(s) on the primary (state ${onPrimary.state}): stop its consumers there first`,
    };
  }
  if (changing === 0) return { ...base, status: "already-committed" };
  return { ...base, status: dryRun ? "would-commit" : "committed" };
}

export class FailbackTranslateError extends Error {
  constructor(
    message: string,
    readonly results: FailbackGroupResult[],
  ) {
    super(message);
    this.name = "FailbackTranslateError";
  }
}

/**
 * Commits the plan on the primary group by group (nothing with `dryRun`). Throws
 * {@link FailbackTranslateError} after the run when a group was refused or failed.
 */
export async function executeFailback(
  plan: FailbackPlan,
  options: {
    primary: KafkaClient;
    dryRun?: boolean;
    onProgress?: (p: FailbackProgress) => void;
    /** Groups in flight at once / started per second. Default {@link DEFAULT_GROUP_RUN_LIMITS}. */
    limits?: GroupRunLimits;
    clock?: RunClock;
  },
): Promise<FailbackGroupResult[]> {
  const results = await commitGroupByGroup(
    options.primary,
    plan.groups,
    {
      decide: (g, onPrimary) => decideFailbackGroup(g, onPrimary, options.dryRun ?? false),
      commits: commitsOf,
      failed: (g, reason): FailbackGroupResult => ({
        group: g.group,
        status: "failed",
        reason,
        partitions: 0,
        kept: 0,
        untranslatable: 0,
        stale: 0,
      }),
      onProgress: (r, index, total) => options.onProgress?.({ ...r, index, total }),
    },
    options.limits,
    options.clock,
  );
  const bad = refusedOrFailed(results);
  if (bad !== undefined) throw new FailbackTranslateError(`translate ${bad}`, results);
  return results;
}

/** One progress line: `[1/2] orders-app: committed 6 partition(s) (2 kept: ahead on the primary)`. */
export function formatFailbackProgress(p: FailbackProgress): string {
  const notes = [
    p.kept > 0 ? `${p.kept} kept: the primary's commit is ahead` : "",
    p.untranslatable > 0 ? `${p.untranslatable} untranslatable left out` : "",
    p.stale > 0
      ? `${p.stale} checkpoint(s) missing or older than the group's last commit on dr: those partitions resume earlier, or where the consumer's auto.offset.reset says when missing`
      : "",
  ].filter((s) => s !== "");
  return progressLine(
    p,
    notes,
    (extra) => `nothing to change: the primary already has these offsets${extra}`,
  );
}
