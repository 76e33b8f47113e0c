import { expect } from "chai";
import {
  ReplicationModelInput,
  checkpointsTopicName,
  isValidStreamName,
  mm2Topics,
  normalizeReplicationModel,
  offsetSyncsTopicName,
  remoteTopicName,
  streamNameProblem,
  topicsToPreCreate,
} from "../../lib/core/mm2";
import {
  activeActiveModel,
  dr,
  drModel,
  ociToExternalModel,
  onpremToOciModel,
  primary,
  shuffled,
} from "./mm2Fixtures";

describe("mm2 topics: names MM2 uses", () => {
  const prefixed = { type: "prefixed" as const, separator: "." };
  const identity = { type: "identity" as const, separator: "." };
  const underscore = { type: "prefixed" as const, separator: "_" };

  const remote: [string, typeof prefixed | typeof identity, string, string][] = [
    ["prefixed", prefixed, "orders", "primary.orders"],
    ["prefixed, custom separator", underscore, "orders", "primary_orders"],
    ["identity keeps the name", identity, "orders", "orders"],
    ["identity still prefixes heartbeats", identity, "heartbeats", "primary.heartbeats"],
    [
      "identity prefixes any *heartbeats topic (IdentityReplicationPolicy.looksLikeHeartbeat)",
      identity,
      "app-heartbeats",
      "primary.app-heartbeats",
    ],
    ["prefixed heartbeats", prefixed, "heartbeats", "primary.heartbeats"],
  ];
  for (const [name, policy, topic, expected] of remote) {
    it(`remote topic: ${name}`, () => {
      expect(remoteTopicName(policy, "primary", topic)).to.equal(expected);
    });
  }

  const internal: [string, string, string][] = [
    ["checkpoints, '.'", checkpointsTopicName(prefixed, "primary"), "primary.checkpoints.internal"],
    ["checkpoints, '_'", checkpointsTopicName(underscore, "primary"), "primary_checkpoints_internal"],
    ["checkpoints, identity", checkpointsTopicName(identity, "primary"), "primary.checkpoints.internal"],
    ["offset-syncs, '.'", offsetSyncsTopicName(prefixed, "dr"), "mm2-offset-syncs.dr.internal"],
    ["offset-syncs, '_'", offsetSyncsTopicName(underscore, "dr"), "mm2-offset-syncs_dr_internal"],
  ];
  for (const [name, actual, expected] of internal) {
    it(`internal topic: ${name}`, () => {
      expect(actual).to.equal(expected);
    });
  }
});

describe("mm2 topics: where each lives", () => {
  type Row = [cluster: string, name: string, partitions: number, purpose: string];
  const rows = (model: ReplicationModelInput): Row[] =>
    mm2Topics(normalizeReplicationModel(model)).map((t) => [t.cluster, t.name, t.partitions, t.purpose]);

  it("primary -> dr, offset syncs on the target (default): everything on dr", () => {
    expect(rows(drModel())).to.deep.equal([
      ["dr", "heartbeats", 1, "heartbeats"],
      ["dr", "mm2-offset-syncs.primary.internal", 1, "offset-syncs"],
      ["dr", "primary.checkpoints.internal", 1, "checkpoints"],
      ["dr", "primary.orders", 6, "remote"],
      ["dr", "primary.payments", 3, "remote"],
    ]);
  });

  it("a source another fleet replicates into has heartbeats: their copy is pre-created, only then", () => {
    const withHeartbeats = drModel({ clusters: [{ ...primary, receivesHeartbeats: true }, dr] });
    expect(rows(withHeartbeats)).to.deep.include(["dr", "primary.heartbeats", 1, "remote-heartbeats"]);
    expect(rows(drModel()).map((r) => r[1])).to.not.include("primary.heartbeats");
    expect(rows(drModel({ policy: { type: "identity" } })).map((r) => r[1])).to.not.include(
      "primary.heartbeats",
    );
    // IdentityReplicationPolicy still prefixes heartbeats.
    expect(
      rows(
        drModel({ clusters: [{ ...primary, receivesHeartbeats: true }, dr], policy: { type: "identity" } }),
      ),
    ).to.deep.include(["dr", "primary.heartbeats", 1, "remote-heartbeats"]);
  });

  it("offset syncs on the source (Kafka's default): mm2-offset-syncs.<target>.internal on the source", () => {
    expect(rows(drModel({ offsetSyncsTopicLocation: "source" }))).to.deep.include([
      "primary",
      "mm2-offset-syncs.dr.internal",
      1,
      "offset-syncs",
    ]);
  });

  it("active-active: the dr fleet also gets primary's replicated heartbeats", () => {
    const r = rows(activeActiveModel());
    expect(r).to.deep.include(["dr", "primary.heartbeats", 1, "remote-heartbeats"]);
    // Only the herders of this fleet (into dr): nothing is created for dr -> primary here.
    expect(r.every(([cluster]) => cluster === "dr")).to.equal(true);
  });

  it("active-active rendered for the primary fleet mirrors it", () => {
    const r = rows(activeActiveModel({ target: "primary" }));
    expect(r).to.deep.equal([
      ["primary", "dr.audit", 2, "remote"],
      ["primary", "dr.checkpoints.internal", 1, "checkpoints"],
      ["primary", "dr.heartbeats", 1, "remote-heartbeats"],
      ["primary", "heartbeats", 1, "heartbeats"],
      ["primary", "mm2-offset-syncs.dr.internal", 1, "offset-syncs"],
    ]);
  });

  it("identity policy: remote topics keep their names", () => {
    expect(rows(drModel({ policy: { type: "identity" } }))).to.deep.include(["dr", "orders", 6, "remote"]);
  });

  it("a topic already declared on the target (same partitions) is not created again", () => {
    const model = drModel({
      policy: { type: "identity" },
      clusters: [primary, { ...dr, topics: [{ name: "orders", partitions: 6 }] }],
    });
    expect(rows(model).map((r) => r[1])).not.to.include("orders");
  });

  it("the topic filter decides which remote topics exist", () => {
    const model = drModel({ flows: [{ source: "primary", target: "dr", topics: { exclude: ["pay.*"] } }] });
    const names = rows(model).map((r) => r[1]);
    expect(names).to.include("primary.orders");
    expect(names).not.to.include("primary.payments");
  });

  it("MM2-skipped topics are never replicated (internal names, cycles)", () => {
    const model = drModel({
      clusters: [
        {
          ...primary,
          topics: [
            { name: "dr.orders", partitions: 2 }, // came from dr: a cycle under the prefixed policy
            { name: "app-internal", partitions: 1 },
            { name: "orders", partitions: 6 },
          ],
        },
        dr,
      ],
    });
    const remotes = rows(model)
      .filter((r) => r[3] === "remote")
      .map((r) => r[1]);
    expect(remotes).to.deep.equal(["primary.orders"]);
  });
});

