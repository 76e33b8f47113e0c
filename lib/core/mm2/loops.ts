/**
 * Replication-loop analysis across every MM2 fleet that touches a set of clusters.
 *
 * One fleet's model only shows the flows into its own target; an active-active pair, a chain
 * A→B→C, or a failback fleet next to the normal one only loops (or not) when all of them are looked
 * at together. {@link analyzeReplicationLoops} simulates, to a fixpoint, what every flow's
 * MirrorSourceConnector does with the topics on its source — the same decisions Kafka 4.1.2 makes
 * (./replicationPolicy.ts: topic filter, heartbeats, internal topics, `isCycle` on the fleet's own
 * aliases, `formatRemoteTopic`) — and follows every record path from the topic where records are
 * first written. A path that comes back to a cluster it already went through is a loop: the record
 * is written again where it came from, and either circulates in the same topics forever (identity
 * policy) or is renamed at every hop (`b.a.orders`, `a.b.a.orders`, …) without end.
 *
 * Under the prefixed policy with one set of aliases MM2's cycle detection stops every such path
 * (a flow never replicates a topic whose chain of source aliases contains its target). It cannot
 * when the identity policy keeps names (nothing tells a replica from a local topic), when two fleets
 * call one cluster by different aliases, or when fleets on a cycle use different policies or
 * separators: those are what this finds, from the topics declared (or given) on each cluster, and
 * structurally — a cycle of identity flows is refused whatever topics exist today, since any topic
 * created later on it would loop.
 *
 * Also reported, not as loops: records that reach one cluster by several paths (a full mesh of
 * three clusters delivers each record twice), so that the plan shows the duplicates.
 */

import { ValidationError } from "../errors";
import { javaRegexListMatcher } from "./javaRegex";
import {
  ClusterSpec,
  DEFAULT_INCLUDE,
  ReplicationModelInput,
  compareStrings,
  flowsIntoTarget,
  normalizeReplicationModel,
} from "./replicationModel";
import { HEARTBEATS_TOPIC, PolicyNames, formatRemoteTopic, shouldReplicateTopic } from "./replicationPolicy";
import { ValidateOptions, validateReplicationModel } from "./validate";

/** Kafka's own default `topics.exclude` (DefaultTopicFilter), used when a flow gives none. */
export const KAFKA_DEFAULT_TOPIC_EXCLUDES: readonly string[] = [".*[\\-\\.]internal", ".*\\.replica", "__.*"];

/** One replication flow as a running MM2 herder sees it. */
export interface LoopFlow {
  /** Identity of the source cluster: the same physical cluster has the same id in every flow. */
  readonly source: string;
  readonly target: string;
  /** Alias of the source in the fleet's mm2.properties (default: {@link source}). */
  readonly sourceAlias?: string;
  /** Alias of the target in the fleet's mm2.properties (default: {@link target}). */
  readonly targetAlias?: string;
  /** `topics` (Java regular expressions, whole-name match). Default `.*`. */
  readonly topicsInclude?: readonly string[];
  /** `topics.exclude`. Default Kafka's `.*[\-\.]internal, .*\.replica, __.*`. */
  readonly topicsExclude?: readonly string[];
  /** Default prefixed, separator ".". */
  readonly policy?: PolicyNames;
  /** `heartbeats.replication.enabled` (default true, as rendered). */
  readonly heartbeatsReplication?: boolean;
  /** `emit.heartbeats.enabled` for this flow: its heartbeat connector writes `heartbeats` on the target (default true). */
  readonly emitHeartbeats?: boolean;
  /** How to name the flow in messages, e.g. `fleet dr: primary->dr`. Default `<sourceAlias>-><targetAlias>`. */
  readonly label?: string;
  /** Field path a ValidationError names for this flow (default `flows[<index>]`). */
  readonly field?: string;
  /** Field path of the policy that governs this flow (default `policy`). */
  readonly policyField?: string;
}

