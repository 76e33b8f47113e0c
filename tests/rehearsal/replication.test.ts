/**
 * Smoke replication with the real MirrorMaker 2 between two emulated OCI Streaming regions, and
 * its negative control. The mm2.properties is `fixtures/mm2.properties` (a hand-written stand-in
 * for the renderer's output); the rehearsal only fills in endpoints, credentials and harness
 * topic names.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startCluster, type LocalCluster } from "../../lib/rehearsal/cluster";
import { ensureKafkaRuntime, type KafkaRuntime } from "../../lib/rehearsal/kafkaRuntime";
import {
  clusterPlaceholders,
  parseProperties,
  removeProperties,
  substitutePlaceholders,
  writePrivateFile,
} from "../../lib/rehearsal/mm2Properties";
import {
  logTail,
  startMirrorMaker,
  trustStoreFor,
  waitForTopicRecords,
  type MirrorMakerHandle,
} from "../../lib/rehearsal/mirrorMaker";
import { produce, verify } from "../../lib/rehearsal/tools";

const FIXTURE = path.join(__dirname, "fixtures", "mm2.properties");
const SOURCE = "fra";
const TARGET = "ams";
const TOPIC = "orders";
const PARTITIONS = 3;

/**
 * The internal topics MirrorMaker 4.1 (DefaultReplicationPolicy, separator ".") would create
 * compacted, pre-created here as ordinary topics, on the cluster where MM2 looks for them.
 */
const INTERNAL_TOPICS = {
  // offset-syncs.topic.location=source (default): on the source cluster, named after the target
  source: [`mm2-offset-syncs.${TARGET}.internal`],
  // checkpoints (named after the source) and heartbeats live on the target
  target: [`${SOURCE}.checkpoints.internal`, "heartbeats"],
};

const OFFSET_SYNC_REFUSED =
  /Failure sending offset sync\.[\s\S]{0,2000}?ClusterAuthorizationException|Aborting producer batches due to fatal error[\s\S]{0,600}?ClusterAuthorizationException/;

