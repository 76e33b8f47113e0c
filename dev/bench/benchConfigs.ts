/**
 * What `npm run bench` runs: the configurations it compares, side by side in one run.
 *
 *  - (a) `rendered`: the dr stack's mm2.properties exactly as the component renders it
 *    (`prepareRenderedMirrorMaker`), with the current {@link OCI_PRODUCER_TUNING} /
 *    {@link OCI_CONSUMER_TUNING}.
 *  - tuning candidates: the same rendered text with only the OCI client tuning lines swapped
 *    ({@link applyOciTuning}): what the renderer would write with other constants. One candidate is
 *    always the pre-benchmark tuning, so a run shows before/after side by side.
 *  - (b) `quickstart`: MirrorMaker's defaults with `tasks.max=1` and only what it needs to connect
 *    and not fail on OCI ({@link quickstartProperties}).
 *  - (c) `pipe`: the plain consume→produce copy (`ocigeo.rehearsal.Pipe`), same clients and
 *    security, with the rendered config's client tuning.
 */
import {
  OCI_CONSUMER_TUNING,
  OCI_MAX_REQUEST_BYTES,
  OCI_PRODUCER_TUNING,
  escapePropertiesValue,
  parseProperties,
} from "../../lib/core/mm2/properties";
import type { LocalCluster } from "../rehearsal/cluster";

export type TuningEntries = readonly (readonly [string, string])[];

export interface OciTuning {
  producer: TuningEntries;
  consumer: TuningEntries;
}

/**
 * Bytes a Kafka record batch (magic v2) carries on top of its records: the batch header
 * (`DefaultRecordBatch.RECORD_BATCH_OVERHEAD`). The broker compares the whole batch with
 * `message.max.bytes`; the producer counts this header in `batch.size`, so subtracting it again
 * is a margin for clients that do not, not a requirement of the Java client.
 */
export const RECORD_BATCH_OVERHEAD_BYTES = 61;

/**
 * The largest producer `batch.size` whose batch, header included, fits under OCI's 1 MB
 * request/message limit — the emulated broker's `message.max.bytes` is the same constant. A larger
 * batch (e.g. 1 MiB) is refused as too large; the producer splits it into batches of the same
 * `batch.size`, retries, and expires the records after `delivery.timeout.ms` (the bench's warm-up
 * failed exactly so).
 */
export const MAX_BATCH_BYTES = OCI_MAX_REQUEST_BYTES - RECORD_BATCH_OVERHEAD_BYTES;

/**
 * The OCI client tuning before the benchmark existed (kept verbatim as the "before" column; its
 * `max.request.size` is the binary 1 MiB reading, its batches 128 KiB fit the limit).
 */
export const PRE_BENCH_TUNING: OciTuning = {
  producer: [
    ["max.request.size", "1048576"],
    ["batch.size", "131072"],
    ["linger.ms", "20"],
  ],
  consumer: [
    ["max.partition.fetch.bytes", "1048576"],
    ["fetch.min.bytes", "65536"],
    ["fetch.max.wait.ms", "500"],
  ],
};

/** The tuning the renderer uses now. */
export function currentTuning(): OciTuning {
  return { producer: OCI_PRODUCER_TUNING, consumer: OCI_CONSUMER_TUNING };
}

export interface TuningCandidate {
  /** Short column name. */
  name: string;
  description: string;
  tuning: OciTuning;
}

/** The current producer tuning with another `batch.size`, at most {@link MAX_BATCH_BYTES}. */
function producerWithBatch(batchBytes: number): TuningEntries {
  if (batchBytes > MAX_BATCH_BYTES) {
    throw new Error(`batch.size ${batchBytes} exceeds the largest batch OCI accepts (${MAX_BATCH_BYTES})`);
  }
  return [
    ["max.request.size", String(OCI_MAX_REQUEST_BYTES)],
    ["batch.size", String(batchBytes)],
    ["linger.ms", "20"],
  ];
}

/** A fetch.min.bytes no fetch can reach (Integer.MAX_VALUE): every fetch waits fetch.max.wait.ms. */
function waitGoverned(waitMs: number): TuningEntries {
  return [
    ["max.partition.fetch.bytes", String(OCI_MAX_REQUEST_BYTES)],
    ["fetch.min.bytes", "2147483647"],
    ["fetch.max.wait.ms", String(waitMs)],
  ];
}

/**
 * Every candidate but `pre` (the historical tuning, verbatim) stays inside OCI's limits: requests
 * and messages <= 1 MB (`max.request.size`, `max.partition.fetch.bytes`, `batch.size` <=
 * {@link MAX_BATCH_BYTES}), `fetch.max.wait.ms` >= 200.
 */
