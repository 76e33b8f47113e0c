/**
 * An adopted VCN that already has a DRG, on the real engine: a network owner's stack creates the
 * enterprise VCN, its subnets and its hub DRG with the VCN attached (state in the emulated
 * tenancy); the component's stack adopts them. Without `network.existing.drgId` the second
 * attachment of the VCN is refused as OCI refuses it; with it, the RPC goes on the hub DRG and
 * the VCN keeps its one attachment.
 */
import * as oci from "@pulumi/oci";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { GeoReplicatedStream } from "../../lib/components/geoReplicatedStream";
import { GeoReplicatedStreamArgs } from "../../lib/core/config/args";
import { buildEmulator, progress, requireTools, Sandbox } from "./support";

const PROJECT = "adopt-drg";
const COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaa5x2rdkq4vfu6r3jgiqdjvnqwz7xq7fnv3xhm3f2tkl4yc3e6lmoa";
const REGION = "eu-amsterdam-1";
const ATTACHMENT = "oci:Core/drgAttachment:DrgAttachment";

/** The network owner's program: the enterprise VCN and its hub DRG, attached. */
async function enterpriseNetwork() {
  const p = new oci.Provider("ams", { region: REGION });
  const o = { provider: p };
  const vcn = new oci.core.Vcn("corp-vcn", { compartmentId: COMPARTMENT, cidrBlocks: ["10.20.0.0/16"] }, o);
  const subnet = (n: string, cidr: string) =>
    new oci.core.Subnet(
      n,
      { compartmentId: COMPARTMENT, vcnId: vcn.id, cidrBlock: cidr, prohibitPublicIpOnVnic: true },
      o,
    );
  const streams = subnet("corp-streams", "10.20.1.0/24");
  const mm = subnet("corp-mm", "10.20.2.0/24");
  const drg = new oci.core.Drg("corp-hub-drg", { compartmentId: COMPARTMENT }, o);
  new oci.core.DrgAttachment(
    "corp-hub-attachment",
    { drgId: drg.id, networkDetails: { id: vcn.id, type: "VCN" } },
    o,
  );
  return { vcnId: vcn.id, streamSubnetId: streams.id, mirrorMakerSubnetId: mm.id, drgId: drg.id };
}

type Net = { vcnId: string; streamSubnetId: string; mirrorMakerSubnetId: string; drgId: string };

function adopting(net: Net, withDrg: boolean): () => Promise<Record<string, unknown>> {
  return async () => {
    const args: GeoReplicatedStreamArgs = {
      role: "primary",
      region: REGION,
      compartmentId: COMPARTMENT,
      network: {
        existing: {
          vcnId: net.vcnId,
          vcnCidr: "10.20.0.0/16",
          streamSubnetId: net.streamSubnetId,
          streamSubnetCidr: "10.20.1.0/24",
          mirrorMakerSubnetId: net.mirrorMakerSubnetId,
          mirrorMakerSubnetCidr: "10.20.2.0/24",
          ...(withDrg ? { drgId: net.drgId } : {}),
        },
      },
      streamPool: { protect: false },
      streams: [{ name: "orders", partitions: 2 }],
      peer: { region: "eu-frankfurt-1", vcnCidr: "10.10.0.0/16", mirrorMakerSubnetCidr: "10.10.2.0/24" },
      monitoring: { enabled: false },
    };
    const site = new GeoReplicatedStream("geo-primary", args, {
      provider: new oci.Provider("ams", { region: REGION }),
    });
    return { drgId: site.drgId, requiredDrgRouteRules: site.requiredDrgRouteRules };
  };
}

describe("engine: adopting a VCN that already has a DRG", function () {
  this.timeout(600_000);
  let sandbox: Sandbox;
  let owner: Stack;
  let net: Net;

  const stack = async (name: string, program: () => Promise<Record<string, unknown>>) =>
    LocalWorkspace.createOrSelectStack(
      { stackName: `organization/${PROJECT}/${name}`, projectName: PROJECT, program },
      {
        envVars: sandbox.env,
        pulumiCommand: await sandbox.pulumiCommand(),
        secretsProvider: "passphrase",
        projectSettings: { name: PROJECT, runtime: "nodejs", backend: { url: sandbox.backendUrl } },
      },
    );
  const attachmentsOf = (vcnId: string) =>
    Object.values(sandbox.tenancy().resources).filter(
      (r) => r.type === ATTACHMENT && (r.outputs.networkDetails as { id?: string } | undefined)?.id === vcnId,
    );

  before(async () => {
    requireTools();
    buildEmulator();
    sandbox = new Sandbox("adopt-drg");
    owner = await stack("network-owner", async () => enterpriseNetwork());
    const up = await owner.up({ onOutput: progress("up network-owner") });
    net = Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value])) as Net;
    expect(attachmentsOf(net.vcnId)).to.have.length(1);
  });

  it("without network.existing.drgId, up fails at the VCN's second attachment, as OCI refuses it", async () => {
    const s = await stack("without-drg", adopting(net, false));
    let failure = "";
    try {
      await s.up({ onOutput: progress("up without-drg") });
    } catch (e) {
      failure = String(e);
    }
    expect(failure).to.contain(`VCN ${net.vcnId} is already attached to DRG ${net.drgId}`);
    expect(attachmentsOf(net.vcnId)).to.have.length(1);
    await s.destroy({ onOutput: progress("destroy without-drg") });
  });

  it("with network.existing.drgId: the RPC on the hub DRG, no DRG or attachment created, the DRG's routes reported", async () => {
    const s = await stack("with-drg", adopting(net, true));
    const up = await s.up({ onOutput: progress("up with-drg") });
    expect(up.outputs.drgId.value).to.equal(net.drgId);
    const rules = up.outputs.requiredDrgRouteRules.value as { destination: string }[];
    expect(rules.map((r) => r.destination)).to.deep.equal(["10.10.0.0/16", "10.20.0.0/16"]);
    const tenancy = Object.values(sandbox.tenancy().resources);
    expect(tenancy.filter((r) => r.type === "oci:Core/drg:Drg")).to.have.length(1);
    expect(attachmentsOf(net.vcnId)).to.have.length(1);
    const rpcs = tenancy.filter((r) => r.type === "oci:Core/remotePeeringConnection:RemotePeeringConnection");
    expect(rpcs.map((r) => r.outputs.drgId)).to.deep.equal([net.drgId]);
    await s.destroy({ onOutput: progress("destroy with-drg") });
    await owner.destroy({ onOutput: progress("destroy network-owner") });
    expect(Object.keys(sandbox.tenancy().resources)).to.deep.equal([]);
  });
});