describe("rehearsal: MirrorMaker 2 between two emulated OCI regions", function () {
  this.timeout(600_000);

  let runtime: KafkaRuntime;
  let clusters: LocalCluster[] = [];
  let mirrorMakers: MirrorMakerHandle[] = [];
  let workDirs: string[] = [];

  before(async function () {
    runtime = await ensureKafkaRuntime();
  });

  afterEach(async function () {
    const mms = mirrorMakers;
    const cs = clusters;
    mirrorMakers = [];
    clusters = [];
    await Promise.all(mms.map((m) => m.stop()));
    await Promise.all(cs.map((c) => c.stop()));
    if (process.env.OCI_GEO_REHEARSAL_KEEP !== "1") {
      for (const dir of workDirs) fs.rmSync(dir, { recursive: true, force: true });
    }
    workDirs = [];
  });

  /** Two fresh emulated regions with the source topic and MM2's internal topics pre-created. */
  async function regions(): Promise<{ source: LocalCluster; target: LocalCluster; dir: string }> {
    const started = await Promise.allSettled([
      startCluster({ name: SOURCE, ociEmulation: true, runtime }),
      startCluster({ name: TARGET, ociEmulation: true, runtime }),
    ]);
    for (const s of started) if (s.status === "fulfilled") clusters.push(s.value);
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const [source, target] = clusters;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocigeo-mm2-"));
    workDirs.push(dir);
    const [sourceSetup, targetSetup] = await Promise.all([
      source.admin([
        { op: "createTopic", name: TOPIC, partitions: PARTITIONS },
        ...INTERNAL_TOPICS.source.map((name) => ({ op: "createTopic" as const, name, partitions: 1 })),
      ]),
      target.admin(
        INTERNAL_TOPICS.target.map((name) => ({ op: "createTopic" as const, name, partitions: 1 })),
      ),
    ]);
    for (const r of [...sourceSetup, ...targetSetup]) expect(r.ok, JSON.stringify(r)).to.equal(true);
    return { source, target, dir };
  }

  /** The fixture with this run's endpoints and credentials filled in, optionally edited. */
  function renderProperties(
    source: LocalCluster,
    target: LocalCluster,
    dir: string,
    edit: (text: string) => string = (t) => t,
  ): string {
    const text = substitutePlaceholders(fs.readFileSync(FIXTURE, "utf8"), {
      ...clusterPlaceholders(SOURCE, source),
      ...clusterPlaceholders(TARGET, target),
    });
    return writePrivateFile(path.join(dir, "mm2.properties"), edit(text));
  }

  async function runMirrorMaker(
    source: LocalCluster,
    propertiesFile: string,
    dir: string,
  ): Promise<MirrorMakerHandle> {
    const mm = await startMirrorMaker({
      propertiesFile,
      clusters: [TARGET],
      logFile: path.join(dir, "mirror-maker.log"),
      trustStore: trustStoreFor(source),
      runtime,
    });
    mirrorMakers.push(mm);
    return mm;
  }

  it("replicates records with keys, headers, timestamps and per-partition order intact", async function () {
    const { source, target, dir } = await regions();
    const runId = "smoke";
    const produced = await produce(runtime, source.toolClient(), {
      topic: TOPIC,
      records: 1000,
      runId,
      partitions: PARTITIONS,
    });
    expect(produced.ok, JSON.stringify(produced.error)).to.equal(true);
    expect(produced.acked).to.equal(1000);

    const mm = await runMirrorMaker(source, renderProperties(source, target, dir), dir);
    const result = await verify(runtime, target.toolClient(), {
      topic: `${SOURCE}.${TOPIC}`,
      records: 1000,
      runId,
      partitions: PARTITIONS,
      timeoutMs: 150_000,
      lingerMs: 2_000,
    });
    const context = `${JSON.stringify(result)}\nMirrorMaker log tail:\n${logTail(mm)}`;
    expect(result.complete, context).to.equal(true);
    expect(result.unique).to.equal(1000);
    expect(result.duplicates, context).to.equal(0);
    expect(result.orderViolations, context).to.equal(0);
    expect(result.keyMismatches, context).to.equal(0);
    expect(result.headerMismatches, context).to.equal(0);
    expect(result.timestampMismatches, context).to.equal(0);
    expect(result.partitionMismatches, context).to.equal(0);
    expect(result.malformed + result.foreign, context).to.equal(0);

    // The remote topic was created by MM2 like the source: same partitions, not compacted.
    const remote = await target.describeTopic(`${SOURCE}.${TOPIC}`);
    expect(remote.partitions).to.equal(PARTITIONS);
    expect(remote.configs["cleanup.policy"]).to.equal("delete");

    // The offset-syncs producer works (it is the one MM2 producer that takes the client default
    // enable.idempotence=true): its topic on the source receives syncs.
    await waitForTopicRecords(source, INTERNAL_TOPICS.source[0], 1, 60_000);
    expect(mm.log(), logTail(mm)).not.to.match(OFFSET_SYNC_REFUSED);
    expect(mm.log()).not.to.match(/PolicyViolationException/);
    expect(mm.running, logTail(mm)).to.equal(true);
  });

  it("negative control: with enable.idempotence left at the default, MM2's offset-syncs producer is refused", async function () {
    const { source, target, dir } = await regions();
    const runId = "idempotent-default";
    const produced = await produce(runtime, source.toolClient(), {
      topic: TOPIC,
      records: 200,
      runId,
      partitions: PARTITIONS,
    });
    expect(produced.ok, JSON.stringify(produced.error)).to.equal(true);

    const propertiesFile = renderProperties(source, target, dir, (text) =>
      removeProperties(text, (key) => key.endsWith("enable.idempotence")),
    );
    const keys = Object.keys(parseProperties(fs.readFileSync(propertiesFile, "utf8")));
    expect(keys.filter((k) => k.includes("idempotence"))).to.deep.equal([]);
    const mm = await runMirrorMaker(source, propertiesFile, dir);

    // How it fails on Kafka 4.1.2: Connect forces idempotence off for its own producers, so
    // records still reach the target...
    await waitForTopicRecords(target, `${SOURCE}.${TOPIC}`, 200, 150_000);
    // ...but the offset-syncs producer cannot get a producer id, so no offset sync is ever
    // written: no checkpoints, no consumer-group offset translation, no failover.
    await mm.waitForLog(OFFSET_SYNC_REFUSED, 60_000);
    const syncs = await source.endOffsets(INTERNAL_TOPICS.source[0]);
    expect(syncs.total, logTail(mm)).to.equal(0);
  });
});
