/**
 * Replication-loop analysis (lib/core/mm2/loops.ts) and the MM2 policy emulation it rests on
 * (lib/core/mm2/replicationPolicy.ts), checked against Kafka 4.1.2's behaviour: MirrorSourceConnector
 * .shouldReplicateTopic / isCycle, DefaultReplicationPolicy / IdentityReplicationPolicy.
 */
import { expect } from "chai";

import { ValidationError } from "../../lib/core/errors";
import {
  LoopAnalysisInput,
  LoopFlow,
  LoopKind,
  ReplicationModelInput,
  analyzeFleetLoops,
  analyzeReplicationLoops,
  assertNoReplicationLoops,
  mm2Policy,
  normalizeReplicationModel,
  replicatedTopics,
  topicsToPreCreate,
} from "../../lib/core/mm2";
import { dr, drModel, onprem, primary } from "./mm2Fixtures";

const P = { type: "prefixed", separator: "." } as const;
const I = { type: "identity", separator: "." } as const;

function flow(source: string, target: string, extra: Partial<LoopFlow> = {}): LoopFlow {
  return { source, target, ...extra };
}

interface Case {
  name: string;
  input: LoopAnalysisInput;
  /** Loop kinds expected (sorted, deduplicated); [] = no loop. */
  loops: LoopKind[];
  /** Topics expected at the fixpoint on some clusters. */
  topics?: Record<string, string[]>;
  /** Topics that must never exist. */
  absent?: Record<string, string[]>;
  /** Expected ValidationError field from assertNoReplicationLoops. */
  field?: string;
  /** Number of (origin, cluster) pairs reached by more than one path. */
  multiplePaths?: number;
}

