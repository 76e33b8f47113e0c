/**
 * Kafka wire primitives: big-endian fixed-width integers, unsigned varints and zigzag varints
 * (`varint`/`varlong` of the record format), classic strings/arrays (int16/int32 length) and the
 * "compact" ones of flexible versions (unsigned varint length + 1), tagged fields, UUIDs, and
 * CRC-32C (Castagnoli) for RecordBatch v2.
 */

/** Raised when bytes from the wire do not decode (truncated or malformed). */
export class KafkaWireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KafkaWireError";
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/** A bigint as a JS number; throws instead of silently losing precision. */
export function safeNumber(value: bigint, what: string): number {
  if (value > MAX_SAFE || value < MIN_SAFE) {
    throw new KafkaWireError(`${what} ${value} is outside the safe integer range of a JS number`);
  }
  return Number(value);
}

/** Growable big-endian writer. `flexible` selects compact strings/arrays and tagged fields. */
export class Writer {
  private buf: Buffer;
  private pos = 0;

  constructor(
    public readonly flexible = false,
    initial = 256,
  ) {
    this.buf = Buffer.alloc(initial);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  get length(): number {
    return this.pos;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }

  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }

  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  int64(v: number | bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(BigInt(v), this.pos);
    this.pos += 8;
    return this;
  }

  raw(bytes: Uint8Array | readonly number[]): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  /** Unsigned LEB128 varint (up to 32 bits), as used for compact lengths and tag numbers. */
  uvarint(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
      throw new KafkaWireError(`uvarint out of range: ${v}`);
    let value = v;
    while (value >= 0x80) {
      this.raw([(value % 128) | 0x80]);
      value = Math.floor(value / 128);
    }
    return this.raw([value]);
  }

  /** Zigzag-encoded signed varint (32-bit). */
  varint(v: number): this {
    return this.uvarlong(zigzagEncode64(BigInt(v)));
  }

  /** Zigzag-encoded signed varlong (64-bit). */
  varlong(v: number | bigint): this {
    return this.uvarlong(zigzagEncode64(BigInt(v)));
  }

  private uvarlong(v: bigint): this {
    let value = v;
    while (value >= 0x80n) {
      this.raw([Number((value & 0x7fn) | 0x80n)]);
      value >>= 7n;
    }
    return this.raw([Number(value)]);
  }

  /** `string` (int16 length) or `compact string` in flexible versions. */
  string(s: string): this {
    const bytes = Buffer.from(s, "utf8");
    if (this.flexible) this.uvarint(bytes.length + 1);
    else this.int16(bytes.length);
    return this.raw(bytes);
  }

  /** Nullable `string`: length -1 (classic) or 0 (compact) for null. */
  nullableString(s: string | null): this {
    if (s === null) return this.flexible ? this.uvarint(0) : this.int16(-1);
    return this.string(s);
  }

  /** `bytes` (int32 length) or `compact bytes`. */
  bytes(b: Uint8Array): this {
    if (this.flexible) this.uvarint(b.length + 1);
    else this.int32(b.length);
    return this.raw(b);
  }

  /** Array length prefix: int32 (classic) or uvarint(n + 1) (compact); null is -1 / 0. */
  arrayLength(n: number | null): this {
    if (n === null) return this.flexible ? this.uvarint(0) : this.int32(-1);
    return this.flexible ? this.uvarint(n + 1) : this.int32(n);
  }

  array<T>(items: readonly T[] | null, each: (w: this, item: T) => void): this {
    this.arrayLength(items === null ? null : items.length);
    for (const item of items ?? []) each(this, item);
    return this;
  }

  /** The tagged-field section of a flexible struct: this client never sends tagged fields. */
  tags(): this {
    if (this.flexible) this.uvarint(0);
    return this;
  }

  uuid(bytes: Buffer): this {
    if (bytes.length !== 16) throw new KafkaWireError("uuid must be 16 bytes");
    return this.raw(bytes);
  }
}

/** Bounds-checked big-endian reader. `flexible` selects compact strings/arrays and tagged fields. */
export class Reader {
  private pos: number;

