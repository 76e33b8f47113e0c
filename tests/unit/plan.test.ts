import { expect } from "chai";
import * as path from "path";
import {
  PlanError,
  planDocument,
  PlannedResource,
  planStacks,
  referenceOutputsOf,
  runStack,
  StackPlan,
} from "../../dev/plan/runStack";
import { isWireSecret } from "../../dev/oci-model/wire";

const PLAN_PROJECT = path.join(__dirname, "..", "fixtures", "plan-project");
const MODULE_PROJECT = path.join(__dirname, "..", "fixtures", "module-project");

/** Every secret value the fixture program handles; none may appear in a plan. */
const SECRET_VALUES = [
  "secret-display-name", // pulumi.secret input
  "secret-output-value", // secret stack output (and, on dr, a secret StackReference output used as input)
  "[secure config", // stand-in of secure config, even when read with config.require
  "v1:", // the secure ciphertext itself
  "Zml4dHVyZS1jaXBoZXJ0ZXh0",
];

function one(plan: StackPlan, type: string): PlannedResource {
  const found = plan.resources.filter((r) => r.type === type);
  expect(found, type).to.have.length(1);
  return found[0];
}

describe("offline plan: runStack / planStacks (child process per stack)", function () {
  this.timeout(90_000);
  let primary: StackPlan;
  let dr: StackPlan;

  before(async () => {
    [primary, dr] = await planStacks({ projectDir: PLAN_PROJECT, stacks: ["primary", "dr"] });
  });

  it("evaluates the program once per stack with that stack's config", () => {
    expect([primary.stack, dr.stack]).to.deep.equal(["primary", "dr"]);
    expect(one(primary, "pulumi:providers:oci").inputs.region).to.equal("eu-frankfurt-1");
    expect(one(dr, "pulumi:providers:oci").inputs.region).to.equal("eu-amsterdam-1");
    expect(one(primary, "oci:Core/vcn:Vcn").inputs.cidrBlocks).to.deep.equal(["10.10.0.0/16"]);
    expect(one(dr, "oci:Core/vcn:Vcn").inputs.cidrBlocks).to.deep.equal(["10.20.0.0/16"]);
    expect(primary.outputs.availabilityDomains).to.have.length(3);
    expect(dr.outputs.availabilityDomains).to.have.length(1);
  });

  it("lists resources in registration order under their real parents and providers", () => {
    const [root, ...rest] = primary.resources;
    expect(root).to.include({
      type: "pulumi:pulumi:Stack",
      name: "plan-fixture-primary",
      parent: null,
      provider: null,
    });
    expect(root.urn).to.equal("urn:pulumi:primary::plan-fixture::pulumi:pulumi:Stack::plan-fixture-primary");
    const provider = one(primary, "pulumi:providers:oci");
    const site = one(primary, "fixture:index:Site");
    expect(provider.parent).to.equal(root.urn);
    expect(site.parent).to.equal(root.urn);
    const children = rest.filter((r) => r.type.startsWith("oci:"));
    expect(children.map((r) => r.type).sort()).to.deep.equal([
      "oci:Core/drg:Drg",
      "oci:Core/remotePeeringConnection:RemotePeeringConnection",
      "oci:Core/subnet:Subnet",
      "oci:Core/vcn:Vcn",
      "oci:Streaming/streamPool:StreamPool",
    ]);
    for (const r of children) {
      expect(r.parent, r.name).to.equal(site.urn);
      expect(r.provider, r.name).to.equal(`${provider.urn}::${provider.id}`);
      expect(r.urn, r.name).to.equal(
        `urn:pulumi:primary::plan-fixture::fixture:index:Site$${r.type}::${r.name}`,
      );
    }
  });

  it("answers with OCI-shaped values: region-keyed OCIDs, private pool FQDN and bootstrap servers", () => {
    expect(primary.outputs.vcnId).to.match(/^ocid1\.vcn\.oc1\.fra\.aaaaaaaa[a-z2-7]{52}$/);
    expect(dr.outputs.rpcId).to.match(/^ocid1\.remotepeeringconnection\.oc1\.ams\./);
    expect(dr.outputs.bootstrapServers).to.match(
      /^[a-z2-7]{12}\.streaming\.eu-amsterdam-1\.oci\.oraclecloud\.com:9092$/,
    );
  });

  it("wires the dr StackReference to the primary's outputs", () => {
    const ref = one(dr, "pulumi:pulumi:StackReference");
    expect(ref.inputs).to.deep.equal({ name: "acme/plan-fixture/primary" });
    const rpc = one(dr, "oci:Core/remotePeeringConnection:RemotePeeringConnection");
    expect(rpc.inputs.peerId).to.equal(primary.outputs.rpcId);
    expect(rpc.inputs.peerRegionName).to.equal("eu-frankfurt-1");
    expect(one(primary, "oci:Core/remotePeeringConnection:RemotePeeringConnection").inputs.peerId).to.equal(
      undefined,
    );
  });

  it("masks every secret: secret inputs (top-level and nested), secure config, secret outputs", () => {
    expect(one(primary, "oci:Core/vcn:Vcn").inputs.displayName).to.equal("[secret]");
    expect(one(primary, "oci:Streaming/streamPool:StreamPool").inputs.freeformTags).to.deep.equal({
      apiToken: "[secret]",
      owner: "platform",
    });
    // Read with config.require (not requireSecret): still masked, because it is secure config.
    expect(one(primary, "oci:Core/drg:Drg").inputs.freeformTags).to.deep.equal({ note: "[secret]" });
    // A secret output of primary, read through the StackReference, stays secret in dr.
    expect(
      one(dr, "oci:Core/remotePeeringConnection:RemotePeeringConnection").inputs.freeformTags,
    ).to.deep.equal({
      primaryToken: "[secret]",
    });
    expect(primary.outputs.token).to.equal("[secret]");
    for (const plan of [primary, dr]) {
      const text = JSON.stringify(plan);
      for (const s of SECRET_VALUES) {
        expect(text, `${plan.stack} leaks ${s}`).to.not.contain(s);
      }
    }
  });

  it("keeps the wire-form outputs for StackReferences off the plan object", () => {
    expect(Object.keys(primary)).to.not.include("outputsWire");
    const wire = referenceOutputsOf(primary);
    expect(isWireSecret(wire.token)).to.equal(true);
    expect(wire.rpcId).to.equal(primary.outputs.rpcId);
  });

  it("produces the out/plan document: stack and resources with exactly urn, type, name, parent, provider, inputs", () => {
    const doc = planDocument(dr);
    expect(Object.keys(doc)).to.deep.equal(["stack", "resources"]);
    expect(doc.stack).to.equal("dr");
    expect(doc.resources).to.have.length(dr.resources.length);
    for (const r of doc.resources) {
      expect(Object.keys(r)).to.deep.equal(["urn", "type", "name", "parent", "provider", "inputs"]);
    }
  });

  it("evaluates plain-module programs (named exports become stack outputs)", async () => {
    const plan = await runStack({ projectDir: MODULE_PROJECT, stack: "good" });
    expect(plan.outputs.messagesEndpoint).to.equal(
      "https://cell-1.streaming.us-phoenix-1.oci.oraclecloud.com",
    );
    expect(plan.outputs.streamId).to.match(/^ocid1\.stream\.oc1\.phx\.amaaaaaa/);
    expect(plan.resources.map((r) => r.type)).to.deep.equal([
      "pulumi:pulumi:Stack",
      "oci:Streaming/stream:Stream",
    ]);
  });

  it("reports a program's ValidationError as a PlanError with its field", async () => {
    let err: unknown;
    try {
      await runStack({ projectDir: MODULE_PROJECT, stack: "bad" });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(PlanError);
    const pe = err as PlanError;
    expect(pe).to.include({ stackName: "bad", errorName: "ValidationError", field: "partitions" });
    expect(pe.message).to.equal("partitions: must be at least 1. Set module-fixture:partitions to 1 or more");
    expect(pe.isExpected).to.equal(true);
  });

  it("fails a StackReference to a stack that was not planned, naming it", async () => {
    let err: Error | undefined;
    try {
      await runStack({ projectDir: PLAN_PROJECT, stack: "dr" });
    } catch (e) {
      err = e as Error;
    }
    expect(err).to.be.instanceOf(PlanError);
    expect(err?.message).to.match(/no outputs for stack 'acme\/plan-fixture\/primary'/);
  });
});
