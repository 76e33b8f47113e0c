/**
 * Issue #6 scenarios on real brokers and the real MirrorMaker 2, each MM2 running exactly what
 * `renderMm2Properties` writes for a ReplicationModelInput (dev/rehearsal/modelConfig.ts; secrets
 * through the VM's put-secret.sh):
 *  a. on-prem stand-in (plain Kafka, SASL_PLAINTEXT + SCRAM-SHA-512) → emulated OCI pool;
 *  b. emulated OCI pool → on-prem stand-in (MM2's worker storage and internal topics on the on-prem
 *     cluster, created compacted by MM2 itself);
 *  c. active-active between two emulated OCI regions: two MM2 processes, each `--clusters <own>` from
 *     its own rendered model, prefixed policy; no record loops.
 * Three clusters are shared: onprem (SCRAM), fra and ams (OCI emulation).
 */
import { expectIntactOnce } from "./verifyExpectations";
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { ValidationError } from "../../lib/core/errors";
import { assertNoReplicationLoops, parseProperties, type ReplicationModelInput } from "../../lib/core/mm2";
import { startCluster, type LocalCluster } from "../../dev/rehearsal/cluster";
import { ensureKafkaRuntime, type KafkaRuntime } from "../../dev/rehearsal/kafkaRuntime";
import { logTail, waitForTopicRecords, type MirrorMakerHandle } from "../../dev/rehearsal/mirrorMaker";
import {
  externalClusterSpec,
  ociClusterSpec,
  prepareModelMirrorMaker,
  startModelNode,
} from "../../dev/rehearsal/modelConfig";
import { runningManagedProcesses } from "../../dev/rehearsal/processes";
import { createConnectHarness } from "../../dev/rehearsal/renderedConfig";
import { produce, verify, type VerifyResult } from "../../dev/rehearsal/tools";

const REFRESH_SECONDS = 5;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const POLICY_REFUSED = /PolicyViolationException|ClusterAuthorizationException|UnsupportedVersionException/;

function report(what: string, records: number, r: VerifyResult): void {
  console.log(
    `      ${what}: ${r.unique}/${records} records arrived, ${r.duplicates} duplicates, ${r.foreign} foreign, lag p50 ${r.lagMs.p50} ms, p99 ${r.lagMs.p99} ms`,
  );
}

