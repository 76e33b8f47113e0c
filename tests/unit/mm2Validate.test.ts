import { expect } from "chai";
import { ValidationError } from "../../lib/core/errors";
import {
  ReplicationModelInput,
  checkJavaRegex,
  checkJavaRegexList,
  javaRegexListMatcher,
  renderMm2Properties,
  topicsToPreCreate,
  validateReplicationModel,
} from "../../lib/core/mm2";
import { FAKE_TOKEN, activeActiveModel, dr, drModel, onprem, onpremToOciModel, primary } from "./mm2Fixtures";

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error("expected a ValidationError, none was thrown");
}

describe("mm2 validation", () => {
  it("accepts the reference models", () => {
    for (const m of [drModel(), activeActiveModel(), onpremToOciModel()]) {
      expect(() => validateReplicationModel(m)).not.to.throw();
    }
  });

  const cases: { name: string; model: ReplicationModelInput; field: string; says: RegExp }[] = [
    {
      name: "fleet size 0",
      model: drModel({ fleet: { nodes: 0, coresPerNode: 2 } }),
      field: "fleet.nodes",
      says: />= 1/,
    },
    {
      name: "fractional fleet size",
      model: drModel({ fleet: { nodes: 1.5, coresPerNode: 2 } }),
      field: "fleet.nodes",
      says: /integer/,
    },
    {
      name: "cores 0",
      model: drModel({ fleet: { nodes: 1, coresPerNode: 0 } }),
      field: "fleet.coresPerNode",
      says: />= 1/,
    },
    {
      name: "privileged REST port",
      model: drModel({ fleet: { nodes: 2, coresPerNode: 2, internalRestPort: 80 } }),
      field: "fleet.internalRestPort",
      says: /1024/,
    },
    { name: "tasks.max 0", model: drModel({ tasksMax: 0 }), field: "tasksMax", says: />= 1/ },
    { name: "negative tasks.max", model: drModel({ tasksMax: -3 }), field: "tasksMax", says: />= 1/ },
    {
      name: "identity policy with bidirectional replication",
      model: activeActiveModel({ policy: { type: "identity" } }),
      field: "policy.type",
      says: /bidirectional.*prefixed/,
    },
    {
      name: "flow from an unknown alias",
      model: drModel({ flows: [{ source: "primay", target: "dr" }] }),
      field: "flows[0].source",
      says: /not the alias of any cluster.*dr, primary/,
    },
    {
      name: "flow to an unknown alias",
      model: drModel({
        flows: [
          { source: "primary", target: "dr" },
          { source: "dr", target: "nowhere" },
        ],
      }),
      field: "flows[1].target",
      says: /not the alias/,
    },
    {
      name: "flow to itself",
      model: drModel({ flows: [{ source: "dr", target: "dr" }] }),
      field: "flows[0].target",
      says: /same cluster/,
    },
    {
      name: "duplicate flow",
      model: drModel({
        flows: [
          { source: "primary", target: "dr" },
          { source: "primary", target: "dr" },
        ],
      }),
      field: "flows[1]",
      says: /duplicates flows\[0\]/,
    },
    { name: "no flows", model: drModel({ flows: [] }), field: "flows", says: /at least one/ },
    {
      name: "unknown fleet target",
      model: drModel({ target: "drr" }),
      field: "target",
      says: /not the alias/,
    },
    {
      name: "fleet target without inbound flow",
      model: drModel({ target: "primary" }),
      field: "target",
      says: /no flow replicates into "primary"/,
    },
    {
      name: "OCI target without a Connect harness",
      model: drModel({ clusters: [primary, { ...dr, connectHarnessId: undefined }] }),
      field: "clusters[1].connectHarnessId",
      says: /harness/,
    },
    {
      name: "two sources into one OCI target (one harness)",
      model: drModel({
        clusters: [primary, dr, onprem],
        flows: [
          { source: "primary", target: "dr" },
          { source: "onprem", target: "dr" },
        ],
      }),
      field: "flows",
      says: /share the single Connect harness/,
    },
    {
      name: "duplicate alias",
      model: drModel({ clusters: [primary, { ...dr, alias: "primary" }] }),
      field: "clusters[1].alias",
      says: /already used by clusters\[0\]/,
    },
    {
      name: "alias with a dot",
      model: drModel({ clusters: [{ ...primary, alias: "eu.primary" }, dr] }),
      field: "clusters[0].alias",
      says: /not a valid alias/,
    },
    {
      name: "reserved alias",
      model: drModel({
        clusters: [{ ...primary, alias: "producer" }, dr],
        flows: [{ source: "producer", target: "dr" }],
      }),
      field: "clusters[0].alias",
      says: /global MM2 setting/,
    },
    {
      name: "alias containing the separator",
      model: drModel({
        policy: { type: "prefixed", separator: "-" },
        clusters: [{ ...primary, alias: "eu-primary" }, dr],
        flows: [{ source: "eu-primary", target: "dr" }],
      }),
      field: "clusters[0].alias",
      says: /contains the replication separator/,
    },
    {
      name: "separator with a slash",
      model: drModel({ policy: { type: "prefixed", separator: "/" } }),
      field: "policy.separator",
      says: /\[A-Za-z0-9\._-\]/,
    },
    {
      name: "bootstrap without port",
      model: drModel({ clusters: [{ ...primary, bootstrapServers: "cell-1.example.com" }, dr] }),
      field: "clusters[0].bootstrapServers",
      says: /host:port/,
    },
    {
      name: "stream pool id that is not an OCID",
      model: drModel({ clusters: [{ ...primary, streamPoolId: "mypool" }, dr] }),
      field: "clusters[0].streamPoolId",
      says: /ocid1\.streampool/,
    },
    {
      name: "user OCID instead of user name",
      model: drModel({ clusters: [{ ...primary, userName: "ocid1.user.oc1..aaa/x" }, dr] }),
      field: "clusters[0].userName",
      says: /name \(not an OCID\)/,
    },
    {
      name: "topic with an invalid name",
      model: drModel({ clusters: [{ ...primary, topics: [{ name: "bad name", partitions: 1 }] }, dr] }),
      field: "clusters[0].topics[0].name",
      says: /\[a-zA-Z0-9\._-\]/,
    },
    {
      name: "topic with 0 partitions",
      model: drModel({ clusters: [{ ...primary, topics: [{ name: "t", partitions: 0 }] }, dr] }),
      field: "clusters[0].topics[0].partitions",
      says: /between 1/,
    },
    {
      name: "remote name too long",
      model: drModel({ clusters: [{ ...primary, topics: [{ name: "t".repeat(245), partitions: 1 }] }, dr] }),
      field: "clusters[0].topics[0].name",
      says: /at most 249/,
    },
    {
      name: "identity policy onto a declared target stream with other partitions",
      model: drModel({
        policy: { type: "identity" },
        clusters: [primary, { ...dr, topics: [{ name: "orders", partitions: 4 }] }],
      }),
      field: "clusters[1].topics[0].partitions",
      says: /partition count/,
    },
    {
      name: "topic include pattern with a JS-only escape",
      model: drModel({
        flows: [{ source: "primary", target: "dr", topics: { include: ["orders", "a\\p{L}"] } }],
      }),
      field: "flows[0].topics.include[1]",
      says: /Unicode property/,
    },
    {
      name: "group exclude pattern with inline flags",
      model: drModel({ flows: [{ source: "primary", target: "dr", groups: { exclude: ["(?i)test"] } }] }),
      field: "flows[0].groups.exclude[0]",
      says: /inline flags/,
    },
    {
      name: "empty include list",
      model: drModel({ flows: [{ source: "primary", target: "dr", topics: { include: [] } }] }),
      field: "flows[0].topics.include",
      says: /replicates nothing/,
    },
    {
      name: "PKCS12 trust store without password",
      model: onpremToOciModel({
        clusters: [
          {
            ...onprem,
            security: {
              protocol: "SASL_SSL",
              mechanism: "PLAIN",
              username: "mm2",
              password: { secretId: "ocid1.vaultsecret.oc1.iad.amaaaaaapw" },
              tls: {
                truststore: { type: "PKCS12", content: { secretId: "ocid1.vaultsecret.oc1.iad.amaaaaaats" } },
              },
            },
          },
          dr,
        ],
      }),
      field: "clusters[0].security.tls.truststore.password",
      says: /required for a PKCS12/,
    },
    {
      name: "SASL_PLAINTEXT with TLS settings",
      model: onpremToOciModel({
        clusters: [
          {
            ...onprem,
            security: {
              protocol: "SASL_PLAINTEXT",
              mechanism: "PLAIN",
              username: "mm2",
              password: { secretId: "ocid1.vaultsecret.oc1.iad.amaaaaaapw" },
              tls: {},
            },
          },
          dr,
        ],
      }),
      field: "clusters[0].security.tls",
      says: /does not use TLS/,
    },
    {
      name: "relative config directory",
      model: drModel({ configDir: "etc/mm2" }),
      field: "configDir",
      says: /absolute/,
    },
    {
      name: "refresh interval 0",
      model: drModel({ refresh: { topicsIntervalSeconds: 0 } }),
      field: "refresh.topicsIntervalSeconds",
      says: />= 1/,
    },
    { name: "one cluster only", model: drModel({ clusters: [dr] }), field: "clusters", says: /at least two/ },
  ];

  for (const c of cases) {
    it(`refuses ${c.name} (field ${c.field})`, () => {
      const e = errorOf(() => validateReplicationModel(c.model));
      expect(e.field).to.equal(c.field);
      expect(e.message.startsWith(`${c.field}: `)).to.equal(true);
      expect(e.message).to.match(c.says);
      // "<what is wrong>. <how to fix>": a sentence, then a fix.
      expect(e.message.slice(c.field.length + 2)).to.match(/\. [A-Z]/);
    });
  }

  it("prefixes fields when asked (e.g. under the component's `replication` argument)", () => {
    const e = errorOf(() =>
      validateReplicationModel(
        drModel({ flows: [{ source: "primary", target: "dr", topics: { include: ["ok", "bad,comma"] } }] }),
        { fieldPrefix: "replication" },
      ),
    );
    expect(e.field).to.equal("replication.flows[0].topics.include[1]");
  });

  it("the renderers validate too", () => {
    expect(errorOf(() => renderMm2Properties(drModel({ tasksMax: 0 }))).field).to.equal("tasksMax");
    expect(
      errorOf(() => topicsToPreCreate(drModel({ fleet: { nodes: 0, coresPerNode: 1 } }))).field,
    ).to.equal("fleet.nodes");
  });

  describe("secret fields never echo their value", () => {
    const placements: [string, ReplicationModelInput, string][] = [
      [
        "OCI auth token",
        drModel({ clusters: [primary, { ...dr, authToken: { secretId: FAKE_TOKEN } }] }),
        "clusters[1].authToken.secretId",
      ],
      [
        "external SASL password",
        onpremToOciModel({
          clusters: [
            {
              ...onprem,
              security: {
                protocol: "SASL_SSL",
                mechanism: "PLAIN",
                username: "mm2",
                password: { secretId: FAKE_TOKEN },
              },
            },
            dr,
          ],
        }),
        "clusters[0].security.password.secretId",
      ],
    ];
    for (const [name, model, field] of placements) {
      it(name, () => {
        const e = errorOf(() => validateReplicationModel(model));
        expect(e.field).to.equal(field);
        expect(e.message).not.to.contain(FAKE_TOKEN);
        expect(e.message).not.to.contain("FAKE");
        expect(e.message).to.match(/Vault secret OCID/);
      });
    }
  });
});

