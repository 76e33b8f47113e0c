/**
 * What the OCI model refuses for DRG attachments: each fact with an accepted control and the
 * refusal, so that a model without the fact fails here.
 */
import { expect } from "chai";
import type { Obj } from "../../dev/oci-model/handlerContext";
import { MockRejection, OciModel } from "../../dev/oci-model/tenancyModel";
import { createIn } from "../support/ociModelResources";
import { makeOcid } from "../../dev/oci-model/ocid";

const REGION = "eu-amsterdam-1";
const COMPARTMENT = makeOcid("compartment", undefined, "c1");
const T = {
  vcn: "oci:Core/vcn:Vcn",
  drg: "oci:Core/drg:Drg",
  attachment: "oci:Core/drgAttachment:DrgAttachment",
};

let model: OciModel;
function create(type: string, inputs: Obj, region = REGION): string {
  return createIn(model, type, inputs, region);
}
const attach = (drgId: string, vcnId: string) =>
  create(T.attachment, { drgId, networkDetails: { id: vcnId, type: "VCN" } });

describe("OCI model: a VCN is attached to one DRG at a time (CreateDrgAttachment)", () => {
  beforeEach(() => {
    model = new OciModel({ tenancyName: "acme" });
  });

  it("attaches a VCN to a DRG, and a DRG to several VCNs", () => {
    const drg = create(T.drg, { compartmentId: COMPARTMENT });
    const a = create(T.vcn, { compartmentId: COMPARTMENT, cidrBlocks: ["10.0.0.0/16"] });
    const b = create(T.vcn, { compartmentId: COMPARTMENT, cidrBlocks: ["10.1.0.0/16"] });
    expect(attach(drg, a)).to.match(/^ocid1\.drgattachment\./);
    expect(attach(drg, b)).to.match(/^ocid1\.drgattachment\./);
  });

  it("refuses a second attachment of a VCN created in the run, to another DRG or the same", () => {
    const drg1 = create(T.drg, { compartmentId: COMPARTMENT });
    const drg2 = create(T.drg, { compartmentId: COMPARTMENT });
    const vcn = create(T.vcn, { compartmentId: COMPARTMENT, cidrBlocks: ["10.0.0.0/16"] });
    const first = attach(drg1, vcn);
    for (const drg of [drg2, drg1]) {
      expect(() => attach(drg, vcn))
        .to.throw(MockRejection)
        .with.property("message")
        .that.contains(`VCN ${vcn} is already attached to DRG ${drg1} (attachment ${first})`)
        .and.contains("only one DRG at a time");
    }
  });

  it("refuses to attach an adopted VCN that a pre-existing attachment ties to its DRG", () => {
    const vcn = makeOcid("vcn", REGION, "enterprise-vcn");
    const hubDrg = makeOcid("drg", REGION, "hub-drg");
    const existing = makeOcid("drgattachment", REGION, "hub-attachment");
    model.setExisting({
      [vcn]: { cidrBlocks: ["10.50.0.0/16"], compartmentId: COMPARTMENT },
      [hubDrg]: { compartmentId: COMPARTMENT },
      [existing]: { drgId: hubDrg, networkDetails: { id: vcn, type: "VCN" } },
    });
    const drg = create(T.drg, { compartmentId: COMPARTMENT });
    expect(() => attach(drg, vcn)).to.throw(MockRejection, `is already attached to DRG ${hubDrg}`);
    // Another VCN of the tenancy is free to attach; an update of the attachment itself is no second one.
    const other = create(T.vcn, { compartmentId: COMPARTMENT, cidrBlocks: ["10.60.0.0/16"] });
    const id = attach(drg, other);
    expect(() =>
      model.computeOutputs(
        T.attachment,
        "again",
        id,
        { drgId: drg, networkDetails: { id: other, type: "VCN" } },
        REGION,
        false,
      ),
    ).not.to.throw();
  });
});
