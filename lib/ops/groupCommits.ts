/**
 * The consumer-group commit run that failover (on dr) and failback's translate (on the primary)
 * share: for each group, DescribeGroups on the cluster, decide (pure, the caller's rule), commit
 * what the decision says, and turn a thrown error into a `failed` outcome so that one group's
 * failure never hides the others'. The callers keep their own decisions, outcomes and errors.
 *
 * Groups run a few at a time ({@link GroupRunLimits}): a group's requests go to its own group
 * coordinator and touch only that group, so nothing orders two groups' commits; outcomes and
 * progress stay in the order of the groups.
 */
import type { KafkaClient, TopicPartitionOffsets } from "./kafka/client";

/** The least an outcome of a group carries. */
export interface GroupOutcome {
  group: string;
  status: string;
  reason?: string;
}

export interface GroupCommitSteps<G extends { group: string }, R extends GroupOutcome> {
  /** What to do with the group, from DescribeGroups on the cluster (pure). */
  decide: (g: G, onCluster: { state: string; activeMembers: number }) => R;
  /** The offsets to commit for the group, asked only when `decide` answered `committed`. */
  commits: (g: G) => TopicPartitionOffsets;
  /** The outcome of a group whose describe or commit threw (`reason` names the group and the error). */
  failed: (g: G, reason: string) => R;
  /**
   * Called once per group, in the order of the groups, as soon as its outcome and those of every
   * group before it are known (`index` 1-based).
   */
  onProgress?: (outcome: R, index: number, total: number) => void;
}

/**
 * How hard a run may press on a cluster. The limits that apply on OCI Streaming (documented,
 * "Limits on Streaming Resources"): 5 GET (Fetch) requests per second per partition and consumer
 * group — the group runs read no partition, only the plan reads the checkpoints and offset-syncs
 * streams (lib/ops/failover/reads.ts paces those) — and, under "Additional limits", 10 requests per
 * second each for KafkaOffsetCommit and KafkaOffsetFetch, without saying per what (tenancy, pool,
 * client or group). The defaults assume the strictest reading, one budget for the whole run: at
 * most {@link DEFAULT_GROUP_RUN_LIMITS}.perSecond groups started per second, so at most that many
 * OffsetFetch (plan) or OffsetCommit (commit run) requests per second, whatever the concurrency;
 * and a few in flight so that one slow coordinator does not stall the rest. Self-managed Kafka
 * (an on-premises peer, the rehearsal) or a pool whose limits were raised can lift the rate
 * (`perSecond: 0`).
 */
export interface GroupRunLimits {
  /** Groups in flight at once (at least 1). */
  concurrency: number;
  /** Groups started per second at most; 0: no cap. */
  perSecond: number;
}

export const DEFAULT_GROUP_RUN_LIMITS: GroupRunLimits = { concurrency: 4, perSecond: 10 };

/** The clock a run paces itself by (tests give a fake one). */
export interface RunClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const REAL_CLOCK: RunClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/**
 * `fn` over every item, at most `limits.concurrency` at once and at most `limits.perSecond` started
 * per second; the results in the items' order. `onResult` sees each result in that order, as soon
 * as every earlier one is known. A rejection of `fn` rejects the run (callers catch per item).
 * Hand-written: a dozen lines, and the pacing of starts is what a generic pool library lacks.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limits: GroupRunLimits,
  fn: (item: T, index: number) => Promise<R>,
  options: { onResult?: (result: R, index: number) => void; clock?: RunClock } = {},
): Promise<R[]> {
  const clock = options.clock ?? REAL_CLOCK;
  const interval = limits.perSecond > 0 ? 1000 / limits.perSecond : 0;
  const results: R[] = new Array<R>(items.length);
  const done: boolean[] = new Array<boolean>(items.length).fill(false);
  let next = 0;
  let emitted = 0;
  let nextStart = clock.now();
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      if (interval > 0) {
        // Reserve this start's slot before waiting: the slots are spaced `interval` apart.
        const at = Math.max(clock.now(), nextStart);
        nextStart = at + interval;
        const wait = at - clock.now();
        if (wait > 0) await clock.sleep(wait);
      }
      results[i] = await fn(items[i], i);
      done[i] = true;
      while (emitted < items.length && done[emitted]) {
        options.onResult?.(results[emitted], emitted);
        emitted++;
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limits.concurrency), items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

/** Runs the groups on `cluster` within `limits`; returns every group's outcome, in order. */
export async function commitGroupByGroup<G extends { group: string }, R extends GroupOutcome>(
  cluster: Pick<KafkaClient, "describeGroup" | "commitOffsets">,
  groups: readonly G[],
  steps: GroupCommitSteps<G, R>,
  limits: GroupRunLimits = DEFAULT_GROUP_RUN_LIMITS,
  clock: RunClock = REAL_CLOCK,
): Promise<R[]> {
  return mapBounded(
    groups,
    limits,
    async (g): Promise<R> => {
      try {
        const described = await cluster.describeGroup(g.group);
        const outcome = steps.decide(g, {
          state: described.state,
          activeMembers: described.members.length,
        });
        if (outcome.status === "committed") await cluster.commitOffsets(g.group, steps.commits(g));
        return outcome;
      } catch (error) {
        return steps.failed(g, `group ${g.group}: ${(error as Error).message}`);
      }
    },
    { onResult: (r, i) => steps.onProgress?.(r, i + 1, groups.length), clock },
  );
}

