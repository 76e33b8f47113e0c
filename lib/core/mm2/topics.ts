/**
 * The exact names of the topics MirrorMaker 2 uses, where each lives, and which of them must be
 * created up front as ordinary OCI streams.
 *
 * Naming, from Kafka 4.1 `connect/mirror-client` (DefaultReplicationPolicy, IdentityReplicationPolicy,
 * ReplicationPolicy) and `connect/mirror` (MirrorSourceConfig, MirrorCheckpointConfig,
 * MirrorHeartbeatConfig), with `replication.policy.internal.topic.separator.enabled` left at its
 * default (true), so internal names use the configured separator:
 *  - remote topic: `<source><sep><topic>` (prefixed); `<topic>` unchanged (identity) — except
 *    heartbeats, which IdentityReplicationPolicy still prefixes: `<source><sep>heartbeats`.
 *  - checkpoints: `<source><sep>checkpoints<sep>internal`, created by MirrorCheckpointConnector on the
 *    target.
 *  - offset-syncs: `mm2-offset-syncs<sep><other><sep>internal`, created by MirrorSourceConnector on
 *    the cluster named by `offset-syncs.topic.location`; `<other>` is the target alias when the topic
 *    lives on the source (Kafka's default) and the source alias when it lives on the target.
 *  - heartbeats: `heartbeats`, created by MirrorHeartbeatConnector on the target.
 * MM2 creates its internal topics compacted with one partition and, since Kafka 3.5, ignores
 * TopicExistsException; OCI cannot create compacted streams, so they are pre-created as ordinary
 * single-partition streams with exactly these names.
 *
 * Name rule. OCI documents no character set for stream names (stream names must be unique in a
 * pool; the only machine-readable bound found, in a generated SDK model of CreateStreamDetails, is a
 * length of 1–1024). MM2 reaches every stream through OCI's Kafka API, where a stream *is* a topic, so
 * the binding rule is Kafka's topic rule: 1–249 characters from `[a-zA-Z0-9._-]`, not `.` or `..`.
 * That rule is stricter than any OCI bound and is what {@link isValidStreamName} enforces. Dots are
 * known to be accepted by OCI: the Connect harness topics OCI itself creates are named
 * `ocid1.connectharness.….-config`.
 */

import {
  ClusterKind,
  ClusterSpec,
  ReplicationModel,
  clusterByAlias,
  compareStrings,
  flowsIntoTarget,
} from "./replicationModel";
import { javaRegexListMatcher } from "./javaRegex";
import {
  HEARTBEATS_TOPIC,
  PolicyNames,
  formatRemoteTopic,
  isCycle,
  isInternalTopic,
} from "./replicationPolicy";

export { HEARTBEATS_TOPIC, PolicyNames };

export const KAFKA_TOPIC_MAX_LENGTH = 249;
const TOPIC_CHARS = /^[a-zA-Z0-9._-]+$/;

/** Kafka topic rule, which every OCI stream reached through the Kafka API must obey. */
export function isValidStreamName(name: string): boolean {
  return (
    name.length >= 1 &&
    name.length <= KAFKA_TOPIC_MAX_LENGTH &&
    TOPIC_CHARS.test(name) &&
    name !== "." &&
    name !== ".."
  );
}

/** Why a name is not a valid stream name (`<what>. <fix>`), or undefined when it is. */
export function streamNameProblem(name: string): string | undefined {
  if (name.length === 0) {
    return "is empty. Give the stream a name";
  }
  if (name.length > KAFKA_TOPIC_MAX_LENGTH) {
    return `is ${name.length} characters long; Kafka topics (and so OCI streams used through Kafka) allow at most ${KAFKA_TOPIC_MAX_LENGTH}. Shorten the name or the cluster alias`;
  }
  if (!TOPIC_CHARS.test(name)) {
    return `"${name}" contains characters outside [a-zA-Z0-9._-]. Use only letters, digits, '.', '_' and '-'`;
  }
  if (name === "." || name === "..") {
    return `"${name}" is reserved. Choose another name`;
  }
  return undefined;
}

/** Remote name of `topic` replicated from `sourceAlias` under the policy. */
export function remoteTopicName(policy: PolicyNames, sourceAlias: string, topic: string): string {
  return formatRemoteTopic(policy, sourceAlias, topic);
}

/** `<source><sep>checkpoints<sep>internal`, on the target. */
export function checkpointsTopicName(policy: PolicyNames, sourceAlias: string): string {
  return `${sourceAlias}${policy.separator}checkpoints${policy.separator}internal`;
}

/** `mm2-offset-syncs<sep><alias><sep>internal` where alias is "the other" cluster (see file comment). */
export function offsetSyncsTopicName(policy: PolicyNames, otherAlias: string): string {
  return `mm2-offset-syncs${policy.separator}${otherAlias}${policy.separator}internal`;
}

export type TopicPurpose = "heartbeats" | "checkpoints" | "offset-syncs" | "remote" | "remote-heartbeats";

/** A topic MM2 needs on a cluster. */
export interface Mm2Topic {
  /** Alias of the cluster that holds the topic. */
  readonly cluster: string;
  readonly clusterKind: ClusterKind;
  readonly name: string;
  readonly partitions: number;
  readonly purpose: TopicPurpose;
  /** For remote topics: the source cluster and topic it mirrors. */
  readonly source?: { readonly cluster: string; readonly topic: string };
}

