/**
 * Wire-level pieces of lib/kafka/client against byte vectors written out by hand (and, for the
 * record batches, with CRCs computed by an independent bit-by-bit CRC-32C). The rehearsal test
 * (tests/rehearsal/kafkaClient.test.ts) checks the same decoders against a real broker's bytes.
 */
import { expect } from "chai";
import * as net from "node:net";

import {
  BrokerConnection,
  CorruptRecordError,
  crc32c,
  decodeRecordBatch,
  decodeRecordBatches,
  KafkaConnectionError,
  Reader,
  UnsupportedCompressionError,
  Writer,
  zigzagDecode64,
  zigzagEncode64,
} from "../../lib/kafka/client";
import { errorName, KafkaProtocolError } from "../../lib/kafka/client/errors";
import { metadataRequest } from "../../lib/kafka/client/protocol";

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ""), "hex");

describe("kafka client wire format", function () {
  describe("varint and zigzag", function () {
    // Vectors of Kafka's ByteUtilsTest and the protobuf zigzag definition.
    const varints: [number, string][] = [
      [0, "00"],
      [-1, "01"],
      [1, "02"],
      [-2, "03"],
      [63, "7e"],
      [-64, "7f"],
      [64, "8001"],
      [300, "d804"],
      [2147483647, "feffffff0f"],
      [-2147483648, "ffffffff0f"],
    ];
    it("encodes and decodes zigzag varints", function () {
      for (const [value, bytes] of varints) {
        expect(new Writer().varint(value).toBuffer().toString("hex"), String(value)).to.equal(bytes);
        expect(new Reader(hex(bytes)).varint()).to.equal(value);
      }
    });

    it("encodes and decodes zigzag varlongs up to the 64-bit limits", function () {
      const longs: [bigint, string][] = [
        [0n, "00"],
        [-1n, "01"],
        [1700000000000n, "80a0abfef962"],
        [9223372036854775807n, "feffffffffffffffff01"],
        [-9223372036854775808n, "ffffffffffffffffff01"],
      ];
      for (const [value, bytes] of longs) {
        expect(new Writer().varlong(value).toBuffer().toString("hex"), String(value)).to.equal(bytes);
        expect(new Reader(hex(bytes)).varlongBig()).to.equal(value);
      }
      expect(zigzagEncode64(-1n)).to.equal(1n);
      expect(zigzagEncode64(-2147483648n)).to.equal(4294967295n);
      expect(zigzagDecode64(4294967294n)).to.equal(2147483647n);
      expect(zigzagDecode64(0xffffffffffffffffn)).to.equal(-9223372036854775808n);
    });

    it("encodes unsigned varints (compact lengths, tags)", function () {
      const cases: [number, string][] = [
        [0, "00"],
        [1, "01"],
        [127, "7f"],
        [128, "8001"],
        [300, "ac02"],
        [16384, "808001"],
        [0xffffffff, "ffffffff0f"],
      ];
      for (const [value, bytes] of cases) {
        expect(new Writer().uvarint(value).toBuffer().toString("hex")).to.equal(bytes);
        expect(new Reader(hex(bytes)).uvarint()).to.equal(value);
      }
    });

    it("rejects overlong and truncated varints", function () {
      expect(() => new Reader(hex("ffffffffff01")).varint()).to.throw(/longer than 5 bytes/);
      expect(() => new Reader(hex("ffffffffffffffffffff01")).varlongBig()).to.throw(/longer than 10 bytes/);
      expect(() => new Reader(hex("80")).varint()).to.throw(/truncated/);
      expect(() => new Reader(hex("8080808010")).varint()).to.throw(/exceeds 32 bits/);
    });
  });

  describe("strings, arrays and tagged fields", function () {
    it("writes classic and compact strings", function () {
      expect(new Writer(false).string("abc").toBuffer().toString("hex")).to.equal("0003616263");
      expect(new Writer(true).string("abc").toBuffer().toString("hex")).to.equal("04616263");
      expect(new Writer(false).nullableString(null).toBuffer().toString("hex")).to.equal("ffff");
      expect(new Writer(true).nullableString(null).toBuffer().toString("hex")).to.equal("00");
      expect(new Writer(true).string("").toBuffer().toString("hex")).to.equal("01");
      // UTF-8 length, not UTF-16 length.
      expect(new Writer(true).string("é").toBuffer().toString("hex")).to.equal("03c3a9");
      expect(new Writer(false).bytes(hex("0102")).toBuffer().toString("hex")).to.equal("000000020102");
      expect(new Writer(true).bytes(hex("0102")).toBuffer().toString("hex")).to.equal("030102");
    });

    it("reads classic and compact strings", function () {
      expect(new Reader(hex("0003616263")).string()).to.equal("abc");
      expect(new Reader(hex("04616263"), true).string()).to.equal("abc");
      expect(new Reader(hex("ffff")).nullableString()).to.equal(null);
      expect(new Reader(hex("00"), true).nullableString()).to.equal(null);
      expect(() => new Reader(hex("00"), true).string()).to.throw(/unexpected null string/);
      expect(() => new Reader(hex("05616263"), true).string()).to.throw(/truncated/);
      expect(new Reader(hex("00000003010203")).bytes().toString("hex")).to.equal("010203");
      expect(new Reader(hex("ffffffff")).nullableBytes()).to.equal(null);
      expect(new Reader(hex("00"), true).nullableBytes()).to.equal(null);
    });

    it("writes and reads classic and compact arrays", function () {
      const write = (flexible: boolean, items: number[] | null) =>
        new Writer(flexible)
          .array(items, (w, v) => w.int32(v))
          .toBuffer()
          .toString("hex");
      expect(write(false, [1, 2])).to.equal("000000020000000100000002");
      expect(write(true, [1, 2])).to.equal("030000000100000002");
      expect(write(false, null)).to.equal("ffffffff");
      expect(write(true, null)).to.equal("00");
      expect(write(true, [])).to.equal("01");
      expect(new Reader(hex("030000000100000002"), true).array((r) => r.int32())).to.deep.equal([1, 2]);
      expect(new Reader(hex("00"), true).array((r) => r.int32())).to.deep.equal([]);
      expect(() => new Reader(hex("7f00"), true).array((r) => r.int32())).to.throw(/exceeds the remaining/);
    });

    it("skips tagged fields and writes an empty tag section", function () {
      // Two tagged fields: tag 0 with 3 bytes, tag 5 with 1 byte; then an int16.
      const r = new Reader(hex("02 00 03 aabbcc 05 01 dd 0007"), true);
      r.tags();
      expect(r.int16()).to.equal(7);
      expect(new Writer(true).tags().toBuffer().toString("hex")).to.equal("00");
      expect(new Writer(false).tags().toBuffer().toString("hex")).to.equal("");
    });

    it("encodes a flexible request body (Metadata v12) field by field", function () {
      const w = new Writer(true);
      metadataRequest(12, ["t1"]).encode(w);
      expect(w.toBuffer().toString("hex")).to.equal(
        "02" + // compact array of 1 topic
          "00000000000000000000000000000000" + // TopicId (zero uuid)
          "03" +
          "7431" + // compact string "t1"
          "00" + // topic tagged fields
          "00" + // AllowAutoTopicCreation false
          "00" + // IncludeTopicAuthorizedOperations false
          "00", // tagged fields
      );
      const v4 = new Writer(false);
      metadataRequest(4, null).encode(v4);
      expect(v4.toBuffer().toString("hex")).to.equal("ffffffff" + "00");
    });
  });

  describe("CRC-32C", function () {
    it("matches the standard check values (RFC 3720 B.4)", function () {
      expect(crc32c(Buffer.from("123456789"))).to.equal(0xe3069283);
      expect(crc32c(Buffer.alloc(32))).to.equal(0x8a9136aa);
      expect(crc32c(Buffer.alloc(32, 0xff))).to.equal(0x62a8ab43);
      expect(crc32c(Buffer.alloc(0))).to.equal(0);
    });
  });

  describe("RecordBatch v2", function () {
    // baseOffset 5, leader epoch 0, magic 2, CRC, attributes, lastOffsetDelta 1,
    // baseTimestamp 1700000000000, maxTimestamp +300, producerId/epoch/sequence -1, 2 records:
    //   offset 5: key "k", value "hello", header h="v"
    //   offset 6: timestampDelta 300 (zigzag d804), key null, value "", header h2=null
    const RECORDS = "20 00 00 00 02 6b 0a 68656c6c6f 02 02 68 02 76" + " 16 00 d804 02 01 00 02 04 6832 01";
    const header = (crc: string, attributes: string, length: string) =>
      "0000000000000005" +
      length +
      "00000000" +
      "02" +
      crc +
      attributes +
      "00000001" +
      "0000018bcfe56800" +
      "0000018bcfe5692c" +
      "ffffffffffffffff" +
      "ffff" +
      "ffffffff" +
      "00000002";
    const PLAIN = hex(header("2f74be6e", "0000", "0000004e") + RECORDS);
    // The same records gzip-compressed (attributes 0x0001).
    const GZIP = hex(
      header("721263b6", "0001", "00000062") +
        "1f8b08000000000002035360606060cae6ca48cdc9c96762ca602a1363b8c1c2c4c8c0c49261c408002316a79b1d000000",
    );
    // Uncompressed bytes flagged as snappy (attributes 0x0002), valid CRC.
    const SNAPPY = hex(header("1746f618", "0002", "0000004e") + RECORDS);

    function expectRecords(batch: ReturnType<typeof decodeRecordBatch>) {
      expect(batch.baseOffset).to.equal(5);
      expect(batch.lastOffset).to.equal(6);
      expect(batch.magic).to.equal(2);
      expect(batch.timestampType).to.equal("CreateTime");
      expect(batch.isControl).to.equal(false);
      expect(batch.producerId).to.equal(-1);
      expect(batch.records).to.have.length(2);
      const [a, b] = batch.records;
      expect(a.offset).to.equal(5);
      expect(a.timestamp).to.equal(1700000000000);
      expect(a.key?.toString()).to.equal("k");
      expect(a.value?.toString()).to.equal("hello");
      expect(a.headers).to.deep.equal([{ key: "h", value: Buffer.from("v") }]);
      expect(b.offset).to.equal(6);
      expect(b.timestamp).to.equal(1700000000300);
      expect(b.key).to.equal(null);
      expect(b.value?.length).to.equal(0);
      expect(b.headers).to.deep.equal([{ key: "h2", value: null }]);
    }

    it("decodes an uncompressed batch: keys, values, headers, timestamps, offsets", function () {
      expect(PLAIN.length).to.equal(90);
      const batch = decodeRecordBatch(PLAIN);
      expect(batch.compression).to.equal("none");
      expect(batch.crc).to.equal(0x2f74be6e);
      expectRecords(batch);
    });

    it("decodes a gzip batch", function () {
      const batch = decodeRecordBatch(GZIP);
      expect(batch.compression).to.equal("gzip");
      expectRecords(batch);
    });

    it("refuses snappy/lz4/zstd with a clear error", function () {
      expect(() => decodeRecordBatch(SNAPPY))
        .to.throw(UnsupportedCompressionError)
        .with.property("message")
        .that.matches(/offset 5 is snappy-compressed; this client decodes only uncompressed and gzip/);
    });

    it("detects a CRC mismatch and a wrong magic", function () {
      const corrupt = Buffer.from(PLAIN);
      corrupt[70] ^= 0x01;
      expect(() => decodeRecordBatch(corrupt)).to.throw(
        CorruptRecordError,
        /CRC-32C mismatch \(stored 0x2f74be6e/,
      );
      const v1 = Buffer.from(PLAIN);
      v1[16] = 1;
      expect(() => decodeRecordBatch(v1)).to.throw(CorruptRecordError, /magic 1; only the v2 format/);
    });

    it("uses LogAppendTime for every record when the batch says so", function () {
      // attributes 0x0008: recompute the CRC over the changed bytes.
      const bytes = Buffer.from(PLAIN);
      bytes.writeInt16BE(0x0008, 21);
      bytes.writeUInt32BE(crc32c(bytes.subarray(21)), 17);
      const batch = decodeRecordBatch(bytes);
      expect(batch.timestampType).to.equal("LogAppendTime");
      expect(batch.records.map((r) => r.timestamp)).to.deep.equal([1700000000300, 1700000000300]);
    });

    it("splits a fetch's record set into batches and ignores a trailing partial batch", function () {
      const set = Buffer.concat([PLAIN, GZIP, GZIP.subarray(0, 40)]);
      const batches = decodeRecordBatches(set);
      expect(batches.map((b) => b.compression)).to.deep.equal(["none", "gzip"]);
      expect(decodeRecordBatches(Buffer.alloc(0))).to.deep.equal([]);
    });
  });

  describe("error codes", function () {
    it("names Kafka's error codes", function () {
      expect(errorName(6)).to.equal("NOT_LEADER_OR_FOLLOWER");
      expect(errorName(58)).to.equal("SASL_AUTHENTICATION_FAILED");
      expect(errorName(25)).to.equal("UNKNOWN_MEMBER_ID");
      expect(errorName(9999)).to.equal("UNKNOWN_ERROR_CODE_9999");
      const e = new KafkaProtocolError("OffsetCommit v8", "1@broker:9092", 16, "group g");
      expect(e.message).to.equal(
        "OffsetCommit v8 to broker 1@broker:9092 failed: NOT_COORDINATOR (16): group g",
      );
      expect(e.retriable).to.equal(true);
    });
  });

  describe("connection against a scripted broker", function () {
    let server: net.Server | undefined;
    afterEach(function () {
      server?.close();
      server = undefined;
    });

    /** Serves ApiVersions (refusing v3 like a pre-2.4 broker), answers byte by byte, never answers Metadata. */
    async function scriptedBroker(seen: string[]): Promise<number> {
      server = net.createServer((socket) => {
        let buf = Buffer.alloc(0);
        socket.on("data", (chunk: Buffer) => {
          buf = Buffer.concat([buf, chunk]);
          while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
            const frame = buf.subarray(4, 4 + buf.readInt32BE(0));
            buf = buf.subarray(4 + frame.length);
            const r = new Reader(frame);
            const apiKey = r.int16();
            const version = r.int16();
            const correlationId = r.int32();
            const clientId = r.nullableString();
            seen.push(`${apiKey}v${version}:${clientId}`);
            if (apiKey !== 18) continue; // Metadata: never answered
            const body = new Writer(false).int32(correlationId);
            if (version === 3) {
              body.int16(35).array([[18, 0, 2]], (w, [k, min, max]) => w.int16(k).int16(min).int16(max));
            } else {
              body.int16(0).array(
                [
                  [18, 0, 2],
                  [3, 0, 8],
                ],
                (w, [k, min, max]) => w.int16(k).int16(min).int16(max),
              );
              body.int32(0);
            }
            const payload = body.toBuffer();
            const framed = Buffer.concat([new Writer(false).int32(payload.length).toBuffer(), payload]);
            // One byte per write: the client must reassemble frames.
            for (const byte of framed) socket.write(Buffer.from([byte]));
          }
        });
      });
      await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
      return (server!.address() as net.AddressInfo).port;
    }

    it("falls back to the broker's ApiVersions version, picks common versions, times out requests", async function () {
      const seen: string[] = [];
      const port = await scriptedBroker(seen);
      const connection = await BrokerConnection.open({
        host: "127.0.0.1",
        port,
        clientId: "unit",
        tls: false,
        requestTimeoutMs: 300,
      });
      try {
        expect(seen).to.deep.equal(["18v3:unit", "18v2:unit"]);
        expect(connection.version("Metadata")).to.equal(8);
        expect(() => connection.version("Fetch")).to.throw(/does not support the Fetch API/);
        let error: unknown;
        await connection.request(metadataRequest(8, null)).catch((e: unknown) => (error = e));
        expect(error).to.be.instanceOf(KafkaConnectionError);
        expect((error as Error).message).to.equal(
          `Metadata v8 to broker 127.0.0.1:${port} timed out after 300 ms`,
        );
        expect(connection.closed).to.equal(true);
      } finally {
        connection.close();
      }
    });
  });
});
