/**
 * MirrorMaker 2 checkpoints, decoded in TypeScript, and the offset translation Kafka's
 * `MirrorClient.remoteConsumerOffsets` (behind `RemoteClusterUtils.translateOffsets`) performs.
 *
 * Wire format (connect/mirror-client `Checkpoint`, version 0), all big-endian:
 * - key:   group (int16 length + UTF-8), topic (int16 length + UTF-8), partition (int32)
 * - value: version (int16, 0), upstreamOffset (int64), offset (int64, downstream),
 *          metadata (int16 length + UTF-8)
 * `topic` is the topic on the cluster that holds the checkpoints (the remote, renamed topic), and
 * `offset` is where the group resumes there.
 */

/** One decoded checkpoint. */
export interface Checkpoint {
  group: string;
  /** The downstream (target-cluster) topic. */
  topic: string;
  partition: number;
  /** The group's committed offset on the source cluster. */
  upstreamOffset: bigint;
  /** The translated offset on the target cluster. */
  downstreamOffset: bigint;
  metadata: string;
}

/** A raw record of the checkpoints topic, as a Kafka client returns it. */
export interface RawRecord {
  partition: number;
  offset?: bigint | number;
  key: Buffer | null;
  value: Buffer | null;
}

/** Thrown for bytes that are not a version-0 checkpoint (Kafka's SchemaException). */
export class CheckpointSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckpointSchemaError";
  }
}

class Reader {
  private pos = 0;
  constructor(
    private readonly buf: Buffer,
    private readonly what: string,
  ) {}

  private need(n: number, field: string): void {
    if (this.pos + n > this.buf.length) {
      throw new CheckpointSchemaError(`${this.what}: ${field} runs past the end (${this.buf.length} bytes)`);
    }
  }
  int16(field: string): number {
    this.need(2, field);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  int32(field: string): number {
    this.need(4, field);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  int64(field: string): bigint {
    this.need(8, field);
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  string(field: string): string {
    const len = this.int16(`${field} length`);
    if (len < 0) {
      throw new CheckpointSchemaError(`${this.what}: ${field} is null, which the schema does not allow`);
    }
    this.need(len, field);
    const v = this.buf.toString("utf8", this.pos, this.pos + len);
    this.pos += len;
    return v;
  }
}

/** Decodes one checkpoint record; throws {@link CheckpointSchemaError} for anything else. */
export function decodeCheckpoint(key: Buffer | null, value: Buffer | null): Checkpoint {
  if (!key || !value) {
    throw new CheckpointSchemaError("a checkpoint needs both a key and a value");
  }
  const v = new Reader(value, "checkpoint value");
  const version = v.int16("version");
  if (version !== 0) {
    throw new CheckpointSchemaError(`checkpoint value: version ${version} is unknown (only 0 exists)`);
  }
  const upstreamOffset = v.int64("upstreamOffset");
  const downstreamOffset = v.int64("offset");
  const metadata = v.string("metadata");
  const k = new Reader(key, "checkpoint key");
  const group = k.string("group");
  const topic = k.string("topic");
  const partition = k.int32("partition");
  return { group, topic, partition, upstreamOffset, downstreamOffset, metadata };
}

/** Encodes a checkpoint exactly as MirrorMaker writes it (for tests and tools). */
export function encodeCheckpoint(c: Checkpoint): { key: Buffer; value: Buffer } {
  const str = (s: string) => {
    const bytes = Buffer.from(s, "utf8");
    const len = Buffer.alloc(2);
    len.writeInt16BE(bytes.length);
    return Buffer.concat([len, bytes]);
  };
  const partition = Buffer.alloc(4);
  partition.writeInt32BE(c.partition);
  const head = Buffer.alloc(18);
  head.writeInt16BE(0, 0);
  head.writeBigInt64BE(c.upstreamOffset, 2);
  head.writeBigInt64BE(c.downstreamOffset, 10);
  return {
    key: Buffer.concat([str(c.group), str(c.topic), partition]),
    value: Buffer.concat([head, str(c.metadata)]),
  };
}

/** Translated offset of one downstream partition. */
export interface TranslatedOffset {
  topic: string;
  partition: number;
  offset: bigint;
  metadata: string;
  /** The source-side offset the checkpoint was made from. */
  upstreamOffset: bigint;
}

/** `topic:partition` key of a translated offset. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/** Every group's translation: group → `topic:partition` → the last checkpoint (see {@link translateOffsets}). */
export type CheckpointIndex = Map<string, Map<string, TranslatedOffset>>;

/**
 * Decodes the checkpoints ONCE and indexes them by group and downstream partition, keeping the LAST
 * checkpoint of each (what {@link translateOffsets} answers for every group at once: linear in the
 * records, where asking group by group decoded the whole topic again for each).
 */
export function indexCheckpoints(records: Iterable<RawRecord>): CheckpointIndex {
  const index: CheckpointIndex = new Map();
  for (const c of decodeAll(records)) {
    let offsets = index.get(c.group);
    if (!offsets) index.set(c.group, (offsets = new Map()));
    offsets.set(partitionKey(c.topic, c.partition), {
      topic: c.topic,
      partition: c.partition,
      offset: c.downstreamOffset,
      metadata: c.metadata,
      upstreamOffset: c.upstreamOffset,
    });
  }
  return index;
}

/**
 * What `RemoteClusterUtils.translateOffsets` answers for `group`: read partition 0 of
 * `<source>.checkpoints.internal` from the beginning, skip records that do not decode, and keep
 * the LAST checkpoint per downstream partition of that group. `records` must be in offset order.
 * For many groups, index once with {@link indexCheckpoints}.
 */
export function translateOffsets(records: Iterable<RawRecord>, group: string): Map<string, TranslatedOffset> {
  return indexCheckpoints(records).get(group) ?? new Map<string, TranslatedOffset>();
}

/** Every group that has at least one checkpoint, sorted. */
export function groupsInCheckpoints(records: Iterable<RawRecord> | CheckpointIndex): string[] {
  const index = records instanceof Map ? records : indexCheckpoints(records);
  return [...index.keys()].sort();
}

function* decodeAll(records: Iterable<RawRecord>): Generator<Checkpoint> {
  for (const r of records) {
    // MirrorClient reads partition 0 only: the checkpoints topic has exactly one partition.
    if (r.partition !== 0) {
      continue;
    }
    try {
      yield decodeCheckpoint(r.key, r.value);
    } catch (e) {
      if (!(e instanceof CheckpointSchemaError)) {
        throw e;
      }
    }
  }
}