export const TUNING_CANDIDATES: readonly TuningCandidate[] = [
  {
    name: "pre",
    description: "the tuning before the benchmark: batch 128 KiB, linger 20; fetch.min 64 KiB, wait 500",
    tuning: PRE_BENCH_TUNING,
  },
  {
    name: "bmax",
    description: `producer batch.size ${MAX_BATCH_BYTES} (the largest under OCI's 1 MB limit; consumer as before)`,
    tuning: {
      producer: producerWithBatch(MAX_BATCH_BYTES),
      // The pre-benchmark consumer, its fetch bound read as OCI's 1 MB like the others.
      consumer: PRE_BENCH_TUNING.consumer.map(([k, v]) =>
        k === "max.partition.fetch.bytes" ? [k, String(OCI_MAX_REQUEST_BYTES)] : [k, v],
      ),
    },
  },
  {
    name: "w500",
    description: "consumer: every fetch waits 500 ms (fetch.min.bytes unreachable); producer as (a)",
    tuning: { producer: OCI_PRODUCER_TUNING, consumer: waitGoverned(500) },
  },
  {
    name: "w250",
    description: "consumer: every fetch waits 250 ms (fetch.min.bytes unreachable); producer as (a)",
    tuning: { producer: OCI_PRODUCER_TUNING, consumer: waitGoverned(250) },
  },
  {
    name: "w250b512",
    description: "consumer as (a) (every fetch waits 250 ms) + producer batch.size 512 KiB",
    tuning: { producer: producerWithBatch(524288), consumer: waitGoverned(250) },
  },
  {
    name: "w250bmax",
    description: `consumer as (a) (every fetch waits 250 ms) + producer batch.size ${MAX_BATCH_BYTES} (the largest under OCI's 1 MB limit)`,
    tuning: { producer: producerWithBatch(MAX_BATCH_BYTES), consumer: waitGoverned(250) },
  },
];

/**
 * The candidates a full run compares (a) with, unless --candidates says otherwise: the tuning
 * before the benchmark, the other read-limit-safe consumer (500 ms), (a) with the largest producer
 * batches OCI accepts, and (a) itself run a second time (the run's noise floor).
 */
export const DEFAULT_CANDIDATES: readonly string[] = ["pre", "w500", "w250bmax", "rerun"];

/**
 * Tuning candidates by name (default {@link DEFAULT_CANDIDATES}). `rerun` is the current tuning
 * again: the same configuration as (a), measured a second time in the same run.
 */
export function tuningCandidates(names: readonly string[] = DEFAULT_CANDIDATES): TuningCandidate[] {
  const all: TuningCandidate[] = [
    ...TUNING_CANDIDATES,
    {
      name: "rerun",
      description: "the current tuning again (same configuration as (a), measured again: the noise floor)",
      tuning: currentTuning(),
    },
  ];
  return names.map((n) => {
    const c = all.find((t) => t.name === n);
    if (!c) throw new Error(`unknown tuning candidate "${n}" (known: ${all.map((t) => t.name).join(", ")})`);
    return c;
  });
}

/** `<alias>.producer.*` / `<alias>.consumer.*` keys of a tuning, for every OCI cluster alias. */
function tuningKeys(aliases: readonly string[], tuning: OciTuning): Map<string, string> {
  const out = new Map<string, string>();
  for (const alias of aliases) {
    for (const [k, v] of tuning.producer) out.set(`${alias}.producer.${k}`, v);
    for (const [k, v] of tuning.consumer) out.set(`${alias}.consumer.${k}`, v);
  }
  return out;
}

/** OCI cluster aliases of a rendered mm2.properties (clusters with `<alias>.sasl.mechanism=PLAIN`). */
export function ociAliases(properties: string): string[] {
  const props = parseProperties(properties);
  const clusters = (props.get("clusters") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return clusters.filter(
    (a) => props.get(`${a}.sasl.mechanism`) === "PLAIN" && props.get(`${a}.security.protocol`) === "SASL_SSL",
  );
}

/**
 * The rendered text with its OCI client tuning replaced by `tuning`: every line setting a key the
 * current or the candidate tuning owns is dropped, and the candidate's lines are appended. The
 * result is what `renderMm2Properties` writes with `tuning` as its constants (in another order).
 * Throws if the text does not carry the current tuning (then it was not rendered by this renderer).
 */
export function applyOciTuning(rendered: string, tuning: OciTuning): string {
  const aliases = ociAliases(rendered);
  if (aliases.length === 0) throw new Error("applyOciTuning: no OCI cluster in the properties");
  const props = parseProperties(rendered);
  const current = tuningKeys(aliases, currentTuning());
  for (const [k, v] of current) {
    if (props.get(k) !== v) {
      throw new Error(`applyOciTuning: rendered properties carry ${k}=${props.get(k)}, not the current ${v}`);
    }
  }
  const wanted = tuningKeys(aliases, tuning);
  const owned = new Set([...current.keys(), ...wanted.keys()]);
  const kept = rendered.split("\n").filter((raw) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("!")) return true;
    const key = [...parseProperties(line).keys()][0];
    return key === undefined || !owned.has(key);
  });
  while (kept.length > 0 && kept[kept.length - 1] === "") kept.pop();
  return [
    ...kept,
    "",
    "# npm run bench: OCI client tuning candidate (replaces the renderer's tuning lines)",
    ...[...wanted].map(([k, v]) => `${k}=${v}`),
    "",
  ].join("\n");
}

