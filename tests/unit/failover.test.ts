import { expect } from "chai";

import { parseFailoverArgs, runFailoverCli } from "../../lib/ops/cli/failover";
import { encodeCheckpoint, type Checkpoint, type RawRecord } from "../../lib/ops/failover/checkpoints";
import {
  ConnectionSettingsError,
  ENV,
  parseJaas,
  resolveConnectionSettings,
} from "../../lib/ops/failover/connection";
import {
  buildFailoverPlan,
  commitOffsetsOf,
  decideGroup,
  formatProgress,
  type GroupPlan,
} from "../../lib/ops/failover/failover";

function rec(
  group: string,
  topic: string,
  partition: number,
  up: number,
  down: number,
  metadata = "",
): RawRecord {
  const c: Checkpoint = {
    group,
    topic,
    partition,
    upstreamOffset: BigInt(up),
    downstreamOffset: BigInt(down),
    metadata,
  };
  return { partition: 0, ...encodeCheckpoint(c) };
}

const opts = { dryRun: false, overwrite: false };

describe("failover plan (pure)", () => {
  const records = [
    rec("b", "fra.orders", 1, 10, 9),
    rec("a", "fra.orders", 0, 5, 4),
    rec("a", "fra.orders", 0, 50, 48, "m"),
    rec("a", "fra.pay", 0, 7, -1),
    { partition: 0, key: Buffer.from("junk"), value: Buffer.from("x") },
  ];

  it("takes every group in the checkpoints, sorted, with the last checkpoint per partition", () => {
    const plan = buildFailoverPlan(records, { sourceAlias: "fra" });
    expect(plan.checkpointsTopic).to.equal("fra.checkpoints.internal");
    expect(plan.checkpointRecords).to.equal(5);
    expect(plan.groups.map((g) => g.group)).to.deep.equal(["a", "b"]);
    expect(plan.groups[0].partitions).to.deep.equal([
      { topic: "fra.orders", partition: 0, offset: 48, upstreamOffset: 50, metadata: "m" },
      { topic: "fra.pay", partition: 0, offset: -1, upstreamOffset: 7, metadata: "" },
    ]);
  });

  it("keeps named groups in order, empty when no checkpoint names them; honours the separator", () => {
    const plan = buildFailoverPlan(records, {
      sourceAlias: "fra",
      groups: ["b", "zz", "b"],
      policy: { type: "prefixed", separator: "_" },
    });
    expect(plan.checkpointsTopic).to.equal("fra_checkpoints_internal");
    expect(plan.groups.map((g) => [g.group, g.partitions.length])).to.deep.equal([
      ["b", 1],
      ["zz", 0],
    ]);
  });

  it("commits only translatable offsets", () => {
    const a = buildFailoverPlan(records, { sourceAlias: "fra", groups: ["a"] }).groups[0];
    expect(commitOffsetsOf(a)).to.deep.equal(new Map([["fra.orders", new Map([[0, 48]])]]));
  });
});

describe("failover decisions (pure)", () => {
  const g: GroupPlan = {
    group: "app",
    partitions: [
      { topic: "fra.o", partition: 0, offset: 10, upstreamOffset: 12, metadata: "" },
      { topic: "fra.o", partition: 1, offset: -1, upstreamOffset: 3, metadata: "" },
    ],
  };
  const idle = { state: "Dead", activeMembers: 0 };

  it("commits an idle group, or would in a dry run", () => {
    expect(decideGroup(g, idle, opts)).to.deep.equal({
      group: "app",
      partitions: 1,
      untranslatable: 1,
      status: "committed",
    });
    expect(decideGroup(g, { state: "Empty", activeMembers: 0 }, { ...opts, dryRun: true }).status).to.equal(
      "would-commit",
    );
  });

  it("refuses a group with active members on dr, naming it", () => {
    const r = decideGroup(g, { state: "Stable", activeMembers: 2 }, opts);
    expect(r.status).to.equal("refused");
    expect(r.reason).to.match(/^group app has 2 active member\(s\) on dr \(state Stable\)/);
    expect(decideGroup(g, { state: "PreparingRebalance", activeMembers: 0 }, opts).status).to.equal(
      "refused",
    );
  });

  it("is a no-op when dr already has the translation; refuses other offsets unless overwrite", () => {
    const same: GroupPlan = { ...g, partitions: [{ ...g.partitions[0], currentOffset: 10 }] };
    expect(decideGroup(same, idle, opts).status).to.equal("already-committed");
    const other: GroupPlan = { ...g, partitions: [{ ...g.partitions[0], currentOffset: 30 }] };
    const r = decideGroup(other, idle, opts);
    expect(r.status).to.equal("refused");
    expect(r.reason).to.match(/app already has other offsets on dr \(fra\.o:0 at 30, translated 10\)/);
    expect(decideGroup(other, idle, { ...opts, overwrite: true }).status).to.equal("committed");
  });

  it("reports a group without checkpoints", () => {
    expect(decideGroup({ group: "x", partitions: [] }, idle, opts).status).to.equal("no-checkpoints");
  });

  it("formats one progress line per group", () => {
    const r = decideGroup(g, idle, opts);
    expect(formatProgress({ ...r, index: 2, total: 5 })).to.equal(
      "[2/5] app: committed 1 partition(s) (1 untranslatable partition(s) left out)",
    );
    const refused = decideGroup(g, { state: "Stable", activeMembers: 1 }, opts);
    expect(formatProgress({ ...refused, index: 1, total: 1 })).to.match(
      /^\[1\/1\] app: REFUSED: group app has 1 active/,
    );
  });
});

