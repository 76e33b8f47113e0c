import { expect } from "chai";
import * as path from "path";
import { listExamples } from "../../dev/cli/planExamples";
import { parseProperties } from "../../lib/core/mm2";
import {
  PlanError,
  planStacks,
  PlannedResource,
  referenceOutputsOf,
  runStack,
  StackPlan,
  stacksInOrder,
} from "../../dev/plan/runStack";
import { readProject, readStackConfig } from "../../dev/plan/stackConfig";

const EXAMPLES = path.join(__dirname, "..", "..", "examples");
const SECRET = "[secret]";

function ofType(plan: StackPlan, type: string): PlannedResource[] {
  return plan.resources.filter((r) => r.type === type);
}

function planOf(name: string): Promise<StackPlan[]> {
  const dir = path.join(EXAMPLES, name);
  return planStacks({ projectDir: dir, stacks: stacksInOrder(dir) });
}

/** No secret config value's offline stand-in (and no secret output) appears unmasked in a plan. */
function expectNoPlaintextSecret(plan: StackPlan): void {
  const text = JSON.stringify({ resources: plan.resources, outputs: plan.outputs });
  expect(text, plan.stack).to.not.contain("[secure config");
  expect(text, plan.stack).to.not.match(/BEGIN (EC |RSA )?PRIVATE KEY/);
}

function mm2Properties(plan: StackPlan): Map<string, string> {
  const text = plan.outputs.mm2Properties;
  expect(text, `${plan.stack} exports mm2Properties`).to.be.a("string");
  return parseProperties(text as string);
}

function fleetEgress(plan: StackPlan): [string, number][] {
  return ofType(plan, "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule")
    .filter((r) => r.name.includes("-fleet-nsg-") && r.inputs.direction === "EGRESS")
    .map((r) => [
      String(r.inputs.destination),
      (r.inputs.tcpOptions as { destinationPortRange: { min: number } }).destinationPortRange.min,
    ]);
}

