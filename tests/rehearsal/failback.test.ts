/**
 * Failback on real brokers (Kafka 4.1.2, two emulated OCI regions) with the real MirrorMaker 2 on
 * rendered properties in both directions:
 *
 * forward fra -> ams; a group's position on fra; failover of the group to ams (lib/ops/failover);
 * producers and the group carry on on ams (its own `orders`, and `fra.orders`); then the failback
 * commands: `reverse` (capture on real Kafka; the Pulumi part on a recording workspace, since the
 * Pulumi CLI is not available), the reverse MM2 ams -> fra started from the rendered config of a
 * stack whose peer is ams, `wait` (times out before that MM2 runs, then succeeds), `translate`;
 * finally real Java consumers of the group on fra must start exactly at the committed offsets:
 * on `ams.orders` at the reverse checkpoints' translation, on `orders` at or before the first
 * record the group had not consumed on dr (never after: no skip). Duplicates are counted.
 *
 * Differences from a deployment, test-only: the group's positions are set by standalone commits
 * (a consumer's commit) instead of running consumers until then; `emit.checkpoints.interval.seconds`
 * is edited from 60 to 5 in both rendered files to keep the test short.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { runFailbackCli, clusterEnvName, type FailbackCliIo } from "../../lib/ops/cli/failback";
import { translateOffsets } from "../../lib/ops/failover/checkpoints";
import { ENV } from "../../lib/ops/failover/connection";
import { executeFailover, planFailover } from "../../lib/ops/failover/failover";
import { startGroupConsumer, type ToolProcess } from "../../dev/rehearsal/rehearsalTools";
import { loadState } from "../../lib/ops/failback/state";
import type { FailbackGroupResult, FailbackPlan } from "../../lib/ops/failback/translate";
import { KafkaClient, type TopicPartitionOffsets } from "../../lib/ops/kafka/client";
import type { LocalCluster } from "../../dev/rehearsal/cluster";
import { ensureKafkaRuntime, type KafkaRuntime } from "../../dev/rehearsal/kafkaRuntime";
import { logTail, waitForTopicRecords, type MirrorMakerHandle } from "../../dev/rehearsal/mirrorMaker";
import { runningManagedProcesses } from "../../dev/rehearsal/processes";
import {
  createConnectHarness,
  prepareRenderedMirrorMaker,
  startEmulatedRegions,
  startRenderedNode,
  type EmulatedRegions,
} from "../../dev/rehearsal/renderedConfig";
import { produce } from "../../dev/rehearsal/tools";
import { FakeWorkspace, repoPair } from "../unit/automationFixtures";

const GROUP = "failback-app";
const P = 3;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const fastCheckpoints = (text: string): string => {
  const out = text.replace(
    /^emit\.checkpoints\.interval\.seconds=60$/m,
    "emit.checkpoints.interval.seconds=5",
  );
  if (out === text) throw new Error("emit.checkpoints.interval.seconds=60 not found in the rendered file");
  return out;
};

function clientFor(cluster: LocalCluster): Promise<KafkaClient> {
  return KafkaClient.connect({
    bootstrapServers: cluster.bootstrapServers,
    sasl: { username: cluster.username!, password: cluster.password! },
    tls: { caPem: fs.readFileSync(cluster.caPemPath!, "utf8") },
  });
}

function tpo(entries: Record<string, number[]>): TopicPartitionOffsets {
  return new Map(Object.entries(entries).map(([t, offs]) => [t, new Map(offs.map((o, p) => [p, o]))]));
}

async function until<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(1_000);
  }
}

describe("failback: reverse, wait, translate on real Kafka and MirrorMaker 2", function () {
  this.timeout(600_000);
  let runtime: KafkaRuntime;
  let regions: EmulatedRegions | undefined;
  let workDir: string;
  let forward: MirrorMakerHandle | undefined;
  let reverse: MirrorMakerHandle | undefined;
  let fra: KafkaClient | undefined;
  let ams: KafkaClient | undefined;
  const consumers: ToolProcess[] = [];
  let io: FailbackCliIo;
  let out: string[];
  let err: string[];
  let stateFile: string;
  const cli = async (args: string[]): Promise<number> => {
    out.length = 0;
    err.length = 0;
    const code = await runFailbackCli([...args, "--state", stateFile], io);
    for (const l of args.includes("--json") ? err : [...out, ...err]) console.log(`        | ${l}`);
    return code;
  };
  /** Where the group stood: commits on fra before the disaster, and on ams before the failback. */
  const onFraBefore = [60, 70, 80];
  const onDrLocal = [30, 50, 20];
  let onDrRemote: number[] = [];
  let failoverOffsets: number[] = [];

  before(async function () {
    const started = Date.now();
    runtime = await ensureKafkaRuntime();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocigeo-failback-"));
    stateFile = path.join(workDir, "state.json");
    regions = await startEmulatedRegions({ runtime });
    const { source, target } = regions;
    const streams = [{ name: "orders", partitions: P }];
    const fwd = await prepareRenderedMirrorMaker({
      source,
      target,
      workDir: path.join(workDir, "forward"),
      streams,
      targetStreams: streams,
      overrides: { refreshIntervalSeconds: 5 },
      edit: fastCheckpoints,
    });
    const produced = await produce(runtime, source.toolClient(), {
      topic: "orders",
      records: 300,
      runId: "fra",
      partitions: P,
    });
    expect(produced.acked).to.equal(300);
    fra = await clientFor(source);
    ams = await clientFor(target);
    await fra.commitOffsets(GROUP, tpo({ orders: onFraBefore }));
    forward = await startRenderedNode(fwd, 0, { runtime });
    await waitForTopicRecords(target, "fra.orders", 300, 180_000);
    await until("forward checkpoints of the group", 180_000, async () => {
      const t = translateOffsets(await ams!.readAll("fra.checkpoints.internal"), GROUP);
      const ok = onFraBefore.every((o, p) => t.get(`fra.orders:${p}`)?.upstreamOffset === BigInt(o));
      return ok ? true : undefined;
    });
    // Failover (the primary is "lost"): the group moves to ams.
    const plan = await planFailover({ dr: ams, sourceAlias: "fra", groups: [GROUP] });
    await executeFailover(plan, { dr: ams });
    failoverOffsets = [0, 1, 2].map((p) => plan.groups[0].partitions.find((x) => x.partition === p)!.offset);
    // Life on dr: producers write ams's own orders; the group reads part of it and more of fra.orders.
    const local = await produce(runtime, target.toolClient(), {
      topic: "orders",
      records: 150,
      runId: "ams",
      partitions: P,
    });
    expect(local.acked).to.equal(150);
    const remoteEnd = await ams.offsets("fra.orders", "latest");
    // Partition 0: the group read little on dr (still behind its pre-failover commit on fra);
    // partitions 1 and 2: it read beyond it, so the translation decides where it resumes.
    onDrRemote = [failoverOffsets[0] + 5, onFraBefore[1] + 15, onFraBefore[2] + 18].map((o, p) =>
      Math.min(remoteEnd.get(p)!, o),
    );
    await ams.commitOffsets(GROUP, tpo({ "fra.orders": onDrRemote, orders: onDrLocal }));
    console.log(
      `      set-up ${((Date.now() - started) / 1000).toFixed(0)} s: on fra ${onFraBefore}; failover to fra.orders ${failoverOffsets}; on dr fra.orders ${onDrRemote}, orders ${onDrLocal}`,
    );

    out = [];
    err = [];
    const env: Record<string, string | undefined> = {};
    for (const [cluster, c] of [
      ["dr", target],
      ["primary", source],
    ] as const) {
      env[clusterEnvName(cluster, ENV.bootstrapServers)] = c.bootstrapServers;
      env[clusterEnvName(cluster, ENV.username)] = c.username;
      env[clusterEnvName(cluster, ENV.password)] = c.password;
      env[clusterEnvName(cluster, ENV.caPem)] = c.caPemPath;
    }
    const pair = repoPair();
    const pairFile = path.join(workDir, "pair.json");
    fs.writeFileSync(pairFile, JSON.stringify(pair));
    const ws = new FakeWorkspace([
      "organization/oci-geo-streaming/primary",
      "organization/oci-geo-streaming/dr",
    ]);
    io = {
      env,
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      readFile: (p) => fs.readFileSync(p, "utf8"),
      connect: (o) => KafkaClient.connect(o),
      workspace: ws,
    };

    // reverse: capture on real Kafka, then the (recorded) direction switch.
    expect(await cli(["reverse", "--pair", pairFile]), err.join("\n")).to.equal(0);
    // Prefixed policy: only the primary is updated; dr keeps its forward layer.
    expect(ws.trace.filter((t) => t.startsWith("up"))).to.deep.equal(["up primary"]);
    // The forward MM2 is stopped anyway (as the identity policy's switch would), so that what
    // follows holds without it: translate reads what is left on dr, or the capture.
    await forward.stop();
    forward = undefined;
  });

  after(async function () {
    await Promise.all(consumers.map((c) => c.process.stop(5_000)));
    await forward?.stop();
    await reverse?.stop();
    await fra?.close();
    await ams?.close();
    await regions?.stop();
    if (process.env.OCI_GEO_REHEARSAL_KEEP !== "1" && workDir)
      fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("reverse captured the forward offset syncs and the group's commits on dr's remote copy", function () {
    const s = loadState(stateFile);
    expect(s.steps.reverse?.status).to.equal("done");
    expect(s.capture?.offsetSyncsTopic).to.equal("mm2-offset-syncs.fra.internal");
    expect(s.capture!.syncs.length).to.be.greaterThan(0);
    expect(s.capture!.commits[GROUP]).to.deep.equal({
      "fra.orders": Object.fromEntries(onDrRemote.map((o, p) => [String(p), o])),
    });
  });

  it("wait: times out with the gap while the reverse flow is not running, then catches up", async function () {
    const { source, target } = regions!;
    // The primary's stack pre-creates ams.orders (empty) before its MM2 runs: not caught up.
    const rev = await prepareRenderedMirrorMaker({
      source: target,
      target: source,
      sourceAlias: "ams",
      targetAlias: "fra",
      workDir: path.join(workDir, "reverse"),
      streams: [{ name: "orders", partitions: P }],
      targetStreams: [{ name: "orders", partitions: P }],
      connectHarnessId: await createConnectHarness(source, "fb"),
      overrides: { refreshIntervalSeconds: 5 },
      edit: fastCheckpoints,
    });
    expect(rev.remoteTopic("orders")).to.equal("ams.orders");
    expect(await cli(["wait", "--timeout", "2", "--poll", "1"])).to.equal(3);
    expect(err.join("\n")).to.match(/wait timed out .*3 partition\(s\) behind/);
    const localEnd = await ams!.offsets("orders", "latest");
    for (const [p, end] of localEnd) {
      expect(out.join("\n")).to.include(`orders:${p} ~${end} behind`);
    }
    expect(loadState(stateFile).steps.wait?.status).to.equal("failed");
    // translate is refused until wait is done.
    expect(await cli(["translate"])).to.equal(2);

    const t0 = Date.now();
    reverse = await startRenderedNode(rev, 0, { runtime });
    expect(await cli(["wait", "--timeout", "180", "--poll", "2"]), err.join("\n")).to.equal(0);
    console.log(
      `      wait: caught up ${((Date.now() - t0) / 1000).toFixed(1)} s after the reverse MM2 started`,
    );
    // Not a false positive: the primary really has every record of dr's orders.
    const copy = await fra!.readAll("ams.orders");
    expect(copy.length).to.equal([...localEnd.values()].reduce((a, b) => a + b, 0));
  });

  it("translate: commits on fra; Java consumers resume exactly there, never past an unread record", async function () {
    // Wait for MM2's reverse checkpoints to reach the group's last commits on dr, then translate.
    const code = await cli(["translate", "--checkpoint-wait", "180", "--poll", "2", "--json"]);
    expect(code, err.join("\n")).to.equal(0);
    const doc = JSON.parse(out.join("\n")) as { plan: FailbackPlan; results: FailbackGroupResult[] };
    expect(doc.plan.forwardSource).to.equal("dr");
    const g = doc.plan.groups.find((x) => x.group === GROUP)!;
    expect(doc.results.find((r) => r.group === GROUP)).to.deep.include({
      status: "committed",
      stale: 0,
      kept: 1,
    });
    const committed = await fra!.fetchOffsets(GROUP, null);
    const remote = g.partitions.filter((p) => p.topic === "ams.orders");
    const own = g.partitions.filter((p) => p.topic === "orders");
    expect(remote.map((p) => p.partition)).to.deep.equal([0, 1, 2]);
    expect(own.map((p) => p.partition)).to.deep.equal([0, 1, 2]);
    let duplicates = 0;
    for (const p of remote) {
      // The checkpoint was made from the group's last commit on dr, and never passes it.
      expect(p.upstreamOffset).to.equal(onDrLocal[p.partition]);
      expect(p.offset).to.be.at.most(onDrLocal[p.partition]).and.at.least(0);
      expect(committed.get("ams.orders")?.get(p.partition)).to.equal(p.offset);
      // ams.orders is a 1:1 copy from offset 0: the first unread record is at onDrLocal.
      duplicates += onDrLocal[p.partition] - p.offset;
    }
    for (const p of own) {
      // fra.orders on ams is a 1:1 copy of fra's orders from offset 0 (one MM2 lifetime), and the
      // group had read [0, onFraBefore) on fra before the failover: the first record it has not
      // read anywhere is at max(onDrRemote, onFraBefore) on fra's orders.
      const truth = Math.max(onDrRemote[p.partition], onFraBefore[p.partition]);
      expect(p.drOffset).to.equal(onDrRemote[p.partition]);
      expect(p.offset, `orders:${p.partition}`).to.be.at.most(truth);
      expect(p.offset).to.be.at.least(onFraBefore[p.partition]);
      expect(committed.get("orders")?.get(p.partition)).to.equal(p.offset);
      duplicates += truth - p.offset;
    }
    console.log(
      `      translate: ams.orders ${remote.map((p) => p.offset)}, orders ${own.map((p) => `${p.offset} (${p.rule}${p.checked ? `, ${p.checked}` : ""})`)}; duplicates ${duplicates}`,
    );

    // The same translation from the capture alone (no dr connection) never passes the live one.
    const drEnv = Object.keys(io.env).filter((k) => k.startsWith("OCI_GEO_DR_"));
    const saved = { ...io.env };
    for (const k of drEnv) delete io.env[k];
    expect(await cli(["translate", "--dry-run", "--json", "--group", GROUP])).to.equal(0);
    io.env = saved;
    const fromCapture = (JSON.parse(out.join("\n")) as { plan: FailbackPlan }).plan;
    expect(fromCapture.forwardSource).to.equal("capture");
    for (const p of fromCapture.groups[0].partitions.filter((x) => x.kind === "offset-sync")) {
      expect(p.translated).to.be.at.most(own.find((x) => x.partition === p.partition)!.translated);
    }

    // Real consumers of the group on fra, reset=none: they can only start from the commits.
    for (const [topic, parts] of [
      ["ams.orders", remote],
      ["orders", own],
    ] as const) {
      const consumer = startGroupConsumer({
        cluster: regions!.source,
        topic,
        group: GROUP,
        reset: "none",
        workDir,
        name: `fra-${topic}`,
      });
      consumers.push(consumer);
      const assigned = await consumer.waitFor(
        (e) => e.event === "assigned" && Object.keys(e.positions as object).length === P,
        90_000,
        `assignment on ${topic}`,
      );
      expect(assigned.positions, topic).to.deep.equal(
        Object.fromEntries(parts.map((p) => [String(p.partition), p.offset])),
      );
      await consumer.process.stop(15_000);
    }
    console.log(`      failback duplicates (records the group reads again on fra): ${duplicates}`);

    // A re-run never moves a commit backwards (it may move one forward: MM2 emits an exact
    // checkpoint once the sync of the last copied record is written, at the task's offset commit).
    const before = await fra!.fetchOffsets(GROUP, null);
    expect(await cli(["translate", "--group", GROUP])).to.equal(0);
    const after = await fra!.fetchOffsets(GROUP, null);
    for (const [topic, parts] of before) {
      for (const [p, o] of parts) expect(after.get(topic)?.get(p), `${topic}:${p}`).to.be.at.least(o);
    }
    const status = await cli(["status"]);
    expect(status).to.equal(0);
    expect(out.at(-1)).to.equal("next: npm run failback -- restore");
  });

  it("leaves no rehearsal process running", async function () {
    await reverse?.stop();
    reverse = undefined;
    await regions?.stop();
    regions = undefined;
    if (reverse) console.log(logTail(reverse));
    expect(runningManagedProcesses().map((p) => p.name)).to.deep.equal([]);
  });
});
