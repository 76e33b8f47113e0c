import { expect } from "chai";

import {
  comparePartition,
  defaultReplicatedTopics,
  sameRecord,
  waitForCatchUp,
  type CatchUpReport,
  type ComparableRecord,
} from "../../lib/ops/failback/caughtUp";

const rec = (value: string, over: Partial<ComparableRecord> = {}): ComparableRecord => ({
  key: Buffer.from("k"),
  value: Buffer.from(value),
  headers: [{ key: "h", value: Buffer.from("1") }],
  timestamp: 1000,
  ...over,
});
const POLICY = { type: "prefixed", separator: "." } as const;

describe("failback: has the primary caught up with dr?", () => {
  it("compares key, value, headers (in order) and timestamp", () => {
    expect(sameRecord(rec("a"), rec("a"))).to.equal(true);
    expect(sameRecord(rec("a"), rec("b"))).to.equal(false);
    expect(sameRecord(rec("a"), rec("a", { key: null }))).to.equal(false);
    expect(sameRecord(rec("a", { key: null }), rec("a", { key: null }))).to.equal(true);
    expect(sameRecord(rec("a"), rec("a", { timestamp: 1001 }))).to.equal(false);
    expect(sameRecord(rec("a"), rec("a", { headers: [] }))).to.equal(false);
    expect(sameRecord(rec("a"), rec("a", { headers: [{ key: "h", value: Buffer.from("2") }] }))).to.equal(
      false,
    );
    expect(sameRecord(rec("a"), rec("a", { headers: [{ key: "h", value: null }] }))).to.equal(false);
  });

  it("is caught up when dr's partition is empty or the copy ends with dr's last record", () => {
    expect(comparePartition("t", 0, { earliest: 5, latest: 5 }, undefined)).to.deep.include({
      caughtUp: true,
      behind: 0,
    });
    expect(
      comparePartition(
        "t",
        0,
        { earliest: 0, latest: 10, last: rec("x") },
        { earliest: 0, latest: 12, last: rec("x") },
      ),
    ).to.deep.include({ caughtUp: true, behind: 0 });
  });

  it("reports how far behind when determinable, and why not caught up", () => {
    const behind = comparePartition(
      "t",
      1,
      { earliest: 0, latest: 10, last: rec("x") },
      { earliest: 0, latest: 7, last: rec("w") },
    );
    expect(behind).to.deep.equal({
      topic: "t",
      partition: 1,
      caughtUp: false,
      reason: "the last record on the primary is not dr's last record",
      behind: 3,
    });
    // Retention on dr dropped the head: counts still compare the retained ranges.
    expect(
      comparePartition(
        "t",
        0,
        { earliest: 100, latest: 110, last: rec("x") },
        { earliest: 0, latest: 4, last: rec("w") },
      ).behind,
    ).to.equal(6);
    // Duplicates in the copy make counts meaningless: not determinable, still not caught up.
    const dup = comparePartition(
      "t",
      0,
      { earliest: 0, latest: 10, last: rec("x") },
      { earliest: 0, latest: 12, last: rec("w") },
    );
    expect(dup.caughtUp).to.equal(false);
    expect(dup.behind).to.equal(undefined);
    expect(
      comparePartition("t", 0, { earliest: 0, latest: 3, last: rec("x") }, { earliest: 0, latest: 0 }),
    ).to.deep.include({
      caughtUp: false,
      reason: "the copy on the primary is empty",
      behind: 3,
    });
    expect(comparePartition("t", 0, { earliest: 0, latest: 3, last: rec("x") }, undefined).reason).to.match(
      /no copy/,
    );
  });

  it("checks dr's own topics by default: not remote copies, MM2/Kafka internals or harness topics", () => {
    const topics = [
      "orders",
      "payments",
      "fra.orders",
      "ams.orders",
      "heartbeats",
      "fra.heartbeats",
      "fra.checkpoints.internal",
      "mm2-offset-syncs.fra.internal",
      "__consumer_offsets",
      "ocid1.connectharness.oc1.ams.aaaa-config",
    ];
    expect(defaultReplicatedTopics(topics, { primary: "fra", dr: "ams" }, POLICY)).to.deep.equal([
      "orders",
      "payments",
    ]);
  });

  it("polls until caught up, one progress line per poll", async () => {
    let clock = 0;
    const reports: CatchUpReport[] = [
      {
        caughtUp: false,
        partitions: [{ topic: "orders", partition: 0, caughtUp: false, behind: 12, reason: "" }],
      },
      {
        caughtUp: false,
        partitions: [
          { topic: "orders", partition: 0, caughtUp: false, reason: "the copy on the primary is empty" },
        ],
      },
      { caughtUp: true, partitions: [{ topic: "orders", partition: 0, caughtUp: true, behind: 0 }] },
    ];
    const lines: string[] = [];
    const r = await waitForCatchUp({
      check: async () => reports.shift()!,
      timeoutMs: 60_000,
      pollMs: 5_000,
      onPoll: (l) => lines.push(l),
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    expect(r.caughtUp).to.equal(true);
    expect(r.polls).to.equal(3);
    expect(lines).to.deep.equal([
      "poll 1 (+0 s): 0/1 partition(s) caught up; orders:0 ~12 behind",
      "poll 2 (+5 s): 0/1 partition(s) caught up; orders:0 (the copy on the primary is empty)",
      "poll 3 (+10 s): 1/1 partition(s) caught up",
    ]);
  });

  it("gives up at the timeout with the last report", async () => {
    let clock = 0;
    let polls = 0;
    const r = await waitForCatchUp({
      check: async () => {
        polls++;
        return {
          caughtUp: false,
          partitions: [{ topic: "orders", partition: 0, caughtUp: false, behind: 1 }],
        };
      },
      timeoutMs: 20_000,
      pollMs: 5_000,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    expect(r.caughtUp).to.equal(false);
    expect(polls).to.equal(5);
    expect(r.elapsedMs).to.equal(20_000);
  });
});
