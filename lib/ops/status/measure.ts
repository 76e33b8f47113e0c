/**
 * The health of one replication flow, measured from Kafka alone (no MM2 REST, no OCI API): what a
 * loss of the source would cost right now, whether replication is alive end to end, how fresh the
 * groups' checkpoints are, and what the Connect workers say of their tasks.
 *
 * How each signal is measured:
 *  - **Lag, per partition.** MirrorMaker keeps every record's timestamp. The last record of the
 *    remote copy (`<source>.<topic>` on the target) carries the timestamp of the last source record
 *    copied; the first source offset at or after that timestamp (ListOffsets by time, Kafka's
 *    `offsetsForTimes`) is that record, or one written in the same millisecond before it. The
 *    records from there to the source's end are not on the target yet: the lag in records, which
 *    errs on the high side (never the low side) when several records share the millisecond. The lag
 *    in seconds is the age of the oldest of them (its timestamp, read on the source).
 *  - **The RPO right now**: the sum of the partitions' lag in records, and the largest lag in
 *    seconds — what would be lost if the source were lost now.
 *  - **Heartbeats**: the newest of two. MM2's heartbeat connector of the flow (a Connect source task
 *    of the `<source>-><target>` herder, so produced by the target's workers) writes one a second
 *    into the TARGET's own `heartbeats` topic, keyed by the source and target aliases: it says the
 *    flow's MirrorMaker is alive and writing to the target even when nobody writes. A heartbeat that
 *    crossed the source — `<source>.heartbeats`, MM2's copy of the source's `heartbeats` topic — exists
 *    only when something writes heartbeats on the source (a flow into it, e.g. active-active), and
 *    then proves the whole path. (The rehearsal found the first reading, `<source>.heartbeats` only,
 *    empty in a one-way pair: every one-way deployment looked unhealthy.) A lost source is reported
 *    by the source's reachability and the lag, not by the heartbeat.
 *  - **Checkpoints**: the newest checkpoint of each group in `<source>.checkpoints.internal`.
 *  - **Tasks**: the Connect status topic of the target's workers (the harness `-status` topic on
 *    OCI) holds `status-connector-<name>` and `status-task-<name>-<n>` records whose JSON value has
 *    the `state` (RUNNING, PAUSED, FAILED, UNASSIGNED) and the failure's `trace`; the latest value of
 *    each key is the current state.
 *
 * When the source cannot be reached (the disaster), only the target is read: the newest replicated
 * record of each partition says from when on writes may be missing.
 */
import type { ConsumedRecord, KafkaClient } from "../kafka/client";
import { decodeCheckpoint } from "../failover/checkpoints";
import {
  formatRemoteTopic,
  HEARTBEATS_TOPIC,
  isInternalTopic,
  topicSource,
  type PolicyNames,
} from "../../core/mm2/replicationPolicy";
import { checkpointsTopicName } from "../../core/mm2/topics";

/** One flow to measure: MirrorMaker copying `source` into `target`. */
export interface FlowSpec {
  source: string;
  target: string;
  policy: PolicyNames;
  /** Source topics to measure. Default: every remote copy of a source topic found on the target. */
  topics?: string[];
  /** The target workers' Connect status topic. Default: none read (task states unknown). */
  statusTopic?: string;
}

export interface PartitionStatus {
  topic: string;
  remoteTopic: string;
  partition: number;
  /** End offset of the source partition (undefined when the source is unreachable). */
  sourceEnd?: number;
  /** End offset of the remote copy on the target. */
  targetEnd: number;
  /** Timestamp (ms) of the newest record on the target, i.e. of the last record copied. */
  lastReplicatedAt?: number;
  /** Records on the source not on the target yet (undefined when the source is unreachable). */
  lagRecords?: number;
  /** Age in seconds of the oldest record not copied yet (0 when caught up). */
  lagSeconds?: number;
}

