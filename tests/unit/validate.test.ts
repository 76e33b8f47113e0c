import { expect } from "chai";
import { resolveArgs } from "../../lib/core/config/validate";
import { validateGeoReplicatedStreamArgs } from "../../lib/components/geoReplicatedStream";
import { ValidationError } from "../../lib/core/errors";
import { INVALID_CASES, validDr } from "../support/cases";

describe("resolveArgs validation", () => {
  it("accepts the valid dr configuration and applies defaults", () => {
    const r = resolveArgs(validDr());
    expect(r.streams).to.deep.equal([
      { name: "orders", partitions: 6, retentionHours: 168 },
      { name: "payments", partitions: 3, retentionHours: 24 },
    ]);
    expect(r.streamPool.autoCreateTopics).to.equal(false);
    expect(r.partitionQuota).to.equal(200);
    expect(r.network.dnsLabel).to.equal("geodr");
  });

  it("derives the two private subnets from the VCN when not given", () => {
    const a = validDr();
    a.network = { vcnCidr: "10.30.0.0/16" };
    a.peer!.vcnCidr = "10.10.0.0/16";
    const r = resolveArgs(a);
    expect(r.network.streamSubnetCidr).to.equal("10.30.0.0/24");
    expect(r.network.mirrorMakerSubnetCidr).to.equal("10.30.1.0/24");
  });

  it("takes VCNs down to /29 (OCI's /16 to /30, less the /30 that cannot hold two subnets): halves below /23", () => {
    for (const [vcn, streams, mm] of [
      ["10.30.0.0/23", "10.30.0.0/24", "10.30.1.0/24"],
      ["10.30.0.0/24", "10.30.0.0/25", "10.30.0.128/25"],
      ["10.30.0.0/29", "10.30.0.0/30", "10.30.0.4/30"],
    ]) {
      const a = validDr();
      a.network = { vcnCidr: vcn };
      a.peer!.vcnCidr = "10.10.0.0/16";
      const r = resolveArgs(a);
      expect([r.network.streamSubnetCidr, r.network.mirrorMakerSubnetCidr], vcn).to.deep.equal([streams, mm]);
    }
  });

  it("a primary needs no peer", () => {
    const a = validDr();
    a.role = "primary";
    delete a.peer;
    expect(resolveArgs(a).peer).to.equal(undefined);
  });

  for (const [title, mutate, field, message] of INVALID_CASES) {
    it(`refuses ${title}, naming ${field}`, () => {
      const a = validDr();
      mutate(a);
      let error: unknown;
      try {
        // Everything the component checks before registering; its providers are the mock tier's.
        validateGeoReplicatedStreamArgs(a, { providersPending: true });
      } catch (e) {
        error = e;
      }
      expect(error, "no error was thrown").to.be.instanceOf(ValidationError);
      const v = error as ValidationError;
      expect(v.field).to.equal(field);
      expect(v.message.startsWith(`${field}: `)).to.equal(true);
      expect(v.message).to.match(message);
    });
  }
});
