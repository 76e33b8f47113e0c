/**
 * The forward flow's offset syncs, read backwards: where a consumer group that read the remote
 * copy `<primary>.T` on dr resumes on the primary's original `T`.
 *
 * Wire format (connect/mirror `OffsetSync`, no version field), big-endian:
 * - key:   topic (int16 length + UTF-8; the UPSTREAM topic, `T` on the primary), partition (int32)
 * - value: upstreamOffset (int64, on the primary), offset (int64, downstream, on dr's `<primary>.T`)
 * A sync says: the record at upstream offset U was written at downstream offset D.
 *
 * When MM2 writes one (OffsetSyncWriter.PartitionState, Kafka 3.5+): on the first record a task
 * replicates in its lifetime (so after every restart, which may rewind and re-copy records), when an
 * upstream offset is skipped (compaction, transaction markers), when the downstream offset goes
 * backwards, and when the last sync is `offset.lag.max` records old; "delayed" syncs are written at
 * the task's offset commit. So between two consecutive syncs the copy is one record per upstream
 * offset, in order: downstream D + k holds upstream U + k. Kafka itself never translates this
 * direction (the reverse flow has no syncs for a topic it does not replicate), hence this module.
 *
 * The rule ({@link inverseTranslate}), for a group's committed offset `o` on dr (the next record it
 * would read):
 * 1. s1 = the sync with the greatest downstream offset <= o (the last one written when tied);
 *    none: the group is before every sync we have — resume at the primary's log start (`before-first-sync`).
 * 2. candidate = s1.upstream + (o - s1.downstream) (linear, exact between syncs);
 * 3. s2 = the first sync with downstream > o, if any: candidate = min(candidate,
 *    s2.upstream - (s2.downstream - o)) (the same line drawn back from the next sync; lower when a
 *    restart re-copied records in between or dr's copy has a gap);
 * 4. the record just before candidate must be the one just before `o` on dr: when o == s1.downstream
 *    nothing was read past the sync (exact); when s2 bounds it the copy between the syncs is known
 *    linear; otherwise (the tail after the newest sync, where a lost restart sync could hide a
 *    re-copy) the caller compares the two records (key, value, headers, timestamp — MM2 keeps them)
 *    and, if they differ or cannot be read, falls back to s1.upstream (`sync-upstream`).
 * Why the check is sound: MM2 copies each partition in order, re-copies only after a restart, and the
 * first copy of every upstream record comes after the first copies of all earlier ones; so if the
 * group read the copy of upstream record U-1, it read every existing record before it. (A false match
 * would need two records equal in key, value, headers AND timestamp at those two places.)
 * Every answer is at or before the first primary record the group has not consumed: re-reading a
 * few records is allowed, skipping is not. The caller then commits max(answer, the group's commit
 * already on the primary): everything before the group's own primary commit was consumed before the
 * failover, so moving forward to it skips nothing, and a commit is never moved backwards (a re-run
 * after the consumers moved back is a no-op).
 */
import type { RawRecord } from "../failover/checkpoints";

/** One decoded offset sync. */
export interface OffsetSync {
  /** The upstream topic (on the primary). */
  topic: string;
  partition: number;
  upstreamOffset: number;
  downstreamOffset: number;
}

export class OffsetSyncSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OffsetSyncSchemaError";
  }
}

function safe(v: bigint, what: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new OffsetSyncSchemaError(`offset sync ${what} ${v} is beyond 2^53`);
  }
  return Number(v);
}

/** Decodes one record of an offset-syncs topic; throws {@link OffsetSyncSchemaError} otherwise. */
export function decodeOffsetSync(key: Buffer | null, value: Buffer | null): OffsetSync {
  if (!key || !value) throw new OffsetSyncSchemaError("an offset sync needs both a key and a value");
  if (key.length < 2) throw new OffsetSyncSchemaError("offset sync key: topic length runs past the end");
  const len = key.readInt16BE(0);
  if (len < 0 || key.length !== 2 + len + 4) {
    throw new OffsetSyncSchemaError(
      `offset sync key: ${key.length} bytes do not hold a topic of ${len} and a partition`,
    );
  }
  if (value.length !== 16) {
    throw new OffsetSyncSchemaError(`offset sync value: ${value.length} bytes, expected 16 (two int64)`);
  }
  return {
    topic: key.toString("utf8", 2, 2 + len),
    partition: key.readInt32BE(2 + len),
    upstreamOffset: safe(value.readBigInt64BE(0), "upstreamOffset"),
    downstreamOffset: safe(value.readBigInt64BE(8), "offset"),
  };
}

