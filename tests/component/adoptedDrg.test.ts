/**
 * An adopted VCN that already has a DRG (`network.existing.drgId`): the remote peering connection
 * and the IPSec connection go on that DRG, no DRG or VCN attachment is created (OCI attaches a
 * VCN to one DRG at a time: the model refuses a second attachment), and the routes the DRG's
 * tables must hold are reported.
 */
import { expect } from "chai";
import * as oci from "@pulumi/oci";
import { byType, mocks, outputOf, registrationErrors, resetRegistry, settle } from "../support/mockRuntime";
import { GeoReplicatedStream } from "../../lib/components/geoReplicatedStream";
import { RequiredDrgRouteRule } from "../../lib/components/network/drgRouting";
import { GeoReplicatedStreamArgs } from "../../lib/core/config/args";
import { adoptedNetwork, MM2_EMAIL, validDr, withOnPremises } from "../support/cases";

const VCN = "ocid1.vcn.oc1.ams.existingvcn";
const HUB_DRG = "ocid1.drg.oc1.eu-amsterdam-1.aaaaaaaahubdrg";
const HUB_ATTACHMENT = "ocid1.drgattachment.oc1.eu-amsterdam-1.aaaaaaaahubattachment";
const TENANCY = "ocid1.tenancy.oc1..aaaaaaaaq3z5xqv4hn7fz2ob6a2fwq6jd4o7ryv7w3xk2pbrqazx5ny3gyja";

/** The enterprise VCN, attached to its hub DRG by its owner. */
function enterpriseTenancy(): void {
  mocks.setExisting({
    [HUB_DRG]: { compartmentId: validDr().compartmentId, displayName: "hub" },
    [HUB_ATTACHMENT]: { drgId: HUB_DRG, networkDetails: { id: VCN, type: "VCN" } },
  });
}

function adoptingDr(drgId?: string): GeoReplicatedStreamArgs {
  const args = validDr();
  args.network = adoptedNetwork();
  if (drgId !== undefined) args.network.existing!.drgId = drgId;
  return args;
}

describe("an adopted VCN with its own DRG (mock engine)", () => {
  beforeEach(() => {
    resetRegistry();
    enterpriseTenancy();
  });
  afterEach(() => mocks.setExisting({}));

  it("without network.existing.drgId, the second attachment of the VCN is refused as OCI would", async () => {
    const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
    const errors = await registrationErrors(
      () => new GeoReplicatedStream("geo-dr", adoptingDr(), { provider: ams }),
    );
    expect(errors.join("\n")).to.contain(`VCN ${VCN} is already attached to DRG ${HUB_DRG}`);
  });

  it("with network.existing.drgId: the RPC on that DRG, no DRG and no attachment created, the DRG's routes reported", async () => {
    const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
    const dr = new GeoReplicatedStream("geo-dr", adoptingDr(HUB_DRG), { provider: ams });
    const rules = (await outputOf(dr.requiredDrgRouteRules)).value as RequiredDrgRouteRule[];
    const rpcId = (await outputOf(dr.remotePeeringConnectionId)).value as string;
    await settle();
    expect(byType("oci:Core/drg:Drg")).to.have.length(0);
    expect(byType("oci:Core/drgAttachment:DrgAttachment")).to.have.length(0);
    expect(
      byType("oci:Core/remotePeeringConnection:RemotePeeringConnection").map((r) => r.inputs.drgId),
    ).to.deep.equal([HUB_DRG]);
    expect((await outputOf(dr.drgId)).value).to.equal(HUB_DRG);
    // The VCN's route tables still need the peer through the DRG (the network owner's), as before.
    expect(
      ((await outputOf(dr.requiredRouteRules)).value as { target: string }[]).map((r) => r.target),
    ).to.deep.equal([HUB_DRG]);
    expect(rules.map((r) => [r.destination, r.drgRouteTable.split(" on ")[0], r.nextHop])).to.deep.equal([
      ["10.10.0.0/16", `the VCN attachment of ${VCN}`, `remote peering connection ${rpcId}`],
      [
        "10.20.0.0/16",
        `the attachment of remote peering connection ${rpcId}`,
        `the VCN attachment of ${VCN}`,
      ],
    ]);
  });

  it("with on-premises networks over IPSec: the IPSec connection ends on the adopted DRG, its routes reported", async () => {
    const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
    const args = withOnPremises(adoptingDr(HUB_DRG));
    args.role = "primary";
    delete args.peer;
    args.replication = {
      tenancyId: TENANCY,
      homeRegionProvider: new oci.Provider("home", { region: "eu-frankfurt-1" }),
      fleet: { size: 1 },
      credentials: { mode: "create", email: MM2_EMAIL },
      flow: "external-to-local",
    };
    const site = new GeoReplicatedStream("geo-onprem", args, { provider: ams });
    const rules = (await outputOf(site.requiredDrgRouteRules)).value as RequiredDrgRouteRule[];
    await settle();
    expect(byType("oci:Core/ipsec:Ipsec").map((r) => r.inputs.drgId)).to.deep.equal([HUB_DRG]);
    expect(byType("oci:Core/drg:Drg")).to.have.length(0);
    const cidrs = args.onPremises!.cidrs;
    expect(rules.map((r) => r.destination)).to.deep.equal([...cidrs, "10.20.0.0/16"]);
    expect(rules.every((r) => r.nextHop.length > 0 && r.reason.length > 0)).to.equal(true);
  });

  it("a VCN created here keeps its own DRG and reports no DRG routes", async () => {
    const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
    const dr = new GeoReplicatedStream("geo-dr", validDr(), { provider: ams });
    expect((await outputOf(dr.requiredDrgRouteRules)).value).to.deep.equal([]);
    await settle();
    expect(byType("oci:Core/drg:Drg")).to.have.length(1);
    expect(byType("oci:Core/drgAttachment:DrgAttachment")).to.have.length(1);
  });
});