/** Where a flow's offset-syncs topic lives and its name. */
export function offsetSyncsPlacement(
  model: ReplicationModel,
  flow: { readonly source: string; readonly target: string },
): { cluster: string; name: string } {
  return model.offsetSyncsTopicLocation === "source"
    ? { cluster: flow.source, name: offsetSyncsTopicName(model.policy, flow.target) }
    : { cluster: flow.target, name: offsetSyncsTopicName(model.policy, flow.source) };
}

/** Declared topics of `source` that a flow replicates (its include/exclude filters applied). */
export function replicatedTopics(
  model: ReplicationModel,
  flow: {
    readonly source: string;
    readonly target: string;
    readonly topicsInclude: readonly string[];
    readonly topicsExclude: readonly string[];
  },
): { name: string; partitions: number }[] {
  const source: ClusterSpec = clusterByAlias(model, flow.source);
  const included = javaRegexListMatcher(flow.topicsInclude);
  const excluded = javaRegexListMatcher(flow.topicsExclude);
  return (source.topics ?? [])
    .filter(
      (t) =>
        included(t.name) &&
        !excluded(t.name) &&
        !isMm2SkippedTopic(model.policy, flow.target, t.name, flow.source),
    )
    .map((t) => ({ name: t.name, partitions: t.partitions }));
}

/**
 * Topics MirrorSourceConnector never replicates whatever the filter says: the heartbeats topic
 * (handled separately), Kafka-internal names (`__…`, `.…`, `….internal`, `…-internal`,
 * `…<sep>internal`), and cycles: a topic whose chain of source aliases (`a.b.t` → `a`, then `b`)
 * reaches the flow's target (MirrorSourceConnector.isCycle; never under the identity policy). Names
 * are split as Java's `String.split` does (`dr.` is not a remote topic). See ./replicationPolicy.ts.
 */
export function isMm2SkippedTopic(
  policy: PolicyNames,
  targetAlias: string,
  topic: string,
  sourceAlias = "",
): boolean {
  return (
    topic === HEARTBEATS_TOPIC ||
    isInternalTopic(policy, topic) ||
    isCycle(policy, sourceAlias, targetAlias, topic)
  );
}

/**
 * Every topic the herders of this fleet (flows into `model.target`) use, deduplicated and sorted by
 * cluster, then name. Topics declared on a cluster already (its `topics`) are left out: they exist.
 * The model must be validated (partition mismatches with declared topics are validation errors).
 */
export function mm2Topics(model: ReplicationModel): Mm2Topic[] {
  const out = new Map<string, Mm2Topic>();
  const add = (t: Omit<Mm2Topic, "clusterKind">): void => {
    const cluster = clusterByAlias(model, t.cluster);
    if ((cluster.topics ?? []).some((d) => d.name === t.name)) {
      return;
    }
    const key = `${t.cluster}\u0000${t.name}`;
    if (!out.has(key)) {
      out.set(key, { ...t, clusterKind: cluster.kind });
    }
  };
  const receivesHeartbeats = new Set(model.flows.map((f) => f.target));
  for (const flow of flowsIntoTarget(model)) {
    add({ cluster: flow.target, name: HEARTBEATS_TOPIC, partitions: 1, purpose: "heartbeats" });
    add({
      cluster: flow.target,
      name: checkpointsTopicName(model.policy, flow.source),
      partitions: 1,
      purpose: "checkpoints",
    });
    const syncs = offsetSyncsPlacement(model, flow);
    add({ cluster: syncs.cluster, name: syncs.name, partitions: 1, purpose: "offset-syncs" });
    // The source has a `heartbeats` topic only if some MM2 herder writes into it (a flow into it,
    // here or in another fleet: `receivesHeartbeats`);
    // MM2 then replicates it whatever the topic filter says (heartbeats.replication.enabled).
    if (
      receivesHeartbeats.has(flow.source) ||
      clusterByAlias(model, flow.source).receivesHeartbeats === true
    ) {
      add({
        cluster: flow.target,
        name: remoteTopicName(model.policy, flow.source, HEARTBEATS_TOPIC),
        partitions: 1,
        purpose: "remote-heartbeats",
        source: { cluster: flow.source, topic: HEARTBEATS_TOPIC },
      });
    }
    for (const t of replicatedTopics(model, flow)) {
      add({
        cluster: flow.target,
        name: remoteTopicName(model.policy, flow.source, t.name),
        partitions: t.partitions,
        purpose: "remote",
        source: { cluster: flow.source, topic: t.name },
      });
    }
  }
  return [...out.values()].sort(
    (a, b) => compareStrings(a.cluster, b.cluster) || compareStrings(a.name, b.name),
  );
}

/** What the component creates as `oci.streaming.Stream`s before MM2 starts. */
export interface TopicToPreCreate {
  /** Alias of the OCI cluster (stream pool) to create the stream in. */
  readonly cluster: string;
  readonly name: string;
  readonly partitions: number;
  readonly purpose: TopicPurpose;
}

/**
 * Topics to create up front as ordinary streams: every topic from {@link mm2Topics} that lives on an
 * OCI cluster (MM2 cannot create compacted topics there and must not pick partition counts itself).
 * On external clusters MM2 creates its topics itself, compacted, as Kafka intends.
 */
export function topicsToPreCreateNormalized(model: ReplicationModel): TopicToPreCreate[] {
  return mm2Topics(model)
    .filter((t) => t.clusterKind === "oci")
    .map((t) => ({ cluster: t.cluster, name: t.name, partitions: t.partitions, purpose: t.purpose }));
}
