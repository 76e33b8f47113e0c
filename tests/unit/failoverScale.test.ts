/**
 * Failover and failback at scale (issue 19, item 4): the plan is the same as the per-group
 * translation gave, each partition of the checkpoints and offset-syncs streams is read once and
 * paced, and group requests run a few at a time within a rate. Reads and requests are counted with
 * fake clients and a fake clock; no timing is asserted.
 */
import { expect } from "chai";

import {
  decodeCheckpoint,
  encodeCheckpoint,
  partitionKey,
  CheckpointSchemaError,
  type RawRecord,
  type TranslatedOffset,
} from "../../lib/ops/failover/checkpoints";
import { buildFailoverPlan, executeFailover, planFailover } from "../../lib/ops/failover/failover";
import { readTopicOnce } from "../../lib/ops/failover/reads";
import { mapBounded, type RunClock } from "../../lib/ops/groupCommits";
import {
  encodeOffsetSync,
  inverseTranslate,
  OffsetSyncIndex,
  type OffsetSync,
} from "../../lib/ops/failback/offsetSyncs";
import { planFailback } from "../../lib/ops/failback/translate";
import type { KafkaClient, TopicPartitionOffsets } from "../../lib/ops/kafka/client";
import { fakeReads } from "../support/fakeReads";

/**
 * A clock of simulated time: each sleep is queued, and once the pending work has settled
 * (setImmediate) the earliest sleep ends and the clock jumps to its end.
 */
function fakeClock(): RunClock & { t: number } {
  const pending: { at: number; resolve: () => void }[] = [];
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        pending.push({ at: clock.t + ms, resolve });
        setImmediate(() => {
          pending.sort((a, b) => a.at - b.at);
          const next = pending.shift();
          if (!next) return;
          clock.t = Math.max(clock.t, next.at);
          next.resolve();
        });
      }),
  };
  return clock;
}

/** A deterministic pseudo-random sequence (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The translation as it was before: the whole topic decoded again for one group. */
function oldTranslate(records: readonly RawRecord[], group: string): Map<string, TranslatedOffset> {
  const out = new Map<string, TranslatedOffset>();
  for (const r of records) {
    if (r.partition !== 0) continue;
    let c;
    try {
      c = decodeCheckpoint(r.key, r.value);
    } catch (e) {
      if (e instanceof CheckpointSchemaError) continue;
      throw e;
    }
    if (c.group !== group) continue;
    out.set(partitionKey(c.topic, c.partition), {
      topic: c.topic,
      partition: c.partition,
      offset: c.downstreamOffset,
      metadata: c.metadata,
      upstreamOffset: c.upstreamOffset,
    });
  }
  return out;
}

function checkpoint(group: string, topic: string, partition: number, up: number, down: number): RawRecord {
  return {
    partition: 0,
    ...encodeCheckpoint({
      group,
      topic,
      partition,
      upstreamOffset: BigInt(up),
      downstreamOffset: BigInt(down),
      metadata: "",
    }),
  };
}

/** Random checkpoints: several rounds, groups and partitions, junk records and other partitions. */
function randomCheckpoints(seed: number, groups: number, partitions: number, rounds: number): RawRecord[] {
  const r = rng(seed);
  const out: RawRecord[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let g = 0; g < groups; g++) {
      for (let p = 0; p < partitions; p++) {
        if (r() < 0.3) continue;
        const up = Math.floor(r() * 1000);
        out.push(checkpoint(`g${g}`, r() < 0.5 ? "fra.a" : "fra.b", p, up, r() < 0.1 ? -1 : up - 2));
        if (r() < 0.05) out.push({ partition: 0, key: Buffer.from("junk"), value: Buffer.from("x") });
        if (r() < 0.05) out.push({ ...checkpoint(`g${g}`, "fra.a", p, 1, 1), partition: 1 });
      }
    }
  }
  return out;
}

