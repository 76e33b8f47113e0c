/**
 * The tenancy-kind check (replication.identityDomains against what the Identity Domains API
 * answered): a failed call is reported as what it is, with the grant to add — never read as
 * "classic tenancy" (OCI answers 404 NotAuthorizedOrNotFound for a missing permission too).
 */
import { expect } from "chai";
import { DomainsAnswer, domainsAnswerOfError, tenancyKindProblem } from "../../lib/core/config/tenancyKind";
import { ValidationError } from "../../lib/core/errors";

const TENANCY = "ocid1.tenancy.oc1..aaaaaaaaexampletenancyuniqueid";
const NOT_AUTHORIZED =
  "Invoke of oci:Identity/getDomains:getDomains failed: 404-NotAuthorizedOrNotFound, Authorization failed or requested resource not found.\nOpc request id: x";

const CASES: { name: string; answer: DomainsAnswer; identityDomains: boolean; expect: RegExp | undefined }[] =
  [
    {
      name: "domains listed, domains expected",
      answer: { found: true },
      identityDomains: true,
      expect: undefined,
    },
    {
      name: "none listed, classic expected",
      answer: { found: false },
      identityDomains: false,
      expect: undefined,
    },
    {
      name: "domains listed, classic declared",
      answer: { found: true },
      identityDomains: false,
      expect: /has identity domains .* Set it to true/,
    },
    {
      name: "none listed, domains declared",
      answer: { found: false },
      identityDomains: true,
      expect: /lists no identity domains .* Set it to false for a classic tenancy/,
    },
    // Before, an error counted as "no domains": with identityDomains false it passed silently,
    // with true it said "lists no identity domains" — both wrong.
    {
      name: "the call failed, classic declared",
      answer: { error: NOT_AUTHORIZED },
      identityDomains: false,
      expect:
        /listing its domains failed \(Invoke of .*404-NotAuthorizedOrNotFound.*\)\. .*inspect domains in tenancy/,
    },
    {
      name: "the call failed, domains declared",
      answer: { error: NOT_AUTHORIZED },
      identityDomains: true,
      expect: /could not tell whether tenancy .* has identity domains/,
    },
  ];

describe("tenancy kind: replication.identityDomains against the Domains API's answer", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const problem = tenancyKindProblem(TENANCY, c.answer, c.identityDomains);
      if (c.expect === undefined) {
        expect(problem).to.equal(undefined);
        return;
      }
      expect(problem).to.be.instanceOf(ValidationError);
      expect(problem!.field).to.equal("replication.identityDomains");
      expect(problem!.message).to.match(c.expect);
      // One line: the API error's request-id line is not carried along.
      expect(problem!.message).to.not.contain("\n");
    });
  }
});

describe("tenancy kind: a failed Domains call", () => {
  it("is a classic tenancy only when OCI says the domains feature is not enabled (control: a permission error is not)", () => {
    expect(
      domainsAnswerOfError(
        "404-NotAuthorizedOrNotFound, Feature domain-migration-complete is not enabled for this tenancy",
      ),
    ).to.deep.equal({ found: false });
    expect(domainsAnswerOfError(NOT_AUTHORIZED)).to.deep.equal({ error: NOT_AUTHORIZED });
  });
});