describe("topicsToPreCreate", () => {
  it("returns the streams to create on OCI, with the same partition counts, sorted", () => {
    expect(topicsToPreCreate(drModel())).to.deep.equal([
      { cluster: "dr", name: "heartbeats", partitions: 1, purpose: "heartbeats" },
      { cluster: "dr", name: "mm2-offset-syncs.primary.internal", partitions: 1, purpose: "offset-syncs" },
      { cluster: "dr", name: "primary.checkpoints.internal", partitions: 1, purpose: "checkpoints" },
      { cluster: "dr", name: "primary.orders", partitions: 6, purpose: "remote" },
      { cluster: "dr", name: "primary.payments", partitions: 3, purpose: "remote" },
    ]);
  });

  it("is independent of input order", () => {
    expect(topicsToPreCreate(shuffled(activeActiveModel()))).to.deep.equal(
      topicsToPreCreate(activeActiveModel()),
    );
  });

  it("skips external clusters (MM2 creates its compacted topics there itself)", () => {
    expect(topicsToPreCreate(ociToExternalModel())).to.deep.equal([]);
  });

  it("includes remote copies of declared external topics on an OCI target", () => {
    expect(topicsToPreCreate(onpremToOciModel())).to.deep.include({
      cluster: "dr",
      name: "onprem.ledger",
      partitions: 12,
      purpose: "remote",
    });
  });

  it("creates the offset-syncs stream on an OCI source when asked to keep it there", () => {
    expect(topicsToPreCreate(drModel({ offsetSyncsTopicLocation: "source" }))).to.deep.include({
      cluster: "primary",
      name: "mm2-offset-syncs.dr.internal",
      partitions: 1,
      purpose: "offset-syncs",
    });
  });

  it("every name is a valid OCI stream name", () => {
    for (const model of [
      drModel(),
      activeActiveModel(),
      onpremToOciModel(),
      drModel({ policy: { type: "prefixed", separator: "__" } }),
    ]) {
      for (const t of topicsToPreCreate(model)) {
        expect(isValidStreamName(t.name), t.name).to.equal(true);
      }
    }
  });
});

describe("stream name rule (Kafka topic rule, which OCI streams used through Kafka obey)", () => {
  const valid = ["orders", "a", "primary.orders", "mm2-offset-syncs.dr.internal", "A_b-C.9", "x".repeat(249)];
  const invalid = ["", ".", "..", "x".repeat(250), "has space", "slash/", "colon:", "ünï", "star*"];
  for (const name of valid) {
    it(`accepts ${JSON.stringify(name.length > 20 ? `${name.slice(0, 10)}…(${name.length})` : name)}`, () => {
      expect(isValidStreamName(name)).to.equal(true);
      expect(streamNameProblem(name)).to.equal(undefined);
    });
  }
  for (const name of invalid) {
    it(`rejects ${JSON.stringify(name.length > 20 ? `${name.slice(0, 10)}…(${name.length})` : name)}`, () => {
      expect(isValidStreamName(name)).to.equal(false);
      expect(streamNameProblem(name)).to.be.a("string");
    });
  }
});