export interface LoopAnalysisInput {
  readonly flows: readonly LoopFlow[];
  /** Topics that exist (or will be written to) on each cluster, by cluster id. */
  readonly topics?: Readonly<Record<string, readonly string[]>>;
}

/** One hop of a record's path: the topic it is in on a cluster. */
export interface TopicAt {
  readonly cluster: string;
  readonly topic: string;
}

export type LoopKind =
  /** The record comes back into a topic it was already in: it circulates forever. */
  | "circulates"
  /** Every hop gives the record a new, longer name: no fixpoint. */
  | "unbounded-renaming"
  /** It comes back to a cluster it came from, under another name, and filters then stop it. */
  | "returns-to-origin"
  /** A cycle of identity-policy flows: any topic both ends accept would circulate. */
  | "identity-cycle";

export interface ReplicationLoop {
  readonly kind: LoopKind;
  /** The record's path, from where it was written to where it comes back (first and last cluster equal). */
  readonly path: readonly TopicAt[];
  /** Labels of the flows the path takes, in order. */
  readonly flows: readonly string[];
  /** Field to fix. */
  readonly field: string;
  /** `<what happens>. <how to fix>`. */
  readonly message: string;
}

export interface MultiplePaths {
  /** Where the records were first written. */
  readonly origin: TopicAt;
  readonly cluster: string;
  /** The distinct paths (each ending on {@link cluster}); each delivers every record once. */
  readonly paths: readonly (readonly TopicAt[])[];
}

export interface LoopAnalysis {
  readonly loops: readonly ReplicationLoop[];
  /**
   * Every topic on each cluster at the fixpoint (input topics, heartbeats, replicas, and where a
   * looping record lands), sorted.
   */
  readonly topics: Readonly<Record<string, readonly string[]>>;
  /** Every record path of at least one hop, sorted. */
  readonly paths: readonly (readonly TopicAt[])[];
  /** Records that reach a cluster more than once (not a loop; each copy arrives once). */
  readonly multiplePaths: readonly MultiplePaths[];
}

interface ResolvedFlow {
  readonly index: number;
  readonly source: string;
  readonly target: string;
  readonly sourceAlias: string;
  readonly targetAlias: string;
  readonly policy: PolicyNames;
  readonly filter: (topic: string) => boolean;
  readonly heartbeatsReplication: boolean;
  readonly emitHeartbeats: boolean;
  readonly label: string;
  readonly field: string;
  readonly policyField: string;
}

const DEFAULT_POLICY: PolicyNames = { type: "prefixed", separator: "." };

/** Where a record in `at` goes next: one hop per flow out of its cluster that replicates the topic. */
function nextHops(flows: readonly ResolvedFlow[], at: TopicAt): { flow: ResolvedFlow; hop: TopicAt }[] {
  return flows
    .filter(
      (f) =>
        f.source === at.cluster &&
        shouldReplicateTopic(
          f.policy,
          f.sourceAlias,
          f.targetAlias,
          at.topic,
          f.filter,
          f.heartbeatsReplication,
        ),
    )
    .map((f) => ({
      flow: f,
      hop: { cluster: f.target, topic: formatRemoteTopic(f.policy, f.sourceAlias, at.topic) },
    }));
}

function resolveFlow(f: LoopFlow, index: number): ResolvedFlow {
  const sourceAlias = f.sourceAlias ?? f.source;
  const targetAlias = f.targetAlias ?? f.target;
  const included = javaRegexListMatcher(f.topicsInclude ?? DEFAULT_INCLUDE);
  const excluded = javaRegexListMatcher(f.topicsExclude ?? KAFKA_DEFAULT_TOPIC_EXCLUDES);
  return {
    index,
    source: f.source,
    target: f.target,
    sourceAlias,
    targetAlias,
    policy: f.policy ?? DEFAULT_POLICY,
    filter: (t) => included(t) && !excluded(t),
    heartbeatsReplication: f.heartbeatsReplication ?? true,
    emitHeartbeats: f.emitHeartbeats ?? true,
    label: f.label ?? `${sourceAlias}->${targetAlias}`,
    field: f.field ?? `flows[${index}]`,
    policyField: f.policyField ?? "policy",
  };
}

