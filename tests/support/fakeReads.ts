/**
 * A fake cluster's topic reads for the operator tools' tests: `offsets` and `readRange` over given
 * records, counting every read (range asked) per `topic:partition` and every record handed out, so
 * that a test can tell how often each partition was read and that no record was read twice.
 */
import type { ConsumedRecord } from "../../lib/ops/kafka/client";

export interface FakeReads {
  offsets: (topic: string, which: "earliest" | "latest") => Promise<Map<number, number>>;
  readRange: (topic: string, partition: number, from: number, to: number) => Promise<ConsumedRecord[]>;
  /** Reads per `topic:partition`. */
  reads: Map<string, number>;
  /** Times each `topic:partition:offset` was handed out. */
  handed: Map<string, number>;
  /** When each read started, per `topic:partition` (from `now`). */
  startedAt: Map<string, number[]>;
}

/**
 * `topics`: topic → records (their `partition` and `offset` set; offsets contiguous from a partition's
 * first). `partitions`: partitions per topic when some are empty (default: those with records, or 1).
 */
export function fakeReads(
  topics: Record<string, Omit<ConsumedRecord, "headers" | "timestamp">[]>,
  now: () => number = () => 0,
  partitions: Record<string, number> = {},
): FakeReads {
  const reads = new Map<string, number>();
  const handed = new Map<string, number>();
  const startedAt = new Map<string, number[]>();
  const full = (r: Omit<ConsumedRecord, "headers" | "timestamp">): ConsumedRecord => ({
    headers: [],
    timestamp: 0,
    ...r,
  });
  const of = (topic: string): ConsumedRecord[] => {
    if (!(topic in topics)) throw new Error(`UNKNOWN_TOPIC_OR_PARTITION ${topic}`);
    return topics[topic].map(full);
  };
  const count = (topic: string): number =>
    partitions[topic] ?? Math.max(1, ...of(topic).map((r) => r.partition + 1));
  return {
    reads,
    handed,
    startedAt,
    offsets: (topic, which) => {
      const out = new Map<number, number>();
      for (let p = 0; p < count(topic); p++) {
        const offsets = of(topic)
          .filter((r) => r.partition === p)
          .map((r) => r.offset);
        out.set(
          p,
          offsets.length === 0 ? 0 : which === "earliest" ? Math.min(...offsets) : Math.max(...offsets) + 1,
        );
      }
      return Promise.resolve(out);
    },
    readRange: (topic, partition, from, to) => {
      const key = `${topic}:${partition}`;
      reads.set(key, (reads.get(key) ?? 0) + 1);
      startedAt.set(key, [...(startedAt.get(key) ?? []), now()]);
      const got = of(topic).filter((r) => r.partition === partition && r.offset >= from && r.offset < to);
      for (const r of got) handed.set(`${key}:${r.offset}`, (handed.get(`${key}:${r.offset}`) ?? 0) + 1);
      return Promise.resolve(got);
    },
  };
}
