/**
 * Consumer-group failover: translate each group's committed source offsets into offsets on the
 * dr cluster's remote topics (from the checkpoints MirrorMaker 2 writes there), and commit them on
 * the dr cluster so that the group's consumers resume there without skipping a record dr has.
 *
 * {@link planFailover} reads; {@link executeFailover} writes (unless `dryRun`). The translation is
 * {@link translateOffsets}, i.e. what Kafka's `RemoteClusterUtils.translateOffsets` answers (a
 * rehearsal test runs both on the same data), for every group from one decoding of the checkpoints
 * ({@link indexCheckpoints}). Reads and group requests are paced within OCI's limits
 * (lib/ops/failover/reads.ts, {@link GroupRunLimits}). The pure parts ({@link buildFailoverPlan},
 * {@link decideGroup}, {@link commitOffsetsOf}, {@link formatProgress}) need no cluster.
 */
import type { KafkaClient, TopicPartitionOffsets } from "../kafka/client";
import { checkpointsTopicName, type PolicyNames } from "../../core/mm2/topics";
import { groupsInCheckpoints, indexCheckpoints, type RawRecord } from "./checkpoints";
import {
  commitGroupByGroup,
  DEFAULT_GROUP_RUN_LIMITS,
  mapBounded,
  offsetsOf,
  progressLine,
  REAL_CLOCK,
  refusedOrFailed,
  type GroupRunLimits,
  type RunClock,
} from "../groupCommits";
import { DEFAULT_READ_PACING, readTopicOnce, type ReadPacing, type TopicReadStats } from "./reads";

/** One partition of a group's plan. */
export interface PlannedPartition {
  /** The remote topic on dr (e.g. `fra.orders`). */
  topic: string;
  partition: number;
  /** Where the group resumes on dr. Negative when MM2 could not translate (never committed). */
  offset: number;
  /** The group's committed offset on the source that the checkpoint was made from. */
  upstreamOffset: number;
  metadata: string;
  /** The group's offset already committed on dr, when there is one (filled by planFailover). */
  currentOffset?: number;
}

export interface GroupPlan {
  group: string;
  /** Sorted by topic, then partition. Empty when no checkpoint names the group. */
  partitions: PlannedPartition[];
}

export interface FailoverPlan {
  sourceAlias: string;
  /** `<sourceAlias><sep>checkpoints<sep>internal` on dr. */
  checkpointsTopic: string;
  /** Records read from the checkpoints topic (partition 0). */
  checkpointRecords: number;
  /** In the order asked (or sorted, when every group in the checkpoints was taken). */
  groups: GroupPlan[];
}

export interface PlanFailoverOptions {
  /** A client connected to the dr cluster (where the checkpoints and remote topics are). */
  dr: KafkaClient;
  /** MM2 alias of the failed (source) cluster, e.g. `fra`. */
  sourceAlias: string;
  /** Groups to fail over. Default: every group that has a checkpoint. */
  groups?: string[];
  /** The fleet's replication policy (names the checkpoints topic). Default prefixed, separator `.`. */
  policy?: PolicyNames;
  /** Pacing of the checkpoints read. Default {@link DEFAULT_READ_PACING}. */
  reads?: ReadPacing;
  /** Groups whose commits on dr are fetched at once / per second. Default {@link DEFAULT_GROUP_RUN_LIMITS}. */
  limits?: GroupRunLimits;
  clock?: RunClock;
  /** Told how the checkpoints were read (reads per partition, records, time). */
  onRead?: (stats: TopicReadStats) => void;
}

export const DEFAULT_POLICY: PolicyNames = { type: "prefixed", separator: "." };

