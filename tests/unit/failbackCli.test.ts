import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { stackConfigFor } from "../../lib/program/automation";
import {
  clusterEnvName,
  parseFailbackArgs,
  runFailbackCli,
  type FailbackCliIo,
} from "../../lib/ops/cli/failback";
import { encodeOffsetSync } from "../../lib/ops/failback/offsetSyncs";
import { encodeCheckpoint } from "../../lib/ops/failover/checkpoints";
import { loadState, saveState, emptyState, markStarted, markFinished } from "../../lib/ops/failback/state";
import { commitsOf, decideFailbackGroup, type FailbackGroupPlan } from "../../lib/ops/failback/translate";
import type { KafkaClient } from "../../lib/ops/kafka/client";
import { FakeWorkspace, richPair, TOKEN } from "./automationFixtures";
import { fakeReads } from "../support/fakeReads";

const PRIMARY = "acme/oci-geo-streaming/primary";
const DR = "acme/oci-geo-streaming/dr";

/** Just what `reverse` reads on dr to capture the forward flow. */
function fakeDr(): KafkaClient {
  const sync = encodeOffsetSync({ topic: "orders", partition: 0, upstreamOffset: 7, downstreamOffset: 3 });
  return {
    listTopics: async () => ["fra.orders", "mm2-offset-syncs.fra.internal", "orders"],
    ...fakeReads({ "mm2-offset-syncs.fra.internal": [{ partition: 0, offset: 0, ...sync }] }),
    listGroups: async () => [
      { groupId: "app", protocolType: "consumer", state: "Empty" },
      { groupId: "mm2-connect", protocolType: "connect", state: "Stable" },
    ],
    fetchOffsets: async (group: string) =>
      new Map([
        ["fra.orders", new Map([[0, 3]])],
        ["orders", new Map([[0, 9]])],
      ]).set("ignored-" + group, new Map()),
    close: async () => undefined,
  } as unknown as KafkaClient;
}

/**
 * Just what `translate` reads and writes on the primary: the reverse checkpoints name group `app`
 * at ams.orders:0 → 40; `members` active members of `app` there; commits are recorded.
 */
function fakePrimary(members: number, commits: [string, unknown][]): KafkaClient {
  const checkpoint = encodeCheckpoint({
    group: "app",
    topic: "ams.orders",
    partition: 0,
    upstreamOffset: 41n,
    downstreamOffset: 40n,
    metadata: "",
  });
  return {
    ...fakeReads({ "ams.checkpoints.internal": [{ partition: 0, offset: 0, ...checkpoint }] }),
    listTopics: async () => ["ams.checkpoints.internal", "ams.orders", "orders"],
    fetchOffsets: async () => new Map(),
    describeGroup: async (group: string) => ({
      groupId: group,
      state: members > 0 ? "Stable" : "Empty",
      protocolType: "consumer",
      protocol: "",
      members: Array.from({ length: members }, () => ({})),
      memberCount: members,
    }),
    commitOffsets: async (group: string, offsets: unknown) => {
      commits.push([group, offsets]);
    },
    close: async () => undefined,
  } as unknown as KafkaClient;
}

const PRIMARY_ENV = {
  [clusterEnvName("primary", "OCI_GEO_KAFKA_BOOTSTRAP_SERVERS")]: "primary.example:9092",
  [clusterEnvName("primary", "OCI_GEO_KAFKA_USERNAME")]: "t/u/pool",
  [clusterEnvName("primary", "OCI_GEO_KAFKA_PASSWORD")]: "s3cret-primary",
};

