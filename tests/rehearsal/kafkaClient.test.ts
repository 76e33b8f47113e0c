/**
 * The TypeScript Kafka client (lib/kafka/client) against real Kafka brokers: one emulating OCI
 * Streaming (SASL_SSL + PLAIN, run-time CA) and one plaintext. Records are written by the Java
 * producer (the rehearsal's Produce tool, i.e. Kafka's own client) and read back with the TS
 * client; group offsets committed by the TS client are read back with Kafka's AdminClient.
 */
import { expect } from "chai";
import * as fs from "node:fs";

import {
  crc32c,
  decodeRecordBatch,
  decodeRecordBatches,
  KAFKA_2_0_MAX_VERSIONS,
  KafkaAuthenticationError,
  KafkaClient,
  KafkaConnectionError,
  KafkaProtocolError,
  Reader,
  UnsupportedCompressionError,
  type ConsumedRecord,
  type KafkaClientOptions,
} from "../../lib/kafka/client";
import { startCluster, type LocalCluster } from "../../dev/rehearsal/cluster";
import { ensureKafkaRuntime, type KafkaRuntime } from "../../dev/rehearsal/kafkaRuntime";
import { produce, verify } from "../../dev/rehearsal/tools";

const RECORDS = 60;
const PARTITIONS = 3;
const VALUE_BYTES = 120;
const GZIP_RECORDS = 40;

interface Target {
  label: string;
  cluster: () => LocalCluster;
  options: () => KafkaClientOptions;
}

/** The record Produce writes for `seq` (see dev/rehearsal/java/…/Records.java). */
function expectedRecord(runId: string, seq: number, ts: number, valueBytes: number) {
  const head = `run=${runId};seq=${seq};ts=${ts};`;
  return {
    key: Buffer.from(`${runId}-${seq}`),
    value: Buffer.from(head.padEnd(valueBytes, ".")),
    headers: [
      { key: "ocigeo.run", value: Buffer.from(runId) },
      { key: "ocigeo.seq", value: Buffer.from(String(seq)) },
      { key: "ocigeo.ts", value: Buffer.from(String(ts)) },
    ],
    timestamp: ts,
  };
}

/**
 * Checks every record exactly: partition `seq % partitions`, offsets 0.. in seq order per
 * partition (one request in flight), key, value, headers (order and bytes) and timestamp.
 */
function assertWorkload(
  records: ConsumedRecord[],
  runId: string,
  count: number,
  partitions: number,
  valueBytes: number,
) {
  expect(records).to.have.length(count);
  const perPartition = new Map<number, ConsumedRecord[]>();
  for (const r of records) perPartition.set(r.partition, [...(perPartition.get(r.partition) ?? []), r]);
  expect([...perPartition.keys()].sort()).to.deep.equal([...Array(partitions).keys()]);
  for (const [partition, list] of perPartition) {
    list.forEach((r, i) => {
      expect(r.offset, `partition ${partition} record ${i}`).to.equal(i);
      const seq = partition + partitions * i;
      const tsHeader = r.headers.find((h) => h.key === "ocigeo.ts");
      expect(tsHeader, "ocigeo.ts header").to.not.equal(undefined);
      const ts = Number(tsHeader!.value!.toString());
      const expected = expectedRecord(runId, seq, ts, valueBytes);
      expect(r.key?.equals(expected.key), `key of seq ${seq}: ${r.key?.toString()}`).to.equal(true);
      expect(r.value?.toString()).to.equal(expected.value.toString());
      expect(r.value?.equals(expected.value)).to.equal(true);
      expect(r.headers.map((h) => ({ key: h.key, value: h.value?.toString() }))).to.deep.equal(
        expected.headers.map((h) => ({ key: h.key, value: h.value.toString() })),
      );
      expect(r.timestamp).to.equal(ts);
      expect(ts).to.be.within(Date.now() - 3_600_000, Date.now());
    });
  }
}