const hopKey = (h: TopicAt): string => `${h.cluster}\u0000${h.topic}`;
const pathKey = (p: readonly TopicAt[]): string => p.map(hopKey).join("\u0001");
const showHop = (h: TopicAt): string => `${h.topic}@${h.cluster}`;
const showPath = (p: readonly TopicAt[]): string => p.map(showHop).join(" -> ");

/** Elementary directed cycles of the flow graph (as lists of flow indexes), each once. */
function flowCycles(flows: readonly ResolvedFlow[]): number[][] {
  const clusters = [...new Set(flows.flatMap((f) => [f.source, f.target]))].sort(compareStrings);
  const rank = new Map(clusters.map((c, i) => [c, i]));
  const out: number[][] = [];
  // Cycles whose smallest cluster is `start`, through clusters ranked above it only.
  for (const start of clusters) {
    const walk = (at: string, used: number[], seen: Set<string>): void => {
      for (const f of flows) {
        if (f.source !== at || (rank.get(f.target) ?? 0) < (rank.get(start) ?? 0)) {
          continue;
        }
        if (f.target === start) {
          out.push([...used, f.index]);
        } else if (!seen.has(f.target)) {
          seen.add(f.target);
          walk(f.target, [...used, f.index], seen);
          seen.delete(f.target);
        }
      }
    };
    walk(start, [], new Set([start]));
  }
  return out;
}

/**
 * Follows a looping path further (ignoring the loop) to tell a record that circulates in the same
 * topics, one renamed at every hop, and one that filters stop after it came back.
 */
function classifyLoop(
  flows: readonly ResolvedFlow[],
  loopPath: readonly TopicAt[],
  clusterCount: number,
): LoopKind {
  const maxHops = 2 * clusterCount + 2;
  // A record re-entering a topic it was already in circulates forever.
  const last = loopPath[loopPath.length - 1];
  if (loopPath.slice(0, -1).some((h) => hopKey(h) === hopKey(last))) {
    return "circulates";
  }
  let frontier: TopicAt[][] = [[...loopPath]];
  for (let hop = 0; hop < maxHops && frontier.length > 0; hop++) {
    const next: TopicAt[][] = [];
    for (const p of frontier) {
      for (const { hop: h } of nextHops(flows, p[p.length - 1])) {
        if (p.some((x) => hopKey(x) === hopKey(h))) {
          return "circulates";
        }
        next.push([...p, h]);
      }
    }
    frontier = next.slice(0, 256);
  }
  return frontier.length > 0 ? "unbounded-renaming" : "returns-to-origin";
}

function loopMessage(kind: LoopKind, path: readonly TopicAt[], flowLabels: readonly string[]): string {
  const what =
    kind === "circulates"
      ? "records circulate between the clusters forever (each pass writes them again)"
      : kind === "unbounded-renaming"
        ? "every pass writes them again under a longer name, without end"
        : "records are written back to the cluster they came from";
  return `replication loop: ${showPath(path)} (flows ${flowLabels.join(", ")}): ${what}`;
}