describe("failback: the command", () => {
  let dir: string;
  let out: string[];
  let err: string[];
  let state: string;
  let pairFile: string;
  let ws: FakeWorkspace;
  let connected: string[];
  let io: FailbackCliIo;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "failback-cli-"));
    state = path.join(dir, "state.json");
    pairFile = path.join(dir, "pair.json");
    fs.writeFileSync(pairFile, JSON.stringify(richPair()));
    out = [];
    err = [];
    ws = new FakeWorkspace([PRIMARY, DR]);
    connected = [];
    io = {
      env: {
        [clusterEnvName("dr", "OCI_GEO_KAFKA_BOOTSTRAP_SERVERS")]: "dr.example:9092",
        [clusterEnvName("dr", "OCI_GEO_KAFKA_USERNAME")]: "t/u/pool",
        [clusterEnvName("dr", "OCI_GEO_KAFKA_PASSWORD")]: "s3cret-dr",
      },
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      readFile: (p) => fs.readFileSync(p, "utf8"),
      connect: async (o) => {
        connected.push(String(o.bootstrapServers));
        return fakeDr();
      },
      workspace: ws,
      now: () => new Date("2025-03-01T10:00:00.000Z"),
    };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("parses steps and options, and refuses passwords on the command line", () => {
    const o = parseFailbackArgs([
      "wait",
      "--topic",
      "a,b",
      "--topic=c",
      "--timeout",
      "30",
      "--poll",
      "1",
      "--state",
      "s.json",
    ]);
    expect(o).to.deep.include({
      step: "wait",
      topics: ["a", "b", "c"],
      timeoutMs: 30_000,
      pollMs: 1000,
      stateFile: "s.json",
    });
    expect(parseFailbackArgs(["status"])).to.deep.include({
      step: "status",
      stateFile: "out/failback/state.json",
      limits: { concurrency: 4, perSecond: 10 },
    });
    expect(parseFailbackArgs(["translate", "--concurrency=2", "--max-rate", "2.5"])).to.deep.include({
      limits: { concurrency: 2, perSecond: 2.5 },
    });
    expect(() => parseFailbackArgs(["translate", "--max-rate=-1"])).to.throw(
      /--max-rate must be a number of groups per second, 0 or more \(0: no cap\), not -1/,
    );
    for (const flag of ["--password", "--token", "--dr-password", "--primary-password"]) {
      expect(() => parseFailbackArgs(["wait", flag, "x"])).to.throw(
        /is not accepted: a password on the command line/,
      );
    }
    expect(() => parseFailbackArgs([])).to.throw(/a step is required/);
    expect(() => parseFailbackArgs(["rewind"])).to.throw(/unknown step 'rewind'/);
    expect(() => parseFailbackArgs(["wait", "translate"])).to.throw(/one step at a time/);
    expect(() => parseFailbackArgs(["wait", "--timeout", "soon"])).to.throw(
      /--timeout must be a number of seconds/,
    );
    expect(() => parseFailbackArgs(["wait", "--topic"])).to.throw(/--topic needs a value/);
  });

  it("refuses a step out of order with exit 2 and touches nothing, unless --force", async () => {
    expect(
      await runFailbackCli(
        ["translate", "--state", state, "--primary-alias", "fra", "--dr-alias", "ams"],
        io,
      ),
    ).to.equal(2);
    expect(err.join("\n")).to.match(/'translate' needs 'reverse', 'wait' done first/);
    expect(fs.existsSync(state)).to.equal(false);
    expect(connected).to.deep.equal([]);
    expect(await runFailbackCli(["restore", "--state", state, "--pair", pairFile], io)).to.equal(2);
    expect(ws.calls).to.deep.equal([]);
    // --force passes the order check (and then needs the primary connection it lacks).
    expect(
      await runFailbackCli(
        ["translate", "--state", state, "--primary-alias", "fra", "--dr-alias", "ams", "--force"],
        io,
      ),
    ).to.equal(1);
    expect(err.at(-1)).to.match(/no primary connection: set OCI_GEO_PRIMARY_KAFKA_BOOTSTRAP_SERVERS/);
  });

  it("reverse: captures the forward flow on dr, then startFailback in the safe order; status shows it", async () => {
    const code = await runFailbackCli(["reverse", "--state", state, "--pair", pairFile], io);
    expect(code, err.join("\n")).to.equal(0);
    expect(connected).to.deep.equal(["dr.example:9092"]);
    // Capture first (a safety copy: under the identity policy the switch deletes dr's forward
    // layer), then the primary is enabled; with the prefixed policy dr keeps replicating.
    expect(ws.trace).to.deep.equal([
      "select primary",
      "select dr",
      "setAllConfig primary",
      "removeAllConfig primary",
      "up primary",
    ]);
    expect(ws.configOf("primary")).to.deep.equal(stackConfigFor(richPair(), "primary", "dr-to-primary"));
    expect(ws.configOf("dr")).to.equal(undefined);
    const s = loadState(state);
    expect(s).to.deep.include({ primaryAlias: "fra", drAlias: "ams" });
    expect(s.capture).to.deep.equal({
      takenAt: "2025-03-01T10:00:00.000Z",
      offsetSyncsTopic: "mm2-offset-syncs.fra.internal",
      syncs: [{ topic: "orders", partition: 0, upstreamOffset: 7, downstreamOffset: 3 }],
      commits: { app: { "fra.orders": { "0": 3 } } },
    });
    expect(s.steps.reverse).to.deep.include({
      status: "done",
      summary: "dr-to-primary: enable primary (succeeded)",
    });
    // No secret in the state file or the output.
    const everything = fs.readFileSync(state, "utf8") + out.join("\n") + err.join("\n");
    expect(everything).not.to.include(TOKEN);
    expect(everything).not.to.include("s3cret-dr");

    out.length = 0;
    expect(await runFailbackCli(["status", "--state", state], io)).to.equal(0);
    expect(out.find((l) => /^ {2}1\. reverse/.test(l))).to.match(
      /done 2025-03-01T10:00:00.000Z: dr-to-primary/,
    );
    expect(out.find((l) => /^ {2}2\. wait/.test(l))).to.match(/not run {3}<- next/);
    expect(out.at(-1)).to.equal("next: npm run failback -- wait");
  });

  it("reverse resumes after a failed stack update, keeping the first capture", async () => {
    ws.failOn = "up primary";
    expect(await runFailbackCli(["reverse", "--state", state, "--pair", pairFile], io)).to.equal(4);
    expect(err.join("\n")).to.match(
      /reverse failed: up of primary stack '.*primary' failed: fake failure of up primary.*run 'reverse' again/,
    );
    let s = loadState(state);
    expect(s.steps.reverse?.status).to.equal("failed");
    const takenAt = s.capture?.takenAt;
    ws.failOn = undefined;
    ws.calls = [];
    connected = [];
    io.now = () => new Date("2025-03-01T11:00:00.000Z");
    expect(await runFailbackCli(["reverse", "--state", state, "--pair", pairFile], io)).to.equal(0);
    // The capture is not retaken (dr's forward layer may be gone by now): no dr connection.
    expect(connected).to.deep.equal([]);
    s = loadState(state);
    expect(s.capture?.takenAt).to.equal(takenAt);
    expect(s.steps.reverse?.status).to.equal("done");
    expect(ws.trace.filter((t) => t.startsWith("up"))).to.deep.equal(["up primary"]);
  });

  it("reverse needs a dr connection to capture, unless --no-capture", async () => {
    io.env = {};
    expect(await runFailbackCli(["reverse", "--state", state, "--pair", pairFile], io)).to.equal(1);
    expect(err.join("\n")).to.match(
      /no dr connection: set OCI_GEO_DR_KAFKA_BOOTSTRAP_SERVERS .* or pass --dr-config/,
    );
    expect(ws.calls).to.deep.equal([]);
    expect(
      await runFailbackCli(["reverse", "--state", state, "--pair", pairFile, "--no-capture"], io),
    ).to.equal(0);
    expect(loadState(state).capture).to.equal(undefined);
  });

  it("restore: completeFailback after translate; the pair file is required and checked", async () => {
    let s = emptyState();
    for (const step of ["reverse", "wait", "translate"] as const) {
      s = markFinished(
        markStarted(s, step, false, new Date(0)),
        step,
        { ok: true, summary: "" },
        new Date(0),
      );
    }
    saveState(state, s);
    expect(await runFailbackCli(["restore", "--state", state], io)).to.equal(1);
    expect(err.join("\n")).to.match(/--pair <file.json> is required for 'restore'/);
    fs.writeFileSync(pairFile, "{nope");
    expect(await runFailbackCli(["restore", "--state", state, "--pair", pairFile], io)).to.equal(1);
    expect(err.join("\n")).to.match(/--pair .*pair.json: cannot be read as JSON/);
    fs.writeFileSync(pairFile, JSON.stringify(richPair()));
    expect(await runFailbackCli(["restore", "--state", state, "--pair", pairFile], io)).to.equal(0);
    // Normal direction: dr enabled first, then the primary's layer removed.
    expect(ws.trace.filter((t) => t.startsWith("up"))).to.deep.equal(["up dr", "up primary"]);
    expect(ws.configOf("primary")).to.deep.equal(stackConfigFor(richPair(), "primary", "primary-to-dr"));
    expect(loadState(state).steps.restore?.status).to.equal("done");
    out.length = 0;
    await runFailbackCli(["status", "--state", state], io);
    expect(out.at(-1)).to.equal("failback complete");
  });

  it("translate: commits the reverse checkpoints' offsets on the primary and records the step", async () => {
    const commits: [string, unknown][] = [];
    const primaryIo: FailbackCliIo = {
      ...io,
      env: PRIMARY_ENV,
      connect: async (o) => {
        connected.push(String(o.bootstrapServers));
        return fakePrimary(0, commits);
      },
    };
    const args = ["translate", "--state", state, "--primary-alias", "fra", "--dr-alias", "ams", "--force"];
    expect(await runFailbackCli(args, primaryIo), err.join("\n")).to.equal(0);
    expect(connected).to.deep.equal(["primary.example:9092"]);
    expect(commits).to.deep.equal([["app", new Map([["ams.orders", new Map([[0, 40]])]])]]);
    expect(out).to.include(
      "  app ams.orders:0 -> 40 (translated 40 from checkpoint of dr offset 41; on the primary now: none)",
    );
    expect(out).to.include("[1/1] app: committed 1 partition(s)");
    expect(out.at(-1)).to.equal("translate done: 1 committed");
    const recorded = loadState(state).steps.translate;
    expect(recorded?.status).to.equal("done");
    expect(recorded?.summary).to.equal("1 committed");
  });

  it("translate: a group with members on the primary is refused (exit 2), the step recorded as failed", async () => {
    const commits: [string, unknown][] = [];
    const primaryIo: FailbackCliIo = {
      ...io,
      env: PRIMARY_ENV,
      connect: async () => fakePrimary(2, commits),
    };
    const args = ["translate", "--state", state, "--primary-alias", "fra", "--dr-alias", "ams", "--force"];
    expect(await runFailbackCli(args, primaryIo)).to.equal(2);
    expect(commits).to.deep.equal([]);
    expect(err.join("\n")).to.match(
      /translate refused or failed for 1 group\(s\): group app has 2 active member\(s\) on the primary/,
    );
    expect(out.at(-1)).to.equal("translate NOT done: 1 refused");
    expect(loadState(state).steps.translate?.status).to.equal("failed");
  });

  it("a corrupt state file stops every step with exit 1", async () => {
    fs.writeFileSync(state, "garbage");
    expect(await runFailbackCli(["status", "--state", state], io)).to.equal(1);
    expect(err.join("\n")).to.match(/--state .*state.json: not valid JSON/);
  });
});

