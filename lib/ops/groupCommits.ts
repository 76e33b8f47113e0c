/**
 * The consumer-group commit run that failover (on dr) and failback's translate (on the primary)
 * share: group by group, DescribeGroups on the cluster, decide (pure, the caller's rule), commit
 * what the decision says, and turn a thrown error into a `failed` outcome so that one group's
 * failure never hides the others'. The callers keep their own decisions, outcomes and errors.
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
  /** Called once per group, in order, when its outcome is known (`index` 1-based). */
  onProgress?: (outcome: R, index: number, total: number) => void;
}

/** Runs the groups one after the other on `cluster`; returns every group's outcome, in order. */
export async function commitGroupByGroup<G extends { group: string }, R extends GroupOutcome>(
  cluster: Pick<KafkaClient, "describeGroup" | "commitOffsets">,
  groups: readonly G[],
  steps: GroupCommitSteps<G, R>,
): Promise<R[]> {
  const outcomes: R[] = [];
  for (const [i, g] of groups.entries()) {
    let outcome: R;
    try {
      const described = await cluster.describeGroup(g.group);
      outcome = steps.decide(g, { state: described.state, activeMembers: described.members.length });
      if (outcome.status === "committed") await cluster.commitOffsets(g.group, steps.commits(g));
    } catch (error) {
      outcome = steps.failed(g, `group ${g.group}: ${(error as Error).message}`);
    }
    outcomes.push(outcome);
    steps.onProgress?.(outcome, i + 1, groups.length);
  }
  return outcomes;
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
