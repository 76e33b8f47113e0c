/**
 * What MirrorMaker 2's replication policies and MirrorSourceConnector decide about a topic name,
 * emulated exactly (Kafka 4.1.2, `connect/mirror-client` DefaultReplicationPolicy,
 * IdentityReplicationPolicy, ReplicationPolicy; `connect/mirror` MirrorSourceConnector):
 *
 *  - `topicSource(t)`: DefaultReplicationPolicy splits `t` on the separator with Java's
 *    `Pattern.split` (leading empty strings kept, trailing ones dropped) and returns the first part
 *    when there are at least two, else null. IdentityReplicationPolicy returns the connector's
 *    `source.cluster.alias` for every topic except heartbeats (names ending in `heartbeats`), which it
 *    treats like DefaultReplicationPolicy.
 *  - `upstreamTopic(t)`: what follows `<source><sep>` (Default); `t` itself (Identity, except
 *    heartbeats).
 *  - `isCycle(t)` (MirrorSourceConnector): true when `topicSource(t)` is the flow's target alias, else
 *    recursively on the upstream topic, stopping when there is none or it equals `t` — so under the
 *    identity policy a topic is never recognised as having come from the target.
 *  - `shouldReplicateTopic(t)`: (topic filter accepts it, or it is a heartbeats topic and
 *    `heartbeats.replication.enabled`, default true) and not internal and not a cycle. Internal:
 *    `__…`, `.…`, `…-internal`, `….internal`, `…<sep>internal`.
 *
 * Pure, no I/O. The aliases are those of the fleet's own mm2.properties: MM2 compares names, not
 * clusters, so two fleets that call one cluster by different aliases defeat cycle detection.
 */

export interface PolicyNames {
  readonly type: "prefixed" | "identity";
  readonly separator: string;
}

export const HEARTBEATS_TOPIC = "heartbeats";

/** `String.split(Pattern.quote(sep))` with limit 0: leading empty strings kept, trailing ones dropped. */
export function javaSplitLiteral(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === "") {
    parts.pop();
  }
  // Java returns [text] when there is no match at all (also for "").
  return parts.length === 0 && !text.includes(separator) ? [text] : parts;
}

function looksLikeHeartbeat(topic: string): boolean {
  return topic.endsWith(HEARTBEATS_TOPIC);
}

function defaultTopicSource(policy: PolicyNames, topic: string): string | null {
  const parts = javaSplitLiteral(topic, policy.separator);
  return parts.length < 2 ? null : parts[0];
}

/** `ReplicationPolicy.topicSource` as the connector of a flow from `sourceAlias` sees it. */
export function topicSource(policy: PolicyNames, sourceAlias: string, topic: string): string | null {
  if (policy.type === "identity" && !looksLikeHeartbeat(topic)) {
    return sourceAlias;
  }
  return defaultTopicSource(policy, topic);
}

/** `ReplicationPolicy.upstreamTopic`. */
export function upstreamTopic(policy: PolicyNames, topic: string): string | null {
  if (policy.type === "identity" && !looksLikeHeartbeat(topic)) {
    return topic;
  }
  const source = defaultTopicSource(policy, topic);
  return source === null ? null : topic.slice(source.length + policy.separator.length);
}

/** `ReplicationPolicy.originalTopic`: the name on the cluster where the records were first written. */
export function originalTopic(policy: PolicyNames, topic: string): string {
  let current = topic;
  for (;;) {
    const up = upstreamTopic(policy, current);
    if (up === null || up === current) {
      return current;
    }
    current = up;
  }
}

/** `ReplicationPolicy.formatRemoteTopic`: the name a flow from `sourceAlias` gives `topic` on its target. */
export function formatRemoteTopic(policy: PolicyNames, sourceAlias: string, topic: string): string {
  if (policy.type === "identity" && !looksLikeHeartbeat(topic)) {
    return topic;
  }
  return `${sourceAlias}${policy.separator}${topic}`;
}

/** `ReplicationPolicy.isHeartbeatsTopic`. */
export function isHeartbeatsTopic(policy: PolicyNames, topic: string): boolean {
  return originalTopic(policy, topic) === HEARTBEATS_TOPIC;
}

/** `ReplicationPolicy.isInternalTopic` (DefaultReplicationPolicy's MM2-internal suffix included). */
export function isInternalTopic(policy: PolicyNames, topic: string): boolean {
  return (
    topic.startsWith("__") ||
    topic.startsWith(".") ||
    topic.endsWith("-internal") ||
    topic.endsWith(".internal") ||
    topic.endsWith(`${policy.separator}internal`)
  );
}

/** `MirrorSourceConnector.isCycle` for the flow `sourceAlias -> targetAlias`. */
export function isCycle(
  policy: PolicyNames,
  sourceAlias: string,
  targetAlias: string,
  topic: string,
): boolean {
  let current = topic;
  for (;;) {
    const source = topicSource(policy, sourceAlias, current);
    if (source === null) {
      return false;
    }
    if (source === targetAlias) {
      return true;
    }
    const up = upstreamTopic(policy, current);
    if (up === null || up === current) {
      return false;
    }
    current = up;
  }
}

/**
 * `MirrorSourceConnector.shouldReplicateTopic` for the flow `sourceAlias -> targetAlias`, with the
 * topic filter given as a predicate (include and not exclude).
 */
export function shouldReplicateTopic(
  policy: PolicyNames,
  sourceAlias: string,
  targetAlias: string,
  topic: string,
  filter: (topic: string) => boolean,
  heartbeatsReplication = true,
): boolean {
  return (
    (filter(topic) || (heartbeatsReplication && isHeartbeatsTopic(policy, topic))) &&
    !isInternalTopic(policy, topic) &&
    !isCycle(policy, sourceAlias, targetAlias, topic)
  );
}