describe("failover connection settings and CLI arguments", () => {
  const CA = "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n";
  const files: Record<string, string> = { "/ca.pem": CA };
  const readFile = (p: string): string => {
    if (!(p in files)) throw new Error(`no ${p}`);
    return files[p];
  };

  it("reads everything from the environment", () => {
    const o = resolveConnectionSettings({
      env: {
        [ENV.bootstrapServers]: "h:9092",
        [ENV.username]: "t/u/p",
        [ENV.password]: "tok",
        [ENV.caPem]: "/ca.pem",
      },
      readFile,
    });
    expect(o).to.deep.include({
      bootstrapServers: "h:9092",
      sasl: { mechanism: "PLAIN", username: "t/u/p", password: "tok" },
      tls: { caPem: CA },
    });
  });

  it("reads a Kafka client properties file; the environment wins", () => {
    const text = [
      "bootstrap.servers=f:9092",
      "security.protocol=SASL_SSL",
      "sasl.mechanism=PLAIN",
      'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="t/u/p" password="a\\\\"b";',
      "ssl.truststore.type=PEM",
      "ssl.truststore.location=/ca.pem",
    ].join("\n");
    const o = resolveConnectionSettings({ env: {}, propertiesText: text, readFile });
    expect(o.sasl).to.deep.equal({ mechanism: "PLAIN", username: "t/u/p", password: 'a"b' });
    expect(o.tls).to.deep.equal({ caPem: CA });
    expect(
      resolveConnectionSettings({ env: { [ENV.password]: "env" }, propertiesText: text, readFile }).sasl
        ?.password,
    ).to.equal("env");
  });

  it("refuses incomplete or unsupported settings", () => {
    expect(() => resolveConnectionSettings({ env: {}, readFile })).to.throw(
      ConnectionSettingsError,
      /bootstrap/,
    );
    expect(() => resolveConnectionSettings({ env: { [ENV.bootstrapServers]: "h" }, readFile })).to.throw(
      /never taken from the command line/,
    );
    expect(() =>
      resolveConnectionSettings({
        env: {},
        propertiesText: "bootstrap.servers=h\nssl.truststore.location=/x.jks\nsecurity.protocol=SSL",
        readFile,
      }),
    ).to.throw(/PEM/);
    expect(() => parseJaas("ScramLoginModule required")).to.throw(/PlainLoginModule/);
    expect(
      resolveConnectionSettings({
        env: { [ENV.bootstrapServers]: "h", [ENV.securityProtocol]: "plaintext" },
        readFile,
      }).tls,
    ).to.equal(false);
  });

  it("parses the command line and refuses a password flag", () => {
    expect(
      parseFailoverArgs(["--source", "fra", "--group", "a", "--group=b", "--dry-run", "--json"]),
    ).to.deep.equal({
      sourceAlias: "fra",
      groups: ["a", "b"],
      dryRun: true,
      json: true,
      overwrite: false,
      configFile: undefined,
      mm2Properties: undefined,
      policy: { type: "prefixed", separator: "." },
      limits: { concurrency: 4, perSecond: 10 },
    });
    expect(parseFailoverArgs(["--source", "fra", "--concurrency", "8", "--max-rate", "0"])).to.deep.include({
      limits: { concurrency: 8, perSecond: 0 },
    });
    expect(() => parseFailoverArgs(["--source", "fra", "--concurrency", "0"])).to.throw(
      /--concurrency must be a whole number from 1 to 64, not 0/,
    );
    expect(() => parseFailoverArgs(["--source", "fra", "--max-rate", "fast"])).to.throw(
      /--max-rate must be a number of groups per second/,
    );
    expect(() => parseFailoverArgs(["--source", "fra", "--password", "x"])).to.throw(/not accepted/);
    expect(() => parseFailoverArgs(["--group", "a"])).to.throw(/--source/);
  });

  it("exits 1 without connecting when settings are missing", async () => {
    const err: string[] = [];
    let connected = false;
    const code = await runFailoverCli(["--source", "fra"], {
      env: {},
      out: () => undefined,
      err: (l) => err.push(l),
      readFile,
      connect: () => {
        connected = true;
        throw new Error("unreachable");
      },
    });
    expect(code).to.equal(1);
    expect(connected).to.equal(false);
    expect(err.join("\n")).to.match(/no bootstrap servers/);
  });
});
