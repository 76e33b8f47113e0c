/**
 * Two deployments in one tenancy: the IAM resources the component registers (under the mock
 * engine) replayed into ONE modelled tenancy, as two stacks would create them there. With the
 * names fixed by the component's name alone (an empty `replication.iamNamePrefix`: the names
 * before prefixes existed) the second deployment is refused with OCI's 409 (the control); with a
 * prefix per deployment, or the default `<project>-<stack>`, both fit.
 */
import { expect } from "chai";
import * as oci from "@pulumi/oci";
import { byType, outputOf, resetRegistry, settle, TEST_PROJECT, TEST_STACK } from "../support/mockRuntime";
import { GeoReplicatedStream } from "../../lib/components/geoReplicatedStream";
import { GeoReplicatedStreamArgs } from "../../lib/core/config/args";
import { MockRejection, OciModel } from "../../dev/oci-model/tenancyModel";
import { MM2_EMAIL, validDr } from "../support/cases";

const TENANCY = "ocid1.tenancy.oc1..aaaaaaaaq3z5xqv4hn7fz2ob6a2fwq6jd4o7ryv7w3xk2pbrqazx5ny3gyja";
const PEER_POOL = "ocid1.streampool.oc1.fra.amaaaaaapeerpool";
const IAM_TYPES = [
  "oci:Identity/user:User",
  "oci:Identity/group:Group",
  "oci:Identity/dynamicGroup:DynamicGroup",
  "oci:Identity/policy:Policy",
];

interface IamRecord {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** The IAM resources one deployment of the dr side registers (`iamNamePrefix` as given). */
async function iamOf(iamNamePrefix: string | undefined): Promise<IamRecord[]> {
  resetRegistry();
  const args: GeoReplicatedStreamArgs = validDr();
  args.peer = {
    ...args.peer!,
    streamPoolId: PEER_POOL,
    bootstrapServers: "peer.streaming.eu-frankfurt-1.oci.oraclecloud.com:9092",
    streams: [{ name: "orders", partitions: 6, retentionHours: 168 }],
  };
  args.monitoring = { operatorGroup: "stream-operators" };
  args.replication = {
    tenancyId: TENANCY,
    homeRegionProvider: new oci.Provider("home", { region: "eu-frankfurt-1" }),
    credentials: { mode: "create", email: MM2_EMAIL },
    ...(iamNamePrefix !== undefined ? { iamNamePrefix } : {}),
  };
  const dr = new GeoReplicatedStream("geo-dr", args, {
    provider: new oci.Provider("ams", { region: "eu-amsterdam-1" }),
  });
  await outputOf(dr.replication!.userData);
  await settle();
  return IAM_TYPES.flatMap((t) => byType(t)).map((r) => ({ type: r.type, name: r.name, inputs: r.inputs }));
}

/** Creates `records` in `model` as deployment `label` would; the refusals OCI would give, in order. */
function createIn(model: OciModel, label: string, records: IamRecord[]): string[] {
  const refused: string[] = [];
  for (const r of records) {
    const id = model.newResourceId(r.type, r.name, "eu-frankfurt-1", `${label}|${r.type}|${r.name}`);
    try {
      const computed = model.computeOutputs(r.type, r.name, id, r.inputs, "eu-frankfurt-1", false);
      model.remember(id, { type: r.type, region: "eu-frankfurt-1", outputs: { ...r.inputs, ...computed } });
    } catch (e) {
      if (!(e instanceof MockRejection)) throw e;
      refused.push(e.message);
    }
  }
  return refused;
}

describe("two deployments in one tenancy: tenancy-wide IAM names", () => {
  it("control: the names fixed by the component's name clash — the second deployment's IAM is refused with 409", async () => {
    const prod = await iamOf("");
    const staging = await iamOf("");
    expect(prod.map((r) => r.type).sort()).to.deep.equal(
      [
        ...IAM_TYPES,
        "oci:Identity/policy:Policy",
        "oci:Identity/policy:Policy",
        "oci:Identity/policy:Policy",
      ].sort(),
    );
    const model = new OciModel({ identityDomains: true });
    expect(createIn(model, "prod", prod)).to.deep.equal([]);
    const refused = createIn(model, "staging", staging);
    expect(refused).to.have.length(prod.length);
    expect(refused.join("\n")).to.match(
      /409-Conflict: a user named geo-dr-replication-credentials-user already exists/,
    );
    expect(refused.join("\n")).to.match(
      /409-PolicyAlreadyExists, Policy 'geo-dr-replication-fleet-read-token' already exists/,
    );
    expect(refused.join("\n")).to.match(
      /409-Conflict: a dynamic group named geo-dr-replication-fleet-instances already exists/,
    );
  });

  it("a group may not take a dynamic group's name either (one namespace)", () => {
    const model = new OciModel({ identityDomains: true });
    const dg = {
      type: "oci:Identity/dynamicGroup:DynamicGroup",
      name: "dg",
      inputs: { name: "shared", matchingRule: "instance.id = 'ocid1.instance.oc1..x'" },
    };
    const group = { type: "oci:Identity/group:Group", name: "g", inputs: { name: "shared" } };
    expect(createIn(model, "a", [dg])).to.deep.equal([]);
    expect(createIn(model, "b", [group])).to.have.length(1);
  });

  it("a prefix per deployment, or the default <project>-<stack>: both deployments fit, every name unique and within 100 characters", async () => {
    const prod = await iamOf(undefined);
    const staging = await iamOf("staging");
    const model = new OciModel({ identityDomains: true });
    expect(createIn(model, "prod", prod)).to.deep.equal([]);
    expect(createIn(model, "staging", staging)).to.deep.equal([]);
    const names = [...prod, ...staging].map((r) => String(r.inputs.name));
    expect(new Set(names).size).to.equal(names.length);
    for (const n of names) expect(n).to.match(/^[A-Za-z0-9._-]{1,100}$/);
    expect(prod.map((r) => String(r.inputs.name))).to.include(
      `${TEST_PROJECT}-${TEST_STACK}-geo-dr-replication-credentials-group`,
    );
    expect(staging.map((r) => String(r.inputs.name))).to.include(
      "staging-geo-dr-replication-fleet-instances",
    );
    // The policies name the group and dynamic group by their prefixed names.
    const statements = staging
      .filter((r) => r.type === "oci:Identity/policy:Policy")
      .flatMap((r) => r.inputs.statements as string[]);
    expect(statements.join("\n")).to.contain("'Default'/'staging-geo-dr-replication-credentials-group'");
    expect(statements.join("\n")).to.contain("'Default'/'staging-geo-dr-replication-fleet-instances'");
  });
});