const cases: Case[] = [
  {
    name: "prefixed active-active A<->B, include .* on both: no loop (cycle detection)",
    input: {
      flows: [flow("A", "B", { policy: P }), flow("B", "A", { policy: P })],
      topics: { A: ["orders"], B: ["orders", "audit"] },
    },
    loops: [],
    topics: {
      A: ["B.audit", "B.heartbeats", "B.orders", "heartbeats", "orders"],
      B: ["A.heartbeats", "A.orders", "audit", "heartbeats", "orders"],
    },
    absent: { A: ["A.B.orders", "B.A.orders"], B: ["B.A.orders", "A.B.orders"] },
    multiplePaths: 0,
  },
  {
    name: "identity active-active A<->B: loop (records circulate), refused on policy.type",
    input: {
      flows: [flow("A", "B", { policy: I }), flow("B", "A", { policy: I })],
      topics: { A: ["orders"], B: [] },
    },
    loops: ["circulates", "identity-cycle"],
    field: "policy.type",
  },
  {
    name: "identity active-active with no topic declared yet: still refused (structural)",
    input: { flows: [flow("A", "B", { policy: I }), flow("B", "A", { policy: I })], topics: {} },
    loops: ["identity-cycle"],
    field: "policy.type",
  },
  {
    name: "identity one way A->B: no loop, names kept, heartbeats prefixed",
    input: { flows: [flow("A", "B", { policy: I })], topics: { A: ["orders"] } },
    loops: [],
    // No flow writes heartbeats into A, so there is none to replicate.
    topics: { B: ["heartbeats", "orders"] },
    absent: { A: ["heartbeats"], B: ["A.heartbeats"] },
  },
  {
    name: "chain A->B->C (prefixed): B.A.orders on C, no loop",
    input: {
      flows: [flow("A", "B", { policy: P }), flow("B", "C", { policy: P })],
      topics: { A: ["orders"] },
    },
    loops: [],
    topics: {
      B: ["A.orders", "heartbeats"],
      C: ["B.A.orders", "B.heartbeats", "heartbeats"],
    },
    absent: { A: ["heartbeats"] },
  },
  {
    name: "ring A->B->C->A (prefixed): C->A recognises B.A.orders as A's (recursive isCycle)",
    input: {
      flows: [flow("A", "B", { policy: P }), flow("B", "C", { policy: P }), flow("C", "A", { policy: P })],
      topics: { A: ["orders"] },
    },
    loops: [],
    absent: { A: ["C.B.A.orders"] },
    topics: {
      A: ["C.B.heartbeats", "C.heartbeats", "heartbeats", "orders"],
      B: ["A.C.heartbeats", "A.heartbeats", "A.orders", "heartbeats"],
      C: ["B.A.heartbeats", "B.A.orders", "B.heartbeats", "heartbeats"],
    },
  },
  {
    name: "full mesh of three (prefixed): no loop, but C receives A's records twice (A.orders, B.A.orders)",
    input: {
      flows: ["A", "B", "C"].flatMap((s) =>
        ["A", "B", "C"].filter((t) => t !== s).map((t) => flow(s, t, { policy: P })),
      ),
      topics: { A: ["orders"] },
    },
    loops: [],
    absent: { A: ["B.A.orders", "C.A.orders", "C.B.A.orders", "B.C.A.orders"] },
    multiplePaths: -1,
  },
  {
    name: "identity chain A->B->C->A: loop",
    input: {
      flows: [flow("A", "B", { policy: I }), flow("B", "C", { policy: I }), flow("C", "A", { policy: I })],
      topics: { A: ["orders"] },
    },
    loops: ["circulates", "identity-cycle"],
    field: "policy.type",
  },
  {
    name: "identity both ways but disjoint include filters: still refused (a later topic would loop)",
    input: {
      flows: [
        flow("A", "B", { policy: I, topicsInclude: ["a\\..*"] }),
        flow("B", "A", { policy: I, topicsInclude: ["b\\..*"] }),
      ],
      topics: { A: ["a.orders"], B: ["b.orders"] },
    },
    loops: ["identity-cycle"],
    field: "policy.type",
  },
  {
    name: "one fleet calls A by another alias: A's records come back once as B.A.orders",
    input: {
      flows: [
        flow("A", "B", { policy: P, field: "fleets[0].flows[0]" }),
        flow("B", "A", { policy: P, targetAlias: "fra", field: "fleets[1].flows[0]" }),
      ],
      topics: { A: ["orders"] },
    },
    loops: ["returns-to-origin"],
    topics: { A: ["B.A.heartbeats", "B.A.orders", "B.heartbeats", "heartbeats", "orders"] },
    field: "fleets[1].flows[0]",
  },
  {
    name: "both fleets use other aliases for their peers: unbounded renaming",
    input: {
      flows: [
        flow("A", "B", { policy: P, targetAlias: "ams" }),
        flow("B", "A", { policy: P, targetAlias: "fra" }),
      ],
      topics: { A: ["orders"] },
    },
    loops: ["unbounded-renaming"],
    field: "flows[1]",
  },
  {
    name: "identity one way, prefixed back: loop",
    input: {
      flows: [flow("A", "B", { policy: I, policyField: "f0.policy" }), flow("B", "A", { policy: P })],
      topics: { A: ["orders"] },
    },
    loops: ["unbounded-renaming"],
    field: "f0.policy.type",
  },
  {
    name: "different separators on the two fleets: loop",
    input: {
      flows: [
        flow("A", "B", { policy: P }),
        flow("B", "A", { policy: { type: "prefixed", separator: "_" }, policyField: "f1.policy" }),
      ],
      topics: { A: ["orders"] },
    },
    loops: ["unbounded-renaming"],
    field: "f1.policy.separator",
  },
  {
    name: "filters that keep replicas out (exclude B\\..*) with prefixed: no loop",
    input: {
      flows: [flow("A", "B", { policy: P, topicsExclude: ["B\\..*"] }), flow("B", "A", { policy: P })],
      topics: { A: ["orders"], B: ["orders"] },
    },
    loops: [],
  },
];

