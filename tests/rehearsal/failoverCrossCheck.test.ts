/**
 * Consumer-group failover on real brokers and the real MirrorMaker 2 running the dr stack's
 * rendered mm2.properties (fra → ams, emulated OCI pools):
 *
 * 1. Cross-check: four groups commit at different positions on the source (A at the end, B
 *    halfway, C near the start, D on two topics, with metadata); once MM2 has checkpointed them all,
 *    Kafka's own `RemoteClusterUtils.translateOffsets` (Java) and the TypeScript translation read the
 *    same checkpoints topic (MM2 stopped, so it cannot change between the reads) and must agree
 *    exactly, partition by partition, offset and metadata.
 * 2. Failover: `executeFailover` commits the translation on dr; a real Java consumer of the group on
 *    dr starts exactly there and reads every later record dr has; while it runs, failover of that
 *    group is refused, naming it; the CLI does the same from environment credentials.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { runFailoverCli } from "../../lib/ops/cli/failover";
import { translateOffsets } from "../../lib/ops/failover/checkpoints";
import { ENV } from "../../lib/ops/failover/connection";
import {
  executeFailover,
  FailoverError,
  planFailover,
  type FailoverPlan,
  type FailoverProgress,
} from "../../lib/ops/failover/failover";
import {
  consumedRecords,
  javaTranslateOffsets,
  startGroupConsumer,
  type ToolProcess,
} from "../../dev/rehearsal/rehearsalTools";
import { KafkaClient, type TopicPartitionOffsets } from "../../lib/ops/kafka/client";
import type { LocalCluster } from "../../dev/rehearsal/cluster";
import { ensureKafkaRuntime, type KafkaRuntime } from "../../dev/rehearsal/kafkaRuntime";
import { logTail, waitForTopicRecords, type MirrorMakerHandle } from "../../dev/rehearsal/mirrorMaker";
import {
  prepareRenderedMirrorMaker,
  startEmulatedRegions,
  startRenderedNode,
  type EmulatedRegions,
  type PreparedMirrorMaker,
} from "../../dev/rehearsal/renderedConfig";
import { produce, verify } from "../../dev/rehearsal/tools";

const POLICY = { type: "prefixed", separator: "." } as const;
const GROUPS = ["failover-a", "failover-b", "failover-c", "failover-d"];
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function clientFor(cluster: LocalCluster): Promise<KafkaClient> {
  return KafkaClient.connect({
    bootstrapServers: cluster.bootstrapServers,
    sasl: { username: cluster.username!, password: cluster.password! },
    tls: { caPem: fs.readFileSync(cluster.caPemPath!, "utf8") },
  });
}

function offsets(entries: Record<string, Record<number, number>>): TopicPartitionOffsets {
  return new Map(
    Object.entries(entries).map(([t, parts]) => [
      t,
      new Map(Object.entries(parts).map(([p, o]) => [Number(p), o])),
    ]),
  );
}

/** `topic:partition` → `offset|metadata`, sorted: the comparable form of either translation. */
function comparable(map: Map<string, { offset: number | bigint; metadata: string }>): Record<string, string> {
  return Object.fromEntries(
    [...map].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, `${String(v.offset)}|${v.metadata}`]),
  );
}

