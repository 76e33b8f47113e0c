/**
 * RecordBatch v2 (magic 2, Kafka 0.11+) decoding: the on-disk and on-wire record format.
 *
 * ```
 * baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 | crc uint32 |
 * attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 | maxTimestamp int64 |
 * producerId int64 | producerEpoch int16 | baseSequence int32 | recordCount int32 | records…
 * record: length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
 *         keyLength varint | key | valueLength varint | value | headerCount varint |
 *         (headerKeyLength varint | headerKey | headerValueLength varint | headerValue)*
 * ```
 *
 * The CRC is CRC-32C over everything from `attributes` to the end of the batch. Compression
 * (attributes bits 0–2) applies to the records after `recordCount`: none and gzip are supported;
 * snappy, lz4 and zstd are refused with {@link UnsupportedCompressionError}.
 */
import * as zlib from "node:zlib";

import { KafkaClientError } from "./errors";
import { crc32c, KafkaWireError, Reader } from "./wire";

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface KafkaRecord {
  offset: number;
  /** Milliseconds since the epoch: CreateTime, or the batch's LogAppendTime. */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export type CompressionCodec = "none" | "gzip" | "snappy" | "lz4" | "zstd";
const CODECS: CompressionCodec[] = ["none", "gzip", "snappy", "lz4", "zstd"];

export interface RecordBatch {
  baseOffset: number;
  /** `baseOffset + lastOffsetDelta`: the next fetch starts after it, even when records were removed. */
  lastOffset: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  compression: CompressionCodec;
  timestampType: "CreateTime" | "LogAppendTime";
  isTransactional: boolean;
  /** Control batches (transaction markers) carry no application records. */
  isControl: boolean;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  records: KafkaRecord[];
}

export class UnsupportedCompressionError extends KafkaClientError {
  constructor(
    public readonly codec: string,
    baseOffset: number,
  ) {
    super(
      `record batch at offset ${baseOffset} is ${codec}-compressed; this client decodes only uncompressed ` +
        `and gzip batches (set compression.type=gzip or none on the producers, or use a Java client)`,
    );
    this.name = "UnsupportedCompressionError";
  }
}

export class CorruptRecordError extends KafkaClientError {
  constructor(message: string) {
    super(message);
    this.name = "CorruptRecordError";
  }
}

/** Size of the fields before `attributes` (where the CRC starts). */
const CRC_START = 21;
/** Size of a batch header up to and including `recordCount`. */
const BATCH_OVERHEAD = 61;

/**
 * Decodes every complete batch in a Fetch response's `records` field. A trailing partial batch
 * (the broker cuts at the byte limit) is ignored, as Kafka's clients do.
 */
export function decodeRecordBatches(data: Buffer): RecordBatch[] {
  const batches: RecordBatch[] = [];
  let pos = 0;
  while (data.length - pos >= 17) {
    const batchLength = data.readInt32BE(pos + 8);
    const total = 12 + batchLength;
    if (batchLength < 0) throw new CorruptRecordError(`negative batch length ${batchLength} at byte ${pos}`);
    if (data.length - pos < total) break; // partial batch at the end of the fetch
    batches.push(decodeRecordBatch(data.subarray(pos, pos + total)));
    pos += total;
  }
  return batches;
}

/** Decodes exactly one batch (`bytes` is the whole batch) and checks its CRC-32C. */
export function decodeRecordBatch(bytes: Buffer): RecordBatch {
  const r = new Reader(bytes);
  const baseOffset = r.int64("baseOffset");
  const batchLength = r.int32();
  if (batchLength + 12 !== bytes.length) {
    throw new CorruptRecordError(`batch length ${batchLength} does not match its ${bytes.length - 12} bytes`);
  }
  const partitionLeaderEpoch = r.int32();
  const magic = r.int8();
  if (magic !== 2) {
    throw new CorruptRecordError(
      `record batch at offset ${baseOffset} has magic ${magic}; only the v2 format (Kafka 0.11+) is supported`,
    );
  }
  if (bytes.length < BATCH_OVERHEAD) throw new CorruptRecordError(`record batch shorter than its header`);
  const crc = r.uint32();
  const computed = crc32c(bytes.subarray(CRC_START));
  if (computed !== crc) {
    throw new CorruptRecordError(
      `record batch at offset ${baseOffset}: CRC-32C mismatch (stored ${hex32(crc)}, computed ${hex32(computed)})`,
    );
  }
  const attributes = r.int16();
  const lastOffsetDelta = r.int32();
  const baseTimestamp = r.int64("baseTimestamp");
  const maxTimestamp = r.int64("maxTimestamp");
  const producerId = r.int64("producerId");
  const producerEpoch = r.int16();
  const baseSequence = r.int32();
  const count = r.int32();
  const compression = CODECS[attributes & 0x07];
  if (compression === undefined) {
    throw new CorruptRecordError(
      `record batch at offset ${baseOffset}: unknown compression ${attributes & 0x07}`,
    );
  }
  const timestampType = attributes & 0x08 ? "LogAppendTime" : "CreateTime";
  const batch: RecordBatch = {
    baseOffset,
    lastOffset: baseOffset + lastOffsetDelta,
    partitionLeaderEpoch,
    magic,
    crc,
    compression,
    timestampType,
    isTransactional: (attributes & 0x10) !== 0,
    isControl: (attributes & 0x20) !== 0,
    baseTimestamp,
    maxTimestamp,
    producerId,
    producerEpoch,
    baseSequence,
    records: [],
  };
  let body: Buffer = bytes.subarray(BATCH_OVERHEAD);
  if (compression === "gzip") {
    try {
      body = zlib.gunzipSync(body);
    } catch (error) {
      throw new CorruptRecordError(
        `record batch at offset ${baseOffset}: gzip data does not decompress (${(error as Error).message})`,
      );
    }
  } else if (compression !== "none") {
    throw new UnsupportedCompressionError(compression, baseOffset);
  }
  const rr = new Reader(body);
  try {
    for (let i = 0; i < count; i++) {
      batch.records.push(decodeRecord(rr, batch));
    }
  } catch (error) {
    if (error instanceof KafkaWireError) {
      throw new CorruptRecordError(`record batch at offset ${baseOffset}: ${error.message}`);
    }
    throw error;
  }
  if (rr.remaining !== 0) {
    throw new CorruptRecordError(
      `record batch at offset ${baseOffset}: ${rr.remaining} bytes left after its ${count} records`,
    );
  }
  return batch;
}

function decodeRecord(r: Reader, batch: RecordBatch): KafkaRecord {
  const length = r.varint();
  const start = r.offset;
  r.int8(); // record attributes: unused
  const timestampDelta = r.varlong("timestampDelta");
  const offsetDelta = r.varint();
  const key = varBytes(r);
  const value = varBytes(r);
  const headerCount = r.varint();
  if (headerCount < 0) throw new KafkaWireError(`negative header count ${headerCount}`);
  const headers: RecordHeader[] = [];
  for (let h = 0; h < headerCount; h++) {
    const hk = varBytes(r);
    if (hk === null) throw new KafkaWireError("null header key");
    headers.push({ key: hk.toString("utf8"), value: varBytes(r) });
  }
  if (r.offset - start !== length) {
    throw new KafkaWireError(`record length ${length} does not match its ${r.offset - start} bytes`);
  }
  return {
    offset: batch.baseOffset + offsetDelta,
    timestamp:
      batch.timestampType === "LogAppendTime" ? batch.maxTimestamp : batch.baseTimestamp + timestampDelta,
    key,
    value,
    headers,
  };
}

/** varint length (-1 = null) followed by that many bytes; copied out of the fetch buffer. */
function varBytes(r: Reader): Buffer | null {
  const n = r.varint();
  if (n < 0) return null;
  return Buffer.from(r.raw(n));
}

function hex32(v: number): string {
  return `0x${v.toString(16).padStart(8, "0")}`;
}
