/**
 * The Kafka adapter's own logic, without a broker: the range filter over real record batches (made
 * and decoded by @platformatic/kafka with every codec), the error flattening over the library's
 * real error classes, the mapping of our options to the library's, and that no type of the library
 * reaches the published declarations.
 */
import { expect } from "chai";
import * as path from "node:path";
import * as ts from "typescript";

import {
  AuthenticationError,
  createRecordsBatch,
  MultipleErrors,
  NetworkError,
  Reader,
  readRecordsBatch,
  ResponseError,
  UserError,
} from "@platformatic/kafka";

import { libraryOptions } from "../../lib/ops/kafka/client";
import { flattenKafkaError, KafkaClientError } from "../../lib/ops/kafka/errors";
import { recordsInRange, type RawBatch } from "../../lib/ops/kafka/records";

const CODECS = ["none", "gzip", "snappy", "lz4", "zstd"] as const;
const T0 = 1_700_000_000_000n;

/** A batch of `count` records at `firstOffset`, written and read back by the library. */
function batch(codec: (typeof CODECS)[number], firstOffset: number, count: number, attributes = 0): RawBatch {
  const messages = [...Array(count).keys()].map((i) => ({
    topic: "t",
    partition: 0,
    key: Buffer.from(`k${firstOffset + i}`),
    value: Buffer.from(`v${firstOffset + i}`.padEnd(200, ".")),
    headers: new Map([[Buffer.from("h"), Buffer.from(`x${i}`)]]),
    timestamp: T0 + BigInt(i * 10),
  }));
  const written = createRecordsBatch(messages, {
    compression: codec,
    producerId: -1n,
    producerEpoch: -1,
    sequences: undefined as never,
    partitionLeaderEpoch: 0,
  });
  const buffer = written.buffer;
  buffer.writeBigInt64BE(BigInt(firstOffset), 0);
  const decoded = readRecordsBatch(Reader.from(buffer));
  return { ...decoded, attributes: decoded.attributes | attributes };
}

describe("Kafka adapter: records of a range", () => {
  for (const codec of CODECS) {
    it(`${codec}: drops what precedes the wanted offset in a batch that starts earlier, stops at the end`, () => {
      const batches = [batch(codec, 10, 5), batch(codec, 15, 5)];
      expect(batches[0].attributes & 0b111).to.equal(CODECS.indexOf(codec));
      const { records, next } = recordsInRange(3, batches, 12, 17);
      expect(records.map((r) => r.offset)).to.deep.equal([12, 13, 14, 15, 16]);
      expect(records[0]).to.deep.include({ partition: 3, timestamp: Number(T0) + 20 });
      expect(records[0].key?.toString()).to.equal("k12");
      expect(records[0].headers).to.deep.equal([{ key: "h", value: Buffer.from("x2") }]);
      // The whole second batch was read: the next fetch starts after it.
      expect(next).to.equal(20);
    });
  }

  it("skips control batches but moves past them; a batch whose last records were removed still advances", () => {
    const control = batch("none", 5, 1, 1 << 5);
    const trimmed = { ...batch("none", 6, 2), lastOffsetDelta: 3 }; // offsets 6, 7; last offset 9
    const { records, next } = recordsInRange(0, [control, trimmed], 5, 100);
    expect(records.map((r) => r.offset)).to.deep.equal([6, 7]);
    expect(next).to.equal(10);
  });

  it("reports LogAppendTime batches with the broker's time (the batch's maxTimestamp)", () => {
    const appended = { ...batch("lz4", 0, 3, 1 << 3), maxTimestamp: T0 + 5_000n };
    expect(recordsInRange(0, [appended], 0, 3).records.map((r) => r.timestamp)).to.deep.equal([
      Number(T0) + 5_000,
      Number(T0) + 5_000,
      Number(T0) + 5_000,
    ]);
    // Control: without the bit, each record's own CreateTime.
    expect(recordsInRange(0, [batch("lz4", 0, 3)], 0, 3).records.map((r) => r.timestamp)).to.deep.equal([
      Number(T0),
      Number(T0) + 10,
      Number(T0) + 20,
    ]);
  });

  it("ignores batches wholly before the wanted offset; nothing to read leaves next where it was", () => {
    expect(recordsInRange(0, [batch("none", 0, 3)], 5, 9)).to.deep.equal({ records: [], next: 5 });
    expect(recordsInRange(0, [], 5, 9)).to.deep.equal({ records: [], next: 5 });
  });
});

