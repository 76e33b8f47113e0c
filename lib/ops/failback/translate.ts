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
 * Commit rule: a partition's commit on the primary only moves forward (max of the translation and
 * what the group already has there), unless `overwrite`. Re-running after the consumers moved back
 * and advanced is therefore a no-op, and the group's pre-failover commit on `T` (which may be ahead
 * of what ever reached dr) is never rewound. A group with active members on the primary is refused.
 */
import type { KafkaClient, TopicPartitionOffsets } from "../kafka/client";
import { planFailover, type PlannedPartition } from "../failover/failover";
import { checkpointsTopicName, offsetSyncsTopicName, type PolicyNames } from "../../core/mm2/topics";
import { readRecordAt, sameRecord } from "./caughtUp";
import { decodeOffsetSyncs, inverseTranslate, type InverseRule, type OffsetSync } from "./offsetSyncs";
import type { ForwardCapture } from "./state";
import { commitGroupByGroup, offsetsOf, progressLine, refusedOrFailed } from "../groupCommits";

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
): Promise<Record<string, Record<string, Record<string, number>>>> {
  const prefix = `${primaryAlias}${policy.separator}`;
  const names =
    groups ??
    (await dr.listGroups())
      .filter((g) => g.protocolType === "consumer" || g.protocolType === "")
      .map((g) => g.groupId);
  const out: Record<string, Record<string, Record<string, number>>> = {};
  for (const g of names) {
    const all = await dr.fetchOffsets(g, null);
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
): Promise<{ topic: string; syncs: OffsetSync[] } | undefined> {
  const topic = offsetSyncsTopicName(policy, primaryAlias);
  if (!(await dr.listTopics()).includes(topic)) return undefined;
  return { topic, syncs: decodeOffsetSyncs(await dr.readAll(topic)) };
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
  // Forward syncs and dr's commits on the remote copies: live when dr still has them, else the capture.
  let forwardSource: FailbackPlan["forwardSource"] = "none";
  let syncs: OffsetSync[] = [];
  let commits: Record<string, Record<string, Record<string, number>>> = {};
  const live = dr ? await readForwardSyncs(dr, primaryAlias, policy) : undefined;
  if (dr && live) {
    forwardSource = "dr";
    syncs = live.syncs;
    commits = await remoteCopyCommits(dr, primaryAlias, policy, options.groups);
  } else if (options.capture) {
    forwardSource = "capture";
    syncs = options.capture.syncs;
    commits = options.capture.commits;
  }
  const reverse = await planFailover({ dr: primary, sourceAlias: drAlias, groups: options.groups, policy });
  const names =
    options.groups ?? [...new Set([...reverse.groups.map((g) => g.group), ...Object.keys(commits)])].sort();

  const groups: FailbackGroupPlan[] = [];
  const logStarts = new Map<string, Map<number, number>>();
  const logStart = async (topic: string, p: number): Promise<number> => {
    if (!logStarts.has(topic)) logStarts.set(topic, await primary.offsets(topic, "earliest"));
    return logStarts.get(topic)!.get(p) ?? 0;
  };
  const primaryTopics = new Set(await primary.listTopics());
  for (const group of names) {
    const partitions: FailbackPartition[] = [];
    const missingCheckpoints: string[] = [];
    const fromCheckpoints = reverse.groups.find((g) => g.group === group)?.partitions ?? [];
    // The group's commits on dr's own topics, to tell a stale checkpoint (dr is the reverse source).
    const drCommits = dr ? await dr.fetchOffsets(group, null) : new Map<string, Map<number, number>>();
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
        if (!fromCheckpoints.some((c) => c.topic === `${drAlias}${sep}${t}` && c.partition === p))
          missingCheckpoints.push(`${t}:${p}`);
      }
    }
    const remote = commits[group] ?? {};
    const wanted = new Map<string, number[]>();
    const pending: { topic: string; partition: number; o: number; remote: string }[] = [];
    for (const [remoteTopic, parts] of Object.entries(remote)) {
      const topic = remoteTopic.slice(`${primaryAlias}${sep}`.length);
      for (const [ps, o] of Object.entries(parts)) {
        pending.push({ topic, partition: Number(ps), o, remote: remoteTopic });
        wanted.set(topic, [...(wanted.get(topic) ?? []), Number(ps)]);
      }
    }
    const current =
      wanted.size > 0 ? await primary.fetchOffsets(group, wanted) : new Map<string, Map<number, number>>();
    for (const x of pending) {
      const inv = inverseTranslate(syncs, x.topic, x.partition, x.o, await logStart(x.topic, x.partition));
      let translated = inv.offset;
      let checked: FailbackPartition["checked"];
      if (inv.needsCheck) {
        const onDr =
          dr && forwardSource === "dr"
            ? await readRecordAt(dr, x.remote, x.partition, x.o - 1).catch(() => undefined)
            : undefined;
        const onPrimary = onDr
          ? await readRecordAt(primary, x.topic, x.partition, inv.offset - 1).catch(() => undefined)
          : undefined;
        if (onDr && onPrimary && sameRecord(onDr, onPrimary)) checked = "confirmed";
        else {
          checked = onDr && onPrimary ? "differs-fell-back" : "unavailable-fell-back";
          translated = inv.fallback;
        }
      }
      partitions.push({
        topic: x.topic,
        partition: x.partition,
        offset: translated,
        translated,
        upstreamOffset: x.o,
        metadata: "",
        currentOffset: current.get(x.topic)?.get(x.partition),
        kind: "offset-sync",
        drOffset: x.o,
        drTopic: x.remote,
        rule: inv.rule,
        ...(checked ? { checked } : {}),
      });
    }
    for (const p of partitions) {
      if (
        p.translated >= 0 &&
        p.currentOffset !== undefined &&
        p.currentOffset > p.translated &&
        !options.overwrite
      ) {
        p.offset = p.currentOffset;
      }
    }
    partitions.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
    groups.push(
      missingCheckpoints.length > 0 ? { group, partitions, missingCheckpoints } : { group, partitions },
    );
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
  options: { primary: KafkaClient; dryRun?: boolean; onProgress?: (p: FailbackProgress) => void },
): Promise<FailbackGroupResult[]> {
  const results = await commitGroupByGroup(options.primary, plan.groups, {
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
  });
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
