/**
 * Reading a whole MirrorMaker stream (the checkpoints, the offset syncs) once, within OCI's read
 * limit: 5 GET (Fetch) requests per second per partition and consumer group ("Limits on Streaming
 * Resources"). Every partition is read from its log start to the end observed at the start, in
 * consecutive ranges of {@link ReadPacing.recordsPerRead} records, each range once, and at most
 * {@link ReadPacing.readsPerSecond} ranges per second per partition.
 *
 * A range is one Fetch when its records fit the client's 1 MiB per-partition fetch: a checkpoint is
 * about 60-100 bytes (group, topic, two int64, metadata), an offset sync about 40, so 4,096 of
 * them are at most ~0.4 MiB even with long group names. The default 4 reads per second stays below
 * the limit of 5 with room for the client's retries.
 */
import type { ConsumedRecord, KafkaClient } from "../kafka/client";
import { REAL_CLOCK, type RunClock } from "../groupCommits";

export interface ReadPacing {
  /** Records asked per read (one Fetch when they fit 1 MiB). */
  recordsPerRead: number;
  /** Reads started per second per partition at most; 0: no cap. */
  readsPerSecond: number;
}

export const DEFAULT_READ_PACING: ReadPacing = { recordsPerRead: 4096, readsPerSecond: 4 };

/** What one whole read of a topic did (for progress lines and the bench). */
export interface TopicReadStats {
  topic: string;
  /** Reads (ranges asked) per partition. */
  reads: Map<number, number>;
  records: number;
  elapsedMs: number;
}

/**
 * Every record of `topic` (partitions in ascending order, each in offset order), each partition
 * read once in paced ranges. `partitions` limits the read (the checkpoints: partition 0 only).
 */
export async function readTopicOnce(
  client: Pick<KafkaClient, "offsets" | "readRange">,
  topic: string,
  options: {
    pacing?: ReadPacing;
    clock?: RunClock;
    partitions?: (p: number) => boolean;
    onStats?: (stats: TopicReadStats) => void;
  } = {},
): Promise<ConsumedRecord[]> {
  const pacing = options.pacing ?? DEFAULT_READ_PACING;
  const clock = options.clock ?? REAL_CLOCK;
  const started = clock.now();
  const earliest = await client.offsets(topic, "earliest");
  const latest = await client.offsets(topic, "latest");
  const interval = pacing.readsPerSecond > 0 ? 1000 / pacing.readsPerSecond : 0;
  const chunk = Math.max(1, Math.floor(pacing.recordsPerRead));
  const reads = new Map<number, number>();
  const out: ConsumedRecord[] = [];
  for (const [p, end] of [...latest].sort((a, b) => a[0] - b[0])) {
    if (options.partitions && !options.partitions(p)) continue;
    let from = earliest.get(p) ?? 0;
    let lastStart: number | undefined;
    while (from < end) {
      if (lastStart !== undefined && interval > 0) {
        const wait = lastStart + interval - clock.now();
        if (wait > 0) await clock.sleep(wait);
      }
      lastStart = clock.now();
      const to = Math.min(end, from + chunk);
      out.push(...(await client.readRange(topic, p, from, to)));
      reads.set(p, (reads.get(p) ?? 0) + 1);
      from = to;
    }
  }
  options.onStats?.({ topic, reads, records: out.length, elapsedMs: clock.now() - started });
  return out;
}