/** Client settings of a tuning as the Pipe's source consumer / target producer properties. */
export function pipeClientTuning(tuning: OciTuning): {
  consumer: Record<string, string>;
  producer: Record<string, string>;
} {
  return {
    consumer: Object.fromEntries(tuning.consumer.map(([k, v]) => [k, v])),
    producer: Object.fromEntries(tuning.producer.map(([k, v]) => [k, v])),
  };
}

export interface QuickstartOptions {
  sourceAlias: string;
  targetAlias: string;
  source: LocalCluster;
  target: LocalCluster;
  /** `<source>-><target>.topics`: the same topic selection as the rendered config. */
  topics: string;
}

/**
 * (b) The common quickstart: MirrorMaker's defaults, `tasks.max=1`, and only what is needed to
 * connect to OCI Streaming and not fail there:
 *  - per cluster: bootstrap.servers, SASL_SSL, PLAIN, the JAAS line with the credentials inline
 *    (TLS trust comes from the same JVM truststore as (a));
 *  - `enable.idempotence=false` for every producer that would otherwise be idempotent (OCI refuses
 *    InitProducerId): `<alias>.producer.*` and the flow's `producer.*` (offset-syncs producer);
 *  - worker storage on the target's Connect harness topics (OCI has no compacted topics otherwise);
 *  - every replication factor -1;
 *  - `sync.topic.configs.enabled=false`, `sync.topic.acls.enabled=false` (OCI lacks those admin
 *    APIs; the connector fails otherwise);
 *  - the flow's topic selection and the reverse flow off.
 * Nothing else: no client tuning, default refresh intervals, default replication policy. MM2's
 * internal topics are pre-created the same way as for (a).
 */
export function quickstartProperties(o: QuickstartOptions): string {
  const s = o.sourceAlias;
  const t = o.targetAlias;
  const harness = o.target.harnessTopics;
  if (!harness) throw new Error("quickstart: the target cluster has no Connect harness topics");
  const entries: [string, string][] = [["clusters", `${s}, ${t}`]];
  for (const [alias, cluster] of [
    [s, o.source],
    [t, o.target],
  ] as const) {
    if (!cluster.username || !cluster.password) throw new Error(`quickstart: ${alias} has no credentials`);
    entries.push(
      [`${alias}.bootstrap.servers`, cluster.bootstrapServers],
      [`${alias}.security.protocol`, "SASL_SSL"],
      [`${alias}.sasl.mechanism`, "PLAIN"],
      [
        `${alias}.sasl.jaas.config`,
        `org.apache.kafka.common.security.plain.PlainLoginModule required username="${cluster.username}" password="${cluster.password}";`,
      ],
      [`${alias}.producer.enable.idempotence`, "false"],
    );
  }
  entries.push(
    [`${s}->${t}.enabled`, "true"],
    [`${s}->${t}.topics`, o.topics],
    [`${s}->${t}.producer.enable.idempotence`, "false"],
    [`${t}->${s}.enabled`, "false"],
    [`${t}->${s}.emit.heartbeats.enabled`, "false"],
    ["tasks.max", "1"],
    [`${t}.config.storage.topic`, harness.config],
    [`${t}.offset.storage.topic`, harness.offset],
    [`${t}.status.storage.topic`, harness.status],
    ["replication.factor", "-1"],
    ["config.storage.replication.factor", "-1"],
    ["offset.storage.replication.factor", "-1"],
    ["status.storage.replication.factor", "-1"],
    ["checkpoints.topic.replication.factor", "-1"],
    ["heartbeats.topic.replication.factor", "-1"],
    ["offset-syncs.topic.replication.factor", "-1"],
    ["sync.topic.configs.enabled", "false"],
    ["sync.topic.acls.enabled", "false"],
  );
  const lines = [
    "# npm run bench (b): MirrorMaker 2 quickstart - defaults, tasks.max=1, only what OCI needs to work",
    ...entries.map(([k, v]) => `${k}=${escapePropertiesValue(v)}`),
    "",
  ];
  return lines.join("\n");
}

/** Remote topic name under a rendered config's replication policy. */
export function remoteTopicName(properties: string, sourceAlias: string, topic: string): string {
  const props = parseProperties(properties);
  const policy =
    props.get("replication.policy.class") ?? "org.apache.kafka.connect.mirror.DefaultReplicationPolicy";
  if (policy.endsWith(".IdentityReplicationPolicy")) return topic;
  if (!policy.endsWith(".DefaultReplicationPolicy"))
    throw new Error(`unsupported replication policy ${policy}`);
  return `${sourceAlias}${props.get("replication.policy.separator") ?? "."}${topic}`;
}
