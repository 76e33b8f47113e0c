/**
 * OCI's restrictions reach only the clients that talk to OCI, in both directions (issue #6 item 3).
 *
 * Checked on what each client MM2 creates actually receives, not on key names: the rendered text is
 * run through a model of Kafka 4.1.2's MirrorMakerConfig (workerConfig, connectorBaseConfig,
 * clusterProps), MirrorConnectorConfig/MirrorSourceConfig (source consumer, offset-syncs producer)
 * and Connect's Worker (task producer: Connect's default `enable.idempotence=false`, then the worker's
 * `producer.*`, then the connector's `producer.override.*`).
 */
import { expect } from "chai";

import {
  ReplicationModelInput,
  parseProperties,
  renderMm2Properties,
  topicsToPreCreate,
  type ExternalClusterSpec,
} from "../../lib/core/mm2";
import { dr, ociToExternalModel, onprem, onpremToOciModel } from "./mm2Fixtures";

type Props = Map<string, string>;

/** MirrorClientConfig.CLIENT_CONFIG_DEF names that matter here (connection and security). */
const CLIENT_KEY = /^(bootstrap\.servers|security\.protocol|sasl\..+|ssl\..+|client\.dns\.lookup)$/;
/** Top-level prefixes MirrorMakerConfig.workerConfig copies into every worker. */
const WORKER_TOP_LEVEL = [
  "offset.storage",
  "config.storage",
  "status.storage",
  "key.converter",
  "value.converter",
  "header.converter",
  "task",
  "worker",
  "replication.policy",
  "config.providers",
];

function withPrefix(p: Props, prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of p) {
    if (k.startsWith(prefix)) {
      out.set(k.slice(prefix.length), v);
    }
  }
  return out;
}

/** MirrorMakerConfig.clusterProps. */
function clusterProps(p: Props, alias: string): Map<string, string> {
  const props = withPrefix(p, `${alias}.`);
  for (const [k, v] of [...props]) {
    if (CLIENT_KEY.test(k)) {
      for (const c of ["producer", "consumer", "admin"]) {
        if (!props.has(`${c}.${k}`)) props.set(`${c}.${k}`, v);
      }
    }
  }
  return props;
}

/** MirrorMakerConfig.workerConfig for the herder source->target. */
function workerConfig(p: Props, source: string, target: string): Map<string, string> {
  const w = clusterProps(p, target);
  for (const [k, v] of p) {
    if (WORKER_TOP_LEVEL.some((prefix) => k.startsWith(prefix))) w.set(k, v);
  }
  const def = (k: string, v: string): void => {
    if (!w.has(k)) w.set(k, v);
  };
  def("config.storage.topic", `mm2-configs.${source}.internal`);
  def("offset.storage.topic", `mm2-offsets.${source}.internal`);
  def("status.storage.topic", `mm2-status.${source}.internal`);
  return w;
}

/** The connector configuration's client-relevant part (source/target cluster and client prefixes, flow overrides). */
function connectorConfig(p: Props, source: string, target: string): Map<string, string> {
  const c = new Map<string, string>();
  for (const [side, alias] of [
    ["source", source],
    ["target", target],
  ] as const) {
    for (const [k, v] of clusterProps(p, alias)) {
      if (/^(consumer|producer|admin)/.test(k)) c.set(`${side}.${k}`, v);
      else c.set(`${side}.cluster.${k}`, v);
    }
  }
  for (const [k, v] of withPrefix(p, `${source}->${target}.`)) c.set(k, v);
  return c;
}

function clientOf(
  c: Map<string, string>,
  clusterPrefix: string,
  clientPrefixes: string[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of withPrefix(c, clusterPrefix)) if (CLIENT_KEY.test(k)) out.set(k, v);
  for (const prefix of clientPrefixes) for (const [k, v] of withPrefix(c, prefix)) out.set(k, v);
  return out;
}

/** What each client of the herder source->target is configured with. */
function clients(model: ReplicationModelInput, source: string, target: string) {
  const p = parseProperties(renderMm2Properties(model));
  const worker = workerConfig(p, source, target);
  const connector = connectorConfig(p, source, target);
  const taskProducer = new Map<string, string>([["enable.idempotence", "false"]]);
  for (const [k, v] of withPrefix(worker, "producer.")) taskProducer.set(k, v);
  for (const [k, v] of withPrefix(connector, "producer.override.")) taskProducer.set(k, v);
  const syncsOnSource = p.get("offset-syncs.topic.location") === "source";
  const offsetSyncsProducer = syncsOnSource
    ? clientOf(connector, "source.cluster.", ["producer.", "source.producer."])
    : clientOf(connector, "target.cluster.", ["producer.", "target.producer."]);
  const sourceConsumer = clientOf(connector, "source.cluster.", ["consumer.", "source.consumer."]);
  return { p, worker, taskProducer, offsetSyncsProducer, sourceConsumer };
}