describe("failover: offset translation cross-checked with Kafka, and commits on dr", function () {
  this.timeout(600_000);

  let runtime: KafkaRuntime;
  let regions: EmulatedRegions | undefined;
  let workDir: string;
  let prepared: PreparedMirrorMaker;
  let mm: MirrorMakerHandle | undefined;
  let source: KafkaClient | undefined;
  let dr: KafkaClient | undefined;
  const consumers: ToolProcess[] = [];
  /** What each group committed on the source: topic → partition → offset. */
  const committed = new Map<string, TopicPartitionOffsets>();
  let plan: FailoverPlan;

  before(async function () {
    runtime = await ensureKafkaRuntime();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocigeo-failover-"));
    regions = await startEmulatedRegions({ runtime });
    prepared = await prepareRenderedMirrorMaker({
      source: regions.source,
      target: regions.target,
      workDir,
      streams: [
        { name: "orders", partitions: 3 },
        { name: "payments", partitions: 2 },
      ],
      overrides: { refreshIntervalSeconds: 5 },
    });
    const client = regions.source.toolClient();
    const [o, p] = await Promise.all([
      produce(runtime, client, { topic: "orders", records: 300, runId: "xc", partitions: 3 }),
      produce(runtime, client, { topic: "payments", records: 200, runId: "xc", partitions: 2 }),
    ]);
    expect(o.acked + p.acked, JSON.stringify([o.error, p.error])).to.equal(500);
    source = await clientFor(regions.source);
    dr = await clientFor(regions.target);

    // A: a real consumer reads orders to the end and commits (100 per partition).
    const a = await verify(runtime, client, {
      topic: "orders",
      records: 300,
      runId: "xc",
      group: "failover-a",
      timeoutMs: 60_000,
      lingerMs: 1_500,
    });
    expect(a.complete, JSON.stringify(a)).to.equal(true);
    committed.set("failover-a", await source.fetchOffsets("failover-a", null));
    expect(committed.get("failover-a")!.get("orders")).to.deep.equal(
      new Map([
        [0, 100],
        [1, 100],
        [2, 100],
      ]),
    );
    // B halfway, C near the start, D on two topics (standalone commits, with metadata for D).
    const manual: Record<string, TopicPartitionOffsets> = {
      "failover-b": offsets({ orders: { 0: 50, 1: 50, 2: 50 } }),
      "failover-c": offsets({ orders: { 0: 3, 1: 1, 2: 2 } }),
      "failover-d": offsets({ orders: { 0: 70, 1: 20, 2: 90 }, payments: { 0: 30, 1: 99 } }),
    };
    for (const [group, o2] of Object.entries(manual)) {
      // Through Kafka's AdminClient: the commit carries metadata (our client's admin commit cannot).
      const flat = Object.fromEntries(
        [...o2].flatMap(([t, parts]) => [...parts].map(([p, o]) => [`${t}:${p}`, o] as const)),
      );
      const [done] = await regions.source.admin([
        { op: "commitOffsets", group, offsets: flat, metadata: group === "failover-d" ? "d-meta" : "" },
      ]);
      expect(done.ok, JSON.stringify(done)).to.equal(true);
      committed.set(group, o2);
    }

    mm = await startRenderedNode(prepared, 0, { runtime });
    await waitForTopicRecords(regions.target, "fra.orders", 300, 180_000);
    await waitForTopicRecords(regions.target, "fra.payments", 200, 180_000);

    // Wait until the newest checkpoint of every committed partition of every group reflects the commit.
    const deadline = Date.now() + 300_000;
    let missing: string[] = [];
    while (Date.now() < deadline) {
      const records = await dr.readAll("fra.checkpoints.internal");
      missing = [];
      for (const group of GROUPS) {
        const t = translateOffsets(records, group);
        for (const [topic, parts] of committed.get(group)!) {
          for (const [partition, offset] of parts) {
            const c = t.get(`fra.${topic}:${partition}`);
            if (!c || c.upstreamOffset !== BigInt(offset))
              missing.push(`${group} ${topic}:${partition}@${offset}`);
            // A read everything: once MM2 has synced the last replicated offset (at a task commit)
            // and re-emitted the checkpoint, A translates exactly. Waiting for that makes the
            // ordering checks below deterministic instead of racing MM2's timers.
            else if (group === "failover-a" && c.offset !== BigInt(offset))
              missing.push(`${group} ${topic}:${partition}@${offset} (not yet exact: ${c.offset})`);
          }
        }
      }
      if (missing.length === 0) break;
      await sleep(5_000);
    }
    expect(missing, `checkpoints still missing after 300 s\n${mm ? logTail(mm) : ""}`).to.deep.equal([]);
    // Freeze the checkpoints topic: both translations must read the very same records.
    await mm.stop();
  });

  after(async function () {
    await Promise.all(consumers.map((c) => c.process.stop(5_000)));
    await mm?.stop();
    await source?.close();
    await dr?.close();
    await regions?.stop();
    if (process.env.OCI_GEO_REHEARSAL_KEEP !== "1" && workDir)
      fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("translates every group exactly as Kafka's RemoteClusterUtils.translateOffsets", async function () {
    const started = Date.now();
    const java = await javaTranslateOffsets(regions!.target, "fra", GROUPS, POLICY);
    const records = await dr!.readAll("fra.checkpoints.internal");
    console.log(
      `      Kafka's translation: ${Date.now() - started} ms; ${records.length} checkpoint records`,
    );
    for (const group of GROUPS) {
      const ts = comparable(translateOffsets(records, group));
      const kafka = comparable(java.get(group)!);
      console.log(`      ${group}: ${JSON.stringify(kafka)}`);
      expect(ts, `${group}: TypeScript vs Kafka`).to.deep.equal(kafka);
      // Not vacuous: one entry per committed partition, on the remote topics.
      const expectedKeys = [...committed.get(group)!].flatMap(([t, parts]) =>
        [...parts.keys()].map((p) => `fra.${t}:${p}`),
      );
      expect(Object.keys(kafka).sort()).to.deep.equal(expectedKeys.sort());
    }
    // D carries its commit metadata through; the groups are at different places.
    expect(Object.values(comparable(java.get("failover-d")!)).every((v) => v.endsWith("|d-meta"))).to.equal(
      true,
    );
    const at = (g: string, k: string): number => java.get(g)!.get(k)!.offset;
    for (const p of [0, 1, 2]) {
      const k = `fra.orders:${p}`;
      // MM2 translates exactly only at an offset sync (every offset.lag.max records, and the last one
      // replicated); between syncs it answers the sync's downstream offset + 1, so B and C may tie.
      expect(at("failover-a", k)).to.be.greaterThan(at("failover-c", k));
      expect(at("failover-a", k)).to.be.at.least(at("failover-b", k));
      expect(at("failover-b", k)).to.be.at.least(at("failover-c", k));
      // A translated offset never passes the source commit (MM2 may only translate conservatively).
      for (const g of GROUPS) {
        const up = committed.get(g)!.get("orders")!.get(p)!;
        expect(at(g, k), `${g} ${k}`).to.be.at.most(up).and.at.least(0);
      }
    }
  });

  it("plans the same translation and commits it on dr; a Java consumer resumes exactly there", async function () {
    plan = await planFailover({ dr: dr!, sourceAlias: "fra", policy: POLICY });
    expect(plan.groups.map((g) => g.group)).to.include.members(GROUPS);
    const progress: FailoverProgress[] = [];
    const result = await executeFailover(
      { ...plan, groups: plan.groups.filter((g) => GROUPS.includes(g.group)) },
      { dr: dr!, onProgress: (p) => progress.push(p) },
    );
    expect(result.groups.map((g) => g.status)).to.deep.equal([
      "committed",
      "committed",
      "committed",
      "committed",
    ]);
    expect(progress.map((p) => `${p.index}/${p.total} ${p.group}`)).to.deep.equal(
      GROUPS.map((g, i) => `${i + 1}/4 ${g}`),
    );
    for (const g of plan.groups.filter((x) => GROUPS.includes(x.group))) {
      const onDr = await dr!.fetchOffsets(g.group, null);
      for (const p of g.partitions)
        expect(onDr.get(p.topic)?.get(p.partition), `${g.group} ${p.topic}:${p.partition}`).to.equal(
          p.offset,
        );
    }

    // Group B's consumer on dr: reset=none, so it can only start from a committed offset.
    const b = plan.groups.find((g) => g.group === "failover-b")!;
    const consumer = startGroupConsumer({
      cluster: regions!.target,
      topic: "fra.orders",
      group: "failover-b",
      reset: "none",
      workDir,
    });
    consumers.push(consumer);
    const assigned = await consumer.waitFor(
      (e) => e.event === "assigned" && Object.keys(e.positions as object).length === 3,
      60_000,
      "assignment",
    );
    const expectedStart = Object.fromEntries(b.partitions.map((p) => [String(p.partition), p.offset]));
    expect(assigned.positions).to.deep.equal(expectedStart);
    // It then reads every record dr has from there on: no skip, no gap.
    const end = await dr!.offsets("fra.orders", "latest");
    const total = [...end].reduce((n, [p, e]) => n + e - expectedStart[String(p)], 0);
    await consumer.waitFor(
      () => consumedRecords(consumer.events()).length >= total,
      60_000,
      `${total} records`,
    );
    for (const [partition, last] of end) {
      const got = consumedRecords(consumer.events())
        .filter((r) => r.partition === partition)
        .map((r) => r.offset);
      const from = expectedStart[String(partition)];
      expect(got, `partition ${partition}`).to.deep.equal(
        [...Array(last - from).keys()].map((i) => from + i),
      );
    }

    // While B is active on dr, failing it over is refused, naming it (dry run too).
    for (const dryRun of [true, false]) {
      const refused = await executeFailover({ ...plan, groups: [b] }, { dr: dr!, dryRun }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refused).to.be.instanceOf(FailoverError);
      expect((refused as Error).message).to.match(/failover-b has 1 active member\(s\) on dr/);
      expect((refused as FailoverError).result.groups[0].status).to.equal("refused");
    }
    await consumer.process.stop(15_000);
    // After the consumer committed its progress on dr, a re-run does not rewind it unless told to.
    const replanB = await planFailover({
      dr: dr!,
      sourceAlias: "fra",
      groups: ["failover-b"],
      policy: POLICY,
    });
    const again = await executeFailover(replanB, { dr: dr!, dryRun: true }).then(
      () => undefined,
      (e: unknown) => e as FailoverError,
    );
    expect(again?.result.groups[0].status).to.equal("refused");
    expect(again?.message).to.match(/failover-b already has other offsets on dr/);
    // A re-run on a group whose commits match is a no-op (resumable).
    const replanC = await planFailover({
      dr: dr!,
      sourceAlias: "fra",
      groups: ["failover-c"],
      policy: POLICY,
    });
    const rerun = await executeFailover(replanC, { dr: dr! });
    expect(rerun.groups[0].status).to.equal("already-committed");
  });

  it("the CLI fails a group over with credentials from the environment, and refuses a password flag", async function () {
    const target = regions!.target;
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      env: {
        [ENV.bootstrapServers]: target.bootstrapServers,
        [ENV.username]: target.username,
        [ENV.password]: target.password,
        [ENV.caPem]: target.caPemPath,
      },
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      readFile: (p: string) => fs.readFileSync(p, "utf8"),
      connect: (o: Parameters<typeof KafkaClient.connect>[0]) => KafkaClient.connect(o),
    };
    // D is committed at its translation already: make it differ, then fail it over with --overwrite.
    await dr!.commitOffsets("failover-d", offsets({ "fra.orders": { 0: 0 } }));
    const dry = await runFailoverCli(["--source", "fra", "--group", "failover-d", "--dry-run", "--json"], io);
    expect(dry, err.join("\n")).to.equal(2);
    expect(err.join("\n")).to.match(/failover-d already has other offsets on dr/);
    out.length = 0;
    err.length = 0;
    const code = await runFailoverCli(
      ["--source", "fra", "--group", "failover-d", "--overwrite", "--json"],
      io,
    );
    expect(code, err.join("\n")).to.equal(0);
    const doc = JSON.parse(out.join("\n")) as {
      result: { groups: { group: string; status: string; partitions: number }[] };
    };
    expect(doc.result.groups).to.deep.equal([
      { group: "failover-d", status: "committed", partitions: 5, untranslatable: 0 },
    ]);
    expect(
      err.some((l) => /^\[1\/1\] failover-d: committed 5 partition\(s\)$/.test(l)),
      err.join("\n"),
    ).to.equal(true);
    const d = plan.groups.find((g) => g.group === "failover-d")!;
    const onDr = await dr!.fetchOffsets("failover-d", null);
    for (const p of d.partitions) expect(onDr.get(p.topic)?.get(p.partition)).to.equal(p.offset);

    err.length = 0;
    // A password flag is a usage error (exit 2, one line), like every bad flag.
    expect(await runFailoverCli(["--source", "fra", "--password", "x"], io)).to.equal(2);
    expect(err.join("\n")).to.match(/--password is not accepted/);
    // A named group without checkpoints: exit 3.
    out.length = 0;
    expect(await runFailoverCli(["--source", "fra", "--group", "nobody"], { ...io })).to.equal(3);
    expect(out.join("\n")).to.match(/nobody: NO-CHECKPOINTS/);
  });
});