describe("rehearsal: on-prem <-> OCI and active-active OCI, from the rendered model (issue #6)", function () {
  this.timeout(600_000);

  let runtime: KafkaRuntime;
  let workDir: string;
  let onprem: LocalCluster | undefined;
  let fra: LocalCluster | undefined;
  let ams: LocalCluster | undefined;
  let running: MirrorMakerHandle[] = [];

  before(async function () {
    runtime = await ensureKafkaRuntime();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocigeo-onprem-scenarios-"));
    const started = await Promise.allSettled([
      startCluster({ name: "onprem", ociEmulation: false, security: "scram", runtime, heapMb: 384 }),
      startCluster({ name: "fra", ociEmulation: true, runtime, heapMb: 384, region: "eu-frankfurt-1" }),
      startCluster({ name: "ams", ociEmulation: true, runtime, heapMb: 384, region: "eu-amsterdam-1" }),
    ]);
    const ok = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) {
      await Promise.all(ok.map((c) => c.stop().catch(() => undefined)));
      throw failed.reason;
    }
    [onprem, fra, ams] = ok;
  });

  afterEach(async function () {
    const mms = running;
    running = [];
    await Promise.all(mms.map((m) => m.stop()));
  });

  after(async function () {
    await Promise.all(running.map((m) => m.stop()));
    await Promise.all([onprem, fra, ams].map((c) => c?.stop()));
    if (process.env.OCI_GEO_REHEARSAL_KEEP !== "1") fs.rmSync(workDir, { recursive: true, force: true });
  });

  async function start(
    prepared: Awaited<ReturnType<typeof prepareModelMirrorMaker>>,
  ): Promise<MirrorMakerHandle> {
    const mm = await startModelNode(prepared, { runtime });
    running.push(mm);
    return mm;
  }

  async function produceOk(
    cluster: LocalCluster,
    topic: string,
    records: number,
    runId: string,
    partitions: number,
    idempotence?: boolean,
    rate?: number,
  ) {
    const result = await produce(runtime, cluster.toolClient(), {
      topic,
      records,
      runId,
      partitions,
      idempotence,
      rate,
    });
    expect(result.ok, JSON.stringify(result.error)).to.equal(true);
    expect(result.acked).to.equal(records);
  }

  async function topicsOn(cluster: LocalCluster): Promise<string[]> {
    const [listed] = await cluster.admin([{ op: "listTopics" }]);
    expect(listed.ok, JSON.stringify(listed)).to.equal(true);
    return (listed.topics as string[]).sort();
  }

  it("a. on-prem (SCRAM, idempotent producer) -> OCI: records intact, in order, no duplicates", async function () {
    const source = onprem!;
    const target = fra!;
    const TOPIC = "ledger";
    const model: ReplicationModelInput = {
      clusters: [
        externalClusterSpec("onprem", source, { topics: [{ name: TOPIC, partitions: 3 }] }),
        ociClusterSpec("fra", target, { connectHarnessId: target.harnessOcid }),
      ],
      flows: [{ source: "onprem", target: "fra", topics: { include: [TOPIC] } }],
      target: "fra",
      fleet: { nodes: 1, coresPerNode: 2 },
      refresh: { topicsIntervalSeconds: REFRESH_SECONDS, groupsIntervalSeconds: REFRESH_SECONDS },
    };
    await source.createTopic(TOPIC, 3);
    const prepared = await prepareModelMirrorMaker({
      model,
      clusters: { onprem: source, fra: target },
      workDir: path.join(workDir, "a"),
    });
    const props = parseProperties(prepared.rendered);
    // OCI's restrictions on the OCI side only; the on-prem side is plain Kafka with SCRAM.
    expect(props.get("onprem.sasl.mechanism")).to.equal("SCRAM-SHA-512");
    expect(props.get("onprem.sasl.jaas.config")).to.contain(
      `\${file:${prepared.configDir}/secrets.properties:onprem.sasl.password}`,
    );
    expect(props.get("fra.config.storage.topic")).to.equal(target.harnessTopics!.config);
    expect(props.get("fra.producer.enable.idempotence")).to.equal("false");
    expect(props.has("onprem.producer.enable.idempotence")).to.equal(false);
    expect(prepared.preCreated.map((t) => `${t.cluster}:${t.name}`)).to.deep.equal([
      "fra:heartbeats",
      "fra:mm2-offset-syncs.onprem.internal",
      "fra:onprem.checkpoints.internal",
      "fra:onprem.ledger",
    ]);
    expect(fs.statSync(path.join(prepared.configDir, "secrets.properties")).mode & 0o777).to.equal(0o600);

    // The on-prem cluster accepts idempotent producers (OCI would refuse them).
    await produceOk(source, TOPIC, 1000, "onprem-a", 3, true);
    const harnessBefore = (await target.endOffsets(target.harnessTopics!.config)).total;
    const mm = await start(prepared);
    const result = await verify(runtime, target.toolClient(), {
      topic: "onprem.ledger",
      records: 1000,
      runId: "onprem-a",
      partitions: 3,
      timeoutMs: 150_000,
      lingerMs: 2_000,
    });
    const context = `${JSON.stringify(result)}\n${logTail(mm)}`;
    report("a. onprem -> fra (backlog, lag includes MM2 start-up)", 1000, result);
    expectIntactOnce(result, 1000, context);
    expect(result.foreign, context).to.equal(0);
    // Worker storage is the harness (the connector configs landed there), offset syncs are written
    // on OCI by the non-idempotent producer, and nothing was refused by the OCI emulation.
    expect((await target.endOffsets(target.harnessTopics!.config)).total).to.be.greaterThan(harnessBefore);
    await waitForTopicRecords(target, "mm2-offset-syncs.onprem.internal", 1, 60_000);
    expect(mm.log(), logTail(mm)).not.to.match(POLICY_REFUSED);
    const remote = await target.describeTopic("onprem.ledger");
    expect(remote.configs["cleanup.policy"]).to.equal("delete");
    // MM2 created nothing on the on-prem source (offset syncs live on the target).
    expect((await topicsOn(source)).filter((t) => !t.startsWith("__"))).to.deep.equal([TOPIC]);
    expect(mm.running, logTail(mm)).to.equal(true);
  });

  it("b. OCI -> on-prem (SCRAM): worker storage and MM2 topics created compacted by MM2 on on-prem; records intact", async function () {
    const source = ams!;
    const target = onprem!;
    const TOPIC = "payments";
    const model: ReplicationModelInput = {
      clusters: [
        ociClusterSpec("ams", source, { topics: [{ name: TOPIC, partitions: 2 }] }),
        externalClusterSpec("onprem", target),
      ],
      flows: [{ source: "ams", target: "onprem", topics: { include: [TOPIC] } }],
      target: "onprem",
      fleet: { nodes: 1, coresPerNode: 2 },
      refresh: { topicsIntervalSeconds: REFRESH_SECONDS, groupsIntervalSeconds: REFRESH_SECONDS },
    };
    await source.createTopic(TOPIC, 2);
    const prepared = await prepareModelMirrorMaker({
      model,
      clusters: { ams: source, onprem: target },
      workDir: path.join(workDir, "b"),
    });
    const props = parseProperties(prepared.rendered);
    // Nothing is pre-created (no OCI cluster receives anything) and no OCI rule reaches on-prem.
    expect(prepared.preCreated).to.deep.equal([]);
    for (const key of [
      "onprem.config.storage.topic",
      "onprem.offset.storage.topic",
      "onprem.status.storage.topic",
      "onprem.exactly.once.source.support",
      "onprem.producer.enable.idempotence",
      "onprem.producer.max.request.size",
      "ams->onprem.producer.override.enable.idempotence",
      "ams->onprem.producer.enable.idempotence",
    ]) {
      expect(props.has(key), key).to.equal(false);
    }
    expect(props.get("ams.consumer.fetch.max.wait.ms")).to.equal("250");

    await produceOk(source, TOPIC, 800, "ams-b", 2);
    const mm = await start(prepared);
    const result = await verify(runtime, target.toolClient(), {
      topic: "ams.payments",
      records: 800,
      runId: "ams-b",
      partitions: 2,
      timeoutMs: 150_000,
      lingerMs: 2_000,
    });
    const context = `${JSON.stringify(result)}\n${logTail(mm)}`;
    report("b. ams -> onprem (backlog, lag includes MM2 start-up)", 800, result);
    expectIntactOnce(result, 800, context);
    await waitForTopicRecords(target, "mm2-offset-syncs.ams.internal", 1, 60_000);
    // MM2's own internal topics, created by MM2 (and Connect) on the on-prem cluster, compacted.
    const topics = await topicsOn(target);
    const internal = [
      "mm2-configs.ams.internal",
      "mm2-offsets.ams.internal",
      "mm2-status.ams.internal",
      "mm2-offset-syncs.ams.internal",
      "ams.checkpoints.internal",
      "heartbeats",
    ];
    for (const t of internal) {
      expect(topics, `${t} on onprem\n${logTail(mm)}`).to.include(t);
      const d = await target.describeTopic(t);
      expect(d.configs["cleanup.policy"], t).to.equal("compact");
    }
    expect((await target.describeTopic("ams.payments")).configs["cleanup.policy"]).to.equal("delete");
    // Nothing of MM2 on the OCI source.
    expect(
      (await topicsOn(source)).filter((t) => !t.startsWith("__") && !t.startsWith("ocid1.connectharness")),
    ).to.deep.equal([TOPIC]);
    expect(mm.log(), logTail(mm)).not.to.match(POLICY_REFUSED);
    expect(mm.running, logTail(mm)).to.equal(true);
  });

  it("c. active-active fra <-> ams (prefixed): each record arrives once on the other side and never loops", async function () {
    const TOPIC = "events";
    const [harnessFra, harnessAms] = await Promise.all([
      createConnectHarness(fra!, "aafra"),
      createConnectHarness(ams!, "aaams"),
    ]);
    const both = [
      { source: "fra", target: "ams", topics: { include: [TOPIC] } },
      { source: "ams", target: "fra", topics: { include: [TOPIC] } },
    ];
    const modelFor = (
      target: "fra" | "ams",
      policy: "prefixed" | "identity" = "prefixed",
    ): ReplicationModelInput => ({
      clusters: [
        ociClusterSpec("fra", fra!, {
          topics: [{ name: TOPIC, partitions: 2 }],
          ...(target === "fra" ? { connectHarnessId: harnessFra } : {}),
        }),
        ociClusterSpec("ams", ams!, {
          topics: [{ name: TOPIC, partitions: 2 }],
          ...(target === "ams" ? { connectHarnessId: harnessAms } : {}),
        }),
      ],
      flows: policy === "prefixed" ? both : both.filter((f) => f.target === target),
      target,
      fleet: { nodes: 1, coresPerNode: 2 },
      policy: { type: policy },
      refresh: { topicsIntervalSeconds: REFRESH_SECONDS, groupsIntervalSeconds: REFRESH_SECONDS },
    });
    // The loop analysis over both fleets: prefixed passes; identity on both (each model valid alone) is refused.
    const analysis = assertNoReplicationLoops([
      { name: "fra", model: modelFor("fra") },
      { name: "ams", model: modelFor("ams") },
    ]);
    expect(analysis.topics.fra).to.include("ams.events").and.not.include("fra.ams.events");
    expect(() =>
      assertNoReplicationLoops([
        { name: "fra", model: modelFor("fra", "identity") },
        { name: "ams", model: modelFor("ams", "identity") },
      ]),
    ).to.throw(ValidationError, /"identity" cannot be used with flows that form a cycle/);

    await Promise.all([fra!.createTopic(TOPIC, 2), ams!.createTopic(TOPIC, 2)]);
    const [pFra, pAms] = await Promise.all([
      prepareModelMirrorMaker({
        model: modelFor("fra"),
        clusters: { fra: fra!, ams: ams! },
        workDir: path.join(workDir, "c-fra"),
      }),
      prepareModelMirrorMaker({
        model: modelFor("ams"),
        clusters: { fra: fra!, ams: ams! },
        workDir: path.join(workDir, "c-ams"),
      }),
    ]);
    expect(pFra.rendered).to.contain("Run: connect-mirror-maker.sh").and.contain("--clusters fra");
    expect(parseProperties(pFra.rendered).get("fra.config.storage.topic")).to.equal(`${harnessFra}-config`);
    expect(parseProperties(pAms.rendered).get("ams.config.storage.topic")).to.equal(`${harnessAms}-config`);
    expect(pFra.preCreated.map((t) => t.name)).to.include.members([
      "ams.events",
      "ams.heartbeats",
      "heartbeats",
    ]);

    const N = 500;
    await Promise.all([produceOk(fra!, TOPIC, N, "aa-fra", 2), produceOk(ams!, TOPIC, N, "aa-ams", 2)]);
    const [mmFra, mmAms] = await Promise.all([start(pFra), start(pAms)]);
    const [onAms, onFra] = await Promise.all([
      verify(runtime, ams!.toolClient(), {
        topic: "fra.events",
        records: N,
        runId: "aa-fra",
        partitions: 2,
        timeoutMs: 150_000,
        lingerMs: 2_000,
      }),
      verify(runtime, fra!.toolClient(), {
        topic: "ams.events",
        records: N,
        runId: "aa-ams",
        partitions: 2,
        timeoutMs: 150_000,
        lingerMs: 2_000,
      }),
    ]);
    report("c. fra -> ams (backlog, lag includes MM2 start-up)", N, onAms);
    report("c. ams -> fra (backlog, lag includes MM2 start-up)", N, onFra);
    expectIntactOnce(onAms, N, `${JSON.stringify(onAms)}\n${logTail(mmAms)}`);
    expectIntactOnce(onFra, N, `${JSON.stringify(onFra)}\n${logTail(mmFra)}`);
    expect(onAms.foreign + onFra.foreign).to.equal(0);

    // A second wave while both run, read as it is written (the lag is then replication lag): still once each.
    const live = (c: LocalCluster, topic: string, runId: string) =>
      verify(runtime, c.toolClient(), {
        topic,
        records: N,
        runId,
        partitions: 2,
        timeoutMs: 120_000,
        lingerMs: 1_000,
      });
    const waiting = Promise.all([live(ams!, "fra.events", "aa-fra-2"), live(fra!, "ams.events", "aa-ams-2")]);
    await sleep(3_000);
    await Promise.all([
      produceOk(fra!, TOPIC, N, "aa-fra-2", 2, false, 100),
      produceOk(ams!, TOPIC, N, "aa-ams-2", 2, false, 100),
    ]);
    const [onAms2, onFra2] = await waiting;
    report("c. live fra -> ams at 100 records/s", N, onAms2);
    report("c. live ams -> fra at 100 records/s", N, onFra2);
    expectIntactOnce(onAms2, N, `${JSON.stringify(onAms2)}\n${logTail(mmAms)}`);
    expectIntactOnce(onFra2, N, `${JSON.stringify(onFra2)}\n${logTail(mmFra)}`);

    // Several refresh intervals later: no re-replicated copy on either side, and counts are stable.
    const counted = async (): Promise<Record<string, number>> => {
      const out: Record<string, number> = {};
      for (const [name, c] of [
        ["fra", fra!],
        ["ams", ams!],
      ] as const) {
        for (const t of [TOPIC, name === "fra" ? "ams.events" : "fra.events"]) {
          out[`${name}:${t}`] = (await c.endOffsets(t)).total;
        }
      }
      return out;
    };
    const first = await counted();
    await sleep(4 * REFRESH_SECONDS * 1000);
    const second = await counted();
    console.log(`      c. record counts after ${4 * REFRESH_SECONDS} s more: ${JSON.stringify(second)}`);
    expect(second).to.deep.equal(first);
    expect(second).to.deep.equal({
      "fra:events": 2 * N,
      "fra:ams.events": 2 * N,
      "ams:events": 2 * N,
      "ams:fra.events": 2 * N,
    });
    for (const [name, c] of [
      ["fra", fra!],
      ["ams", ams!],
    ] as const) {
      const topics = await topicsOn(c);
      const twice = topics.filter((t) => /^(fra|ams)\.(fra|ams)\./.test(t));
      expect(twice, `re-replicated topics on ${name}`).to.deep.equal([]);
      const other = name === "fra" ? "ams" : "fra";
      const userTopics = topics.filter(
        (t) => !t.startsWith("__") && !t.startsWith("ocid1.connectharness") && !t.endsWith(".internal"),
      );
      // Only what the analysis predicted (plus topics of scenarios a/b on these clusters).
      const expected = new Set([
        ...analysis.topics[name],
        ...(name === "fra" ? ["onprem.ledger"] : ["payments"]),
      ]);
      expect(
        userTopics.filter((t) => !expected.has(t)),
        `unexpected topics on ${name}`,
      ).to.deep.equal([]);
      expect(userTopics).to.include(`${other}.events`);
    }
    for (const mm of [mmFra, mmAms]) {
      expect(mm.log(), logTail(mm)).not.to.match(POLICY_REFUSED);
      expect(mm.running, logTail(mm)).to.equal(true);
    }
  });

  it("leaves no process behind", async function () {
    const mms = running;
    running = [];
    await Promise.all(mms.map((m) => m.stop()));
    await Promise.all([onprem, fra, ams].map((c) => c?.stop()));
    expect(runningManagedProcesses().map((p) => p.name)).to.deep.equal([]);
  });
});
