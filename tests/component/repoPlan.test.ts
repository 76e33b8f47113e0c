import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeArtifacts } from "../../dev/plan/artifacts";
import { planDocument, planStacks, PlannedResource, StackPlan } from "../../dev/plan/runStack";

const ROOT = path.join(__dirname, "..", "..");

function ofType(plan: StackPlan, type: string): PlannedResource[] {
  return plan.resources.filter((r) => r.type === type);
}

/**
 * The repo's own program and stack config, planned offline exactly as `npm start` does: the
 * "done when" of the regional site and of the replication layer, checked on the real plan.
 */
describe("offline plan of this repo's primary and dr stacks", function () {
  this.timeout(120_000);
  let primary: StackPlan;
  let dr: StackPlan;

  before(async () => {
    [primary, dr] = await planStacks({ projectDir: ROOT, stacks: ["primary", "dr"] });
  });

  it("peers the dr RPC to the primary RPC, with the primary's region", () => {
    const [primaryRpc] = ofType(primary, "oci:Core/remotePeeringConnection:RemotePeeringConnection");
    const [drRpc] = ofType(dr, "oci:Core/remotePeeringConnection:RemotePeeringConnection");
    expect(primaryRpc.inputs.peerId).to.equal(undefined);
    expect(drRpc.inputs.peerId).to.equal(primary.outputs.remotePeeringConnectionId);
    expect(drRpc.inputs.peerRegionName).to.equal("eu-frankfurt-1");
  });

  it("keeps both stream pools private", () => {
    for (const plan of [primary, dr]) {
      const pools = ofType(plan, "oci:Streaming/streamPool:StreamPool");
      expect(pools, plan.stack).to.have.length(1);
      const pe = pools[0].inputs.privateEndpointSettings as Record<string, unknown>;
      expect(pe.subnetId, plan.stack).to.match(/^ocid1\.subnet\./);
    }
  });

  it("has no public IP anywhere and no inbound rule from 0.0.0.0/0", () => {
    for (const plan of [primary, dr]) {
      for (const s of ofType(plan, "oci:Core/subnet:Subnet")) {
        expect(s.inputs.prohibitPublicIpOnVnic, s.name).to.equal(true);
      }
      for (const i of ofType(plan, "oci:Core/instance:Instance")) {
        expect((i.inputs.createVnicDetails as Record<string, unknown>).assignPublicIp, i.name).to.equal(
          "false",
        );
      }
      const ingress = plan.resources.filter(
        (r) =>
          (r.type.endsWith("networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule") &&
            r.inputs.direction === "INGRESS") ||
          r.type.endsWith("ecurityList:SecurityList") ||
          r.type.endsWith("efaultSecurityList:DefaultSecurityList"),
      );
      expect(ingress.length, plan.stack).to.be.above(0);
      for (const r of ingress) {
        expect(JSON.stringify(r.inputs.source ?? null), r.name).to.not.contain("0.0.0.0/0");
        for (const rule of (r.inputs.ingressSecurityRules as { source: string }[] | undefined) ?? []) {
          expect(rule.source, r.name).to.not.equal("0.0.0.0/0");
        }
      }
    }
  });

  it("parents every resource under a component of this package", () => {
    for (const plan of [primary, dr]) {
      const components = new Set(
        plan.resources.filter((r) => r.type.startsWith("oci-geo-streaming:")).map((r) => r.urn),
      );
      for (const r of plan.resources) {
        if (r.type === "pulumi:pulumi:Stack" || r.type.startsWith("pulumi:providers:")) {
          continue;
        }
        if (r.type === "pulumi:pulumi:StackReference") {
          continue;
        }
        if (r.type === "oci-geo-streaming:index:GeoReplicatedStream") {
          continue;
        }
        expect(components.has(r.parent as string), `${plan.stack}: ${r.name} under ${r.parent}`).to.equal(
          true,
        );
      }
    }
  });

  it("masks the auth token: the plan holds no token value, only [secret]", () => {
    const text = JSON.stringify(planDocument(dr));
    expect(text).to.not.contain("MOCK-authtoken");
    const secret = ofType(dr, "oci:Vault/secret:Secret")[0];
    expect((secret.inputs.secretContent as Record<string, unknown>).content).to.equal("[secret]");
  });

  it("writes mm2.properties and a user-data that cloud-init's own schema check accepts", function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "repo-plan-"));
    writeArtifacts(dr, path.join(dir, "dr"));
    const props = fs.readFileSync(path.join(dir, "dr", "mm2.properties"), "utf8");
    expect(props).to.match(/^fra->ams\.enabled=true$/m);
    const userData = path.join(dir, "dr", "user-data.yaml");
    expect(fs.readFileSync(userData, "utf8")).to.match(/^#cloud-config\n/);
    let schema: string;
    try {
      schema = execFileSync("cloud-init", ["schema", "--config-file", userData], { encoding: "utf8" });
    } catch (e) {
      const err = e as { code?: string; stdout?: string; stderr?: string };
      if (err.code === "ENOENT" && !process.env.CI) {
        this.skip();
      }
      throw new Error(
        `cloud-init schema rejected the planned user-data: ${err.stdout ?? ""}${err.stderr ?? ""}`,
      );
    }
    expect(schema).to.match(/^Valid cloud-config/m);
  });
});