describe("Java regular expression checker", () => {
  const accepted = [
    ".*",
    "orders",
    "orders\\..*",
    ".*[\\-\\.]internal",
    "__.*",
    "ocid1\\.connectharness\\..*",
    "app-(eu|us)-\\d+",
    "(?:a|b)c?",
    "[A-Za-z0-9_]+",
    "[^.]+",
    "x{2}",
    "x{2}?",
    "\\{literal\\}\\]",
    "lazy.*?end",
    "(?<region>eu|us)-\\k<region>",
    "(?=ord)orders",
    "(?!tmp).*",
    "^anchored$",
    "a\\-b",
    "\\u0041\\x42\\t",
  ];
  for (const p of accepted) {
    it(`accepts ${p}`, () => {
      const r = checkJavaRegex(p);
      expect(r.ok, r.ok ? "" : r.problem).to.equal(true);
    });
  }

  const rejected: [string, RegExp][] = [
    ["", /empty/],
    [" orders", /whitespace/],
    ["a{1,3}", /comma/],
    ["x{2,}", /comma/],
    ["/orders/i", /JavaScript regex literal/],
    ["(a)\\1", /numeric back-reference/],
    ["\\0", /NUL/],
    ["\\p{L}+", /Unicode property/],
    ["\\P{Lu}", /Unicode property/],
    ["a\\vb", /vertical/],
    ["\\u{1F600}", /code-point/],
    ["\\x{41}", /code-point/],
    ["[\\b]", /inside a character class/],
    ["[a[b]]", /nested class/],
    ["[a-z&&[^e]]", /nested class|intersection/],
    ["[a-z&&e]", /intersection/],
    ["[]a]", /empty/],
    ["[^]", /empty/],
    ["(?<=x)y", /lookbehind/],
    ["(?<!x)y", /lookbehind/],
    ["(?<my_name>x)", /group name/],
    ["(?>atomic)", /atomic/],
    ["(?i)orders", /inline flags/],
    ["(?i:orders)", /inline flags/],
    ["a*+", /possessive/],
    ["a++", /possessive/],
    ["a?+", /possessive/],
    ["a{2}+", /possessive/],
    ["\\Aorders\\z", /Java-only escape/],
    ["\\Qa.b\\E", /Java-only escape/],
    ["\\R", /Java-only escape/],
    ["\\y", /unknown escape/],
    ["(unclosed", /not a valid regular expression/],
    ["*start", /not a valid regular expression/],
    ["a{", /does not start a \{n\} repetition/],
    ["a{x}", /does not start a \{n\} repetition/],
    ["a]", /unescaped \]/],
    ["a}", /unescaped \}/],
  ];
  for (const [p, says] of rejected) {
    it(`rejects ${JSON.stringify(p)}`, () => {
      const r = checkJavaRegex(p);
      expect(r.ok).to.equal(false);
      if (!r.ok) {
        expect(r.problem).to.match(says);
        expect(r.problem).to.match(/\. [A-Z]/);
      }
    });
  }

  it("rejects the same group name in two entries of one list (MM2 joins them with |)", () => {
    const problem = checkJavaRegexList(["(?<r>eu)-x", "(?<r>us)-y"]);
    expect(problem?.index).to.equal(1);
    expect(problem?.problem).to.match(/group name "r"/);
  });

  it("matches whole names, like MM2's Pattern.matcher(name).matches()", () => {
    const m = javaRegexListMatcher(["orders", "pay.*"]);
    expect(m("orders")).to.equal(true);
    expect(m("orders-v2")).to.equal(false);
    expect(m("payments")).to.equal(true);
    expect(javaRegexListMatcher([])("anything")).to.equal(false);
    expect(javaRegexListMatcher([".*[\\-\\.]internal"])("primary.checkpoints.internal")).to.equal(true);
  });
});