function loopFix(
  flows: readonly ResolvedFlow[],
  used: readonly ResolvedFlow[],
): { field: string; fix: string } {
  // The first flow of the input on this loop sets the norm; the fix names the flow that departs from it.
  const byIndex = [...used].sort((a, b) => a.index - b.index);
  const identity = byIndex.find((f) => f.policy.type === "identity");
  if (identity !== undefined) {
    return {
      field: `${identity.policyField}.type`,
      fix: 'The identity policy keeps topic names, so MM2 cannot recognise a replica coming back. Use the "prefixed" policy on every fleet, or replicate in one direction only',
    };
  }
  const policyOf = (f: ResolvedFlow): string => `${f.policy.type}/${f.policy.separator}`;
  const odd = byIndex.find((f) => policyOf(f) !== policyOf(byIndex[0]));
  if (odd !== undefined) {
    const policies = [...new Set(byIndex.map(policyOf))].sort(compareStrings);
    return {
      field: `${odd.policyField}.separator`,
      fix: `The fleets on this loop name remote topics differently (${policies.join(" vs ")}), so MM2's cycle detection cannot read the other fleet's names. Use the same policy and separator on every fleet`,
    };
  }
  // Same policy everywhere: the aliases disagree. The first alias a flow of the input gives a cluster is the norm.
  const first = new Map<string, string>();
  const all = new Map<string, Set<string>>();
  for (const f of flows) {
    for (const [c, a] of [
      [f.source, f.sourceAlias],
      [f.target, f.targetAlias],
    ] as const) {
      if (!first.has(c)) {
        first.set(c, a);
      }
      all.set(c, (all.get(c) ?? new Set()).add(a));
    }
  }
  for (const f of byIndex) {
    for (const [c, a] of [
      [f.source, f.sourceAlias],
      [f.target, f.targetAlias],
    ] as const) {
      if (first.get(c) !== a) {
        const names = [...(all.get(c) ?? [])].sort(compareStrings).map((n) => `"${n}"`);
        return {
          field: f.field,
          fix: `One cluster is called ${names.join(" and ")} by different fleets, and MM2 detects cycles by alias. Give each cluster the same alias in every fleet`,
        };
      }
    }
  }
  return {
    field: byIndex[0].field,
    fix: "Narrow the topic filters so that replicated topics are not replicated back",
  };
}

/**
 * Simulates every flow to a fixpoint and returns the loops (empty when there are none), the topics
 * at the fixpoint, every record path, and the records that arrive on one cluster by several paths.
 */
