/**
 * The commit run failover and failback's translate share (lib/ops/groupCommits.ts), against a
 * fake cluster: what is described, what is committed, and how a thrown error becomes `failed`.
 */
import { expect } from "chai";

import type { GroupDescription, GroupMember, TopicPartitionOffsets } from "../../lib/ops/kafka/client";
import {
  commitGroupByGroup,
  countByStatus,
  offsetsOf,
  refusedOrFailed,
  type GroupOutcome,
} from "../../lib/ops/groupCommits";
import { executeFailover, FailoverError, type FailoverPlan } from "../../lib/ops/failover/failover";
import {
  executeFailback,
  FailbackTranslateError,
  formatFailbackProgress,
  type FailbackPlan,
} from "../../lib/ops/failback/translate";

/** A cluster whose groups have the given member counts; `broken` groups throw on describe. */
function fakeCluster(members: Record<string, number>, broken: string[] = []) {
  const commits: [string, TopicPartitionOffsets][] = [];
  const described: string[] = [];
  return {
    commits,
    described,
    describeGroup(group: string): Promise<GroupDescription> {
      described.push(group);
      if (broken.includes(group)) return Promise.reject(new Error("coordinator not available"));
      const n = members[group] ?? 0;
      return Promise.resolve({
        groupId: group,
        state: n > 0 ? "Stable" : "Empty",
        protocolType: "consumer",
        protocol: "",
        members: Array.from({ length: n }, () => ({}) as GroupMember),
        memberCount: n,
      });
    },
    commitOffsets(group: string, offsets: TopicPartitionOffsets): Promise<void> {
      commits.push([group, offsets]);
      return Promise.resolve();
    },
  };
}

describe("group commits: the run failover and failback share", () => {
  const steps = {
    decide: (g: { group: string }, c: { state: string; activeMembers: number }): GroupOutcome =>
      c.activeMembers > 0
        ? { group: g.group, status: "refused", reason: `${g.group} busy` }
        : { group: g.group, status: "committed" },
    commits: (g: { group: string }): TopicPartitionOffsets => new Map([[`${g.group}.t`, new Map([[0, 1]])]]),
    failed: (g: { group: string }, reason: string): GroupOutcome => ({
      group: g.group,
      status: "failed",
      reason,
    }),
  };

  it("describes every group in order, commits only the committed ones, and goes on after a failure", async () => {
    const cluster = fakeCluster({ busy: 2 }, ["broken"]);
    const progress: string[] = [];
    const out = await commitGroupByGroup(
      cluster,
      [{ group: "a" }, { group: "busy" }, { group: "broken" }, { group: "b" }],
      {
        ...steps,
        onProgress: (r, i, n) => progress.push(`${i}/${n} ${r.group} ${r.status}`),
      },
    );
    expect(cluster.described).to.deep.equal(["a", "busy", "broken", "b"]);
    expect(cluster.commits.map(([g]) => g)).to.deep.equal(["a", "b"]);
    expect(progress).to.deep.equal([
      "1/4 a committed",
      "2/4 busy refused",
      "3/4 broken failed",
      "4/4 b committed",
    ]);
    expect(out[2].reason).to.equal("group broken: coordinator not available");
    expect(refusedOrFailed(out)).to.equal(
      "refused or failed for 2 group(s): busy busy; group broken: coordinator not available",
    );
    expect(countByStatus(out)).to.equal("2 committed, 1 refused, 1 failed");
  });

  it("says nothing is refused when nothing is, and `no groups` for none", () => {
    expect(refusedOrFailed([{ group: "a", status: "committed" }])).to.equal(undefined);
    expect(countByStatus([])).to.equal("no groups");
  });

  it("collects the kept partitions' offsets by topic", () => {
    const parts = [
      { topic: "t", partition: 0, offset: 5 },
      { topic: "t", partition: 1, offset: -1 },
      { topic: "u", partition: 0, offset: 7 },
    ];
    expect(offsetsOf(parts, (p) => p.offset >= 0)).to.deep.equal(
      new Map([
        ["t", new Map([[0, 5]])],
        ["u", new Map([[0, 7]])],
      ]),
    );
  });

  it("failover commits on dr through it and names the refused group in its error", async () => {
    const plan: FailoverPlan = {
      sourceAlias: "fra",
      checkpointsTopic: "fra.checkpoints.internal",
      checkpointRecords: 2,
      groups: [
        {
          group: "idle",
          partitions: [{ topic: "fra.o", partition: 0, offset: 4, upstreamOffset: 5, metadata: "" }],
        },
        {
          group: "busy",
          partitions: [{ topic: "fra.o", partition: 0, offset: 4, upstreamOffset: 5, metadata: "" }],
        },
      ],
    };
    const dr = fakeCluster({ busy: 1 });
    const error = await executeFailover(plan, { dr: dr as never }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(FailoverError);
    expect((error as Error).message).to.match(
      /^failover refused or failed for 1 group\(s\): group busy has 1 active member/,
    );
    expect(dr.commits).to.deep.equal([["idle", new Map([["fra.o", new Map([[0, 4]])]])]]);
  });

  it("failback's translate commits on the primary through it, and only what moves", async () => {
    const plan: FailbackPlan = {
      primaryAlias: "fra",
      drAlias: "ams",
      checkpointsTopic: "ams.checkpoints.internal",
      checkpointRecords: 1,
      forwardSource: "none",
      offsetSyncsTopic: "mm2-offset-syncs.ams.internal",
      offsetSyncs: 0,
      groups: [
        {
          group: "g",
          partitions: [
            {
              kind: "checkpoint",
              topic: "ams.o",
              partition: 0,
              offset: 9,
              translated: 9,
              upstreamOffset: 10,
              metadata: "",
            },
            {
              kind: "checkpoint",
              topic: "ams.o",
              partition: 1,
              offset: 3,
              translated: 3,
              upstreamOffset: 3,
              metadata: "",
              currentOffset: 3,
            },
          ],
        },
      ],
    };
    const primary = fakeCluster({});
    const results = await executeFailback(plan, { primary: primary as never });
    expect(results.map((r) => r.status)).to.deep.equal(["committed"]);
    expect(primary.commits).to.deep.equal([["g", new Map([["ams.o", new Map([[0, 9]])]])]]);
    const busy = await executeFailback(plan, { primary: fakeCluster({ g: 1 }) as never }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(busy).to.be.instanceOf(FailbackTranslateError);
    expect((busy as Error).message).to.match(/^translate refused or failed for 1 group\(s\)/);
  });

  it("failback's progress lines: the shared head and verbs, its own notes", () => {
    const base = { group: "app", index: 1, total: 2, partitions: 6, kept: 2, untranslatable: 0, stale: 0 };
    expect(formatFailbackProgress({ ...base, status: "committed" })).to.equal(
      "[1/2] app: committed 6 partition(s) (2 kept: the primary's commit is ahead)",
    );
    expect(formatFailbackProgress({ ...base, status: "would-commit", kept: 0, untranslatable: 1 })).to.equal(
      "[1/2] app: would commit 6 partition(s) (dry run) (1 untranslatable left out)",
    );
    expect(formatFailbackProgress({ ...base, status: "already-committed" })).to.equal(
      "[1/2] app: nothing to change: the primary already has these offsets (2 kept: the primary's commit is ahead)",
    );
    expect(formatFailbackProgress({ ...base, status: "refused", reason: "busy" })).to.equal(
      "[1/2] app: REFUSED: busy",
    );
  });
});
