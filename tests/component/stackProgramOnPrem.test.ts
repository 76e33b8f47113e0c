import { expect } from "chai";
import * as path from "path";
import { parseProperties } from "../../lib/core/mm2";
import { PlanError, runStack, StackPlan } from "../../dev/plan/runStack";

const ROOT = path.join(__dirname, "..", "..");
const NS = "oci-geo-streaming";
const PASSWORD = "scram-Pa55-from-config";

/** This repo's stack program, for a stack replicating an on-premises cluster (config only). */
function onPremConfig(extra: Record<string, { value: string; secret?: boolean }> = {}) {
  const c = (v: unknown) => ({ value: typeof v === "string" ? v : JSON.stringify(v) });
  return {
    "oci:region": c("eu-frankfurt-1"),
    [`${NS}:role`]: c("primary"),
    [`${NS}:compartmentId`]: c(
      "ocid1.compartment.oc1..aaaaaaaa5x2rdkq4vfu6r3jgiqdjvnqwz7xq7fnv3xhm3f2tkl4yc3e6lmoa",
    ),
    [`${NS}:vcnCidr`]: c("10.30.0.0/16"),
    [`${NS}:tenancyId`]: c("ocid1.tenancy.oc1..aaaaaaaaq3z5xqv4hn7fz2ob6a2fwq6jd4o7ryv7w3xk2pbrqazx5ny3gyja"),
    [`${NS}:homeRegion`]: c("eu-frankfurt-1"),
    [`${NS}:credentialsEmail`]: c("mm2-onprem@example.com"),
    [`${NS}:replicationFlow`]: c("external-to-local"),
    [`${NS}:onPremCidrs`]: c(["172.16.0.0/16"]),
    [`${NS}:ipsecCpeIpAddress`]: c("198.51.100.10"),
    [`${NS}:externalKafka`]: c({
      alias: "onprem",
      bootstrapServers: "172.16.8.1:9093",
      brokerCidrs: ["172.16.8.0/28"],
      securityProtocol: "SASL_SSL",
      sasl: { mechanism: "SCRAM-SHA-256", username: "oci-mm2" },
      topics: [{ name: "ledger", partitions: 2 }],
    }),
    [`${NS}:externalKafkaPassword`]: { value: PASSWORD, secret: true },
    ...extra,
  };
}

describe("the stack program with on-premises config (pulumi up per stack)", function () {
  this.timeout(120_000);
  let plan: StackPlan;
  before(async () => {
    plan = await runStack({ stack: "onprem", projectDir: ROOT, config: onPremConfig() });
  });

  it("builds the VPN, routes and the external-to-local fleet from config keys alone", () => {
    const types = plan.resources.map((r) => r.type);
    expect(types).to.include.members([
      "oci:Core/cpe:Cpe",
      "oci:Core/ipsec:Ipsec",
      "oci:Core/ipsecConnectionTunnelManagement:IpsecConnectionTunnelManagement",
    ]);
    const props = parseProperties(String(plan.outputs.mm2Properties));
    expect(props.get("onprem->fra.enabled")).to.equal("true");
    expect(props.get("onprem.sasl.mechanism")).to.equal("SCRAM-SHA-256");
    expect(
      plan.resources.filter((r) => r.type === "oci:Streaming/stream:Stream").map((r) => r.inputs.name),
    ).to.include("onprem.ledger");
  });

  it("keeps the password out of the plan", () => {
    expect(JSON.stringify({ r: plan.resources, o: plan.outputs })).to.not.contain(PASSWORD);
  });

  it("treats a password set without --secret as a secret too, and refuses a missing one, naming the field", async () => {
    // requireSecret makes even a plain config value secret inside the program.
    const plain = await runStack({
      stack: "onprem",
      projectDir: ROOT,
      config: onPremConfig({ [`${NS}:externalKafkaPassword`]: { value: PASSWORD } }),
    });
    const vault = plain.resources.find((r) =>
      /external-sasl-password-[0-9a-f]{6}$/.test(String(r.inputs.secretName)),
    )!;
    expect((vault.inputs.secretContent as { content: unknown }).content).to.equal("[secret]");
    const missing = onPremConfig();
    delete (missing as Record<string, unknown>)[`${NS}:externalKafkaPassword`];
    let error: unknown;
    try {
      await runStack({ stack: "onprem", projectDir: ROOT, config: missing });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(PlanError);
    expect((error as Error).message).to.contain("externalKafka.sasl.password");
  });
});