const OCI_PRODUCER_KEYS = ["max.request.size", "batch.size", "linger.ms"];
const OCI_CONSUMER_KEYS = ["max.partition.fetch.bytes", "fetch.min.bytes", "fetch.max.wait.ms"];

const scramOnprem: ExternalClusterSpec = {
  ...onprem,
  security: {
    protocol: "SASL_PLAINTEXT",
    mechanism: "SCRAM-SHA-512",
    username: "mm2",
    password: { secretId: "ocid1.vaultsecret.oc1.eu-amsterdam-1.amaaaaaaonprempassword" },
  },
};

describe("mm2 external target: OCI -> on-prem (failback direction)", () => {
  for (const [name, model, targetAlias, protocol] of [
    ["mTLS target", ociToExternalModel(), "dc2", "SSL"],
    [
      "SCRAM target",
      {
        clusters: [dr, scramOnprem],
        flows: [{ source: "dr", target: "onprem" }],
        target: "onprem",
        fleet: { nodes: 2, coresPerNode: 2 },
      } as ReplicationModelInput,
      "onprem",
      "SASL_PLAINTEXT",
    ],
  ] as const) {
    describe(name, () => {
      const c = clients(model, "dr", targetAlias);

      it("worker storage: MM2's own mm2-configs/offsets/status.dr.internal on the target, created by Connect (compacted)", () => {
        expect(c.worker.get("config.storage.topic")).to.equal("mm2-configs.dr.internal");
        expect(c.worker.get("offset.storage.topic")).to.equal("mm2-offsets.dr.internal");
        expect(c.worker.get("status.storage.topic")).to.equal("mm2-status.dr.internal");
        expect(c.worker.get("config.storage.replication.factor")).to.equal("-1");
        expect(c.worker.get("bootstrap.servers")).to.equal(
          model.clusters.find((x) => x.alias === targetAlias)!.bootstrapServers,
        );
        expect(c.worker.get("security.protocol")).to.equal(protocol);
      });

      it("no Connect harness, no exactly-once pin, no OCI producer settings on the worker", () => {
        expect(
          [...c.p.keys()].filter((k) => k.includes("connectharness") || k.endsWith(".storage.topic")),
        ).to.deep.equal([]);
        expect(c.worker.has("exactly.once.source.support")).to.equal(false);
        for (const k of ["enable.idempotence", ...OCI_PRODUCER_KEYS]) {
          expect(c.worker.has(`producer.${k}`), k).to.equal(false);
        }
      });

      it("task producer writing to the external target: Connect's defaults, no OCI caps", () => {
        // Connect's own default (false) stands; nothing from this product forces or caps it.
        expect(c.p.has(`dr->${targetAlias}.producer.override.enable.idempotence`)).to.equal(false);
        for (const k of OCI_PRODUCER_KEYS) expect(c.taskProducer.has(k), k).to.equal(false);
        expect(c.taskProducer.get("bootstrap.servers")).to.equal(c.worker.get("bootstrap.servers"));
      });

      it("offset-syncs producer writing to the external target: the client default (idempotent), no OCI caps", () => {
        expect(c.offsetSyncsProducer.get("bootstrap.servers")).to.equal(c.worker.get("bootstrap.servers"));
        expect(c.offsetSyncsProducer.has("enable.idempotence")).to.equal(false);
        for (const k of OCI_PRODUCER_KEYS) expect(c.offsetSyncsProducer.has(k), k).to.equal(false);
      });

      it("the consumer reading the OCI source gets OCI's tuning, over SASL_SSL PLAIN", () => {
        expect(c.sourceConsumer.get("bootstrap.servers")).to.equal(dr.bootstrapServers);
        expect(c.sourceConsumer.get("security.protocol")).to.equal("SASL_SSL");
        expect(c.sourceConsumer.get("sasl.mechanism")).to.equal("PLAIN");
        for (const k of OCI_CONSUMER_KEYS) expect(c.sourceConsumer.has(k), k).to.equal(true);
      });

      it("pre-creates nothing: no OCI cluster receives a topic", () => {
        expect(topicsToPreCreate(model)).to.deep.equal([]);
      });

      it("with offset syncs on the OCI source, only that producer gets OCI's rules (and its topic is pre-created)", () => {
        const onSource = { ...model, offsetSyncsTopicLocation: "source" as const };
        const s = clients(onSource, "dr", targetAlias);
        expect(s.offsetSyncsProducer.get("bootstrap.servers")).to.equal(dr.bootstrapServers);
        expect(s.offsetSyncsProducer.get("enable.idempotence")).to.equal("false");
        expect(s.offsetSyncsProducer.get("max.request.size")).to.equal("1000000");
        expect(s.p.has(`dr->${targetAlias}.producer.override.enable.idempotence`)).to.equal(false);
        for (const k of OCI_PRODUCER_KEYS) expect(s.taskProducer.has(k), k).to.equal(false);
        expect(topicsToPreCreate(onSource).map((t) => `${t.cluster}:${t.name}`)).to.deep.equal([
          `dr:mm2-offset-syncs.${targetAlias}.internal`,
        ]);
      });

      it("worker-only settings still reach the worker through the target's prefix", () => {
        expect(c.worker.get("offset.flush.interval.ms")).to.equal("10000");
        if (model.fleet.nodes > 1) {
          expect(c.worker.get("scheduled.rebalance.max.delay.ms")).to.equal("60000");
        }
      });
    });
  }
});

