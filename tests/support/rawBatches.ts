/**
 * What the broker really stores: the codec of each record batch of a partition, read with
 * @platformatic/kafka's raw Fetch (tests only; lib/ reaches the library through lib/ops/kafka alone).
 * It lets a test prove that compressed batches were on the wire, not just that records came back.
 */
import { Consumer } from "@platformatic/kafka";

import { libraryOptions, type KafkaClientOptions } from "../../lib/ops/kafka/client";

const CODECS = ["none", "gzip", "snappy", "lz4", "zstd"] as const;
export type Codec = (typeof CODECS)[number];

/** Codec of every batch returned by one Fetch of `topic`-`partition` from `offset` (default 0). */
export async function batchCodecs(
  options: KafkaClientOptions,
  topic: string,
  partition: number,
  offset = 0,
): Promise<Codec[]> {
  const consumer = new Consumer({ ...libraryOptions(options), groupId: "raw-batches-never-joins" });
  try {
    consumer.topics.track(topic);
    const metadata = await consumer.metadata({ topics: [topic] });
    const t = metadata.topics.get(topic)!;
    const response = await consumer.fetch({
      node: t.partitions[partition].leader,
      maxWaitTime: 100,
      topics: [
        {
          topicId: t.id,
          partitions: [
            {
              partition,
              fetchOffset: BigInt(offset),
              currentLeaderEpoch: -1,
              lastFetchedEpoch: -1,
              partitionMaxBytes: 1024 * 1024,
            },
          ],
        },
      ],
    });
    const batches = response.responses.flatMap((r) => r.partitions).flatMap((p) => p.records ?? []);
    return batches.map((b) => CODECS[b.attributes & 0b111]);
  } finally {
    await consumer.close(true);
  }
}
