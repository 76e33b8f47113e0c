import { expect } from "chai";
import { KAFKA_VERSION } from "../../lib/core/kafkaVersion";
import {
  ReplicationModelInput,
  deriveTasksMax,
  escapePropertiesValue,
  normalizeReplicationModel,
  parseProperties,
  renderMm2Properties,
  validateReplicationModel,
} from "../../lib/core/mm2";
import {
  FAKE_TOKEN,
  activeActiveModel,
  dr,
  drModel,
  ociToExternalModel,
  onpremToOciModel,
  parseJaasOptions,
  primary,
  shuffled,
} from "./mm2Fixtures";

function props(model: ReplicationModelInput): Map<string, string> {
  return parseProperties(renderMm2Properties(model));
}

function get(p: Map<string, string>, key: string): string {
  const v = p.get(key);
  expect(v, `property ${key}`).to.be.a("string");
  return v as string;
}

function list(p: Map<string, string>, key: string): string[] {
  return get(p, key).split(/\s*,\s*/);
}

describe("mm2 properties: DESIGN §4 rules", () => {
  const p = props(drModel());

  it("starts with a short comment header naming the Kafka version and the --clusters target", () => {
    const text = renderMm2Properties(drModel());
    const header = text.split("\n").slice(0, 4);
    expect(header.every((l) => l.startsWith("#"))).to.equal(true);
    expect(header.join("\n")).to.contain(`Kafka ${KAFKA_VERSION}`).and.contain("--clusters dr");
  });

  it("declares every cluster alias", () => {
    expect(list(p, "clusters")).to.deep.equal(["dr", "primary"]);
  });

  it("enables the flow and disables the reverse (with its idle herder's heartbeats) when one-way", () => {
    expect(get(p, "primary->dr.enabled")).to.equal("true");
    expect(get(p, "dr->primary.enabled")).to.equal("false");
    expect(get(p, "dr->primary.emit.heartbeats.enabled")).to.equal("false");
  });

  it("enables both directions for active-active between two OCI regions", () => {
    const aa = props(activeActiveModel());
    expect(get(aa, "primary->dr.enabled")).to.equal("true");
    expect(get(aa, "dr->primary.enabled")).to.equal("true");
    expect(aa.has("dr->primary.emit.heartbeats.enabled")).to.equal(false);
  });

  describe("OCI cluster connection", () => {
    for (const c of [primary, dr]) {
      it(`${c.alias}: bootstrap, SASL_SSL, PLAIN`, () => {
        expect(get(p, `${c.alias}.bootstrap.servers`)).to.equal(c.bootstrapServers);
        expect(get(p, `${c.alias}.security.protocol`)).to.equal("SASL_SSL");
        expect(get(p, `${c.alias}.sasl.mechanism`)).to.equal("PLAIN");
      });
      it(`${c.alias}: JAAS username <tenancy>/<user>/<poolOCID> and a file-provider password placeholder`, () => {
        const jaas = get(p, `${c.alias}.sasl.jaas.config`);
        expect(jaas.startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required ")).to.equal(
          true,
        );
        expect(jaas.endsWith(";")).to.equal(true);
        const opts = parseJaasOptions(jaas);
        expect(opts.get("username")).to.equal(`acme/mm2-replicator/${c.streamPoolId}`);
        expect(opts.get("password")).to.equal(
          `\${file:/etc/mm2/secrets.properties:${c.alias}.sasl.password}`,
        );
      });
    }

    it("uses <tenancy>/<domain>/<user>/<poolOCID> with an identity domain", () => {
      const model = drModel({ clusters: [primary, { ...dr, identityDomainName: "Finance" }] });
      const opts = parseJaasOptions(get(props(model), "dr.sasl.jaas.config"));
      expect(opts.get("username")).to.equal(`acme/Finance/mm2-replicator/${dr.streamPoolId}`);
    });
  });

  it("declares Kafka's FileConfigProvider restricted to the config directory", () => {
    expect(get(p, "config.providers")).to.equal("file");
    expect(get(p, "config.providers.file.class")).to.equal(
      "org.apache.kafka.common.config.provider.FileConfigProvider",
    );
    expect(get(p, "config.providers.file.param.allowed.paths")).to.equal("/etc/mm2");
  });

  describe("topic filters", () => {
    const mandatory = [".*[\\-\\.]internal", ".*\\.replica", "__.*", "ocid1\\.connectharness\\..*"];

    it("always excludes MM2/Connect internal topics and the Connect harness topics", () => {
      expect(list(p, "primary->dr.topics.exclude")).to.include.members(mandatory);
    });

    it("keeps the mandatory excludes when the user adds excludes, and adds theirs", () => {
      const model = drModel({
        flows: [{ source: "primary", target: "dr", topics: { exclude: ["scratch\\..*"] } }],
      });
      expect(list(props(model), "primary->dr.topics.exclude")).to.include.members([
        ...mandatory,
        "scratch\\..*",
      ]);
    });

    it("the exclude patterns survive Java properties escaping (backslashes doubled in the file)", () => {
      const text = renderMm2Properties(drModel());
      expect(text).to.contain("ocid1\\\\.connectharness\\\\..*");
      const harness = new RegExp(`^(?:${list(p, "primary->dr.topics.exclude").join("|")})$`);
      expect(harness.test(`${dr.connectHarnessId}-config`)).to.equal(true);
      expect(harness.test("primary.checkpoints.internal")).to.equal(true);
      expect(harness.test("orders")).to.equal(false);
    });

    it("includes everything by default and the user's patterns when given", () => {
      expect(list(p, "primary->dr.topics")).to.deep.equal([".*"]);
      const model = onpremToOciModel();
      expect(list(props(model), "onprem->dr.topics")).to.deep.equal(["billing\\..*", "ledger"]);
    });

    it("renders group include/exclude, keeping Kafka's default group excludes", () => {
      const model = drModel({
        flows: [
          { source: "primary", target: "dr", groups: { include: ["app-.*"], exclude: ["app-test-.*"] } },
        ],
      });
      const q = props(model);
      expect(list(q, "primary->dr.groups")).to.deep.equal(["app-.*"]);
      expect(list(q, "primary->dr.groups.exclude")).to.include.members([
        "console-consumer-.*",
        "connect-.*",
        "__.*",
        "app-test-.*",
      ]);
    });
  });

  describe("replication policy", () => {
    it("defaults to the prefixed DefaultReplicationPolicy with separator '.'", () => {
      expect(get(p, "replication.policy.class")).to.equal(
        "org.apache.kafka.connect.mirror.DefaultReplicationPolicy",
      );
      expect(get(p, "replication.policy.separator")).to.equal(".");
    });

    it("renders IdentityReplicationPolicy and a custom separator", () => {
      const q = props(drModel({ policy: { type: "identity", separator: "_" } }));
      expect(get(q, "replication.policy.class")).to.equal(
        "org.apache.kafka.connect.mirror.IdentityReplicationPolicy",
      );
      expect(get(q, "replication.policy.separator")).to.equal("_");
    });
  });

  describe("tasks.max", () => {
    const cases: { name: string; model: ReplicationModelInput; expected: number }[] = [
      { name: "bounded by nodes x cores (9 partitions, 2x2)", model: drModel(), expected: 4 },
      {
        name: "equal to the partitions when the fleet is larger (9 partitions, 3x4)",
        model: drModel({ fleet: { nodes: 3, coresPerNode: 4 } }),
        expected: 9,
      },
      {
        name: "only partitions that pass the topic filter count (orders: 6)",
        model: drModel({
          flows: [{ source: "primary", target: "dr", topics: { include: ["orders"] } }],
          fleet: { nodes: 4, coresPerNode: 4 },
        }),
        expected: 6,
      },
      {
        name: "the fleet capacity when no topics are declared",
        model: drModel({ clusters: [{ ...primary, topics: [] }, dr], fleet: { nodes: 3, coresPerNode: 2 } }),
        expected: 6,
      },
      {
        name: "the fleet capacity when every declared topic is filtered out (they may exist undeclared)",
        model: drModel({
          flows: [{ source: "primary", target: "dr", topics: { include: ["nothing-matches"] } }],
        }),
        expected: 4,
      },
      { name: "the explicit value when set", model: drModel({ tasksMax: 17 }), expected: 17 },
      {
        name: "1 with one node of one core",
        model: drModel({ fleet: { nodes: 1, coresPerNode: 1 } }),
        expected: 1,
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        expect(get(props(c.model), "tasks.max")).to.equal(String(c.expected));
        validateReplicationModel(c.model);
        expect(deriveTasksMax(normalizeReplicationModel(c.model)).value).to.equal(c.expected);
      });
    }
  });

  it("renders the refresh intervals (defaults 60s, overridable)", () => {
    expect(get(p, "refresh.topics.interval.seconds")).to.equal("60");
    expect(get(p, "refresh.groups.interval.seconds")).to.equal("60");
    const q = props(drModel({ refresh: { topicsIntervalSeconds: 30, groupsIntervalSeconds: 120 } }));
    expect(get(q, "refresh.topics.interval.seconds")).to.equal("30");
    expect(get(q, "refresh.groups.interval.seconds")).to.equal("120");
  });

  it("emits checkpoints and heartbeats", () => {
    expect(get(p, "emit.checkpoints.enabled")).to.equal("true");
    expect(get(p, "emit.heartbeats.enabled")).to.equal("true");
  });

  for (const key of ["sync.group.offsets.enabled", "sync.topic.acls.enabled", "sync.topic.configs.enabled"]) {
    it(`sets ${key}=false`, () => {
      expect(get(p, key)).to.equal("false");
    });
  }

  describe("enable.idempotence=false on every producer that writes to OCI", () => {
    it("cluster level, for each OCI cluster (worker task producers and offset-syncs producer)", () => {
      expect(get(p, "dr.producer.enable.idempotence")).to.equal("false");
      expect(get(p, "primary.producer.enable.idempotence")).to.equal("false");
    });
    it("connector client override for the Connect task producers of a flow into OCI", () => {
      expect(get(p, "primary->dr.producer.override.enable.idempotence")).to.equal("false");
    });
    it("connector producer config for the offset-syncs producer when its cluster is OCI", () => {
      expect(get(p, "primary->dr.producer.enable.idempotence")).to.equal("false");
      const src = props(drModel({ offsetSyncsTopicLocation: "source" }));
      expect(get(src, "primary->dr.producer.enable.idempotence")).to.equal("false");
    });
    it("pins exactly.once.source.support=disabled on the OCI target's workers", () => {
      expect(get(p, "dr.exactly.once.source.support")).to.equal("disabled");
    });
    it("leaves external clusters with normal Kafka producers (OCI -> external)", () => {
      const q = props(ociToExternalModel());
      expect(q.has("dc2.producer.enable.idempotence")).to.equal(false);
      expect(q.has("dr->dc2.producer.override.enable.idempotence")).to.equal(false);
      // Offset syncs live on the external target by default: no override either.
      expect(q.has("dr->dc2.producer.enable.idempotence")).to.equal(false);
      // The OCI source still gets its cluster-level setting.
      expect(get(q, "dr.producer.enable.idempotence")).to.equal("false");
    });
    it("sets the offset-syncs override when offset syncs live on an OCI source of an external target", () => {
      const q = props(ociToExternalModel({ offsetSyncsTopicLocation: "source" }));
      expect(get(q, "dr->dc2.producer.enable.idempotence")).to.equal("false");
    });
  });

  describe("replication factors -1 wherever MM2 or Connect asks for one", () => {
    for (const key of [
      "replication.factor",
      "checkpoints.topic.replication.factor",
      "heartbeats.topic.replication.factor",
      "offset-syncs.topic.replication.factor",
      "config.storage.replication.factor",
      "offset.storage.replication.factor",
      "status.storage.replication.factor",
    ]) {
      it(key, () => {
        expect(get(p, key)).to.equal("-1");
      });
    }
  });

  it("points the OCI target's worker storage at the Connect harness topics", () => {
    const h = dr.connectHarnessId as string;
    expect(get(p, "dr.config.storage.topic")).to.equal(`${h}-config`);
    expect(get(p, "dr.offset.storage.topic")).to.equal(`${h}-offset`);
    expect(get(p, "dr.status.storage.topic")).to.equal(`${h}-status`);
    // Only the fleet's target: the source's harness is not this fleet's storage.
    expect(p.has("primary.config.storage.topic")).to.equal(false);
  });

  describe("internal REST", () => {
    it("is enabled with the listener port and a per-node advertised host when the fleet has > 1 node", () => {
      expect(get(p, "dedicated.mode.enable.internal.rest")).to.equal("true");
      expect(get(p, "listeners")).to.equal("http://0.0.0.0:8083");
      expect(get(p, "rest.advertised.port")).to.equal("8083");
      expect(get(p, "rest.advertised.host.name")).to.equal(
        "${file:/etc/mm2/node.properties:rest.advertised.host.name}",
      );
    });
    it("uses a custom port", () => {
      const q = props(drModel({ fleet: { nodes: 3, coresPerNode: 2, internalRestPort: 9443 } }));
      expect(get(q, "listeners")).to.equal("http://0.0.0.0:9443");
    });
    it("is disabled for a single node", () => {
      const q = props(drModel({ fleet: { nodes: 1, coresPerNode: 2 } }));
      expect(get(q, "dedicated.mode.enable.internal.rest")).to.equal("false");
      expect(q.has("listeners")).to.equal(false);
      expect([...q.keys()].filter((k) => k.endsWith("scheduled.rebalance.max.delay.ms"))).to.deep.equal([]);
    });
    it("moves a lost node's tasks after 60 s, not Connect's default 5 min", () => {
      expect(get(p, "dr.scheduled.rebalance.max.delay.ms")).to.equal("60000");
    });
  });

  it("flushes source positions every 10 s so a crash re-sends little", () => {
    expect(get(p, "dr.offset.flush.interval.ms")).to.equal("10000");
  });

  // Kafka 4.1's MirrorMakerConfig.workerConfig builds a herder's Connect worker from the target
  // cluster's `<target>.` properties and only these top-level prefixes; any other top-level worker
  // setting is silently dropped (the renderer once lost offset.flush.interval.ms and
  // scheduled.rebalance.max.delay.ms that way; the rehearsal reads the values Kafka applied).
  it("sets worker-only settings on the target cluster, never top-level where MM2 ignores them", () => {
    const workerOnly = [
      "offset.flush.interval.ms",
      "offset.flush.timeout.ms",
      "scheduled.rebalance.max.delay.ms",
      "session.timeout.ms",
      "heartbeat.interval.ms",
      "rebalance.timeout.ms",
      "connect.protocol",
      "group.id",
      "exactly.once.source.support",
    ];
    for (const key of workerOnly) {
      expect(p.has(key), key).to.equal(false);
    }
  });

  describe("client tuning within OCI limits, on OCI clusters only", () => {
    it("caps producer requests at 1 MB and sets batching", () => {
      expect(Number(get(p, "dr.producer.max.request.size"))).to.be.at.most(1_000_000);
      expect(get(p, "dr.producer.batch.size")).to.match(/^\d+$/);
      expect(get(p, "dr.producer.linger.ms")).to.match(/^\d+$/);
      expect(Number(get(p, "primary.consumer.max.partition.fetch.bytes"))).to.be.at.most(1_000_000);
    });
    it("does not tune external clusters", () => {
      const q = props(onpremToOciModel());
      expect(q.has("onprem.producer.max.request.size")).to.equal(false);
      expect(q.has("onprem.consumer.fetch.min.bytes")).to.equal(false);
    });
  });

  it("pins the offset-syncs topic location (target by default, source on request)", () => {
    expect(get(p, "offset-syncs.topic.location")).to.equal("target");
    expect(
      get(props(drModel({ offsetSyncsTopicLocation: "source" })), "offset-syncs.topic.location"),
    ).to.equal("source");
  });

  it("uses a custom config directory for every file reference", () => {
    const q = props(drModel({ configDir: "/srv/rehearsal/mm2" }));
    expect(get(q, "config.providers.file.param.allowed.paths")).to.equal("/srv/rehearsal/mm2");
    expect(parseJaasOptions(get(q, "dr.sasl.jaas.config")).get("password")).to.equal(
      "${file:/srv/rehearsal/mm2/secrets.properties:dr.sasl.password}",
    );
  });
});

