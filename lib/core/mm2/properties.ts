/**
 * Renders `mm2.properties` for Kafka 4.1 MirrorMaker 2 in dedicated mode from a replication model.
 *
 * Deterministic: the same model (in any input order) gives byte-identical text — sections in a fixed
 * order, clusters and flows sorted by alias, patterns sorted, no timestamps. No secret is ever
 * written: passwords are `${file:…}` config-provider placeholders (see ./secrets.ts).
 *
 * Where each setting reaches (Kafka 4.1 `MirrorMakerConfig`):
 *  - `<alias>.x` is property `x` of cluster `<alias>`. For the herder `S->T`, the Connect worker gets
 *    T's cluster properties (so `<T>.producer.x` configures the worker's task producers), and every
 *    connector gets `source.cluster.*`/`target.cluster.*` plus `source.producer.*`,
 *    `target.producer.*`, `source.consumer.*`, … from S's and T's `producer.`/`consumer.`/`admin.`
 *    properties.
 *  - `S->T.x` is connector property `x` of all three MM2 connectors of that herder.
 *  - top-level connector settings (topics, tasks.max, intervals, replication factors, policy) reach
 *    every connector; top-level `config.storage.*`, `offset.storage.*`, `status.storage.*`,
 *    `replication.policy.*` and `config.providers*` also reach the workers.
 *
 * Producers MM2 creates, and how `enable.idempotence=false` reaches each (OCI refuses idempotent
 * producers: INIT_PRODUCER_ID is not implemented):
 *  1. Connect's source-task producer (MirrorSourceConnector's replicated records, MirrorCheckpoint-
 *     Connector's checkpoints, MirrorHeartbeatConnector's heartbeats), writing to the target. Connect
 *     sets `enable.idempotence=false` itself (Worker.baseProducerConfigs), then applies the worker's
 *     `producer.*` — set through `<target>.producer.enable.idempotence=false` — and the connector's
 *     `producer.override.*` — set through `<S>-><T>.producer.override.enable.idempotence=false`
 *     (dedicated MM2 uses the "All" client-override policy, so overrides are honoured).
 *  2. MirrorSourceTask's offset-syncs producer (OffsetSyncWriter), built by MirrorSourceConfig from
 *     `source|target.cluster.*` + connector `producer.*` + `source|target.producer.*`, on the cluster
 *     named by `offset-syncs.topic.location`. It takes the Kafka client default (idempotence on) unless
 *     told otherwise: `<alias>.producer.enable.idempotence=false` (reaches it as
 *     `source|target.producer.`) and `<S>-><T>.producer.enable.idempotence=false` (connector
 *     `producer.`).
 *  3. The worker's config/offset/status backing-store producers (KafkaConfigBackingStore,
 *     KafkaOffsetBackingStore, KafkaStatusBackingStore): Connect forces `enable.idempotence=false`
 *     after the user's settings; nothing to set. The transactional config-topic producer exists only
 *     with `exactly.once.source.support=enabled`, pinned to `disabled` on OCI targets.
 * Each of these is set only where the cluster the producer writes to is an OCI cluster.
 */

import { KAFKA_VERSION } from "../kafkaVersion";
import {
  ClusterSpec,
  ExternalClusterSpec,
  NormalizedFlow,
  OciClusterSpec,
  ReplicationModel,
  ReplicationModelInput,
  harnessTopics,
  needsInternalRest,
  normalizeReplicationModel,
  ociSaslUsername,
  flowsIntoTarget,
} from "./replicationModel";
import {
  NODE_PROPERTIES_FILE_NAME,
  nodePlaceholder,
  secretKeys,
  secretPlaceholder,
  storePath,
} from "./secrets";
import { offsetSyncsPlacement, replicatedTopics } from "./topics";
import { ValidateOptions, validateReplicationModel } from "./validate";