export function analyzeReplicationLoops(input: LoopAnalysisInput): LoopAnalysis {
  const flows = input.flows.map(resolveFlow);
  const clusters = [
    ...new Set([...flows.flatMap((f) => [f.source, f.target]), ...Object.keys(input.topics ?? {})]),
  ].sort(compareStrings);
  const loops: ReplicationLoop[] = [];
  const loopKeys = new Set<string>();
  const addLoop = (loop: ReplicationLoop, key: string): void => {
    if (!loopKeys.has(key)) {
      loopKeys.add(key);
      loops.push(loop);
    }
  };

  // Structural: a cycle of identity flows loops for any topic its filters share, now or later.
  for (const cycle of flowCycles(flows)) {
    // Told from the flow given first in the input.
    const start = cycle.indexOf(Math.min(...cycle));
    const used = [...cycle.slice(start), ...cycle.slice(0, start)].map((i) => flows[i]);
    if (used.every((f) => f.policy.type === "identity")) {
      const path = [
        ...used.map((f) => ({ cluster: f.source, topic: "<topic>" })),
        { cluster: used[0].source, topic: "<topic>" },
      ];
      const first = used[0];
      addLoop(
        {
          kind: "identity-cycle",
          path,
          flows: used.map((f) => f.label),
          field: `${first.policyField}.type`,
          message: `"identity" cannot be used with flows that form a cycle (${used.map((f) => f.label).join(", ")}): identical topic names would be replicated back and forth forever, and MM2 cannot tell a replica from a local topic. Use the "prefixed" policy on every fleet, or replicate in one direction only`,
        },
        `identity:${[...cycle].sort((a, b) => a - b).join(",")}`,
      );
    }
  }

  // Origins: the given topics, and `heartbeats` on every cluster a heartbeat connector writes to.
  const paths = new Map<string, TopicAt[]>();
  const queue: TopicAt[][] = [];
  const seed = (h: TopicAt): void => {
    const p = [h];
    if (!paths.has(pathKey(p))) {
      paths.set(pathKey(p), p);
      queue.push(p);
    }
  };
  for (const c of clusters) {
    for (const t of input.topics?.[c] ?? []) {
      seed({ cluster: c, topic: t });
    }
  }
  for (const f of flows) {
    if (f.emitHeartbeats) {
      seed({ cluster: f.target, topic: HEARTBEATS_TOPIC });
    }
  }
  /** Where looping records land: the topic exists there, the path is not followed further. */
  const landed: TopicAt[] = [];
  // Breadth-first over record paths; a path never revisits a cluster (that is a loop), so this ends.
  while (queue.length > 0) {
    const p = queue.shift()!;
    for (const { hop } of nextHops(flows, p[p.length - 1])) {
      const next = [...p, hop];
      if (p.some((h) => h.cluster === hop.cluster)) {
        const from = p.findIndex((h) => h.cluster === hop.cluster);
        const loopPath = next.slice(from);
        const used = loopPath.slice(1).map((h, i) => {
          const prev = loopPath[i];
          return flows.find(
            (x) =>
              x.source === prev.cluster &&
              x.target === h.cluster &&
              formatRemoteTopic(x.policy, x.sourceAlias, prev.topic) === h.topic,
          )!;
        });
        landed.push(hop);
        const kind = classifyLoop(flows, loopPath, clusters.length);
        const { field, fix } = loopFix(flows, used);
        addLoop(
          {
            kind,
            path: loopPath,
            flows: used.map((x) => x.label),
            field,
            message: `${loopMessage(
              kind,
              loopPath,
              used.map((x) => x.label),
            )}. ${fix}`,
          },
          pathKey(loopPath),
        );
        continue;
      }
      if (!paths.has(pathKey(next))) {
        paths.set(pathKey(next), next);
        queue.push(next);
      }
    }
  }

  const topics: Record<string, string[]> = {};
  for (const c of clusters) {
    topics[c] = [];
  }
  for (const last of [...[...paths.values()].map((p) => p[p.length - 1]), ...landed]) {
    if (!topics[last.cluster].includes(last.topic)) {
      topics[last.cluster].push(last.topic);
    }
  }
  for (const c of clusters) {
    topics[c].sort(compareStrings);
  }
  const multi = new Map<string, { origin: TopicAt; cluster: string; paths: TopicAt[][] }>();
  const hopPaths = [...paths.values()].filter((p) => p.length > 1);
  for (const p of hopPaths) {
    const key = `${hopKey(p[0])}\u0001${p[p.length - 1].cluster}`;
    const entry = multi.get(key) ?? { origin: p[0], cluster: p[p.length - 1].cluster, paths: [] };
    entry.paths.push(p);
    multi.set(key, entry);
  }
  const byPath = (a: readonly TopicAt[], b: readonly TopicAt[]): number =>
    compareStrings(pathKey(a), pathKey(b));
  return {
    loops,
    topics,
    paths: hopPaths.sort(byPath),
    multiplePaths: [...multi.values()]
      .filter((m) => m.paths.length > 1)
      .map((m) => ({ ...m, paths: m.paths.sort(byPath) }))
      .sort(
        (a, b) => compareStrings(hopKey(a.origin), hopKey(b.origin)) || compareStrings(a.cluster, b.cluster),
      ),
  };
}

/** One MM2 fleet: its model (as rendered) and a name for messages (default `fleets[i]`). */
export interface FleetModel {
  readonly name?: string;
  readonly model: ReplicationModelInput;
}

/**
 * The identity of a cluster across fleets: an OCI pool by its OCID, any other cluster by its
 * bootstrap servers (sorted, lower-cased). Two fleets' specs of one cluster give the same id.
 */
export function clusterIdentity(c: ClusterSpec): string {
  if (c.kind === "oci") {
    return `oci:${c.streamPoolId}`;
  }
  return `kafka:${c.bootstrapServers
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .sort(compareStrings)
    .join(",")}`;
}

const REGEX_META = /[\\^$.|?*+()[\]{}]/;