  constructor(
    private readonly buf: Buffer,
    public flexible = false,
    offset = 0,
    private readonly end = buf.length,
  ) {
    this.pos = offset;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new KafkaWireError(
        `truncated input reading ${what} at byte ${this.pos} (need ${n}, have ${this.remaining})`,
      );
    }
  }

  int8(): number {
    this.need(1, "int8");
    return this.buf.readInt8(this.pos++);
  }

  uint8(): number {
    this.need(1, "uint8");
    return this.buf.readUInt8(this.pos++);
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    this.need(2, "int16");
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    this.need(4, "int32");
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  uint32(): number {
    this.need(4, "uint32");
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  int64Big(): bigint {
    this.need(8, "int64");
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  int64(what = "int64"): number {
    return safeNumber(this.int64Big(), what);
  }

  raw(n: number): Buffer {
    this.need(n, "bytes");
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  skip(n: number): void {
    this.need(n, "skipped bytes");
    this.pos += n;
  }

  /** Unsigned varint of at most 5 bytes (32 bits). */
  uvarint(): number {
    let result = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.uint8();
      result += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) {
        if (result > 0xffffffff) throw new KafkaWireError("uvarint exceeds 32 bits");
        return result;
      }
    }
    throw new KafkaWireError("uvarint longer than 5 bytes");
  }

  private uvarlong(maxBytes: number): bigint {
    let result = 0n;
    for (let i = 0; i < maxBytes; i++) {
      const b = this.uint8();
      result |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) return result;
    }
    throw new KafkaWireError(`varint longer than ${maxBytes} bytes`);
  }

  /** Zigzag signed varint (32-bit range). */
  varint(): number {
    const v = zigzagDecode64(this.uvarlong(5));
    if (v > 2147483647n || v < -2147483648n) throw new KafkaWireError("varint exceeds 32 bits");
    return Number(v);
  }

  /** Zigzag signed varlong (64-bit range). */
  varlongBig(): bigint {
    const v = zigzagDecode64(this.uvarlong(10));
    if (v > 0x7fffffffffffffffn || v < -0x8000000000000000n)
      throw new KafkaWireError("varlong exceeds 64 bits");
    return v;
  }

  varlong(what = "varlong"): number {
    return safeNumber(this.varlongBig(), what);
  }

  private stringLength(): number {
    return this.flexible ? this.uvarint() - 1 : this.int16();
  }

  nullableString(): string | null {
    const n = this.stringLength();
    if (n < 0) return null;
    return this.raw(n).toString("utf8");
  }

  string(): string {
    const s = this.nullableString();
    if (s === null) throw new KafkaWireError(`unexpected null string at byte ${this.pos}`);
    return s;
  }

  nullableBytes(): Buffer | null {
    const n = this.flexible ? this.uvarint() - 1 : this.int32();
    if (n < 0) return null;
    return this.raw(n);
  }

  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }

  arrayLength(): number {
    const n = this.flexible ? this.uvarint() - 1 : this.int32();
    if (n > this.remaining)
      throw new KafkaWireError(`array length ${n} exceeds the remaining ${this.remaining} bytes`);
    return n;
  }

  /** An array; null arrays read as empty. */
  array<T>(each: (r: Reader) => T): T[] {
    const n = this.arrayLength();
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(each(this));
    return out;
  }

  /** Skips a flexible struct's tagged fields (none is needed by this client). */
  tags(): void {
    if (!this.flexible) return;
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint(); // tag
      this.skip(this.uvarint());
    }
  }

  uuid(): Buffer {
    return this.raw(16);
  }
}

/** Zigzag: 0→0, -1→1, 1→2, -2→3 … (64-bit two's complement semantics). */
export function zigzagEncode64(v: bigint): bigint {
  const n = BigInt.asIntN(64, v);
  return BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
}

export function zigzagDecode64(u: bigint): bigint {
  const n = BigInt.asUintN(64, u);
  return BigInt.asIntN(64, (n >> 1n) ^ -(n & 1n));
}

/** Encodes an unsigned varint (compact lengths, tags) on its own. */
export function encodeUvarint(v: number): Buffer {
  return new Writer(false, 8).uvarint(v).toBuffer();
}

/** Encodes a zigzag varlong on its own (record fields). */
export function encodeVarlong(v: number | bigint): Buffer {
  return new Writer(false, 16).varlong(v).toBuffer();
}

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), table-driven.
const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** CRC-32C of `data` (as RecordBatch v2 uses: from `attributes` to the end of the batch). */
export function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC32C_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
