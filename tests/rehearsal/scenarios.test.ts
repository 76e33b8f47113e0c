/**
 * DR scenarios on real brokers and the real MirrorMaker 2, each MM2 running exactly the
 * mm2.properties the dr stack renders (dev/rehearsal/renderedConfig.ts), with the component's
 * replication arguments (topicsInclude, topicsExclude, refreshIntervalSeconds, fleet size) as the
 * knobs. Two emulated OCI regions (fra → ams) are shared by every scenario; each scenario gets its
 * own Connect harness (its own Connect state, like a fresh deployment) and its own topics, and
 * stops its MM2 nodes in afterEach, failures included.
 */
import { expectIntact } from "./verifyExpectations";
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { parseProperties } from "../../lib/core/mm2";
import type { LocalCluster } from "../../dev/rehearsal/cluster";
import { ensureKafkaRuntime, type KafkaRuntime } from "../../dev/rehearsal/kafkaRuntime";
import { removeProperties } from "../../dev/rehearsal/mm2Properties";
import { logTail, waitForTopicRecords, type MirrorMakerHandle } from "../../dev/rehearsal/mirrorMaker";
import {
  createConnectHarness,
  prepareRenderedMirrorMaker,
  startEmulatedRegions,
  startRenderedNode,
  type EmulatedRegions,
  type PrepareRenderedMirrorMakerOptions,
  type PreparedMirrorMaker,
} from "../../dev/rehearsal/renderedConfig";
import { produce, verify, type CheckpointRecord } from "../../dev/rehearsal/tools";

const REFRESH_SECONDS = 5;
const CHECKPOINT_GROUP = "billing";
const OFFSET_SYNC_REFUSED =
  /Failure sending offset sync\.[\s\S]{0,2000}?ClusterAuthorizationException|Aborting producer batches due to fatal error[\s\S]{0,600}?ClusterAuthorizationException/;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `refresh` then checks `done` every second, up to `timeoutMs`. */
async function waitUntil(
  done: () => Promise<boolean>,
  refresh: () => Promise<void>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await refresh();
    if (await done()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(1_000);
  }
}