describe("failover at scale: the same plan from one decoding", () => {
  const cases: { name: string; records: RawRecord[]; groups?: string[] }[] = [
    { name: "empty", records: [] },
    { name: "one group, one partition", records: [checkpoint("a", "fra.o", 0, 5, 4)] },
    {
      name: "last checkpoint wins, untranslatable kept",
      records: [
        checkpoint("a", "fra.o", 0, 5, 4),
        checkpoint("b", "fra.o", 0, 9, 9),
        checkpoint("a", "fra.o", 0, 50, 48),
        checkpoint("a", "fra.p", 3, 7, -1),
      ],
    },
    {
      name: "named groups, one absent, one repeated",
      records: randomCheckpoints(1, 5, 3, 2),
      groups: ["g3", "zz", "g3", "g0"],
    },
    { name: "random 20 groups × 6 partitions × 3 rounds", records: randomCheckpoints(2, 20, 6, 3) },
    { name: "random 3 groups × 200 partitions", records: randomCheckpoints(3, 3, 200, 2) },
  ];
  for (const c of cases) {
    it(`matches the per-group translation: ${c.name}`, () => {
      const plan = buildFailoverPlan(c.records, { sourceAlias: "fra", groups: c.groups });
      const names = c.groups
        ? [...new Set(c.groups)]
        : [
            ...new Set(
              c.records.flatMap((r) => {
                try {
                  return r.partition === 0 ? [decodeCheckpoint(r.key, r.value).group] : [];
                } catch {
                  return [];
                }
              }),
            ),
          ].sort();
      expect(plan.groups.map((g) => g.group)).to.deep.equal(names);
      for (const g of plan.groups) {
        const expected = [...oldTranslate(c.records, g.group).values()]
          .map((t) => ({
            topic: t.topic,
            partition: t.partition,
            offset: Number(t.offset),
            upstreamOffset: Number(t.upstreamOffset),
            metadata: t.metadata,
          }))
          .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
        expect(g.partitions, g.group).to.deep.equal(expected);
      }
    });
  }
});

describe("failover at scale: reads and requests within OCI's limits", () => {
  /** 30 groups × 4 partitions of checkpoints (partition 0), and junk on partition 1. */
  function drCluster(clock: RunClock) {
    const records = randomCheckpoints(7, 30, 4, 2).filter((r) => r.partition === 0);
    const topic = [
      ...records.map((r, i) => ({ ...r, partition: 0, offset: i })),
      { partition: 1, offset: 0, key: Buffer.from("x"), value: Buffer.from("y") },
    ];
    const reads = fakeReads({ "fra.checkpoints.internal": topic }, clock.now);
    let inFlight = 0;
    let maxInFlight = 0;
    const fetchStarts: number[] = [];
    const fetched: string[] = [];
    const committed: string[] = [];
    const slow = async <T>(value: T): Promise<T> => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Yield a few turns so that concurrent requests overlap.
      for (let i = 0; i < 3; i++) await Promise.resolve();
      inFlight--;
      return value;
    };
    const client = {
      ...reads,
      fetchOffsets: (group: string) => {
        fetched.push(group);
        fetchStarts.push(clock.now());
        return slow(new Map() as TopicPartitionOffsets);
      },
      describeGroup: (group: string) =>
        slow({
          groupId: group,
          state: "Empty",
          protocolType: "consumer",
          protocol: "",
          members: [],
          memberCount: 0,
        }),
      commitOffsets: (group: string) => {
        committed.push(group);
        return slow(undefined);
      },
    };
    return { client, reads, records, fetched, committed, fetchStarts, maxInFlight: () => maxInFlight };
  }

  it("reads partition 0 of the checkpoints once, in paced ranges, each record once", async () => {
    const clock = fakeClock();
    const dr = drCluster(clock);
    const plan = await planFailover({
      dr: dr.client as unknown as KafkaClient,
      sourceAlias: "fra",
      reads: { recordsPerRead: 50, readsPerSecond: 4 },
      limits: { concurrency: 4, perSecond: 0 },
      clock,
    });
    const n = dr.records.length;
    expect(plan.checkpointRecords).to.equal(n);
    expect(dr.reads.reads.get("fra.checkpoints.internal:0")).to.equal(Math.ceil(n / 50));
    expect(dr.reads.reads.has("fra.checkpoints.internal:1")).to.equal(false);
    expect(dr.reads.handed.size).to.equal(n);
    expect([...dr.reads.handed.values()].every((times) => times === 1)).to.equal(true);
    const starts = dr.reads.startedAt.get("fra.checkpoints.internal:0")!;
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).to.be.at.least(250);
    // The same plan as from every record at once.
    expect(plan.groups).to.deep.equal(buildFailoverPlan(dr.records, { sourceAlias: "fra" }).groups);
  });

  it("fetches each group's commits once, at most `concurrency` at a time", async () => {
    const clock = fakeClock();
    const dr = drCluster(clock);
    const plan = await planFailover({
      dr: dr.client as unknown as KafkaClient,
      sourceAlias: "fra",
      limits: { concurrency: 3, perSecond: 0 },
      clock,
    });
    expect([...dr.fetched].sort()).to.deep.equal(plan.groups.map((g) => g.group));
    expect(dr.maxInFlight()).to.equal(3);
  });

  it("starts at most `perSecond` group requests per second", async () => {
    const clock = fakeClock();
    const dr = drCluster(clock);
    const plan = await planFailover({
      dr: dr.client as unknown as KafkaClient,
      sourceAlias: "fra",
      limits: { concurrency: 3, perSecond: 10 },
      clock,
    });
    expect(dr.fetchStarts.length).to.equal(plan.groups.length);
    for (let i = 10; i < dr.fetchStarts.length; i++) {
      // Any 11 consecutive starts span at least one second.
      expect(dr.fetchStarts[i] - dr.fetchStarts[i - 10]).to.be.at.least(1000);
    }
  });

  it("commits every group once, a few at a time, progress still in the plan's order", async () => {
    const clock = fakeClock();
    const dr = drCluster(clock);
    const plan = buildFailoverPlan(dr.records, { sourceAlias: "fra" });
    const progress: string[] = [];
    const result = await executeFailover(plan, {
      dr: dr.client as unknown as KafkaClient,
      limits: { concurrency: 8, perSecond: 0 },
      clock,
      onProgress: (p) => progress.push(`${p.index} ${p.group}`),
    });
    expect(dr.maxInFlight()).to.equal(8);
    expect([...dr.committed].sort()).to.deep.equal(plan.groups.map((g) => g.group));
    expect(result.groups.map((g) => g.group)).to.deep.equal(plan.groups.map((g) => g.group));
    expect(progress).to.deep.equal(plan.groups.map((g, i) => `${i + 1} ${g.group}`));
  });
});