export interface TaskState {
  /** `<connector>` or `<connector>-<task>`. */
  id: string;
  kind: "connector" | "task";
  state: string;
  workerId?: string;
  /** First line of the failure's stack trace, for FAILED. */
  trace?: string;
}

export interface FlowStatus {
  flow: string;
  source: string;
  target: string;
  /** When measured (ms since the epoch). */
  measuredAt: number;
  sourceReachable: boolean;
  /** Why the source could not be read. */
  sourceError?: string;
  partitions: PartitionStatus[];
  /** Age in seconds of the newest replicated heartbeat; null when there is none. */
  heartbeatAgeSeconds: number | null;
  /** Age in seconds of each group's newest checkpoint. */
  checkpoints: { group: string; ageSeconds: number }[];
  tasks: TaskState[];
  /** What losing the source now would cost (undefined parts: unknown, source unreachable). */
  rpo: { records?: number; seconds?: number };
}

/** What measuring needs: the two clusters (the source may be unreachable) and a clock. */
export interface MeasureIo {
  target: KafkaClient;
  /** The source client, or why it could not be connected. */
  source: KafkaClient | Error;
  now: () => number;
}

const ageSeconds = (now: number, ts: number) => Math.max(0, Math.round((now - ts) / 100) / 10);

/** The last record of a partition, or undefined when it is empty. */
async function lastRecord(
  client: KafkaClient,
  topic: string,
  partition: number,
  end: number,
  start: number,
): Promise<ConsumedRecord | undefined> {
  if (end <= start) return undefined;
  const records = await client.readRange(topic, partition, end - 1, end);
  return records[records.length - 1];
}

/** The source topics the target holds remote copies of (internal and heartbeats topics aside). */
export function remoteCopies(flow: FlowSpec, targetTopics: string[]): string[] {
  const heartbeats = formatRemoteTopic(flow.policy, flow.source, HEARTBEATS_TOPIC);
  return targetTopics
    .filter((t) => t !== heartbeats && !isInternalTopic(flow.policy, t))
    .filter((t) => topicSource(flow.policy, flow.source, t) === flow.source)
    .map((t) => t.slice(formatRemoteTopic(flow.policy, flow.source, "").length))
    .sort();
}

/** Measures one flow; see the module comment. Throws only when the target cannot be read. */
export async function measureFlow(io: MeasureIo, flow: FlowSpec): Promise<FlowStatus> {
  const now = io.now();
  const status = await measureTargetSide(io.target, flow, now);
  return measureSourceSide(status, io.source, now);
}

/**
 * What the target alone tells of a flow: the remote copies' partitions, the heartbeats, the
 * checkpoints and the tasks — with the source not probed yet (`sourceReachable` false, no lag, no
 * RPO). The metrics poster posts this before it probes the source, which may not answer for long.
 * Throws only when the target cannot be read.
 */
