/**
 * The on-premises stand-in: plain Kafka with SASL_PLAINTEXT + SCRAM-SHA-512. Unlike the OCI
 * emulation it accepts what a stock broker accepts (idempotent producers included).
 */
import { expect } from "chai";

import { startCluster, type LocalCluster } from "../../dev/rehearsal/cluster";
import { adminOps, produce, verify } from "../../dev/rehearsal/tools";

describe("rehearsal: on-premises stand-in (plain Kafka, SCRAM-SHA-512)", function () {
  this.timeout(300_000);

  let onprem: LocalCluster | undefined;

  before(async function () {
    onprem = await startCluster({ name: "onprem", ociEmulation: false, security: "scram" });
  });

  after(async function () {
    await onprem?.stop();
  });

  it("authenticates with SCRAM-SHA-512 and refuses a wrong password", async function () {
    const c = onprem!;
    expect(c.clientConfig()).to.include({
      "security.protocol": "SASL_PLAINTEXT",
      "sasl.mechanism": "SCRAM-SHA-512",
    });
    const [good] = await c.admin([{ op: "waitReady", timeoutMs: 10_000 }]);
    expect(good.ok, JSON.stringify(good)).to.equal(true);
    const [bad] = await adminOps(
      c.runtime,
      {
        properties: c.clientConfig({
          "sasl.jaas.config": `org.apache.kafka.common.security.scram.ScramLoginModule required username="${c.username}" password="wrong";`,
        }),
      },
      [{ op: "waitReady", timeoutMs: 5_000 }],
    );
    expect(bad.ok).to.equal(false);
    expect(bad.error).to.equal("SaslAuthenticationException");
  });

  it("round-trips the workload, idempotent producer included", async function () {
    const c = onprem!;
    await c.createTopic("onprem-orders", 2);
    const produced = await produce(c.runtime, c.toolClient(), {
      topic: "onprem-orders",
      records: 200,
      runId: "onprem",
      idempotence: true,
    });
    expect(produced.ok, JSON.stringify(produced.error)).to.equal(true);
    const result = await verify(c.runtime, c.toolClient(), {
      topic: "onprem-orders",
      records: 200,
      runId: "onprem",
      partitions: 2,
      timeoutMs: 60_000,
    });
    expect(result.complete, JSON.stringify(result)).to.equal(true);
    expect(
      result.duplicates + result.orderViolations + result.keyMismatches + result.headerMismatches,
    ).to.equal(0);
    expect(result.timestampMismatches + result.partitionMismatches).to.equal(0);
  });
});