/**
 * Client tuning for OCI clusters, within OCI Streaming's limits (1 MB/s written per partition,
 * 1 MB per message and request, 5 reads per second per partition and consumer group), measured with
 * `npm run bench` (dev/bench/bench.ts), which counts partition reads on the source broker:
 *  - `max.request.size=1000000`: OCI caps a message and a request at "1 MB" (the limits page:
 *    "The maximum size of any single request is 1 MB", keys and values after base64 decoding),
 *    while its API model says "up to 1 MiB". The decimal reading is the one that cannot be
 *    exceeded under either, so a larger record fails in MM2 with RecordTooLargeException
 *    (clear, local) rather than at OCI.
 *  - `batch.size=131072`, `linger.ms=20`: fewer, fuller requests. OCI does not limit the number of
 *    produce requests, and 512 KiB or 1 MiB batches bought nothing measurable once reads are paced
 *    as below (within the run's noise), so they stay.
 *  - `max.partition.fetch.bytes=1000000`: the same bound on the read side (a fetch still returns
 *    a first batch larger than this, so nothing stalls).
 *  - `fetch.min.bytes=2147483647` (never reached) with `fetch.max.wait.ms=250`: every fetch waits
 *    250 ms, so a partition is read at most 4 times per second, whatever the load. The previous
 *    `fetch.min.bytes=65536` / `fetch.max.wait.ms=500` let a fetch return as soon as 64 KiB (summed
 *    over the task's partitions) was there: 7-8 reads/s per partition under a moderate paced load
 *    with 6 and 24 partitions, 16-18 while catching up a backlog on one partition. The price, on
 *    the emulator: catch-up reads at most 1 MiB per partition per 250 ms (~3.7 MiB/s, still above
 *    the 1 MB/s a partition can be written on the target), and ~170 ms replication lag at p50
 *    (was 105-140 ms). 500 ms halves throughput and doubles the lag; below 200 ms a partition is
 *    read more than 5 times per second.
 */
/** OCI Streaming's request and message limit, read as 1,000,000 bytes (see above). */
export const OCI_MAX_REQUEST_BYTES = 1_000_000;

export const OCI_PRODUCER_TUNING: readonly (readonly [string, string])[] = [
  ["max.request.size", String(OCI_MAX_REQUEST_BYTES)],
  ["batch.size", "131072"],
  ["linger.ms", "20"],
];
export const OCI_CONSUMER_TUNING: readonly (readonly [string, string])[] = [
  ["max.partition.fetch.bytes", String(OCI_MAX_REQUEST_BYTES)],
  ["fetch.min.bytes", "2147483647"],
  ["fetch.max.wait.ms", "250"],
];

const POLICY_CLASSES = {
  prefixed: "org.apache.kafka.connect.mirror.DefaultReplicationPolicy",
  identity: "org.apache.kafka.connect.mirror.IdentityReplicationPolicy",
} as const;

const FILE_CONFIG_PROVIDER = "org.apache.kafka.common.config.provider.FileConfigProvider";

/** How `tasks.max` was chosen, for plans and logs. */
export interface TasksMaxDerivation {
  readonly value: number;
  /** Partitions of declared topics replicated by the flows into the fleet's target. */
  readonly partitions: number;
  /** Fleet capacity: nodes × cores per node. */
  readonly capacity: number;
  readonly explicit: boolean;
}

/**
 * `tasks.max` = explicit value, else min(partitions to replicate, nodes × cores), at least 1. With no
 * declared topics the partition count is unknown and the fleet capacity is used.
 */
export function deriveTasksMax(model: ReplicationModel): TasksMaxDerivation {
  const capacity = model.fleet.nodes * model.fleet.coresPerNode;
  const partitions = flowsIntoTarget(model)
    .flatMap((f) => replicatedTopics(model, f))
    .reduce((sum, t) => sum + t.partitions, 0);
  if (model.tasksMax !== undefined) {
    return { value: model.tasksMax, partitions, capacity, explicit: true };
  }
  const value = Math.max(1, partitions > 0 ? Math.min(partitions, capacity) : capacity);
  return { value, partitions, capacity, explicit: false };
}