describe("rehearsal scenarios: the rendered mm2.properties on real brokers and real MirrorMaker 2", function () {
  this.timeout(600_000);

  let runtime: KafkaRuntime;
  let regions: EmulatedRegions | undefined;
  let workDir: string;
  /** MM2 nodes of the current scenario: stopped in afterEach, whatever happened. */
  let running: MirrorMakerHandle[] = [];

  before(async function () {
    runtime = await ensureKafkaRuntime();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocigeo-scenarios-"));
    regions = await startEmulatedRegions({ runtime });
  });

  afterEach(async function () {
    await stopScenario();
  });

  after(async function () {
    await stopScenario();
    await regions?.stop();
    if (process.env.OCI_GEO_REHEARSAL_KEEP !== "1") fs.rmSync(workDir, { recursive: true, force: true });
  });

  async function stopScenario(): Promise<void> {
    const mms = running;
    running = [];
    await Promise.all(mms.map((m) => m.stop()));
  }

  function source(): LocalCluster {
    if (!regions) throw new Error("regions not started");
    return regions.source;
  }
  function target(): LocalCluster {
    if (!regions) throw new Error("regions not started");
    return regions.target;
  }

  /** Renders the dr stack's config for a scenario, on a fresh Connect harness of the target. */
  async function prepare(
    name: string,
    options: Omit<PrepareRenderedMirrorMakerOptions, "source" | "target" | "workDir">,
  ): Promise<PreparedMirrorMaker> {
    return prepareRenderedMirrorMaker({
      ...options,
      source: source(),
      target: target(),
      workDir: path.join(workDir, name),
      connectHarnessId: await createConnectHarness(target(), name),
    });
  }

  async function start(prepared: PreparedMirrorMaker, node = 0): Promise<MirrorMakerHandle> {
    const mm = await startRenderedNode(prepared, node, {
      runtime,
      logFile: path.join(path.dirname(prepared.configDir), `mm2-node${node + 1}-${Date.now()}.log`),
    });
    running.push(mm);
    return mm;
  }

  async function produceOk(topic: string, records: number, runId: string, partitions: number, rate?: number) {
    const result = await produce(runtime, source().toolClient(), { topic, records, runId, partitions, rate });
    expect(result.ok, JSON.stringify(result.error)).to.equal(true);
    expect(result.acked).to.equal(records);
    return result;
  }

  async function topicsOn(cluster: LocalCluster): Promise<string[]> {
    const [listed] = await cluster.admin([{ op: "listTopics" }]);
    expect(listed.ok, JSON.stringify(listed)).to.equal(true);
    return listed.topics as string[];
  }

  describe("one node, topicsInclude orders.*, topicsExclude orders\\.audit.*, refresh 5 s", function () {
    let prepared: PreparedMirrorMaker;
    let mm: MirrorMakerHandle;

    // One MM2 for this block: the scenarios build on each other like one day of operation.
    before(async function () {
      prepared = await prepare("include", {
        streams: [
          { name: "orders", partitions: 3 },
          { name: "orders.audit", partitions: 1 },
          { name: "payments", partitions: 2 },
        ],
        overrides: {
          topicsInclude: ["orders.*"],
          topicsExclude: ["orders\\.audit.*"],
          refreshIntervalSeconds: REFRESH_SECONDS,
        },
      });
      mm = await start(prepared);
      // The block's MM2 must survive afterEach: keep it out of the per-test list.
      running = running.filter((m) => m !== mm);
      // A consumer group reads (and commits) on the primary from the start, so that the first
      // checkpoint (emit.checkpoints.interval.seconds = 60 as rendered) is due by the time the
      // checkpoint scenario looks for it.
      await produceOk("orders", 300, "checkpoint", 3);
      const consumed = await verify(runtime, source().toolClient(), {
        topic: "orders",
        records: 300,
        runId: "checkpoint",
        group: CHECKPOINT_GROUP,
        timeoutMs: 60_000,
        lingerMs: 1_500,
      });
      expect(consumed.complete, JSON.stringify(consumed)).to.equal(true);
    });

    after(async function () {
      await mm?.stop();
    });

    it("renders the include/exclude patterns and pre-creates only what topicsToPreCreate lists", function () {
      const props = parseProperties(prepared.rendered);
      expect(props.get("fra->ams.topics")).to.equal("orders.*");
      expect(props.get("fra->ams.topics.exclude")).to.contain("orders\\.audit.*");
      expect(props.get("refresh.topics.interval.seconds")).to.equal(String(REFRESH_SECONDS));
      expect(prepared.mm2TopicNames).to.deep.equal([
        "fra.checkpoints.internal",
        "fra.heartbeats",
        "fra.orders",
        "heartbeats",
        "mm2-offset-syncs.fra.internal",
      ]);
    });

    it("replicates records with keys, headers, timestamps and per-partition order preserved", async function () {
      await produceOk("orders", 600, "include-1", 3);
      const result = await verify(runtime, target().toolClient(), {
        topic: prepared.remoteTopic("orders"),
        records: 600,
        runId: "include-1",
        partitions: 3,
        timeoutMs: 120_000,
        lingerMs: 1_000,
      });
      const context = `${JSON.stringify(result)}\n${logTail(mm)}`;
      expectIntact(result, context);
      expect(result.duplicates, context).to.equal(0);
    });

    it("picks up a new topic matching the include pattern, and never an excluded one", async function () {
      // Both created after MM2 started; only the refresh (5 s) can find them.
      await Promise.all([
        source().createTopic("orders.eu", 2),
        source().createTopic("orders.audit.eu", 2),
        source().createTopic("invoices", 1),
      ]);
      await Promise.all([
        produceOk("orders.eu", 200, "new-topic", 2),
        produceOk("orders.audit.eu", 200, "excluded", 2),
        produceOk("invoices", 50, "not-included", 1),
        produceOk("orders.audit", 50, "excluded-declared", 1),
      ]);
      const result = await verify(runtime, target().toolClient(), {
        topic: prepared.remoteTopic("orders.eu"),
        records: 200,
        runId: "new-topic",
        partitions: 2,
        timeoutMs: 120_000,
      });
      expectIntact(result, `${JSON.stringify(result)}\n${logTail(mm)}`);
      // MM2 created the remote topic itself (not declared, so not pre-created): like the source.
      const remote = await target().describeTopic("fra.orders.eu");
      expect(remote.partitions).to.equal(2);
      expect(remote.configs["cleanup.policy"]).to.equal("delete");
      // Two more refresh cycles after the included topic arrived: the others never appear.
      await sleep(2 * REFRESH_SECONDS * 1000 + 2_000);
      const topics = await topicsOn(target());
      expect(topics).to.include("fra.orders.eu");
      for (const absent of ["fra.orders.audit.eu", "fra.orders.audit", "fra.invoices", "fra.payments"]) {
        expect(topics, `${absent} must not be replicated`).not.to.include(absent);
      }
    });

    it("emits checkpoints for a consumer group that committed on the primary", async function () {
      const group = CHECKPOINT_GROUP;
      const [committed] = await source().admin([{ op: "groupOffsets", group }]);
      expect(committed.ok, JSON.stringify(committed)).to.equal(true);
      const upstream = committed.offsets as Record<string, number>;
      expect(upstream).to.deep.equal({ "orders:0": 100, "orders:1": 100, "orders:2": 100 });
      const remoteEnd = await target().endOffsets("fra.orders");

      // Emitted every emit.checkpoints.interval.seconds (60 s as rendered) once the group is seen.
      const topic = "fra.checkpoints.internal";
      const deadline = Date.now() + 180_000;
      let latest = new Map<number, CheckpointRecord>();
      while (Date.now() < deadline) {
        const [read] = await target().admin([{ op: "checkpoints", topic }]);
        expect(read.ok, JSON.stringify(read)).to.equal(true);
        latest = new Map();
        for (const c of read.records as CheckpointRecord[]) {
          if (c.group === group && c.upstreamOffset === upstream[`orders:${c.partition}`]) {
            latest.set(c.partition, c);
          }
        }
        if (latest.size === 3) break;
        await sleep(5_000);
      }
      console.log(`      checkpoints for ${group}: ${JSON.stringify([...latest.values()])}`);
      expect(latest.size, `checkpoints for all 3 partitions within 180 s\n${logTail(mm)}`).to.equal(3);
      for (const c of latest.values()) {
        // Checkpoints name the remote topic; the translated offset is a real position in it
        // that never skips records the group has not consumed.
        expect(c.topic).to.equal("fra.orders");
        expect(c.downstreamOffset).to.be.greaterThan(0);
        expect(c.downstreamOffset).to.be.at.most(c.upstreamOffset);
        expect(c.downstreamOffset).to.be.at.most(remoteEnd.partitions[String(c.partition)]);
      }
    });

    it("loses no record when MM2 is SIGKILLed mid-stream and restarted (duplicates reported)", async function () {
      const records = 2_000;
      // 8 s of traffic at 250 records/s; MM2 is killed 3 s in and restarted 2 s later.
      const producing = produceOk("orders", records, "crash", 3, 250);
      await sleep(3_000);
      mm.kill("SIGKILL");
      const exit = await mm.exited;
      expect(exit.signal).to.equal("SIGKILL");
      await sleep(2_000);
      mm = await start(prepared);
      running = running.filter((m) => m !== mm);
      await producing;
      const result = await verify(runtime, target().toolClient(), {
        topic: prepared.remoteTopic("orders"),
        records,
        runId: "crash",
        partitions: 3,
        timeoutMs: 180_000,
        lingerMs: 3_000,
      });
      const context = `${JSON.stringify(result)}\n${logTail(mm)}`;
      // Reported, not hidden: at-least-once delivery re-sends what was copied after the last
      // committed source offset (offset.flush.interval.ms) before the crash.
      console.log(
        `      SIGKILL + restart: ${result.unique}/${records} records arrived, ${result.duplicates} duplicates (${((100 * result.duplicates) / records).toFixed(1)}%), lag p50 ${result.lagMs.p50} ms, p99 ${result.lagMs.p99} ms`,
      );
      expectIntact(result, context);
      expect(result.duplicates, context).to.be.at.least(0).and.at.most(records);
      expect(result.received, context).to.equal(result.unique + result.duplicates + result.foreign);
    });
  });

  /** `key = value` inside one of Kafka's "DistributedConfig values:" dumps (one tab-indented line each). */
  const workerConfigValue = (key: string, value: string): RegExp =>
    new RegExp(
      `DistributedConfig values: ?\\n(?:\\t[^\\n]*\\n)*?\\t${key.replace(/\./g, "\\.")} = ${value}\\n`,
    );

  it("with two MM2 nodes, killing one leaves the other replicating everything", async function () {
    const prepared = await prepare("two-nodes", {
      streams: [{ name: "ledger", partitions: 4 }],
      nodes: 2,
      overrides: { refreshIntervalSeconds: REFRESH_SECONDS },
    });
    expect(prepared.nodes.map((n) => n.restPort)).to.have.length(2);
    const props = parseProperties(fs.readFileSync(prepared.propertiesFiles[1], "utf8"));
    expect(props.get("dedicated.mode.enable.internal.rest")).to.equal("true");
    // The survivor takes a lost member's tasks after this delay (Connect's default is 5 min).
    expect(props.get("ams.scheduled.rebalance.max.delay.ms")).to.equal("60000");
    expect(props.get("rest.advertised.host.name")).to.equal(
      `\${file:${prepared.configDir}/node.properties:rest.advertised.host.name}`,
    );
    const [node1, node2] = [await start(prepared, 0), await start(prepared, 1)];
    // What Kafka applied, from its own log of the fra->ams worker's DistributedConfig: a worker
    // setting placed where MirrorMakerConfig ignores it would show Connect's default here.
    for (const node of [node1, node2]) {
      await node.waitForLog(workerConfigValue("scheduled.rebalance.max.delay.ms", "60000"), 60_000);
      await node.waitForLog(workerConfigValue("offset.flush.interval.ms", "10000"), 60_000);
    }

    await produceOk("ledger", 400, "both-nodes", 4);
    const before = await verify(runtime, target().toolClient(), {
      topic: "fra.ledger",
      records: 400,
      runId: "both-nodes",
      partitions: 4,
      timeoutMs: 120_000,
    });
    expectIntact(before, `${JSON.stringify(before)}\n${logTail(node1)}\n${logTail(node2)}`);
    // Both nodes are in one Connect group through the harness topics, and node 1 runs
    // replication tasks (so that killing it matters).
    const withSourceTasks = /Joined group at generation \d+[^\n]*taskIds=\[[^\]]*MirrorSourceConnector-\d/;
    await Promise.all([node1.waitForLog(withSourceTasks, 60_000), node2.waitForLog(withSourceTasks, 60_000)]);

    node1.kill("SIGKILL");
    await node1.exited;
    await produceOk("ledger", 400, "one-node", 4);
    const after = await verify(runtime, target().toolClient(), {
      topic: "fra.ledger",
      records: 400,
      runId: "one-node",
      partitions: 4,
      timeoutMs: 150_000,
      lingerMs: 1_000,
    });
    const context = `${JSON.stringify(after)}\nnode 2:\n${logTail(node2)}`;
    console.log(
      `      after killing node 1: ${after.unique}/400 arrived through node 2, ${after.duplicates} duplicates, lag p99 ${after.lagMs.p99} ms`,
    );
    expectIntact(after, context);
    expect(node2.running).to.equal(true);
  });

  describe("negative controls: how it fails on OCI", function () {
    it("with enable.idempotence left at the client default, no offset sync is ever written", async function () {
      const prepared = await prepare("idempotent", {
        streams: [{ name: "refunds", partitions: 2 }],
        edit: (text) => removeProperties(text, (key) => key.endsWith("enable.idempotence")),
      });
      expect(
        [...parseProperties(prepared.rendered).keys()].filter((k) => k.includes("idempotence")),
      ).to.have.length(4);
      expect(
        [...parseProperties(prepared.written).keys()].filter((k) => k.includes("idempotence")),
      ).to.deep.equal([]);
      const syncsTopic = "mm2-offset-syncs.fra.internal";
      const syncsBefore = (await target().endOffsets(syncsTopic)).total;
      await produceOk("refunds", 200, "idempotent", 2);
      const mm = await start(prepared);
      // Records still flow (Connect forces idempotence off for the task producers)...
      await waitForTopicRecords(target(), "fra.refunds", 200, 120_000);
      // ...but the offset-syncs producer cannot get a producer id: no offset sync, so no checkpoint
      // and no consumer-group failover.
      await mm.waitForLog(OFFSET_SYNC_REFUSED, 60_000);
      expect((await target().endOffsets(syncsTopic)).total, logTail(mm)).to.equal(syncsBefore);
    });

    it("without the pre-created internal topics, MM2 cannot create them and emits no checkpoint", async function () {
      let topicsNow: string[] = [];
      // The dr pool as it would be if the component did not create MM2's internal topics: the
      // ones earlier scenarios used are deleted first (prepare() re-creates them for any later one).
      const internal = ["fra.checkpoints.internal", "heartbeats", "mm2-offset-syncs.fra.internal"];
      const deleted = await target().admin(internal.map((name) => ({ op: "deleteTopic" as const, name })));
      for (const r of deleted) {
        expect(r.ok || r.error === "UnknownTopicOrPartitionException", JSON.stringify(r)).to.equal(true);
      }
      await waitUntil(
        async () => internal.every((t) => !topicsNow.includes(t)),
        async () => {
          topicsNow = await topicsOn(target());
        },
      );
      const prepared = await prepare("no-internal", {
        streams: [{ name: "returns", partitions: 2 }],
        // fra.heartbeats (the copy of the primary's heartbeats, for active-active and failback) is
        // still created: fra has no heartbeats here, so MM2 would not try to create it anyway.
        omitPreCreated: ["heartbeats", "checkpoints", "offset-syncs"],
      });
      expect(prepared.preCreated.filter((t) => !t.created).map((t) => t.name)).to.deep.equal(internal);
      await produceOk("returns", 100, "no-internal", 2);
      const mm = await start(prepared);
      // Each of MM2's three connectors tries to create its topic compacted and is refused.
      for (const topic of internal) {
        await mm.waitForLog(
          new RegExp(
            `PolicyViolationException: Compacted topics are not supported by OCI Streaming: topic '${topic.replace(/\./g, "\\.")}'`,
          ),
          90_000,
        );
      }
      const topics = await topicsOn(target());
      for (const topic of internal) expect(topics, `${topic} must not exist`).not.to.include(topic);
      // Without them: no checkpoint topic (so no offset translation for failover), no heartbeats,
      // and no offset syncs; the records themselves may still be copied.
      const copied = await target().endOffsets("fra.returns");
      console.log(
        `      without the internal topics: ${internal.join(", ")} missing; ${copied.total}/100 records copied to fra.returns`,
      );
      expect(mm.log()).to.match(/caught exception in scheduled task: creating internal topics/);
    });
  });
});