describe("examples/: each scenario planned offline", function () {
  this.timeout(180_000);

  it("lists every example with a program and a stack config", () => {
    expect(listExamples(EXAMPLES)).to.deep.equal(["active-active", "oci-to-onprem", "onprem-to-oci"]);
    for (const name of listExamples(EXAMPLES)) {
      expect(stacksInOrder(path.join(EXAMPLES, name)), name).to.have.length.above(0);
    }
  });

  describe("onprem-to-oci: IPSec VPN, SCRAM over TLS, into OCI", () => {
    let plan: StackPlan;
    before(async () => {
      [plan] = await planOf("onprem-to-oci");
    });

    it("creates the CPE, the IPSec connection routing the on-prem CIDRs, and both tunnels with masked keys", () => {
      const [drg] = ofType(plan, "oci:Core/drg:Drg");
      expect(ofType(plan, "oci:Core/cpe:Cpe").map((c) => c.inputs.ipAddress)).to.deep.equal([
        "198.51.100.10",
      ]);
      const [ipsec] = ofType(plan, "oci:Core/ipsec:Ipsec");
      expect(ipsec.inputs.staticRoutes).to.deep.equal(["172.16.0.0/16"]);
      expect(ipsec.inputs.drgId).to.match(/^ocid1\.drg\./);
      expect(drg).to.not.equal(undefined);
      const tunnels = ofType(
        plan,
        "oci:Core/ipsecConnectionTunnelManagement:IpsecConnectionTunnelManagement",
      );
      expect(tunnels.map((t) => t.inputs.sharedSecret)).to.deep.equal([SECRET, SECRET]);
      const onPrem = plan.outputs.onPremises as Record<string, unknown>;
      expect(onPrem.vpnTunnels).to.equal(SECRET);
    });

    it("routes the on-prem CIDRs through the DRG from the MirrorMaker subnet, and opens egress only to the brokers", () => {
      const mmRt = ofType(plan, "oci:Core/routeTable:RouteTable").find((r) => r.name.endsWith("-mm-rt"))!;
      const routes = mmRt.inputs.routeRules as { destination: string; networkEntityId: string }[];
      expect(routes.find((r) => r.destination === "172.16.0.0/16")?.networkEntityId).to.match(
        /^ocid1\.drg\./,
      );
      const egress = fleetEgress(plan);
      expect(egress.filter(([cidr]) => cidr.startsWith("172.16."))).to.deep.equal([["172.16.8.0/28", 9093]]);
    });

    it("renders SCRAM-SHA-512 over TLS for the on-prem cluster and pre-creates its remote copies", () => {
      const props = mm2Properties(plan);
      expect(props.get("onprem->fra.enabled")).to.equal("true");
      expect(props.get("onprem.sasl.mechanism")).to.equal("SCRAM-SHA-512");
      expect(props.get("onprem.ssl.truststore.type")).to.equal("PEM");
      const streams = ofType(plan, "oci:Streaming/stream:Stream").map((s) => s.inputs.name);
      expect(streams).to.include.members(["onprem.ledger", "onprem.customers"]);
    });

    it("shows no plaintext secret", () => expectNoPlaintextSecret(plan));
  });

  describe("oci-to-onprem: FastConnect, mutual TLS, out of OCI", () => {
    let plan: StackPlan;
    before(async () => {
      [plan] = await planOf("oci-to-onprem");
    });

    it("uses the existing virtual circuit: no VPN resources, the circuit's state reported", () => {
      expect(ofType(plan, "oci:Core/ipsec:Ipsec")).to.deep.equal([]);
      expect(ofType(plan, "oci:Core/cpe:Cpe")).to.deep.equal([]);
      const onPrem = plan.outputs.onPremises as Record<string, unknown>;
      expect(onPrem.kind).to.equal("fastConnect");
      expect(onPrem.virtualCircuitState).to.equal("PROVISIONED");
    });

    it("produces on premises with a client certificate; MM2's state lives there, not in a harness", () => {
      const props = mm2Properties(plan);
      expect(props.get("ams->onprem.enabled")).to.equal("true");
      expect(props.get("onprem.security.protocol")).to.equal("SSL");
      expect(props.get("onprem.ssl.keystore.type")).to.equal("PEM");
      expect(ofType(plan, "oci:Streaming/connectHarness:ConnectHarness")).to.deep.equal([]);
      const secretNames = ofType(plan, "oci:Vault/secret:Secret").map((s) => String(s.inputs.secretName));
      expect(
        secretNames
          .filter((n) => n.includes("external"))
          .map((n) => n.replace(/-[0-9a-f]{6}$/, ""))
          .sort(),
      ).to.deep.equal([
        "oci-to-onprem-replication-credentials-external-ca-certificate",
        "oci-to-onprem-replication-credentials-external-keystore",
      ]);
      for (const s of ofType(plan, "oci:Vault/secret:Secret")) {
        expect(
          (s.inputs.secretContent as { content: unknown }).content,
          String(s.inputs.secretName),
        ).to.equal(SECRET);
      }
      expect(fleetEgress(plan).filter(([cidr]) => cidr.startsWith("192.168."))).to.deep.equal([
        ["192.168.20.0/28", 9094],
      ]);
    });

    it("shows no plaintext secret", () => expectNoPlaintextSecret(plan));
  });

  describe("active-active: both regions replicate from each other with the prefixed policy", () => {
    let primary: StackPlan;
    let dr: StackPlan;
    let primaryActive: StackPlan;
    before(async () => {
      [primary, dr, primaryActive] = await planOf("active-active");
    });

    it("runs a MirrorMaker fleet in both regions once the primary is updated", () => {
      expect(ofType(primary, "oci:Core/instance:Instance")).to.deep.equal([]);
      expect(ofType(dr, "oci:Core/instance:Instance")).to.have.length(2);
      expect(ofType(primaryActive, "oci:Core/instance:Instance")).to.have.length(2);
      expect((dr.outputs.peering as { replication: unknown }).replication).to.deep.equal({
        enabled: true,
        replicationPolicy: "prefixed",
      });
    });

    it("each side pulls exactly the other's own streams, prefixed, so nothing flows back", () => {
      const ams = mm2Properties(dr);
      const fra = mm2Properties(primaryActive);
      expect(ams.get("fra->ams.enabled")).to.equal("true");
      expect(ams.get("fra->ams.topics")).to.equal("orders");
      expect(fra.get("ams->fra.enabled")).to.equal("true");
      expect(fra.get("ams->fra.topics")).to.equal("orders");
      for (const p of [ams, fra]) {
        expect(p.get("replication.policy.class")).to.equal(
          "org.apache.kafka.connect.mirror.DefaultReplicationPolicy",
        );
      }
      const amsStreams = ofType(dr, "oci:Streaming/stream:Stream").map((s) => s.inputs.name);
      const fraStreams = ofType(primaryActive, "oci:Streaming/stream:Stream").map((s) => s.inputs.name);
      expect(amsStreams).to.include.members(["orders", "fra.orders"]);
      expect(fraStreams).to.include.members(["orders", "ams.orders"]);
      expect(
        [...amsStreams, ...fraStreams].filter((n) => /^(fra|ams)\.(fra|ams)\./.test(String(n))),
      ).to.deep.equal([]);
    });

    it("refuses the identity policy on the updated primary, naming the field", async () => {
      // The same stack config as primary-active, with the policy switched to identity.
      const dir = path.join(EXAMPLES, "active-active");
      const active = readStackConfig(readProject(dir), "primary-active");
      const config = Object.fromEntries(
        Object.entries(active.config).map(([k, v]) => [
          k,
          { value: v, secret: active.secretKeys.includes(k) },
        ]),
      );
      config["active-active:replicationPolicy"] = { value: "identity", secret: false };
      let refusal: unknown;
      try {
        await runStack({
          stack: "primary-active",
          projectDir: dir,
          config,
          stackOutputs: { dr: referenceOutputsOf(dr) },
        });
      } catch (e) {
        refusal = e;
      }
      expect(refusal).to.be.instanceOf(PlanError);
      expect((refusal as Error).message).to.contain("replication.replicationPolicy");
      expect((refusal as Error).message).to.match(/loop/);
      // Control: the unchanged config plans (the refusal is the policy, not the harness).
      const ok = await runStack({
        stack: "primary-active",
        projectDir: dir,
        config: { ...config, "active-active:replicationPolicy": { value: "prefixed", secret: false } },
        stackOutputs: { dr: referenceOutputsOf(dr) },
      });
      expect(ofType(ok, "oci:Core/instance:Instance")).to.have.length(2);
    });
  });
});