type Entry = readonly [string, string];

interface Section {
  readonly comment: readonly string[];
  readonly entries: readonly Entry[];
}

function jaasQuote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function jaasConfig(loginModule: string, username: string, passwordPlaceholder: string): string {
  return `${loginModule} required username=${jaasQuote(username)} password=${jaasQuote(passwordPlaceholder)};`;
}

const PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";
const SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";

function ociClusterEntries(model: ReplicationModel, c: OciClusterSpec): Entry[] {
  const a = c.alias;
  const entries: Entry[] = [
    [`${a}.bootstrap.servers`, c.bootstrapServers],
    [`${a}.security.protocol`, "SASL_SSL"],
    [`${a}.sasl.mechanism`, "PLAIN"],
    [
      `${a}.sasl.jaas.config`,
      jaasConfig(
        PLAIN_LOGIN,
        ociSaslUsername(c),
        secretPlaceholder(model.configDir, secretKeys.saslPassword(a)),
      ),
    ],
    [`${a}.producer.enable.idempotence`, "false"],
    ...OCI_PRODUCER_TUNING.map(([k, v]): Entry => [`${a}.producer.${k}`, v]),
    ...OCI_CONSUMER_TUNING.map(([k, v]): Entry => [`${a}.consumer.${k}`, v]),
  ];
  if (a === model.target && c.connectHarnessId !== undefined) {
    const h = harnessTopics(c.connectHarnessId);
    entries.push(
      [`${a}.config.storage.topic`, h.config],
      [`${a}.offset.storage.topic`, h.offset],
      [`${a}.status.storage.topic`, h.status],
      [`${a}.exactly.once.source.support`, "disabled"],
    );
  }
  return entries;
}

function externalClusterEntries(model: ReplicationModel, c: ExternalClusterSpec): Entry[] {
  const a = c.alias;
  const sec = c.security;
  const entries: Entry[] = [
    [`${a}.bootstrap.servers`, c.bootstrapServers],
    [`${a}.security.protocol`, sec.protocol],
  ];
  if (sec.protocol !== "SSL") {
    entries.push(
      [`${a}.sasl.mechanism`, sec.mechanism],
      [
        `${a}.sasl.jaas.config`,
        jaasConfig(
          sec.mechanism === "PLAIN" ? PLAIN_LOGIN : SCRAM_LOGIN,
          sec.username,
          secretPlaceholder(model.configDir, secretKeys.saslPassword(a)),
        ),
      ],
    );
  }
  const tls = sec.tls;
  if (tls !== undefined) {
    if (tls.endpointIdentification === false) {
      entries.push([`${a}.ssl.endpoint.identification.algorithm`, ""]);
    }
    if (tls.truststore !== undefined) {
      entries.push(
        [`${a}.ssl.truststore.type`, tls.truststore.type],
        [`${a}.ssl.truststore.location`, storePath(model.configDir, a, "truststore", tls.truststore)],
      );
      if (tls.truststore.password !== undefined) {
        entries.push([
          `${a}.ssl.truststore.password`,
          secretPlaceholder(model.configDir, secretKeys.truststorePassword(a)),
        ]);
      }
    }
    if (tls.keystore !== undefined) {
      entries.push(
        [`${a}.ssl.keystore.type`, tls.keystore.type],
        [`${a}.ssl.keystore.location`, storePath(model.configDir, a, "keystore", tls.keystore)],
      );
      if (tls.keystore.password !== undefined) {
        entries.push([
          `${a}.ssl.keystore.password`,
          secretPlaceholder(model.configDir, secretKeys.keystorePassword(a)),
        ]);
      }
    }
    if (tls.keyPassword !== undefined) {
      entries.push([`${a}.ssl.key.password`, secretPlaceholder(model.configDir, secretKeys.keyPassword(a))]);
    }
  }
  return entries;
}