/**
 * The analysis input for a set of fleets: each fleet's running flows (those into its target,
 * `--clusters <target>`), with its own aliases, policy and normalized filters (mandatory excludes
 * included); topics = every cluster's declared topics plus the literal names of include patterns.
 * Clusters are identified with {@link clusterIdentity} and shown by the alias the first fleet gives.
 */
export function loopInputFromFleets(
  fleets: readonly FleetModel[],
  options: ValidateOptions = {},
): LoopAnalysisInput & { readonly names: Readonly<Record<string, string>> } {
  const at = (field: string): string => (options.fieldPrefix ? `${options.fieldPrefix}.${field}` : field);
  const names: Record<string, string> = {};
  const ids = new Map<string, string>();
  const topics: Record<string, Set<string>> = {};
  const flows: LoopFlow[] = [];
  fleets.forEach((fleet, i) => {
    const fleetField = `fleets[${i}]`;
    validateReplicationModel(fleet.model, { fieldPrefix: at(`${fleetField}.model`) });
    const model = normalizeReplicationModel(fleet.model);
    for (const c of model.clusters) {
      const id = clusterIdentity(c);
      if (!ids.has(id)) {
        // Shown by the first alias seen; a later clash is reported through the loops it causes.
        const taken = new Set(ids.values());
        const name = taken.has(c.alias) ? `${c.alias}#${i}` : c.alias;
        ids.set(id, name);
        names[name] = id;
      }
      const name = ids.get(id)!;
      topics[name] = topics[name] ?? new Set();
      for (const t of c.topics ?? []) {
        topics[name].add(t.name);
      }
    }
    const idOf = (alias: string): string =>
      ids.get(clusterIdentity(model.clusters.find((c) => c.alias === alias)!))!;
    const label = fleet.name ?? `fleets[${i}]`;
    for (const f of flowsIntoTarget(model)) {
      const j = fleet.model.flows.findIndex((x) => x.source === f.source && x.target === f.target);
      for (const p of f.topicsInclude) {
        if (!REGEX_META.test(p)) {
          topics[idOf(f.source)].add(p);
        }
      }
      flows.push({
        source: idOf(f.source),
        target: idOf(f.target),
        sourceAlias: f.source,
        targetAlias: f.target,
        topicsInclude: f.topicsInclude,
        topicsExclude: f.topicsExclude,
        policy: model.policy,
        label: `${label}: ${f.source}->${f.target}`,
        field: at(`${fleetField}.model.flows[${j}]`),
        policyField: at(`${fleetField}.model.policy`),
      });
    }
  });
  return {
    flows,
    topics: Object.fromEntries(Object.entries(topics).map(([c, s]) => [c, [...s].sort(compareStrings)])),
    names,
  };
}

/** {@link analyzeReplicationLoops} over a set of fleets (see {@link loopInputFromFleets}). */
export function analyzeFleetLoops(
  fleets: readonly FleetModel[],
  options: ValidateOptions = {},
): LoopAnalysis {
  return analyzeReplicationLoops(loopInputFromFleets(fleets, options));
}

/**
 * Throws a {@link ValidationError} naming the field to change and the fix when the flows of these
 * fleets (or this analysis input) can replicate a record back to a cluster it came from.
 */
export function assertNoReplicationLoops(
  input: readonly FleetModel[] | LoopAnalysisInput,
  options: ValidateOptions = {},
): LoopAnalysis {
  const analysis = Array.isArray(input)
    ? analyzeFleetLoops(input as readonly FleetModel[], options)
    : analyzeReplicationLoops(input as LoopAnalysisInput);
  const first = analysis.loops[0];
  if (first !== undefined) {
    const more =
      analysis.loops.length > 1
        ? ` (${analysis.loops.length - 1} more loop(s) of the same kind or others)`
        : "";
    throw new ValidationError(first.field, `${first.message}${more}`);
  }
  return analysis;
}