describe("bounded runs", () => {
  it("keeps the results and their reporting in order when later items finish first", async () => {
    const order: number[] = [];
    const finish: (() => void)[] = [];
    const run = mapBounded(
      [0, 1, 2, 3],
      { concurrency: 4, perSecond: 0 },
      (i) =>
        new Promise<number>((resolve) => {
          finish[i] = () => resolve(i * 10);
        }),
      { onResult: (r) => order.push(r) },
    );
    await Promise.resolve();
    finish[3]();
    finish[1]();
    await new Promise((r) => setImmediate(r));
    expect(order).to.deep.equal([]);
    finish[0]();
    await new Promise((r) => setImmediate(r));
    expect(order).to.deep.equal([0, 10]);
    finish[2]();
    expect(await run).to.deep.equal([0, 10, 20, 30]);
    expect(order).to.deep.equal([0, 10, 20, 30]);
  });

  it("reads a topic's partitions each once, every partition paced on its own", async () => {
    const clock = fakeClock();
    const records = Array.from({ length: 3 }, (_, p) =>
      Array.from({ length: 25 }, (_, o) => ({ partition: p, offset: 100 + o, key: null, value: null })),
    ).flat();
    const reads = fakeReads({ t: records }, clock.now);
    const got = await readTopicOnce(reads, "t", { pacing: { recordsPerRead: 10, readsPerSecond: 2 }, clock });
    expect(got.map((r) => `${r.partition}:${r.offset}`)).to.deep.equal(
      records.map((r) => `${r.partition}:${r.offset}`),
    );
    expect([...reads.reads]).to.deep.equal([
      ["t:0", 3],
      ["t:1", 3],
      ["t:2", 3],
    ]);
    for (const starts of reads.startedAt.values()) {
      for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).to.be.at.least(500);
    }
  });
});