function clusterSection(model: ReplicationModel, c: ClusterSpec): Section {
  if (c.kind === "oci") {
    return {
      comment: [
        `Cluster ${c.alias}: OCI Streaming (SASL_SSL/PLAIN; no idempotent producers, 1 MB requests).`,
        ...(c.alias === model.target ? ["Worker storage: the Connect harness's compacted topics."] : []),
      ],
      entries: ociClusterEntries(model, c),
    };
  }
  return {
    comment: [`Cluster ${c.alias}: external Kafka (${c.security.protocol}).`],
    entries: externalClusterEntries(model, c),
  };
}

function flowSection(model: ReplicationModel, flow: NormalizedFlow): Section {
  const p = `${flow.source}->${flow.target}`;
  const entries: Entry[] = [
    [`${p}.topics`, flow.topicsInclude.join(", ")],
    [`${p}.topics.exclude`, flow.topicsExclude.join(", ")],
    [`${p}.groups`, flow.groupsInclude.join(", ")],
    [`${p}.groups.exclude`, flow.groupsExclude.join(", ")],
  ];
  const byAlias = (alias: string): ClusterSpec | undefined => model.clusters.find((c) => c.alias === alias);
  if (byAlias(flow.target)?.kind === "oci") {
    entries.push([`${p}.producer.override.enable.idempotence`, "false"]);
  }
  if (byAlias(offsetSyncsPlacement(model, flow).cluster)?.kind === "oci") {
    entries.push([`${p}.producer.enable.idempotence`, "false"]);
  }
  return { comment: [`Flow ${p}: what to replicate.`], entries };
}

/**
 * Connect worker settings of the herders this fleet runs (`--clusters <target>`). Kafka 4.1's
 * `MirrorMakerConfig.workerConfig` builds a herder's worker from the TARGET cluster's properties plus
 * a few top-level prefixes (`offset.storage`, `config.storage`, `status.storage`, converters, `task`,
 * `worker`, `replication.policy`): a top-level `offset.flush.interval.ms` or
 * `scheduled.rebalance.max.delay.ms` is silently ignored, so these are `<target>.`-prefixed. (They
 * also reach the connectors as `target.cluster.*`, where the admin clients log them as unknown.)
 */
function workerSection(model: ReplicationModel): Section {
  const t = model.target;
  const comment = [
    `Connect workers of the herders into ${t} (MM2 reads worker settings from the target cluster's).`,
    "Source positions are flushed every 10 s (Connect's default is 60 s): after a crash MM2 re-sends",
    "about the last 10 s of records instead of the last minute.",
  ];
  const entries: Entry[] = [[`${t}.offset.flush.interval.ms`, "10000"]];
  if (needsInternalRest(model)) {
    comment.push(
      "A lost node's tasks move to the survivors after 60 s (Connect's default is 5 min); 60 s outlasts",
      "a systemd restart of the node, which then gets its own tasks back.",
    );
    entries.push([`${t}.scheduled.rebalance.max.delay.ms`, "60000"]);
  }
  return { comment, entries };
}

