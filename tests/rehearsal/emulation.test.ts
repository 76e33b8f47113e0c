/**
 * Negative controls of the OCI Streaming emulation: every rule the emulated broker enforces is
 * broken by a real client and must be refused. Each refusal is paired with the same client against
 * a plain Kafka cluster, where it must succeed, so that none of these tests can pass merely
 * because the client or the probe is broken.
 */
import { expect } from "chai";

import { startCluster, type LocalCluster } from "../../dev/rehearsal/cluster";
import { ensureKafkaRuntime, type KafkaRuntime } from "../../dev/rehearsal/kafkaRuntime";
import { adminOps, produce, verify } from "../../dev/rehearsal/tools";

const COMPACTION_REFUSED = /compacted topics are not supported by OCI Streaming/i;

describe("rehearsal: OCI Streaming emulation (real Kafka broker)", function () {
  this.timeout(600_000);

  let runtime: KafkaRuntime;
  let oci: LocalCluster | undefined;
  let plain: LocalCluster | undefined;

  before(async function () {
    runtime = await ensureKafkaRuntime();
    const started = await Promise.allSettled([
      startCluster({ name: "oci", ociEmulation: true, runtime }),
      startCluster({ name: "plain", ociEmulation: false, runtime }),
    ]);
    oci = started[0].status === "fulfilled" ? started[0].value : undefined;
    plain = started[1].status === "fulfilled" ? started[1].value : undefined;
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  });

  after(async function () {
    await Promise.all([oci?.stop(), plain?.stop()]);
  });

  function emulated(): LocalCluster {
    if (!oci) throw new Error("emulated cluster not started");
    return oci;
  }
  function stock(): LocalCluster {
    if (!plain) throw new Error("plain cluster not started");
    return plain;
  }

  it("speaks SASL_SSL + PLAIN with an OCI-shaped username", function () {
    const c = emulated();
    expect(c.securityProtocol).to.equal("SASL_SSL");
    expect(c.saslMechanism).to.equal("PLAIN");
    expect(c.username).to.match(/^[^/]+\/[^/]+\/ocid1\.streampool\.oc1\.[^/]+$/);
    expect(c.clientConfig()["security.protocol"]).to.equal("SASL_SSL");
  });

  it("provides the Connect harness topics, compacted", async function () {
    const c = emulated();
    const harness = c.harnessTopics!;
    expect(harness.config).to.match(/^ocid1\.connectharness\.oc1\.eu-oci-1\.[a-z0-9]+-config$/);
    const results = await c.admin([
      { op: "describeTopic", name: harness.config },
      { op: "describeTopic", name: harness.offset },
      { op: "describeTopic", name: harness.status },
    ]);
    for (const r of results) {
      expect(r.ok, JSON.stringify(r)).to.equal(true);
      expect((r.configs as Record<string, string>)["cleanup.policy"]).to.equal("compact");
    }
    expect(results.map((r) => r.partitions)).to.deep.equal([1, 25, 5]);
  });

  it("refuses to create a compacted topic, with OCI's reason (plain Kafka accepts it)", async function () {
    for (const policy of ["compact", "compact,delete"]) {
      const [refused] = await emulated().admin([
        {
          op: "createTopic",
          name: `compacted-${policy.replace(",", "-")}`,
          partitions: 1,
          configs: { "cleanup.policy": policy },
        },
      ]);
      expect(refused.ok, JSON.stringify(refused)).to.equal(false);
      expect(refused.error).to.equal("PolicyViolationException");
      expect(refused.message).to.match(COMPACTION_REFUSED);
    }
    const [accepted] = await stock().admin([
      {
        op: "createTopic",
        name: "compacted-compact",
        partitions: 1,
        configs: { "cleanup.policy": "compact" },
      },
    ]);
    expect(accepted.ok, JSON.stringify(accepted)).to.equal(true);
    // The exemption is exact: a harness-looking name that is not one of the three suffixes is refused.
    const [lookalike] = await emulated().admin([
      {
        op: "createTopic",
        name: "ocid1.connectharness.oc1.eu-oci-1.amaaaaaafake-configs",
        partitions: 1,
        configs: { "cleanup.policy": "compact" },
      },
    ]);
    expect(lookalike.ok).to.equal(false);
    expect(lookalike.message).to.match(COMPACTION_REFUSED);
  });

  it("refuses to alter a topic to compact (plain Kafka accepts it)", async function () {
    const results = await emulated().admin([
      { op: "createTopic", name: "stream-a", partitions: 2 },
      { op: "alterTopicConfig", name: "stream-a", configs: { "cleanup.policy": "compact" } },
      { op: "describeTopic", name: "stream-a" },
    ]);
    expect(results[0].ok, JSON.stringify(results[0])).to.equal(true);
    expect(results[1].ok, JSON.stringify(results[1])).to.equal(false);
    expect(results[1].error).to.equal("PolicyViolationException");
    expect(results[1].message).to.match(COMPACTION_REFUSED);
    expect((results[2].configs as Record<string, string>)["cleanup.policy"]).to.equal("delete");

    const control = await stock().admin([
      { op: "createTopic", name: "stream-a", partitions: 2 },
      { op: "alterTopicConfig", name: "stream-a", configs: { "cleanup.policy": "compact" } },
    ]);
    expect(
      control.map((r) => r.ok),
      JSON.stringify(control),
    ).to.deep.equal([true, true]);
  });

  it("accepts a non-idempotent producer (enable.idempotence=false)", async function () {
    await emulated().createTopic("probe-plain", 3);
    const result = await produce(runtime, emulated().toolClient(), {
      topic: "probe-plain",
      records: 50,
      runId: "plain-ok",
      idempotence: false,
    });
    expect(result.ok, JSON.stringify(result.error)).to.equal(true);
    expect(result.acked).to.equal(50);
  });

  it("supports consumer groups (offset commit and fetch), as OCI does", async function () {
    // Regression guard: the broker creates __consumer_offsets compacted through the same policy
    // path as client topics; the emulation must not refuse it.
    const c = emulated();
    await c.createTopic("probe-group", 2);
    const produced = await produce(runtime, c.toolClient(), {
      topic: "probe-group",
      records: 30,
      runId: "grp",
    });
    expect(produced.ok, JSON.stringify(produced.error)).to.equal(true);
    const consumed = await verify(runtime, c.toolClient(), {
      topic: "probe-group",
      records: 30,
      runId: "grp",
      group: "rehearsal-group",
      timeoutMs: 60_000,
    });
    expect(consumed.complete, JSON.stringify(consumed)).to.equal(true);
    const [offsets] = await c.admin([{ op: "groupOffsets", group: "rehearsal-group" }]);
    expect(offsets.ok, JSON.stringify(offsets)).to.equal(true);
    const committed = Object.values(offsets.offsets as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(committed).to.equal(30);
  });

  it("refuses an idempotent producer (InitProducerId denied; plain Kafka accepts it)", async function () {
    await emulated().createTopic("probe-idem", 1);
    const refused = await produce(runtime, emulated().toolClient(), {
      topic: "probe-idem",
      records: 5,
      runId: "idem",
      idempotence: true,
      timeoutMs: 30_000,
    });
    expect(refused.ok).to.equal(false);
    expect(refused.acked).to.equal(0);
    // Stand-in for OCI's UnsupportedVersionException(INIT_PRODUCER_ID): see OciAuthorizer.java.
    expect(refused.error?.error, JSON.stringify(refused.error)).to.equal("ClusterAuthorizationException");
    const offsets = await emulated().endOffsets("probe-idem");
    expect(offsets.total).to.equal(0);

    await stock().createTopic("probe-idem", 1);
    const accepted = await produce(runtime, stock().toolClient(), {
      topic: "probe-idem",
      records: 5,
      runId: "idem",
      idempotence: true,
    });
    expect(accepted.ok, JSON.stringify(accepted.error)).to.equal(true);
  });

  it("refuses a transactional producer (plain Kafka accepts it)", async function () {
    await emulated().createTopic("probe-txn", 1);
    const refused = await produce(runtime, emulated().toolClient(), {
      topic: "probe-txn",
      records: 5,
      runId: "txn",
      transactionalId: "rehearsal-txn",
      timeoutMs: 30_000,
    });
    expect(refused.ok).to.equal(false);
    expect(refused.error?.error, JSON.stringify(refused.error)).to.equal(
      "TransactionalIdAuthorizationException",
    );

    await stock().createTopic("probe-txn", 1);
    const accepted = await produce(runtime, stock().toolClient(), {
      topic: "probe-txn",
      records: 5,
      runId: "txn",
      transactionalId: "rehearsal-txn",
    });
    expect(accepted.ok, JSON.stringify(accepted.error)).to.equal(true);
  });

  it("refuses a wrong password and clients without SASL; accepts the right credentials", async function () {
    const c = emulated();
    const probe = (overrides: Record<string, string>) =>
      adminOps(runtime, { properties: c.clientConfig(overrides) }, [{ op: "waitReady", timeoutMs: 5_000 }]);

    const [good] = await probe({});
    expect(good.ok, JSON.stringify(good)).to.equal(true);

    const [wrongPassword] = await probe({
      "sasl.jaas.config": `org.apache.kafka.common.security.plain.PlainLoginModule required username="${c.username}" password="not-the-token";`,
    });
    expect(wrongPassword.ok).to.equal(false);
    expect(wrongPassword.error).to.equal("SaslAuthenticationException");

    const [unknownUser] = await probe({
      "sasl.jaas.config": `org.apache.kafka.common.security.plain.PlainLoginModule required username="tenancy/someone/${c.streamPoolOcid}" password="${c.password}";`,
    });
    expect(unknownUser.ok).to.equal(false);
    expect(unknownUser.error).to.equal("SaslAuthenticationException");

    // TLS without SASL, and no TLS at all: the listener never lets them in.
    const [tlsOnly] = await probe({ "security.protocol": "SSL" });
    expect(tlsOnly.ok, JSON.stringify(tlsOnly)).to.equal(false);
    const [plaintext] = await probe({ "security.protocol": "PLAINTEXT" });
    expect(plaintext.ok, JSON.stringify(plaintext)).to.equal(false);

    // The same PLAINTEXT client does reach a plain cluster.
    const [control] = await adminOps(runtime, { properties: stock().clientConfig() }, [
      { op: "waitReady", timeoutMs: 8_000 },
    ]);
    expect(control.ok, JSON.stringify(control)).to.equal(true);
  });

  it("refuses a client that does not trust the broker certificate", async function () {
    const c = emulated();
    const [untrusted] = await adminOps(
      runtime,
      {
        properties: Object.fromEntries(
          Object.entries(c.clientConfig()).filter(([k]) => !k.startsWith("ssl.truststore.")),
        ),
      },
      [{ op: "waitReady", timeoutMs: 8_000 }],
    );
    expect(untrusted.ok).to.equal(false);
    expect(untrusted.chain?.join("\n")).to.match(/SSLHandshakeException/);
  });
});