export async function measureTargetSide(
  target: KafkaClient,
  flow: FlowSpec,
  now: number,
): Promise<FlowStatus> {
  const targetTopics = await target.listTopics();
  const topics = flow.topics ?? remoteCopies(flow, targetTopics);

  const partitions: PartitionStatus[] = [];
  for (const topic of topics) {
    const remoteTopic = formatRemoteTopic(flow.policy, flow.source, topic);
    if (!targetTopics.includes(remoteTopic)) continue;
    const [start, end] = [
      await target.offsets(remoteTopic, "earliest"),
      await target.offsets(remoteTopic, "latest"),
    ];
    for (const [partition, targetEnd] of end) {
      const last = await lastRecord(target, remoteTopic, partition, targetEnd, start.get(partition) ?? 0);
      partitions.push({ topic, remoteTopic, partition, targetEnd, lastReplicatedAt: last?.timestamp });
    }
  }
  let heartbeatAgeSeconds: number | null = null;
  const newestHeartbeat = (ts: number) => {
    const age = ageSeconds(now, ts);
    heartbeatAgeSeconds = heartbeatAgeSeconds === null ? age : Math.min(heartbeatAgeSeconds, age);
  };
  // Copied from the source (end to end, when the source has heartbeats).
  const heartbeatsTopic = formatRemoteTopic(flow.policy, flow.source, HEARTBEATS_TOPIC);
  if (targetTopics.includes(heartbeatsTopic)) {
    const [start, end] = [
      await target.offsets(heartbeatsTopic, "earliest"),
      await target.offsets(heartbeatsTopic, "latest"),
    ];
    for (const [partition, e] of end) {
      const last = await lastRecord(target, heartbeatsTopic, partition, e, start.get(partition) ?? 0);
      if (last) newestHeartbeat(last.timestamp);
    }
  }
  // Written on the target by this flow's heartbeat connector (other flows into the target write
  // there too: the key names the flow). The newest few records of each partition suffice.
  if (targetTopics.includes(HEARTBEATS_TOPIC)) {
    const [start, end] = [
      await target.offsets(HEARTBEATS_TOPIC, "earliest"),
      await target.offsets(HEARTBEATS_TOPIC, "latest"),
    ];
    for (const [partition, e] of end) {
      const from = Math.max(start.get(partition) ?? 0, e - 50);
      if (e <= from) continue;
      const records = await target.readRange(HEARTBEATS_TOPIC, partition, from, e);
      for (const r of records) {
        const key = decodeHeartbeatKey(r.key);
        if (key?.source === flow.source && key.target === flow.target) newestHeartbeat(r.timestamp);
      }
    }
  }

  const checkpointsTopic = checkpointsTopicName(flow.policy, flow.source);
  const newest = new Map<string, number>();
  if (targetTopics.includes(checkpointsTopic)) {
    for (const r of await target.readAll(checkpointsTopic)) {
      try {
        const c = decodeCheckpoint(r.key, r.value);
        newest.set(c.group, Math.max(newest.get(c.group) ?? 0, r.timestamp));
      } catch {
        // Not a checkpoint record (a foreign writer): ignored.
      }
    }
  }

  const tasks =
    flow.statusTopic && targetTopics.includes(flow.statusTopic)
      ? await readTaskStates(target, flow.statusTopic)
      : [];

  return {
    flow: `${flow.source}->${flow.target}`,
    source: flow.source,
    target: flow.target,
    measuredAt: now,
    sourceReachable: false,
    sourceError: NOT_PROBED,
    partitions,
    heartbeatAgeSeconds,
    checkpoints: [...newest]
      .map(([group, ts]) => ({ group, ageSeconds: ageSeconds(now, ts) }))
      .sort((a, b) => a.group.localeCompare(b.group)),
    tasks,
    rpo: {},
  };
}

/** The source error of a flow whose source was not probed (yet). */
export const NOT_PROBED = "the source was not probed";

/**
 * Adds what the source tells to a flow measured on the target ({@link measureTargetSide}): each
 * partition's lag in records and seconds, the RPO, and whether the source could be read — or why
 * not (`source` an Error: it could not be connected). Returns a new status.
 */