describe("mm2 properties: external clusters", () => {
  it("SASL_SSL + SCRAM with a trust store from Vault", () => {
    const q = props(onpremToOciModel());
    expect(get(q, "onprem.security.protocol")).to.equal("SASL_SSL");
    expect(get(q, "onprem.sasl.mechanism")).to.equal("SCRAM-SHA-512");
    const jaas = get(q, "onprem.sasl.jaas.config");
    expect(jaas.startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required ")).to.equal(
      true,
    );
    expect(parseJaasOptions(jaas).get("username")).to.equal("mm2");
    expect(get(q, "onprem.ssl.truststore.type")).to.equal("PKCS12");
    expect(get(q, "onprem.ssl.truststore.location")).to.equal("/etc/mm2/tls/onprem.truststore.p12");
    expect(get(q, "onprem.ssl.truststore.password")).to.equal(
      "${file:/etc/mm2/secrets.properties:onprem.ssl.truststore.password}",
    );
  });

  it("SSL with a client certificate (mTLS)", () => {
    const q = props(ociToExternalModel());
    expect(get(q, "dc2.security.protocol")).to.equal("SSL");
    expect(q.has("dc2.sasl.jaas.config")).to.equal(false);
    expect(get(q, "dc2.ssl.keystore.type")).to.equal("PKCS12");
    expect(get(q, "dc2.ssl.keystore.location")).to.equal("/etc/mm2/tls/dc2.keystore.p12");
    expect(get(q, "dc2.ssl.keystore.password")).to.equal(
      "${file:/etc/mm2/secrets.properties:dc2.ssl.keystore.password}",
    );
    expect(get(q, "dc2.ssl.key.password")).to.equal(
      "${file:/etc/mm2/secrets.properties:dc2.ssl.key.password}",
    );
    expect(get(q, "dc2.ssl.truststore.location")).to.equal("/etc/mm2/tls/dc2.truststore.pem");
    expect(get(q, "dc2.ssl.endpoint.identification.algorithm")).to.equal("");
    expect(q.has("dc2.ssl.truststore.password")).to.equal(false);
  });

  it("SASL_PLAINTEXT + PLAIN", () => {
    const model = onpremToOciModel({
      clusters: [
        {
          kind: "external",
          alias: "lab",
          bootstrapServers: "lab-kafka:9092",
          security: {
            protocol: "SASL_PLAINTEXT",
            mechanism: "PLAIN",
            username: "mm2",
            password: { secretId: "ocid1.vaultsecret.oc1.iad.amaaaaaalab" },
          },
        },
        dr,
      ],
      flows: [{ source: "lab", target: "dr" }],
    });
    const q = props(model);
    expect(get(q, "lab.security.protocol")).to.equal("SASL_PLAINTEXT");
    expect(get(q, "lab.sasl.mechanism")).to.equal("PLAIN");
    expect(get(q, "lab.sasl.jaas.config")).to.contain("PlainLoginModule");
  });
});