describe("mm2 loops: table of topologies", () => {
  for (const c of cases) {
    it(c.name, () => {
      const analysis = analyzeReplicationLoops(c.input);
      const kinds = [...new Set(analysis.loops.map((l) => l.kind))].sort();
      expect(kinds, JSON.stringify(analysis.loops, null, 1)).to.deep.equal(c.loops);
      for (const [cluster, topics] of Object.entries(c.topics ?? {})) {
        expect(analysis.topics[cluster], `topics on ${cluster}`).to.deep.equal(topics);
      }
      for (const [cluster, topics] of Object.entries(c.absent ?? {})) {
        for (const t of topics) {
          expect(analysis.topics[cluster] ?? [], `${t} on ${cluster}`).not.to.include(t);
        }
      }
      if (c.multiplePaths === 0) {
        expect(analysis.multiplePaths).to.deep.equal([]);
      } else if (c.multiplePaths === -1) {
        expect(analysis.multiplePaths.length).to.be.greaterThan(0);
      }
      if (c.loops.length === 0) {
        expect(() => assertNoReplicationLoops(c.input)).not.to.throw();
        // Every path is simple: no record ever comes back to a cluster it has been on.
        for (const p of analysis.paths) {
          expect(new Set(p.map((h) => h.cluster)).size, JSON.stringify(p)).to.equal(p.length);
        }
      } else {
        let error: unknown;
        try {
          assertNoReplicationLoops(c.input);
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(ValidationError);
        const v = error as ValidationError;
        if (c.field !== undefined) {
          expect(v.field).to.equal(c.field);
        }
        expect(v.message.startsWith(`${v.field}: `)).to.equal(true);
        // Readable: says what happens and how to fix it.
        expect(v.message).to.match(/loop|forever|back and forth/);
        expect(v.message).to.match(/Use |Give each cluster|Narrow /);
      }
    });
  }

  it("describes a loop by its record path, first and last cluster equal", () => {
    const analysis = analyzeReplicationLoops(cases[1].input);
    const circ = analysis.loops.find((l) => l.kind === "circulates")!;
    expect(circ.path[0].cluster).to.equal(circ.path[circ.path.length - 1].cluster);
    expect(circ.message).to.contain("orders@A -> orders@B -> orders@A");
  });

  it("names the renamed topics of an unbounded loop", () => {
    const analysis = analyzeReplicationLoops(cases[10].input);
    expect(analysis.loops[0].message).to.contain("orders@A -> A.orders@B -> B.A.orders@A");
    expect(analysis.loops[0].message).to.match(/longer name, without end/);
  });

  it("full mesh: lists both paths into C", () => {
    const analysis = analyzeReplicationLoops(cases[6].input);
    const toC = analysis.multiplePaths.find((m) => m.origin.topic === "orders" && m.cluster === "C")!;
    expect(toC.paths.map((p) => p.map((h) => h.topic).join(" > "))).to.have.members([
      "orders > A.orders",
      "orders > A.orders > B.A.orders",
    ]);
  });
});

describe("mm2 loops: Kafka's MirrorSourceConnector decisions (replicationPolicy.ts)", () => {
  const pass = (): boolean => true;
  const rows: [string, typeof P | typeof I, string, string, string, boolean][] = [
    // policy, flow source, flow target, topic, replicated?
    ["local topic", P, "A", "B", "orders", true],
    ["replica of the target's topic", P, "A", "B", "B.orders", false],
    ["two hops from the target (recursive isCycle)", P, "A", "B", "C.B.orders", false],
    ["target alias in the last segment is not a source", P, "A", "B", "C.B", true],
    ["trailing separator: Java split drops the empty part, not remote", P, "A", "B", "B.", true],
    ["leading separator: internal (starts with '.')", P, "A", "B", ".B.x", false],
    ["internal suffix", P, "A", "B", "x.internal", false],
    ["Connect internal suffix", P, "A", "B", "connect-offsets-internal", false],
    ["Kafka internal", P, "A", "B", "__consumer_offsets", false],
    ["heartbeats", P, "A", "B", "heartbeats", true],
    ["the target's heartbeats back", P, "A", "B", "B.heartbeats", false],
    ["identity: the target's topic is not recognised", I, "A", "B", "orders", true],
    ["identity: a prefixed-looking name is not recognised either", I, "A", "B", "B.orders", true],
    ["identity: heartbeats are prefixed and recognised", I, "A", "B", "B.heartbeats", false],
  ];
  for (const [name, policy, s, t, topic, expected] of rows) {
    it(`${policy.type}: ${name} (${topic} on ${s}->${t}: ${expected ? "replicated" : "skipped"})`, () => {
      expect(mm2Policy.shouldReplicateTopic(policy, s, t, topic, pass)).to.equal(expected);
    });
  }

  it("heartbeats are replicated even when the filter excludes them (heartbeats.replication.enabled)", () => {
    expect(mm2Policy.shouldReplicateTopic(P, "A", "B", "A0.heartbeats", () => false)).to.equal(true);
    expect(mm2Policy.shouldReplicateTopic(P, "A", "B", "orders", () => false)).to.equal(false);
  });

  it("Java split semantics", () => {
    expect(mm2Policy.javaSplitLiteral("a.b.c", ".")).to.deep.equal(["a", "b", "c"]);
    expect(mm2Policy.javaSplitLiteral(".b", ".")).to.deep.equal(["", "b"]);
    expect(mm2Policy.javaSplitLiteral("b..", ".")).to.deep.equal(["b"]);
    expect(mm2Policy.javaSplitLiteral("...", ".")).to.deep.equal([]);
    expect(mm2Policy.javaSplitLiteral("", ".")).to.deep.equal([""]);
    expect(mm2Policy.topicSource(P, "A", "a__b")).to.equal(null);
    expect(mm2Policy.topicSource({ type: "prefixed", separator: "__" }, "A", "a__b")).to.equal("a");
    expect(mm2Policy.originalTopic(P, "C.B.orders")).to.equal("orders");
  });
});

describe("mm2 topics: the renderer skips exactly what MM2 skips (regression)", () => {
  // Before: only the first segment was compared to the target, and "dr." was split JS-style, so a
  // stream was pre-created (and counted in tasks.max) for a topic MM2 never replicates, and none
  // for one it does.
  const model = drModel({
    clusters: [
      {
        ...primary,
        topics: [
          { name: "orders", partitions: 3 },
          { name: "x.dr.orders", partitions: 2 },
          { name: "dr.", partitions: 4 },
        ],
      },
      dr,
    ],
  });

  it("replicatedTopics follows MirrorSourceConnector.isCycle recursively and Java's split", () => {
    const n = normalizeReplicationModel(model);
    expect(replicatedTopics(n, n.flows[0]).map((t) => t.name)).to.deep.equal(["dr.", "orders"]);
  });

  it("topicsToPreCreate pre-creates primary.dr. and not primary.x.dr.orders", () => {
    const names = topicsToPreCreate(model).map((t) => t.name);
    expect(names).to.include("primary.dr.");
    expect(names).not.to.include("primary.x.dr.orders");
  });
});

describe("mm2 loops: across fleets (each fleet's model, as rendered)", () => {
  /** The primary region's fleet replicating dr -> primary. */
  function primaryFleet(overrides: Partial<ReplicationModelInput> = {}): ReplicationModelInput {
    return drModel({ flows: [{ source: "dr", target: "primary" }], target: "primary", ...overrides });
  }

  it("active-active, prefixed: no loop; each side gets the other's topics once, prefixed", () => {
    const analysis = assertNoReplicationLoops([
      { name: "dr", model: drModel() },
      { name: "primary", model: primaryFleet() },
    ]);
    expect(analysis.topics.dr).to.include.members([
      "primary.orders",
      "primary.payments",
      "primary.heartbeats",
    ]);
    expect(analysis.topics.primary).to.include.members(["dr.audit", "dr.heartbeats"]);
    expect(analysis.topics.primary).not.to.include("dr.primary.orders");
    expect(analysis.topics.dr).not.to.include("primary.dr.audit");
    expect(analysis.multiplePaths).to.deep.equal([]);
  });

  it("active-active, identity on both fleets: refused, though each model alone validates", () => {
    const identity = { policy: { type: "identity" as const } };
    const fleets = [
      { name: "dr", model: drModel(identity) },
      { name: "primary", model: primaryFleet(identity) },
    ];
    expect(() => assertNoReplicationLoops(fleets)).to.throw(
      ValidationError,
      /^fleets\[0\]\.model\.policy\.type: "identity" cannot be used with flows that form a cycle \(dr: primary->dr, primary: dr->primary\)/,
    );
    expect(analyzeFleetLoops(fleets).loops.map((l) => l.kind)).to.include("circulates");
  });

  it("the same model on both fleets (both flows listed, each runs its own): no loop", () => {
    const both = [
      { source: "primary", target: "dr" },
      { source: "dr", target: "primary" },
    ];
    expect(() =>
      assertNoReplicationLoops([
        { model: drModel({ flows: both }) },
        { model: drModel({ flows: both, target: "primary" }) },
      ]),
    ).not.to.throw();
  });

  it("the fleets call one pool by different aliases: refused on the alias", () => {
    const fra = { ...primary, alias: "fra" };
    const fleets = [
      { name: "dr", model: drModel() },
      {
        name: "primary",
        model: primaryFleet({ clusters: [fra, dr], flows: [{ source: "dr", target: "fra" }], target: "fra" }),
      },
    ];
    expect(() => assertNoReplicationLoops(fleets, { fieldPrefix: "replication" })).to.throw(
      ValidationError,
      /replication loop: .*primary\.orders@dr .*dr\.primary\.orders@primary.*"fra" and "primary"/,
    );
  });

  it("on-prem -> OCI next to the failback fleet OCI -> on-prem (prefixed): no loop", () => {
    const toOci: ReplicationModelInput = {
      clusters: [onprem, dr],
      flows: [{ source: "onprem", target: "dr" }],
      target: "dr",
      fleet: { nodes: 1, coresPerNode: 2 },
    };
    const back: ReplicationModelInput = {
      ...toOci,
      flows: [{ source: "dr", target: "onprem" }],
      target: "onprem",
    };
    const analysis = assertNoReplicationLoops([{ model: toOci }, { model: back }]);
    expect(analysis.topics.dr).to.include("onprem.ledger");
    expect(analysis.topics.onprem).to.include("dr.audit");
    expect(analysis.topics.onprem).not.to.include("dr.onprem.ledger");
  });

  it("validates each fleet's model first (field under fleets[i].model)", () => {
    expect(() => assertNoReplicationLoops([{ model: drModel({ target: "nowhere" }) }])).to.throw(
      ValidationError,
      /^fleets\[0\]\.model\.target: /,
    );
  });
});