describe("failback: translate decisions (pure)", () => {
  const plan: FailbackGroupPlan = {
    group: "app",
    partitions: [
      // ams.orders from a checkpoint; nothing on the primary yet.
      {
        kind: "checkpoint",
        topic: "ams.orders",
        partition: 0,
        offset: 40,
        translated: 40,
        upstreamOffset: 40,
        metadata: "",
      },
      // orders: the translation (120) is ahead of the pre-failover commit (100): moves forward.
      {
        kind: "offset-sync",
        topic: "orders",
        partition: 0,
        offset: 120,
        translated: 120,
        upstreamOffset: 60,
        metadata: "",
        currentOffset: 100,
      },
      // orders:1: the primary's commit (90) is ahead of the translation (80): kept.
      {
        kind: "offset-sync",
        topic: "orders",
        partition: 1,
        offset: 90,
        translated: 80,
        upstreamOffset: 30,
        metadata: "",
        currentOffset: 90,
      },
    ],
  };

  it("commits only partitions that move, never backwards, and counts what is kept", () => {
    expect(commitsOf(plan)).to.deep.equal(
      new Map([
        ["ams.orders", new Map([[0, 40]])],
        ["orders", new Map([[0, 120]])],
      ]),
    );
    expect(decideFailbackGroup(plan, { state: "Empty", activeMembers: 0 }, false)).to.deep.equal({
      group: "app",
      status: "committed",
      partitions: 2,
      kept: 1,
      untranslatable: 0,
      stale: 0,
    });
    expect(decideFailbackGroup(plan, { state: "Dead", activeMembers: 0 }, true).status).to.equal(
      "would-commit",
    );
  });

  it("refuses a group with active members on the primary, and is a no-op once committed", () => {
    const r = decideFailbackGroup(plan, { state: "Stable", activeMembers: 2 }, false);
    expect(r.status).to.equal("refused");
    expect(r.reason).to.equal(
      "group app has 2 active member(s) on the primary (state Stable): stop its consumers there first",
    );
    const done: FailbackGroupPlan = {
      ...plan,
      partitions: plan.partitions.map((p) => ({ ...p, currentOffset: p.offset })),
    };
    expect(decideFailbackGroup(done, { state: "Empty", activeMembers: 0 }, false).status).to.equal(
      "already-committed",
    );
    expect(commitsOf(done).size).to.equal(0);
    const none = decideFailbackGroup(
      { group: "x", partitions: [] },
      { state: "Dead", activeMembers: 0 },
      false,
    );
    expect(none.status).to.equal("no-translation");
    // A stale checkpoint (the group is further on dr than MM2 checkpointed) is reported.
    const stale: FailbackGroupPlan = { group: "s", partitions: [{ ...plan.partitions[0], drOffset: 45 }] };
    expect(decideFailbackGroup(stale, { state: "Empty", activeMembers: 0 }, false).stale).to.equal(1);
  });
});