function globalSections(model: ReplicationModel): Section[] {
  const aliases = model.clusters.map((c) => c.alias);
  const enabled = new Set(model.flows.map((f) => `${f.source}->${f.target}`));
  const pairEntries: Entry[] = [];
  for (const s of aliases) {
    for (const t of aliases) {
      if (s === t) {
        continue;
      }
      const pair = `${s}->${t}`;
      if (enabled.has(pair)) {
        pairEntries.push([`${pair}.enabled`, "true"]);
      } else {
        // Without this, MM2 still starts an idle herder for every pair because heartbeats are on.
        pairEntries.push([`${pair}.enabled`, "false"], [`${pair}.emit.heartbeats.enabled`, "false"]);
      }
    }
  }
  const tasks = deriveTasksMax(model);
  const sections: Section[] = [
    {
      comment: [`Clusters and replication flows (this fleet runs --clusters ${model.target}).`],
      entries: [["clusters", aliases.join(", ")], ...pairEntries],
    },
    {
      comment: ["Secrets come from files written at boot, through Kafka's FileConfigProvider."],
      entries: [
        ["config.providers", "file"],
        ["config.providers.file.class", FILE_CONFIG_PROVIDER],
        ["config.providers.file.param.allowed.paths", model.configDir],
      ],
    },
    {
      comment: [`Replication policy: ${model.policy.type}.`],
      entries: [
        ["replication.policy.class", POLICY_CLASSES[model.policy.type]],
        ["replication.policy.separator", model.policy.separator],
      ],
    },
    {
      comment: [
        tasks.explicit
          ? `Connectors. tasks.max set explicitly.`
          : `Connectors. tasks.max = min(${tasks.partitions} partitions to replicate, ${model.fleet.nodes} nodes x ${model.fleet.coresPerNode} cores), at least 1.`,
        "Consumer-group offsets are translated by the product's failover tool from the checkpoints,",
        "not synced by MM2; topic configs and ACLs are not synced (OCI lacks the admin APIs).",
      ],
      entries: [
        ["tasks.max", String(tasks.value)],
        ["refresh.topics.enabled", "true"],
        ["refresh.topics.interval.seconds", String(model.refresh.topicsIntervalSeconds)],
        ["refresh.groups.enabled", "true"],
        ["refresh.groups.interval.seconds", String(model.refresh.groupsIntervalSeconds)],
        ["emit.checkpoints.enabled", "true"],
        ["emit.checkpoints.interval.seconds", String(model.refresh.checkpointIntervalSeconds)],
        ["emit.heartbeats.enabled", "true"],
        ["emit.offset-syncs.enabled", "true"],
        ["offset.lag.max", String(model.offsetLagMax)],
        ["offset-syncs.topic.location", model.offsetSyncsTopicLocation],
        ["sync.group.offsets.enabled", "false"],
        ["sync.topic.acls.enabled", "false"],
        ["sync.topic.configs.enabled", "false"],
      ],
    },
    {
      comment: ["Replication factors: -1 = the broker's default (OCI replicates streams itself)."],
      entries: [
        ["replication.factor", "-1"],
        ["checkpoints.topic.replication.factor", "-1"],
        ["heartbeats.topic.replication.factor", "-1"],
        ["offset-syncs.topic.replication.factor", "-1"],
        ["config.storage.replication.factor", "-1"],
        ["offset.storage.replication.factor", "-1"],
        ["status.storage.replication.factor", "-1"],
      ],
    },
  ];
  sections.push(workerSection(model));
  if (needsInternalRest(model)) {
    const port = String(model.fleet.internalRestPort);
    sections.push({
      comment: [
        `${model.fleet.nodes} nodes form one Connect group per flow: internal REST between the nodes only.`,
        `Each node advertises its own private IP, written at boot to ${NODE_PROPERTIES_FILE_NAME}.`,
      ],
      entries: [
        ["dedicated.mode.enable.internal.rest", "true"],
        ["listeners", `http://0.0.0.0:${port}`],
        ["rest.advertised.host.name", nodePlaceholder(model.configDir, "rest.advertised.host.name")],
        ["rest.advertised.port", port],
      ],
    });
  } else {
    sections.push({
      comment: ["Single node: no internal REST server."],
      entries: [["dedicated.mode.enable.internal.rest", "false"]],
    });
  }
  return sections;
}

/** Java `Properties.store` escaping for a value (ISO-8859-1 file: non-ASCII as \uXXXX). */
export function escapePropertiesValue(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    const code = value.charCodeAt(i);
    if (ch === "\\") {
      out += "\\\\";
    } else if (ch === "\n") {
      out += "\\n";
    } else if (ch === "\r") {
      out += "\\r";
    } else if (ch === "\t") {
      out += "\\t";
    } else if (ch === "\f") {
      out += "\\f";
    } else if (ch === " " && i === 0) {
      out += "\\ ";
    } else if (code < 0x20 || code > 0x7e) {
      out += `\\u${code.toString(16).padStart(4, "0")}`;
    } else {
      out += ch;
    }
  }
  return out;
}