export async function measureSourceSide(
  measured: FlowStatus,
  source: KafkaClient | Error,
  now: number,
): Promise<FlowStatus> {
  const partitions = measured.partitions.map((p) => ({ ...p }));
  let sourceError = source instanceof Error ? source.message : undefined;
  if (!(source instanceof Error)) {
    try {
      for (const topic of [...new Set(partitions.map((p) => p.topic))]) {
        const mine = partitions.filter((p) => p.topic === topic);
        const [start, end] = [await source.offsets(topic, "earliest"), await source.offsets(topic, "latest")];
        const times = new Map(
          mine.filter((p) => p.lastReplicatedAt !== undefined).map((p) => [p.partition, p.lastReplicatedAt!]),
        );
        const copied =
          times.size > 0 ? await source.offsetsForTimes(topic, times) : new Map<number, number | undefined>();
        for (const p of mine) {
          const sourceStart = start.get(p.partition) ?? 0;
          const sourceEnd = end.get(p.partition) ?? sourceStart;
          // The first record not on the target: the one after the last copied, or the log start.
          const lastCopied = copied.get(p.partition);
          const firstMissing =
            p.lastReplicatedAt === undefined
              ? sourceStart
              : Math.max(sourceStart, (lastCopied ?? sourceEnd - 1) + 1);
          p.sourceEnd = sourceEnd;
          p.lagRecords = Math.max(0, sourceEnd - firstMissing);
          if (p.lagRecords === 0) {
            p.lagSeconds = 0;
          } else {
            const oldest = (await source.readRange(topic, p.partition, firstMissing, firstMissing + 1))[0];
            p.lagSeconds = oldest ? ageSeconds(now, oldest.timestamp) : undefined;
          }
        }
      }
    } catch (e) {
      sourceError = (e as Error).message;
      for (const p of partitions) {
        delete p.sourceEnd;
        delete p.lagRecords;
        delete p.lagSeconds;
      }
    }
  }
  const sourceReachable = sourceError === undefined;
  const lags = partitions.map((p) => p.lagRecords);
  const seconds = partitions.map((p) => p.lagSeconds);
  const rest: FlowStatus = { ...measured };
  delete rest.sourceError;
  return {
    ...rest,
    sourceReachable,
    ...(sourceError !== undefined ? { sourceError } : {}),
    partitions,
    rpo:
      sourceReachable && lags.every((l) => l !== undefined) && seconds.every((x) => x !== undefined)
        ? {
            records: (lags as number[]).reduce((a, b) => a + b, 0),
            seconds: Math.max(0, ...(seconds as number[])),
          }
        : {},
  };
}

/**
 * The key of an MM2 heartbeat record (Kafka's `Heartbeat.KEY_SCHEMA`: two protocol STRINGs, each an
 * int16 length and UTF-8 bytes — `sourceClusterAlias`, `targetClusterAlias`); undefined when the key
 * is not one.
 */
export function decodeHeartbeatKey(key: Buffer | null): { source: string; target: string } | undefined {
  if (key === null || key.length < 4) return undefined;
  const n1 = key.readInt16BE(0);
  if (n1 < 0 || 2 + n1 + 2 > key.length) return undefined;
  const n2 = key.readInt16BE(2 + n1);
  if (n2 < 0 || 4 + n1 + n2 !== key.length) return undefined;
  return {
    source: key.subarray(2, 2 + n1).toString("utf8"),
    target: key.subarray(4 + n1, 4 + n1 + n2).toString("utf8"),
  };
}

/** The latest Connect status of each connector and task, from the workers' status topic. */
export async function readTaskStates(client: KafkaClient, statusTopic: string): Promise<TaskState[]> {
  const latest = new Map<string, ConsumedRecord>();
  for (const r of await client.readAll(statusTopic)) {
    const key = r.key?.toString("utf8");
    if (key) latest.set(key, r);
  }
  return [...latest]
    .flatMap(([key, r]): TaskState[] => parseStatusRecord(key, r.value))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** One Connect status record (`status-connector-<name>` / `status-task-<name>-<n>`); none for a tombstone. */
export function parseStatusRecord(key: string, value: Buffer | null): TaskState[] {
  const m = /^status-(connector|task)-(.+)$/.exec(key);
  if (!m || value === null) return [];
  let doc: { state?: unknown; worker_id?: unknown; trace?: unknown };
  try {
    doc = JSON.parse(value.toString("utf8")) as typeof doc;
  } catch {
    return [];
  }
  if (typeof doc.state !== "string") return [];
  const trace = typeof doc.trace === "string" ? doc.trace.split("\n")[0] : undefined;
  return [
    {
      id: m[2],
      kind: m[1] as "connector" | "task",
      state: doc.state,
      ...(typeof doc.worker_id === "string" ? { workerId: doc.worker_id } : {}),
      ...(trace ? { trace } : {}),
    },
  ];
}