/** Encodes a sync exactly as MirrorMaker writes it (tests and tools). */
export function encodeOffsetSync(s: OffsetSync): { key: Buffer; value: Buffer } {
  const topic = Buffer.from(s.topic, "utf8");
  const key = Buffer.alloc(2 + topic.length + 4);
  key.writeInt16BE(topic.length, 0);
  topic.copy(key, 2);
  key.writeInt32BE(s.partition, 2 + topic.length);
  const value = Buffer.alloc(16);
  value.writeBigInt64BE(BigInt(s.upstreamOffset), 0);
  value.writeBigInt64BE(BigInt(s.downstreamOffset), 8);
  return { key, value };
}

/** Every decodable sync of the records, in their order (undecodable records skipped, as MM2 does). */
export function decodeOffsetSyncs(records: Iterable<RawRecord>): OffsetSync[] {
  const out: OffsetSync[] = [];
  for (const r of records) {
    try {
      out.push(decodeOffsetSync(r.key, r.value));
    } catch (e) {
      if (!(e instanceof OffsetSyncSchemaError)) throw e;
    }
  }
  return out;
}

export type InverseRule =
  /** o is exactly a sync's downstream offset. */
  | "exact-sync"
  /** Linear from the previous sync, bounded by the next one. */
  | "between-syncs"
  /** After the newest sync: linear, to be confirmed by comparing records (see `needsCheck`). */
  | "after-last-sync"
  /** The group is before every sync: resume at the primary's log start. */
  | "before-first-sync";

/** Where a group resumes on the primary for one partition. */
export interface InverseTranslation {
  /** Resume offset on the primary (before the max with the group's primary commit). */
  offset: number;
  rule: InverseRule;
  /** The sync used (s1), when there is one. */
  sync?: OffsetSync;
  /**
   * True when `offset` holds only if the record at `offset - 1` on the primary equals the record
   * at `o - 1` on dr; otherwise use `fallback`.
   */
  needsCheck: boolean;
  /** The answer when the check fails or cannot be made (s1's upstream offset). */
  fallback: number;
}

/**
 * The syncs of each upstream partition (`topic:partition`), sorted by downstream offset, ties in
 * log order: built once, so that each translation is a binary search instead of a scan of every
 * sync (linear in the syncs overall, where scanning per partition and group was quadratic).
 */
export class OffsetSyncIndex {
  private readonly byPartition = new Map<string, OffsetSync[]>();

  constructor(syncs: readonly OffsetSync[]) {
    for (const s of syncs) {
      const key = `${s.topic}:${s.partition}`;
      const list = this.byPartition.get(key);
      if (list) list.push(s);
      else this.byPartition.set(key, [s]);
    }
    // Array.prototype.sort is stable: equal downstream offsets keep their log order.
    for (const list of this.byPartition.values())
      list.sort((a, b) => a.downstreamOffset - b.downstreamOffset);
  }

  /**
   * s1: the sync with the greatest downstream offset <= o (the last written when tied); s2: the
   * first with downstream > o (the first written when tied).
   */
  around(topic: string, partition: number, o: number): { s1?: OffsetSync; s2?: OffsetSync } {
    const list = this.byPartition.get(`${topic}:${partition}`);
    if (!list) return {};
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid].downstreamOffset <= o) lo = mid + 1;
      else hi = mid;
    }
    return { s1: lo > 0 ? list[lo - 1] : undefined, s2: lo < list.length ? list[lo] : undefined };
  }
}

/**
 * The inverse translation of dr offset `o` on the remote copy of (`topic`, `partition`) — see the
 * module doc for the rule. `syncs` are every sync read (any topic/partition, log order), or their
 * {@link OffsetSyncIndex} (build it once when translating many offsets);
 * `logStart` is the primary partition's earliest offset (the answer before the first sync).
 */
export function inverseTranslate(
  syncs: readonly OffsetSync[] | OffsetSyncIndex,
  topic: string,
  partition: number,
  o: number,
  logStart: number,
): InverseTranslation {
  const index = syncs instanceof OffsetSyncIndex ? syncs : new OffsetSyncIndex(syncs);
  const { s1, s2 } = index.around(topic, partition, o);
  if (!s1) {
    return { offset: logStart, rule: "before-first-sync", needsCheck: false, fallback: logStart };
  }
  if (s1.downstreamOffset === o) {
    return {
      offset: s1.upstreamOffset,
      rule: "exact-sync",
      sync: s1,
      needsCheck: false,
      fallback: s1.upstreamOffset,
    };
  }
  const linear = s1.upstreamOffset + (o - s1.downstreamOffset);
  if (s2) {
    const back = s2.upstreamOffset - (s2.downstreamOffset - o);
    return {
      offset: Math.max(0, Math.min(linear, back)),
      rule: "between-syncs",
      sync: s1,
      needsCheck: false,
      fallback: s1.upstreamOffset,
    };
  }
  return { offset: linear, rule: "after-last-sync", sync: s1, needsCheck: true, fallback: s1.upstreamOffset };
}