function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${what} ${value} is beyond 2^53`);
  }
  return Number(value);
}

/**
 * The plan from the records of the checkpoints topic (in offset order), without a cluster.
 * Groups named but absent from the checkpoints get an empty partition list.
 */
export function buildFailoverPlan(
  records: readonly RawRecord[],
  options: { sourceAlias: string; groups?: readonly string[]; policy?: PolicyNames },
): FailoverPlan {
  const policy = options.policy ?? DEFAULT_POLICY;
  const index = indexCheckpoints(records);
  const groups = options.groups ? [...new Set(options.groups)] : groupsInCheckpoints(index);
  const zero = records.filter((r) => r.partition === 0).length;
  return {
    sourceAlias: options.sourceAlias,
    checkpointsTopic: checkpointsTopicName(policy, options.sourceAlias),
    checkpointRecords: zero,
    groups: groups.map((group) => ({
      group,
      partitions: [...(index.get(group)?.values() ?? [])]
        .map((t) => ({
          topic: t.topic,
          partition: t.partition,
          offset: toSafeNumber(t.offset, `${group} ${t.topic}:${t.partition} offset`),
          upstreamOffset: toSafeNumber(
            t.upstreamOffset,
            `${group} ${t.topic}:${t.partition} upstream offset`,
          ),
          metadata: t.metadata,
        }))
        .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition)),
    })),
  };
}

/**
 * Reads `<sourceAlias>.checkpoints.internal` partition 0 on dr from the beginning to its end, as
 * MirrorClient does (once, paced), translates the groups, and records each group's current commits
 * on dr (one OffsetFetch per group, within `limits`).
 */
export async function planFailover(options: PlanFailoverOptions): Promise<FailoverPlan> {
  const policy = options.policy ?? DEFAULT_POLICY;
  const topic = checkpointsTopicName(policy, options.sourceAlias);
  const records = await readTopicOnce(options.dr, topic, {
    pacing: options.reads ?? DEFAULT_READ_PACING,
    clock: options.clock,
    partitions: (p) => p === 0,
    onStats: options.onRead,
  });
  const plan = buildFailoverPlan(records, { ...options, policy });
  await mapBounded(
    plan.groups.filter((g) => g.partitions.length > 0),
    options.limits ?? DEFAULT_GROUP_RUN_LIMITS,
    async (g) => {
      const current = await options.dr.fetchOffsets(g.group, partitionsOf(g));
      for (const p of g.partitions) {
        const offset = current.get(p.topic)?.get(p.partition);
        if (offset !== undefined) p.currentOffset = offset;
      }
    },
    { clock: options.clock ?? REAL_CLOCK },
  );
  return plan;
}

function partitionsOf(g: GroupPlan): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const p of g.partitions) {
    const list = out.get(p.topic);
    if (list) list.push(p.partition);
    else out.set(p.topic, [p.partition]);
  }
  return out;
}

/** The offsets to commit for a group: every translated partition (negative offsets left out). */
export function commitOffsetsOf(g: GroupPlan): TopicPartitionOffsets {
  return offsetsOf(g.partitions, (p) => p.offset >= 0);
}

export type GroupStatus =
  /** Offsets committed on dr. */
  | "committed"
  /** Dry run: would be committed. */
  | "would-commit"
  /** Every partition is already committed on dr at the translated offset (a re-run): nothing to do. */
  | "already-committed"
  /** Not committed: the group has active members on dr, or dr already has other commits. */
  | "refused"
  /** Nothing to commit: no checkpoint (or no translatable one) names the group. */
  | "no-checkpoints"
  /** The commit was attempted and the broker refused it. */
  | "failed";

export interface GroupResult {
  group: string;
  status: GroupStatus;
  /** Why, for every status but committed/would-commit/already-committed. */
  reason?: string;
  /** Partitions committed (or that would be). */
  partitions: number;
  /** Partitions left out because MM2 could not translate them (negative checkpoint offsets). */
  untranslatable: number;
}

export interface FailoverResult {
  dryRun: boolean;
  sourceAlias: string;
  groups: GroupResult[];
}

export interface FailoverProgress extends GroupResult {
  /** 1-based position of this group in the run, and the number of groups. */
  index: number;
  total: number;
}

export interface ExecuteFailoverOptions {
  /** A client connected to the dr cluster. */
  dr: KafkaClient;
  /** Check everything, commit nothing. */
  dryRun?: boolean;
  /**
   * Commit even when dr already has different commits for the group (its consumers ran on dr
   * since, or an earlier failover used older checkpoints). Default false: such groups are refused.
   */
  overwrite?: boolean;
  /** Called once per group, in order, when its outcome is known. */
  onProgress?: (progress: FailoverProgress) => void;
  /** Groups in flight at once / started per second. Default {@link DEFAULT_GROUP_RUN_LIMITS}. */
  limits?: GroupRunLimits;
  clock?: RunClock;
}

/** Thrown by {@link executeFailover} after the run when a group was refused or failed; names them. */
export class FailoverError extends Error {
  constructor(
    message: string,
    public readonly result: FailoverResult,
  ) {
    super(message);
    this.name = "FailoverError";
  }
}

/**
 * What to do with a group, from its plan and what dr says about it (pure). `activeMembers` and
 * `state` come from DescribeGroups on dr.
 */
export function decideGroup(
  g: GroupPlan,
  dr: { state: string; activeMembers: number },
  options: { dryRun: boolean; overwrite: boolean },
): GroupResult {
  const translatable = g.partitions.filter((p) => p.offset >= 0);
  const base = {
    group: g.group,
    partitions: translatable.length,
    untranslatable: g.partitions.length - translatable.length,
  };
  if (translatable.length === 0) {
    return {
      ...base,
      status: "no-checkpoints",
      reason:
        g.partitions.length === 0
          ? `group ${g.group}: no checkpoint names it (MM2 has not seen it commit, or it is excluded by groupsInclude/groupsExclude)`
          : `group ${g.group}: MM2 could not translate any of its offsets (its commits are older than every offset sync)`,
    };
  }
  if (dr.activeMembers > 0 || !["Empty", "Dead", ""].includes(dr.state)) {
    return {
      ...base,
      status: "refused",
      reason: `group ${g.group} has ${dr.activeMembers} active member(s) on dr (state ${dr.state}): stop its consumers there first`,
    };
  }
  const differing = translatable.filter((p) => p.currentOffset !== undefined && p.currentOffset !== p.offset);
  if (translatable.every((p) => p.currentOffset === p.offset)) {
    return { ...base, status: "already-committed" };
  }
  if (differing.length > 0 && !options.overwrite) {
    const d = differing[0];
    return {
      ...base,
      status: "refused",
      reason: `group ${g.group} already has other offsets on dr (${d.topic}:${d.partition} at ${d.currentOffset}, translated ${d.offset}${differing.length > 1 ? `, and ${differing.length - 1} more` : ""}): pass overwrite to replace them`,
    };
  }
  return { ...base, status: options.dryRun ? "would-commit" : "committed" };
}

/**
 * Commits the plan's offsets on dr group by group, a few at a time (or, with `dryRun`, checks only). A group with
 * active members on dr is refused, naming it; after the run a {@link FailoverError} is thrown if any
 * group was refused or failed (its `result` has every group's outcome).
 */
export async function executeFailover(
  plan: FailoverPlan,
  options: ExecuteFailoverOptions,
): Promise<FailoverResult> {
  const dryRun = options.dryRun ?? false;
  const overwrite = options.overwrite ?? false;
  const results = await commitGroupByGroup(
    options.dr,
    plan.groups,
    {
      decide: (g, onDr) => decideGroup(g, onDr, { dryRun, overwrite }),
      commits: commitOffsetsOf,
      failed: (g, reason): GroupResult => ({
        group: g.group,
        status: "failed",
        reason,
        partitions: 0,
        untranslatable: 0,
      }),
      onProgress: (r, index, total) => options.onProgress?.({ ...r, index, total }),
    },
    options.limits,
    options.clock,
  );
  const outcome: FailoverResult = { dryRun, sourceAlias: plan.sourceAlias, groups: results };
  const bad = refusedOrFailed(results);
  if (bad !== undefined) throw new FailoverError(`failover ${dryRun ? "(dry run) " : ""}${bad}`, outcome);
  return outcome;
}

/** One human progress line: `[2/5] orders-app: committed 3 partitions`. */
export function formatProgress(p: FailoverProgress): string {
  const notes = p.untranslatable > 0 ? [`${p.untranslatable} untranslatable partition(s) left out`] : [];
  return progressLine(
    p,
    notes,
    () => `already committed at the translated offsets (${p.partitions} partition(s))`,
  );
}