describe("mm2 external source: on-prem -> OCI", () => {
  for (const [name, model] of [
    ["SASL_SSL SCRAM source", onpremToOciModel()],
    ["SASL_PLAINTEXT SCRAM source", onpremToOciModel({ clusters: [scramOnprem, dr] })],
  ] as const) {
    describe(name, () => {
      const c = clients(model, "onprem", "dr");

      it("worker storage: the OCI target's Connect harness; exactly-once pinned off", () => {
        expect(c.worker.get("config.storage.topic")).to.equal(`${dr.connectHarnessId}-config`);
        expect(c.worker.get("offset.storage.topic")).to.equal(`${dr.connectHarnessId}-offset`);
        expect(c.worker.get("status.storage.topic")).to.equal(`${dr.connectHarnessId}-status`);
        expect(c.worker.get("exactly.once.source.support")).to.equal("disabled");
        expect(c.worker.get("security.protocol")).to.equal("SASL_SSL");
      });

      it("task producer writing to OCI: not idempotent, 1 MB requests", () => {
        expect(c.taskProducer.get("enable.idempotence")).to.equal("false");
        expect(c.taskProducer.get("max.request.size")).to.equal("1000000");
        expect(c.p.get("onprem->dr.producer.override.enable.idempotence")).to.equal("false");
      });

      it("offset-syncs producer writing to OCI: not idempotent, 1 MB requests", () => {
        expect(c.offsetSyncsProducer.get("bootstrap.servers")).to.equal(dr.bootstrapServers);
        expect(c.offsetSyncsProducer.get("enable.idempotence")).to.equal("false");
        expect(c.offsetSyncsProducer.get("max.request.size")).to.equal("1000000");
      });

      it("the consumer reading on-prem: its own security, none of OCI's fetch pacing", () => {
        const src = model.clusters.find((x) => x.alias === "onprem") as ExternalClusterSpec;
        expect(c.sourceConsumer.get("bootstrap.servers")).to.equal(src.bootstrapServers);
        expect(c.sourceConsumer.get("security.protocol")).to.equal(src.security.protocol);
        expect(c.sourceConsumer.get("sasl.mechanism")).to.equal("SCRAM-SHA-512");
        for (const k of OCI_CONSUMER_KEYS) expect(c.sourceConsumer.has(k), k).to.equal(false);
        for (const k of ["enable.idempotence", ...OCI_PRODUCER_KEYS]) {
          expect(c.p.has(`onprem.producer.${k}`), k).to.equal(false);
        }
      });

      it("pre-creates MM2's topics on the OCI target only", () => {
        const pre = topicsToPreCreate(model);
        expect(pre.length).to.be.greaterThan(0);
        expect(pre.every((t) => t.cluster === "dr")).to.equal(true);
        expect(pre.map((t) => t.name)).to.include.members([
          "heartbeats",
          "onprem.checkpoints.internal",
          "mm2-offset-syncs.onprem.internal",
        ]);
      });
    });
  }
});