describe("failback at scale", () => {
  /** The scan the index replaces (the rule of lib/ops/failback/offsetSyncs.ts, steps 1 and 3). */
  function scan(syncs: readonly OffsetSync[], topic: string, partition: number, o: number) {
    let s1: OffsetSync | undefined;
    let s2: OffsetSync | undefined;
    for (const s of syncs) {
      if (s.topic !== topic || s.partition !== partition) continue;
      if (s.downstreamOffset <= o) {
        if (!s1 || s.downstreamOffset >= s1.downstreamOffset) s1 = s;
      } else if (!s2 || s.downstreamOffset < s2.downstreamOffset) s2 = s;
    }
    return { s1, s2 };
  }

  it("the sync index finds the same syncs as a scan, ties included", () => {
    const r = rng(11);
    const syncs: OffsetSync[] = Array.from({ length: 400 }, () => ({
      topic: r() < 0.5 ? "a" : "b",
      partition: Math.floor(r() * 3),
      upstreamOffset: Math.floor(r() * 500),
      downstreamOffset: Math.floor(r() * 60),
    }));
    const index = new OffsetSyncIndex(syncs);
    for (const topic of ["a", "b", "c"]) {
      for (let p = 0; p < 3; p++) {
        for (let o = -1; o < 65; o++) {
          const found = index.around(topic, p, o);
          const scanned = scan(syncs, topic, p, o);
          expect([found.s1, found.s2]).to.deep.equal([scanned.s1, scanned.s2]);
          expect(inverseTranslate(index, topic, p, o, 3)).to.deep.equal(
            inverseTranslate(syncs, topic, p, o, 3),
          );
        }
      }
    }
  });

  it("checks the after-last-sync records with one read per partition on each cluster, for many groups", async () => {
    const groups = Array.from({ length: 40 }, (_, i) => `g${i}`);
    // Forward: orders-0 upstream 100 was written at dr fra.orders-0 offset 10; records after it copy 1:1.
    const sync = encodeOffsetSync({
      topic: "orders",
      partition: 0,
      upstreamOffset: 100,
      downstreamOffset: 10,
    });
    const value = (i: number) => Buffer.from(`v${i}`);
    const drRecords = Array.from({ length: 40 }, (_, i) => ({
      partition: 0,
      offset: 10 + i,
      key: null,
      // the copy of upstream 100 + i; offset 30 on dr differs from the primary's (a re-copy)
      value: value(i === 20 ? 999 : 100 + i),
    }));
    const primaryRecords = Array.from({ length: 140 }, (_, i) => ({
      partition: 0,
      offset: i,
      key: null,
      value: value(i),
    }));
    const drReads = fakeReads({
      "mm2-offset-syncs.fra.internal": [{ partition: 0, offset: 0, ...sync }],
      "fra.orders": drRecords,
    });
    const primaryReads = fakeReads({ "ams.checkpoints.internal": [], orders: primaryRecords });
    // Group gi is at dr offset 11 + i (after the newest sync): i from 0 to 39.
    const drCommit = (g: string) => new Map([["fra.orders", new Map([[0, 11 + Number(g.slice(1))]])]]);
    const dr = {
      ...drReads,
      listTopics: async () => ["fra.orders", "mm2-offset-syncs.fra.internal", "orders"],
      listGroups: async () =>
        groups.map((groupId) => ({ groupId, protocolType: "consumer", state: "Empty" })),
      fetchOffsets: async (g: string) => drCommit(g),
    } as unknown as KafkaClient;
    const primary = {
      ...primaryReads,
      listTopics: async () => ["ams.checkpoints.internal", "orders"],
      fetchOffsets: async () => new Map(),
    } as unknown as KafkaClient;
    const plan = await planFailback({
      primary,
      dr,
      primaryAlias: "fra",
      drAlias: "ams",
      policy: { type: "prefixed", separator: "." },
      limits: { concurrency: 4, perSecond: 0 },
    });
    expect(plan.groups.map((g) => g.group)).to.deep.equal([...groups].sort());
    expect(drReads.reads.get("fra.orders:0")).to.equal(1);
    expect(primaryReads.reads.get("orders:0")).to.equal(1);
    expect(drReads.reads.get("mm2-offset-syncs.fra.internal:0")).to.equal(1);
    for (const g of plan.groups) {
      const i = Number(g.group.slice(1));
      const [p] = g.partitions;
      expect(p.rule, g.group).to.equal("after-last-sync");
      // The record before dr offset 11 + i is dr's 10 + i: equal to the primary's 100 + i, but for i = 20.
      if (i === 20) expect([p.checked, p.offset], g.group).to.deep.equal(["differs-fell-back", 100]);
      else expect([p.checked, p.offset], g.group).to.deep.equal(["confirmed", 101 + i]);
    }
  });
});