const KEY_CHARS = /^[A-Za-z0-9._>-]+$/;

function renderSections(header: readonly string[], sections: readonly Section[]): string {
  const seen = new Set<string>();
  const lines: string[] = header.map((l) => `# ${l}`.trimEnd());
  for (const s of sections) {
    lines.push("");
    for (const c of s.comment) {
      lines.push(`# ${c}`);
    }
    for (const [k, v] of s.entries) {
      if (!KEY_CHARS.test(k)) {
        throw new Error(`internal: property key needs escaping: ${k}`);
      }
      if (seen.has(k)) {
        throw new Error(`internal: property rendered twice: ${k}`);
      }
      seen.add(k);
      lines.push(`${k}=${escapePropertiesValue(v)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Renders from a model that is already validated and normalized. */
export function renderMm2PropertiesNormalized(model: ReplicationModel): string {
  const header = [
    `mm2.properties: Apache Kafka ${KAFKA_VERSION} MirrorMaker 2, dedicated mode.`,
    `Run: connect-mirror-maker.sh ${model.configDir}/mm2.properties --clusters ${model.target}`,
    "Rendered by oci-geo-streaming (lib/core/mm2/properties.ts); re-render instead of editing.",
    "No secret is stored here: ${file:...} placeholders are resolved by Kafka at runtime.",
  ];
  const sections: Section[] = [
    ...globalSections(model),
    ...model.clusters.map((c) => clusterSection(model, c)),
    ...model.flows.map((f) => flowSection(model, f)),
  ];
  return renderSections(header, sections);
}

/**
 * Validates the model (throwing `ValidationError`), then renders mm2.properties. Same model, in any
 * input order, gives byte-identical text.
 */
export function renderMm2Properties(input: ReplicationModelInput, options: ValidateOptions = {}): string {
  validateReplicationModel(input, options);
  return renderMm2PropertiesNormalized(normalizeReplicationModel(input));
}

/**
 * Parses Java `.properties` text as `java.util.Properties.load` does (comments, `=`/`:`/whitespace
 * separators, line continuations, escapes). Later keys win, as in Java.
 */
export function parseProperties(text: string): Map<string, string> {
  const result = new Map<string, string>();
  const physical = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < physical.length; i++) {
    let line = physical[i].replace(/^[ \t\f]+/, "");
    if (line === "" || line.startsWith("#") || line.startsWith("!")) {
      continue;
    }
    // Continuation: an odd number of trailing backslashes joins the next line (leading blanks dropped).
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < physical.length) {
      line = line.slice(0, -1) + physical[++i].replace(/^[ \t\f]+/, "");
    }
    let k = 0;
    let key = "";
    while (k < line.length) {
      const ch = line[k];
      if (ch === "\\") {
        key += line.slice(k, k + 2);
        k += 2;
        continue;
      }
      if (ch === "=" || ch === ":" || ch === " " || ch === "\t" || ch === "\f") {
        break;
      }
      key += ch;
      k++;
    }
    // Separator: blanks, then at most one '=' or ':', then blanks.
    while (k < line.length && /[ \t\f]/.test(line[k])) {
      k++;
    }
    if (k < line.length && (line[k] === "=" || line[k] === ":")) {
      k++;
    }
    while (k < line.length && /[ \t\f]/.test(line[k])) {
      k++;
    }
    result.set(unescapeProperties(key), unescapeProperties(line.slice(k)));
  }
  return result;
}

function unescapeProperties(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch !== "\\" || i + 1 >= s.length) {
      out += ch;
      continue;
    }
    const n = s[++i];
    if (n === "u") {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 5), 16));
      i += 4;
    } else {
      out += n === "t" ? "\t" : n === "n" ? "\n" : n === "r" ? "\r" : n === "f" ? "\f" : n;
    }
  }
  return out;
}
