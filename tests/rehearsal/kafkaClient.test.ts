/**
 * The Kafka adapter (lib/ops/kafka/client.ts, on @platformatic/kafka) against real brokers: one
 * emulating OCI Streaming (SASL_SSL + PLAIN, run-time CA) and one plaintext. Records are written by
 * the Java producer (the rehearsal's Produce tool, i.e. Kafka's own client) uncompressed and with
 * each codec, and read back with the adapter; that the batches really are compressed is read from
 * the broker's raw Fetch answer. Group offsets committed by the adapter are read back with Kafka's
 * AdminClient. (The mTLS and SCRAM paths run in failbackOnPrem.test.ts.)
 */
import { expect } from "chai";
import * as fs from "node:fs";
import { inspect } from "node:util";

import {
  KafkaClient,
  KafkaClientError,
  type ConsumedRecord,
  type KafkaClientOptions,
} from "../../lib/ops/kafka/client";
import { startCluster, type LocalCluster } from "../../dev/rehearsal/cluster";
import { ensureKafkaRuntime, type KafkaRuntime } from "../../dev/rehearsal/kafkaRuntime";
import { produce, verify } from "../../dev/rehearsal/tools";
import { batchCodecs } from "../support/rawBatches";

const RECORDS = 60;
const PARTITIONS = 3;
const VALUE_BYTES = 120;
const CODEC_RECORDS = 40;
const CODECS = ["gzip", "snappy", "lz4", "zstd"] as const;

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
      expect(r.headers.map((h) => ({ key: h.key, value: h.value?.toString() }))).to.deep.equal(
        expected.headers.map((h) => ({ key: h.key, value: h.value.toString() })),
      );
      expect(r.timestamp).to.equal(ts);
      expect(ts).to.be.within(Date.now() - 3_600_000, Date.now());
    });
  }
}

async function rejection(p: Promise<unknown>): Promise<KafkaClientError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "expected a rejection").to.be.instanceOf(KafkaClientError);
  return error as KafkaClientError;
}