describe("mm2 properties: determinism and secrecy", () => {
  const models: [string, ReplicationModelInput][] = [
    ["dr", drModel()],
    ["active-active", activeActiveModel()],
    ["on-prem -> OCI", onpremToOciModel()],
    ["OCI -> external mTLS", ociToExternalModel()],
    [
      "filters",
      drModel({
        flows: [
          {
            source: "primary",
            target: "dr",
            topics: { include: ["orders", "pay.*", "audit-(?<region>eu|us)"], exclude: ["tmp-.*", "x"] },
            groups: { include: ["g1", "g2"], exclude: ["g3", "g4"] },
          },
        ],
      }),
    ],
  ];

  for (const [name, model] of models) {
    it(`${name}: rendering twice gives byte-identical text`, () => {
      expect(renderMm2Properties(model)).to.equal(renderMm2Properties(model));
    });
    it(`${name}: shuffled input order gives the same text`, () => {
      expect(renderMm2Properties(shuffled(model))).to.equal(renderMm2Properties(model));
    });
    it(`${name}: no key is rendered twice and no line is a timestamp`, () => {
      const lines = renderMm2Properties(model)
        .split("\n")
        .filter((l) => l !== "" && !l.startsWith("#"));
      const keys = lines.map((l) => l.slice(0, l.indexOf("=")));
      expect(new Set(keys).size).to.equal(keys.length);
      expect(renderMm2Properties(model)).not.to.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    });
  }

  it("never contains a credential: a fake token passed where a secret OCID belongs is refused, not rendered", () => {
    const leaked = drModel({ clusters: [primary, { ...dr, authToken: { secretId: FAKE_TOKEN } }] });
    let message = "";
    try {
      renderMm2Properties(leaked);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.contain("clusters[1].authToken.secretId");
    expect(message).not.to.contain(FAKE_TOKEN);
    expect(message).not.to.contain("FAKE");
  });

  it("renders only placeholders for every password (no secret OCID, no value)", () => {
    for (const [, model] of models) {
      const text = renderMm2Properties(model);
      expect(text).not.to.contain("ocid1.vaultsecret");
      for (const [k, v] of parseProperties(text)) {
        if (/password|jaas/.test(k)) {
          const pw = k.endsWith("jaas.config") ? (parseJaasOptions(v).get("password") ?? "") : v;
          expect(pw, k).to.match(/^\$\{file:\/etc\/mm2\/secrets\.properties:[A-Za-z0-9._-]+\}$/);
        }
      }
    }
  });
});

describe("properties escaping", () => {
  const cases = [
    "plain",
    "a\\b",
    " leading",
    "tab\tin",
    "line\nbreak",
    "ünïcode",
    "#hash=eq:colon",
    "trailing  ",
  ];
  for (const value of cases) {
    it(`round-trips ${JSON.stringify(value)}`, () => {
      const parsed = parseProperties(`k=${escapePropertiesValue(value)}\n`);
      expect(parsed.get("k")).to.equal(value);
    });
  }

  it("parses comments, separators and continuations like java.util.Properties", () => {
    const parsed = parseProperties("# c\n! c\na = 1\nb:2\nc 3\nd=x\\\n   y\n  e=\\ lead\n");
    expect([...parsed.entries()]).to.deep.equal([
      ["a", "1"],
      ["b", "2"],
      ["c", "3"],
      ["d", "xy"],
      ["e", " lead"],
    ]);
  });
});