/** The limits from the CLI's `--concurrency` and `--max-rate` (defaults when absent), or what is wrong. */
export function parseGroupRunLimits(
  concurrency: string | undefined,
  perSecond: string | undefined,
): GroupRunLimits | string {
  const c = concurrency === undefined ? DEFAULT_GROUP_RUN_LIMITS.concurrency : Number(concurrency);
  if (!Number.isInteger(c) || c < 1 || c > 64) {
    return `--concurrency must be a whole number from 1 to 64, not ${concurrency}`;
  }
  const r = perSecond === undefined ? DEFAULT_GROUP_RUN_LIMITS.perSecond : Number(perSecond);
  if (!Number.isFinite(r) || r < 0) {
    return `--max-rate must be a number of groups per second, 0 or more (0: no cap), not ${perSecond}`;
  }
  return { concurrency: c, perSecond: r };
}

/**
 * `refused or failed for 2 group(s): <reasons>` when any outcome was refused or failed (the
 * caller prefixes what ran), else undefined.
 */
export function refusedOrFailed(outcomes: readonly GroupOutcome[]): string | undefined {
  const bad = outcomes.filter((r) => r.status === "refused" || r.status === "failed");
  if (bad.length === 0) return undefined;
  return `refused or failed for ${bad.length} group(s): ${bad.map((r) => r.reason ?? r.group).join("; ")}`;
}

/** `2 committed, 1 refused` (in order of first appearance), or `no groups`. */
export function countByStatus(outcomes: readonly GroupOutcome[]): string {
  const counts = new Map<string, number>();
  for (const r of outcomes) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(", ") || "no groups";
}

/** A group's outcome in a run, with its place in it (1-based) and the partitions it commits. */
export interface GroupProgress extends GroupOutcome {
  index: number;
  total: number;
  partitions: number;
}

/**
 * One progress line, `[1/2] orders-app: committed 6 partition(s) (note; note)`; `already` gives
 * the tail for an already-committed group from the notes' ` (…)` (empty without notes).
 */
export function progressLine(
  p: GroupProgress,
  notes: readonly string[],
  already: (extra: string) => string,
): string {
  const head = `[${p.index}/${p.total}] ${p.group}: `;
  const extra = notes.length > 0 ? ` (${notes.join("; ")})` : "";
  switch (p.status) {
    case "committed":
      return `${head}committed ${p.partitions} partition(s)${extra}`;
    case "would-commit":
      return `${head}would commit ${p.partitions} partition(s) (dry run)${extra}`;
    case "already-committed":
      return `${head}${already(extra)}`;
    default:
      return `${head}${p.status.toUpperCase()}: ${p.reason ?? ""}`;
  }
}

/** The offsets of the partitions `keep` selects, as a commit wants them (topic → partition → offset). */
export function offsetsOf<P extends { topic: string; partition: number; offset: number }>(
  partitions: readonly P[],
  keep: (p: P) => boolean,
): TopicPartitionOffsets {
  const out: TopicPartitionOffsets = new Map();
  for (const p of partitions) {
    if (!keep(p)) continue;
    if (!out.has(p.topic)) out.set(p.topic, new Map());
    out.get(p.topic)!.set(p.partition, p.offset);
  }
  return out;
}