describe("rehearsal: the Kafka adapter (@platformatic/kafka) against real brokers", function () {
  this.timeout(600_000);

  let runtime: KafkaRuntime;
  let oci: LocalCluster | undefined;
  let plain: LocalCluster | undefined;
  const clients: KafkaClient[] = [];

  const emulated = (): LocalCluster => oci ?? fail("emulated cluster not started");
  const stock = (): LocalCluster => plain ?? fail("plain cluster not started");
  function fail(message: string): never {
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
  function plainOptions(): KafkaClientOptions {
    return { bootstrapServers: stock().bootstrapServers, tls: false, requestTimeoutMs: 15_000 };
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
      startCluster({ name: "tsoci", ociEmulation: true, runtime, heapMb: 384 }),
      startCluster({ name: "tsplain", ociEmulation: false, runtime, heapMb: 384 }),
    ]);
    oci = started[0].status === "fulfilled" ? started[0].value : undefined;
    plain = started[1].status === "fulfilled" ? started[1].value : undefined;
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;

    // The workload, written by Kafka's Java producer: plain batches and one topic per codec, with
    // linger so that batches hold many records (a read must start inside a compressed batch).
    await Promise.all(
      [emulated(), stock()].map(async (c) => {
        await c.admin([
          { op: "createTopic", name: "ts-records", partitions: PARTITIONS },
          { op: "createTopic", name: "ts-group", partitions: 2 },
          {
            op: "createTopic",
            name: "ts-append",
            partitions: 1,
            configs: { "message.timestamp.type": "LogAppendTime" },
          },
          ...CODECS.map((codec) => ({ op: "createTopic" as const, name: `ts-${codec}`, partitions: 2 })),
        ]);
        const runs = await Promise.all([
          produce(runtime, c.toolClient(), {
            topic: "ts-records",
            records: RECORDS,
            runId: "plainrun",
            partitions: PARTITIONS,
            valueBytes: VALUE_BYTES,
          }),
          ...CODECS.map((codec) =>
            produce(runtime, c.toolClient(), {
              topic: `ts-${codec}`,
              records: CODEC_RECORDS,
              runId: `${codec}run`,
              partitions: 2,
              valueBytes: 300,
              producerProperties: { "compression.type": codec, "linger.ms": "200", "batch.size": "65536" },
            }),
          ),
          produce(runtime, c.toolClient(), {
            topic: "ts-group",
            records: 20,
            runId: "grouprun",
            partitions: 2,
          }),
          // Paced (5 ms apart) and lingering: one batch spans records of different create times.
          produce(runtime, c.toolClient(), {
            topic: "ts-append",
            records: 30,
            runId: "appendrun",
            partitions: 1,
            rate: 200,
            producerProperties: { "linger.ms": "300", "batch.size": "65536" },
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
      it("lists topics, partitions and offsets as Kafka's AdminClient does; an unknown topic is named", async function () {
        const client = await connect(target.options());
        const topics = await client.listTopics();
        expect(topics).to.include.members(["ts-records", "ts-group", ...CODECS.map((c) => `ts-${c}`)]);
        expect(topics).to.not.include("__consumer_offsets");
        const withInternal = await client.listTopics({ includeInternal: true });
        expect(withInternal).to.include.members(topics);
        expect(withInternal.filter((t) => !topics.includes(t)).every((t) => t.startsWith("__"))).to.equal(
          true,
        );
        const partitions = await client.partitionsFor("ts-records");
        expect(partitions.map((p) => p.partition)).to.deep.equal([0, 1, 2]);
        expect(partitions.every((p) => p.leader >= 0 && p.replicas.length === 1)).to.equal(true);

        const latest = await client.offsets("ts-records", "latest");
        const earliest = await client.offsets("ts-records", "earliest");
        const java = await target.cluster().endOffsets("ts-records");
        expect(java.total).to.equal(RECORDS);
        expect(Object.values(java.partitions).sort()).to.deep.equal([...latest.values()].sort());
        expect([...earliest.values()]).to.deep.equal([0, 0, 0]);
        expect([...latest.values()]).to.deep.equal([20, 20, 20]);

        const unknown = await rejection(client.partitionsFor("no-such-topic"));
        expect(unknown.kind).to.equal("unknown-topic");
        expect(unknown.message).to.match(
          new RegExp(
            `^partitionsFor\\(no-such-topic\\) on ${target.cluster().bootstrapServers} failed: .*no-such-topic`,
          ),
        );
      });

      it("reads back exactly what the Java producer wrote, and any range of it", async function () {
        const client = await connect(target.options());
        const records = await client.readAll("ts-records");
        assertWorkload(records, "plainrun", RECORDS, PARTITIONS, VALUE_BYTES);
        const range = await client.readRange("ts-records", 1, 5, 9);
        expect(range.map((r) => r.offset)).to.deep.equal([5, 6, 7, 8]);
        expect(range.map((r) => r.value)).to.deep.equal(
          records.filter((r) => r.partition === 1 && r.offset >= 5 && r.offset < 9).map((r) => r.value),
        );
        // Past the end: what exists, then stop (no wait, no error).
        expect((await client.readRange("ts-records", 0, 18, 500)).map((r) => r.offset)).to.deep.equal([
          18, 19,
        ]);
        expect(await client.readRange("ts-records", 0, 20, 21)).to.deep.equal([]);
      });

      for (const codec of CODECS) {
        it(`decodes ${codec} batches written by the Java producer, also from inside a batch`, async function () {
          const client = await connect(target.options());
          const codecs = await batchCodecs(target.options(), `ts-${codec}`, 0);
          expect(codecs.length).to.be.greaterThan(0);
          expect(new Set(codecs), "what the broker stores").to.deep.equal(new Set([codec]));
          const all = await client.readAll(`ts-${codec}`);
          assertWorkload(all, `${codec}run`, CODEC_RECORDS, 2, 300);
          // Offsets 7..9 of partition 0 sit inside a compressed batch that starts earlier.
          const mid = await client.readRange(`ts-${codec}`, 0, 7, 10);
          expect(mid.map((r) => r.offset)).to.deep.equal([7, 8, 9]);
          expect(mid.map((r) => r.key?.toString())).to.deep.equal(
            [14, 16, 18].map((s) => `${codec}run-${s}`),
          );
        });
      }

      it("reports the broker's LogAppendTime, as a Java consumer (hence MM2) sees it", async function () {
        const client = await connect(target.options());
        const records = await client.readAll("ts-append");
        expect(records).to.have.length(30);
        const created = records.map((r) =>
          Number(r.headers.find((h) => h.key === "ocigeo.ts")!.value!.toString()),
        );
        records.forEach((r, i) => expect(r.timestamp, `record ${i}`).to.be.at.least(created[i]));
        // Most records were appended later than they were created (the batch lingered): the
        // producer's CreateTime (what the library alone reports) is not what is returned.
        expect(records.filter((r, i) => r.timestamp > created[i]).length).to.be.greaterThan(15);
        expect(new Set(records.map((r) => r.timestamp)).size).to.be.lessThan(records.length);
      });

      it("commits offsets for an idle group; the adapter and Kafka's AdminClient read them back", async function () {
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
        const some = await client.fetchOffsets(
          group,
          new Map([
            ["ts-group", [1, 0]],
            ["ts-records", [0]],
          ]),
        );
        expect(Object.fromEntries([...some].map(([t, m]) => [t, Object.fromEntries(m)]))).to.deep.equal({
          "ts-group": { 0: 7, 1: 3 },
        });
        const [java] = await target.cluster().admin([{ op: "groupOffsets", group }]);
        expect(java.ok, JSON.stringify(java)).to.equal(true);
        expect(java.offsets).to.deep.equal({ "ts-group:0": 7, "ts-group:1": 3, "ts-records:2": 19 });
        const described = await client.describeGroup(group);
        expect(described.state).to.equal("Empty");
        expect(described.memberCount).to.equal(0);
        const groups = await client.listGroups();
        expect(groups.find((g) => g.groupId === group)).to.deep.include({ groupId: group });
        expect(
          await rejection(client.commitOffsets(group, new Map([["ts-group", new Map([[0, -1]])]]))),
        ).to.have.property("kind", "client");
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
    expect((await client.listGroups()).find((g) => g.groupId === group)).to.deep.include({
      protocolType: "consumer",
      state: "Stable",
    });

    const refused = await rejection(client.commitOffsets(group, new Map([["ts-group", new Map([[0, 1]])]])));
    expect(refused.kind).to.equal("broker");
    expect(refused.kafkaCode).to.be.oneOf(["UNKNOWN_MEMBER_ID", "ILLEGAL_GENERATION"]);
    expect(refused.message).to.match(
      /^commitOffsets\(ts-live-group\) on 127\.0\.0\.1:\d+ failed: (UNKNOWN_MEMBER_ID|ILLEGAL_GENERATION)/,
    );

    const result = await consumer;
    expect(result.unique).to.equal(20);
    expect((await client.describeGroup(group)).memberCount).to.equal(0);
  });

  it("refuses a wrong password and an untrusted broker with one clear line, without leaking the secret", async function () {
    const secret = "not-the-token-9f8e7d";
    const error = await rejection(
      KafkaClient.connect(ociOptions({ sasl: { username: emulated().username!, password: secret } })),
    );
    expect(error.kind).to.equal("authentication");
    expect(error.message).to.match(
      new RegExp(
        `^connect on ${emulated().bootstrapServers} failed: authentication failed: .*SASL_AUTHENTICATION_FAILED`,
      ),
    );
    for (const text of [error.message, JSON.stringify(error), inspect(error, { depth: 10 })]) {
      expect(text).to.not.include(secret);
    }

    // Without the rehearsal CA (system CAs only) the broker's certificate is not trusted.
    const untrusted = await rejection(KafkaClient.connect(ociOptions({ tls: {} })));
    expect(untrusted.kind).to.equal("tls");
    expect(untrusted.message).to.match(/certificate/i);

    // By host name (SNI + name check against the certificate's DNS SAN).
    const byName = await connect(
      ociOptions({ bootstrapServers: emulated().bootstrapServers.replace("127.0.0.1", "localhost") }),
    );
    expect(await byName.listTopics()).to.include("ts-records");

    // Nobody listening: a connection error naming the address.
    const closed = await rejection(
      KafkaClient.connect({
        bootstrapServers: "127.0.0.1:1",
        tls: false,
        retries: 1,
        requestTimeoutMs: 2_000,
      }),
    );
    expect(closed.kind).to.equal("connection");
    expect(closed.message).to.match(/^connect on 127\.0\.0\.1:1 failed: .*ECONNREFUSED/);
  });
});
