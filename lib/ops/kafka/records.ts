/**
 * The records the tools read, in this package's own types (no @platformatic/kafka type appears in
 * the published declarations), and the one piece of record handling the library leaves to its
 * caller when reading a partition range without a consumer group: turning the raw batches of a
 * Fetch response into records at and after the wanted offset.
 */

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface ConsumedRecord {
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  /** Milliseconds since the epoch: CreateTime, or the broker's LogAppendTime. */
  timestamp: number;
}

/** A record batch as a Fetch response carries it (the shape @platformatic/kafka decodes to). */
export interface RawBatch {
  firstOffset: bigint;
  lastOffsetDelta: number;
  attributes: number;
  firstTimestamp: bigint;
  maxTimestamp: bigint;
  records: {
    offsetDelta: number;
    timestampDelta: bigint;
    key: Buffer | null;
    value: Buffer | null;
    headers: [Buffer | null, Buffer | null][];
  }[];
}

/** Batch attribute bits (RecordBatch v2). */
const TIMESTAMP_LOG_APPEND_TIME = 1 << 3;
const IS_CONTROL = 1 << 5;

/**
 * The records of `batches` with `from <= offset < to`, in order, and the offset to fetch next.
 *
 * Written here because no library call reads a range without joining a group:
 *  - a compressed batch comes back whole, so it can start before `from`: earlier records are dropped;
 *  - control batches (transaction markers) carry no application records: skipped, but passed;
 *  - the next fetch starts after the batch's last offset (`firstOffset + lastOffsetDelta`), which
 *    can lie past its last record when records were removed;
 *  - LogAppendTime batches: every record's timestamp is the batch's `maxTimestamp` (what the broker
 *    assigned and what a Java consumer, hence MirrorMaker 2, sees); @platformatic/kafka 2.12 leaves
 *    the timestamp-type bit unused and would report the producer's CreateTime instead.
 */
export function recordsInRange(
  partition: number,
  batches: readonly RawBatch[],
  from: number,
  to: number,
): { records: ConsumedRecord[]; next: number } {
  const records: ConsumedRecord[] = [];
  let next = from;
  for (const batch of batches) {
    const base = Number(batch.firstOffset);
    const last = base + batch.lastOffsetDelta;
    if (last < next) continue;
    if ((batch.attributes & IS_CONTROL) === 0) {
      const logAppend = (batch.attributes & TIMESTAMP_LOG_APPEND_TIME) !== 0;
      for (const r of batch.records) {
        const offset = base + r.offsetDelta;
        if (offset < next || offset >= to) continue;
        records.push({
          partition,
          offset,
          key: r.key,
          value: r.value,
          headers: r.headers.map(([k, v]) => ({ key: k === null ? "" : k.toString("utf8"), value: v })),
          timestamp: Number(logAppend ? batch.maxTimestamp : batch.firstTimestamp + r.timestampDelta),
        });
      }
    }
    next = Math.max(next, last + 1);
  }
  return { records, next };
}