describe("Kafka adapter: errors", () => {
  it("an authentication failure: one line with Kafka's reason, kind authentication", () => {
    const refused = new ResponseError(
      36,
      2,
      { "": [58, "Authentication failed: Invalid username or password"] },
      {},
    );
    const error = new MultipleErrors("metadata failed 1 times.", [
      new AuthenticationError("SASL authentication failed.", { cause: refused }),
    ]);
    const e = KafkaClientError.from("connect", "h:9092", error);
    expect(e.kind).to.equal("authentication");
    expect(e.kafkaCode).to.equal("SASL_AUTHENTICATION_FAILED");
    expect(e.message).to.equal(
      "connect on h:9092 failed: authentication failed: SASL_AUTHENTICATION_FAILED: Authentication failed: Invalid username or password",
    );
  });

  it("a refused connection, a TLS failure, an unknown topic, a broker error code", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const network = new MultipleErrors("metadata failed 3 times.", [
      new NetworkError("Connection to 127.0.0.1:1 failed.", { cause: refused }),
      new NetworkError("Connection to 127.0.0.1:1 failed.", { cause: refused }),
    ]);
    expect(flattenKafkaError(network)).to.deep.equal({
      detail: "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1",
      kind: "connection",
      kafkaCode: undefined,
    });
    const tls = new NetworkError("Connection to h:9092 failed.", {
      cause: Object.assign(new Error("self-signed certificate in certificate chain"), {
        code: "SELF_SIGNED_CERT_IN_CHAIN",
      }),
    });
    expect(flattenKafkaError(tls)).to.deep.include({
      kind: "tls",
      detail: "SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain",
    });
    expect(flattenKafkaError(new UserError("Unknown topic orders."))).to.deep.equal({
      detail: "Unknown topic orders",
      kind: "unknown-topic",
      kafkaCode: "UNKNOWN_TOPIC_OR_PARTITION",
    });
    const member = new MultipleErrors("Altering consumer group offsets failed.", [
      new ResponseError(8, 9, { "/topics/0/partitions/0": [25, null] }, {}),
    ]);
    expect(KafkaClientError.from("commitOffsets(g)", "h:9092", member)).to.deep.include({
      kind: "broker",
      kafkaCode: "UNKNOWN_MEMBER_ID",
      message: "commitOffsets(g) on h:9092 failed: UNKNOWN_MEMBER_ID",
    });
  });

  it("keeps nothing of the library's error (no cause to inspect)", () => {
    const e = KafkaClientError.from("x", "h", new NetworkError("boom", { secret: "s3cr3t" }));
    expect(e.cause).to.equal(undefined);
    expect(JSON.stringify(e)).to.not.include("s3cr3t");
  });
});

describe("Kafka adapter: options", () => {
  it("maps SASL, TLS and mutual TLS; TLS by default with SASL; SNI only for host names", () => {
    const oci = libraryOptions({
      bootstrapServers: "cell-1.streaming.eu-frankfurt-1.oci.oraclecloud.com:9092",
      sasl: { username: "t/u/p", password: "tok" },
    });
    expect(oci).to.deep.include({
      bootstrapBrokers: ["cell-1.streaming.eu-frankfurt-1.oci.oraclecloud.com:9092"],
      tls: {},
      tlsServerName: true,
      sasl: { mechanism: "PLAIN", username: "t/u/p", password: "tok" },
    });
    const mtls = libraryOptions({
      bootstrapServers: ["10.0.0.5", "[::1]:9093"],
      tls: { caPem: "CA", certPem: "CERT", keyPem: "KEY", keyPassword: "pw" },
    });
    expect(mtls.bootstrapBrokers).to.deep.equal(["10.0.0.5:9092", "[::1]:9093"]);
    expect(mtls.tls).to.deep.equal({ ca: "CA", cert: "CERT", key: "KEY", passphrase: "pw" });
    expect(mtls).to.not.have.property("tlsServerName");
    expect(mtls).to.not.have.property("sasl");
    const scram = libraryOptions({
      bootstrapServers: "h:9092",
      sasl: { mechanism: "SCRAM-SHA-512", username: "u", password: "p" },
      tls: false,
    });
    expect(scram).to.not.have.property("tls");
    expect(scram.sasl?.mechanism).to.equal("SCRAM-SHA-512");
    expect(() => libraryOptions({ bootstrapServers: "h", tls: { certPem: "CERT" } })).to.throw(
      /both certPem and keyPem/,
    );
    expect(() => libraryOptions({ bootstrapServers: " , " })).to.throw(/empty/);
  });
});

describe("Kafka adapter: published declarations", function () {
  this.timeout(60_000);
  it("name no type of @platformatic/kafka (consumers on node16 resolution would fail with TS1479)", () => {
    const root = path.resolve(__dirname, "..", "..");
    const config = ts.getParsedCommandLineOfConfigFile(
      path.join(root, "tsconfig.json"),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => undefined,
      },
    )!;
    const entry = ["lib/ops/kafka/client.ts", "lib/ops/failover/index.ts", "lib/ops/failback/index.ts"].map(
      (f) => path.join(root, f),
    );
    const program = ts.createProgram(entry, { ...config.options, emitDeclarationOnly: true, noEmit: false });
    const emitted = new Map<string, string>();
    program.emit(undefined, (file, text) => emitted.set(path.relative(path.join(root, "dist"), file), text));
    expect([...emitted.keys()]).to.include.members(["ops/kafka/client.d.ts", "ops/kafka/records.d.ts"]);
    const imports = /(from\s+|import\(|require\()["']@platformatic\//;
    const leaking = [...emitted].filter(([, text]) => imports.test(text)).map(([f]) => f);
    expect(leaking).to.deep.equal([]);
    // The source does use the library: only its declarations keep it out.
    expect(program.getSourceFile(entry[0])!.text).to.match(imports);
  });
});