describe("rehearsal: TypeScript Kafka client against real brokers", function () {
  this.timeout(600_000);

  let runtime: KafkaRuntime;
  let oci: LocalCluster | undefined;
  let plain: LocalCluster | undefined;
  const clients: KafkaClient[] = [];

  const emulated = (): LocalCluster => oci ?? assert("emulated cluster not started");
  const stock = (): LocalCluster => plain ?? assert("plain cluster not started");
  function assert(message: string): never {
    throw new Error(message);
  }

  function ociOptions(overrides: Partial<KafkaClientOptions> = {}): KafkaClientOptions {
    const c = emulated();
    return {
      bootstrapServers: c.bootstrapServers,
      sasl: { username: c.username!, password: c.password! },
      tls: { caPem: fs.readFileSync(c.caPemPath!, "utf8") },
      clientId: "ts-client-test",
      requestTimeoutMs: 15_000,
      ...overrides,
    };
  }
  function plainOptions(overrides: Partial<KafkaClientOptions> = {}): KafkaClientOptions {
    return { bootstrapServers: stock().bootstrapServers, tls: false, requestTimeoutMs: 15_000, ...overrides };
  }
  async function connect(options: KafkaClientOptions): Promise<KafkaClient> {
    const client = await KafkaClient.connect(options);
    clients.push(client);
    return client;
  }

  const targets: Target[] = [
    { label: "OCI emulation (SASL_SSL/PLAIN)", cluster: emulated, options: () => ociOptions() },
    { label: "plain Kafka (PLAINTEXT)", cluster: stock, options: () => plainOptions() },
  ];

  before(async function () {
    runtime = await ensureKafkaRuntime();
    const started = await Promise.allSettled([
      startCluster({ name: "tsoci", ociEmulation: true, runtime }),
      startCluster({ name: "tsplain", ociEmulation: false, runtime }),
    ]);
    oci = started[0].status === "fulfilled" ? started[0].value : undefined;
    plain = started[1].status === "fulfilled" ? started[1].value : undefined;
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;

    // The workload, written by Kafka's Java producer: plain batches and gzip batches.
    await Promise.all(
      [emulated(), stock()].map(async (c) => {
        await c.admin([
          { op: "createTopic", name: "ts-records", partitions: PARTITIONS },
          { op: "createTopic", name: "ts-gzip", partitions: 2 },
          { op: "createTopic", name: "ts-group", partitions: 2 },
        ]);
        const runs = await Promise.all([
          produce(runtime, c.toolClient(), {
            topic: "ts-records",
            records: RECORDS,
            runId: "plainrun",
            partitions: PARTITIONS,
            valueBytes: VALUE_BYTES,
          }),
          produce(runtime, c.toolClient(), {
            topic: "ts-gzip",
            records: GZIP_RECORDS,
            runId: "gziprun",
            partitions: 2,
            valueBytes: 300,
            producerProperties: { "compression.type": "gzip", "linger.ms": "200", "batch.size": "65536" },
          }),
          produce(runtime, c.toolClient(), {
            topic: "ts-group",
            records: 20,
            runId: "grouprun",
            partitions: 2,
          }),
        ]);
        for (const run of runs) expect(run.ok, JSON.stringify(run.error)).to.equal(true);
      }),
    );
  });

  after(async function () {
    await Promise.allSettled(clients.map((c) => c.close()));
    await Promise.all([oci?.stop(), plain?.stop()]);
  });

  for (const target of targets) {
    describe(target.label, function () {
      it("negotiates API versions and lists topics, partitions and offsets", async function () {
        const client = await connect(target.options());
        const versions = Object.fromEntries(
          await Promise.all(
            (
              ["Metadata", "Fetch", "ListOffsets", "OffsetCommit", "OffsetFetch", "FindCoordinator"] as const
            ).map(async (api) => [api, await client.apiVersion(api)] as const),
          ),
        );
        // Kafka 4.1 supports all of these: the client's highest implemented versions are used.
        expect(versions).to.deep.equal({
          Metadata: 12,
          Fetch: 12,
          ListOffsets: 10,
          OffsetCommit: 9,
          OffsetFetch: 7,
          FindCoordinator: 4,
        });
        const topics = await client.listTopics();
        expect(topics).to.include.members(["ts-records", "ts-gzip", "ts-group"]);
        expect(topics).to.not.include("__consumer_offsets");
        const partitions = await client.partitionsFor("ts-records");
        expect(partitions.map((p) => p.partition)).to.deep.equal([0, 1, 2]);
        expect(partitions.every((p) => p.leader >= 0 && p.replicas.length === 1)).to.equal(true);

        const latest = await client.offsets("ts-records", "latest");
        const earliest = await client.offsets("ts-records", "earliest");
        const java = await target.cluster().endOffsets("ts-records");
        // Kafka's AdminClient (listOffsets) sees the same end offsets.
        expect(Object.values(java.partitions).sort()).to.deep.equal([...latest.values()].sort());
        expect(java.total).to.equal(RECORDS);
        expect([...earliest.values()]).to.deep.equal([0, 0, 0]);
        expect([...latest.values()]).to.deep.equal([20, 20, 20]);

        let unknown: unknown;
        await client.partitionsFor("no-such-topic").catch((e: unknown) => (unknown = e));
        expect(unknown).to.be.instanceOf(KafkaProtocolError);
        expect((unknown as KafkaProtocolError).codeName).to.equal("UNKNOWN_TOPIC_OR_PARTITION");
        expect((unknown as Error).message).to.match(
          /^Metadata v12 to broker .*UNKNOWN_TOPIC_OR_PARTITION \(3\)/,
        );
      });

      it("reads back exactly what the Java producer wrote (newest and Kafka 2.0-era API versions)", async function () {
        for (const maxVersions of [undefined, KAFKA_2_0_MAX_VERSIONS]) {
          const client = await connect({ ...target.options(), maxVersions });
          expect(await client.apiVersion("Fetch")).to.equal(maxVersions ? 8 : 12);
          const records = await client.readAll("ts-records");
          assertWorkload(records, "plainrun", RECORDS, PARTITIONS, VALUE_BYTES);
          // From the latest offsets, up to the end observed at start: nothing.
          expect(await client.readAll("ts-records", { fromBeginning: false })).to.deep.equal([]);
          // A tiny per-partition limit still makes progress (whole batches come back anyway).
          const small = await client.readAll("ts-records", { partitionMaxBytes: 64 });
          expect(small.map((r) => [r.partition, r.offset])).to.deep.equal(
            records.map((r) => [r.partition, r.offset]),
          );
        }
      });

      it("decodes gzip batches written by the Java producer", async function () {
        const client = await connect(target.options());
        const raw = await client.fetchRaw("ts-gzip", 0, 0);
        const batches = decodeRecordBatches(raw);
        expect(batches.length).to.be.greaterThan(0);
        expect(batches.every((b) => b.compression === "gzip")).to.equal(true);
        expect(batches.some((b) => b.records.length > 1)).to.equal(true);
        for (const maxVersions of [undefined, KAFKA_2_0_MAX_VERSIONS]) {
          const c = await connect({ ...target.options(), maxVersions });
          assertWorkload(await c.readAll("ts-gzip"), "gziprun", GZIP_RECORDS, 2, 300);
        }
      });

      it("agrees with the broker's own bytes: CRC-32C, varints, record layout", async function () {
        const client = await connect(target.options());
        const raw = await client.fetchRaw("ts-records", 1, 0);
        let pos = 0;
        let checked = 0;
        while (pos + 12 <= raw.length) {
          const length = raw.readInt32BE(pos + 8);
          if (pos + 12 + length > raw.length) break;
          const bytes = raw.subarray(pos, pos + 12 + length);
          // The CRC the Java producer computed equals ours over attributes..end.
          expect(crc32c(bytes.subarray(21))).to.equal(bytes.readUInt32BE(17));
          const batch = decodeRecordBatch(bytes);
          expect(batch.magic).to.equal(2);
          expect(batch.compression).to.equal("none");
          // Walk the first record by hand with the wire primitives.
          const r = new Reader(bytes, false, 61);
          const recordLength = r.varint();
          const start = r.offset;
          expect(r.int8()).to.equal(0);
          expect(r.varlong()).to.equal(batch.records[0].timestamp - batch.baseTimestamp);
          expect(r.varint()).to.equal(0);
          const keyLength = r.varint();
          expect(r.raw(keyLength).equals(batch.records[0].key!)).to.equal(true);
          const valueLength = r.varint();
          expect(valueLength).to.equal(VALUE_BYTES);
          r.skip(valueLength);
          expect(r.varint()).to.equal(3);
          r.skip(recordLength - (r.offset - start));
          checked++;
          pos += 12 + length;
        }
        expect(checked).to.be.greaterThan(0);
        // A flipped byte is detected.
        const corrupt = Buffer.from(raw.subarray(0, 12 + raw.readInt32BE(8)));
        corrupt[corrupt.length - 1] ^= 0xff;
        expect(() => decodeRecordBatch(corrupt)).to.throw(/CRC-32C mismatch/);
      });

      it("commits offsets for an idle group; the TS client and Kafka's AdminClient read them back", async function () {
        const client = await connect(target.options());
        const group = "ts-idle-group";
        expect((await client.describeGroup(group)).state).to.equal("Dead");
        await client.commitOffsets(
          group,
          new Map([
            [
              "ts-group",
              new Map([
                [0, 7],
                [1, 3],
              ]),
            ],
            ["ts-records", new Map([[2, 19]])],
          ]),
        );
        const ours = await client.fetchOffsets(group, null);
        expect(Object.fromEntries([...ours].map(([t, m]) => [t, Object.fromEntries(m)]))).to.deep.equal({
          "ts-group": { 0: 7, 1: 3 },
          "ts-records": { 2: 19 },
        });
        const some = await client.fetchOffsets(group, new Map([["ts-group", [1, 0]]]));
        expect(Object.fromEntries(some.get("ts-group")!)).to.deep.equal({ 0: 7, 1: 3 });
        const [java] = await target.cluster().admin([{ op: "groupOffsets", group }]);
        expect(java.ok, JSON.stringify(java)).to.equal(true);
        expect(java.offsets).to.deep.equal({ "ts-group:0": 7, "ts-group:1": 3, "ts-records:2": 19 });
        const described = await client.describeGroup(group);
        expect(described.state).to.equal("Empty");
        expect(described.memberCount).to.equal(0);
        const groups = await client.listGroups();
        expect(groups.map((g) => g.groupId)).to.include(group);

        // The same with the Kafka 2.0-era versions (OffsetCommit v4, OffsetFetch v4, ...).
        const legacy = await connect({ ...target.options(), maxVersions: KAFKA_2_0_MAX_VERSIONS });
        await legacy.commitOffsets(group, new Map([["ts-group", new Map([[0, 9]])]]));
        const again = await legacy.fetchOffsets(group, new Map([["ts-group", [0, 1]]]));
        expect(Object.fromEntries(again.get("ts-group")!)).to.deep.equal({ 0: 9, 1: 3 });
        expect((await legacy.describeGroup(group)).state).to.equal("Empty");
        expect((await legacy.listGroups()).map((g) => g.groupId)).to.include(group);
      });
    });
  }

  it("DescribeGroups shows the active member while a Java consumer is in the group; a standalone commit is refused", async function () {
    const c = emulated();
    const client = await connect(ociOptions());
    const group = "ts-live-group";
    // Verify subscribes as `group` and waits for more records than exist, so it stays a member.
    const consumer = verify(runtime, c.toolClient(), {
      topic: "ts-group",
      records: 1_000,
      runId: "grouprun",
      group,
      timeoutMs: 8_000,
    });
    let described = await client.describeGroup(group);
    const deadline = Date.now() + 60_000;
    while (!(described.state === "Stable" && described.memberCount === 1) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      described = await client.describeGroup(group);
    }
    expect(described.state).to.equal("Stable");
    expect(described.memberCount).to.equal(1);
    expect(described.protocolType).to.equal("consumer");
    expect(described.members[0].clientId).to.match(/\S/);

    let refused: unknown;
    await client
      .commitOffsets(group, new Map([["ts-group", new Map([[0, 1]])]]))
      .catch((e: unknown) => (refused = e));
    expect(refused).to.be.instanceOf(KafkaProtocolError);
    expect((refused as KafkaProtocolError).codeName).to.be.oneOf(["UNKNOWN_MEMBER_ID", "ILLEGAL_GENERATION"]);
    expect((refused as Error).message).to.match(/^OffsetCommit v9 to broker .* group ts-live-group/);

    const result = await consumer;
    expect(result.unique).to.equal(20);
    const after = await client.describeGroup(group);
    expect(after.memberCount).to.equal(0);
  });

  it("refuses a wrong password, naming the API and Kafka's error, without leaking the secret", async function () {
    const secret = "not-the-token-9f8e7d";
    let error: unknown;
    await KafkaClient.connect(
      ociOptions({ sasl: { username: emulated().username!, password: secret } }),
    ).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(KafkaAuthenticationError);
    expect((error as KafkaAuthenticationError).codeName).to.equal("SASL_AUTHENTICATION_FAILED");
    expect((error as Error).message).to.match(
      /^SaslAuthenticate v2 to broker 127\.0\.0\.1:\d+ failed: SASL_AUTHENTICATION_FAILED \(58\)/,
    );
    expect((error as Error).message).to.not.include(secret);
    expect(JSON.stringify(error)).to.not.include(secret);

    // Without the rehearsal CA the broker's certificate is not trusted.
    let untrusted: unknown;
    await KafkaClient.connect(ociOptions({ tls: {} })).catch((e: unknown) => (untrusted = e));
    expect(untrusted).to.be.instanceOf(KafkaConnectionError);
    expect((untrusted as Error).message).to.match(/certificate/i);

    // By host name (SNI + name check against the certificate's DNS SAN).
    const byName = await connect(
      ociOptions({ bootstrapServers: emulated().bootstrapServers.replace("127.0.0.1", "localhost") }),
    );
    expect(await byName.listTopics()).to.include("ts-records");
  });

  it("refuses snappy batches with a clear error", async function () {
    const c = stock();
    await c.createTopic("ts-snappy", 1);
    const run = await produce(runtime, c.toolClient(), {
      topic: "ts-snappy",
      records: 5,
      runId: "snappyrun",
      partitions: 1,
      producerProperties: { "compression.type": "snappy" },
    });
    if (!run.ok) this.skip(); // the Java runtime has no snappy codec
    const client = await connect(plainOptions());
    let error: unknown;
    await client.readAll("ts-snappy").catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(UnsupportedCompressionError);
    expect((error as Error).message).to.match(
      /snappy-compressed; this client decodes only uncompressed and gzip/,
    );
  });
});
