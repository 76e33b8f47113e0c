/**
 * The tenancy-wide IAM names (lib/core/oci/iamNames.ts): the deployment's prefix, OCI's length and
 * characters, and the refusal of a prefix OCI could not take.
 */
import { expect } from "chai";
import {
  checkIamNamePrefix,
  defaultIamNamePrefix,
  IAM_NAME_MAX,
  IAM_NAME_PREFIX_MAX,
  iamName,
} from "../../lib/core/oci/iamNames";
import { resolveDeployment } from "../../lib/core/config/validate";
import { ValidationError } from "../../lib/core/errors";
import { MM2_EMAIL, validDr } from "../support/cases";

const TENANCY = "ocid1.tenancy.oc1..aaaaaaaaq3z5xqv4hn7fz2ob6a2fwq6jd4o7ryv7w3xk2pbrqazx5ny3gyja";

describe("IAM names: unique per deployment, within OCI's limits", () => {
  it("the deployment's prefix comes first; an empty prefix gives the component's name alone", () => {
    expect(
      iamName(defaultIamNamePrefix("oci-geo-streaming", "staging"), "geo-dr-replication-fleet-instances"),
    ).to.equal("oci-geo-streaming-staging-geo-dr-replication-fleet-instances");
    expect(iamName("", "geo-dr-replication-credentials-group")).to.equal(
      "geo-dr-replication-credentials-group",
    );
  });

  it("two stacks, or two components in one program, get different names", () => {
    const names = [
      iamName(defaultIamNamePrefix("p", "prod"), "geo-dr-x"),
      iamName(defaultIamNamePrefix("p", "staging"), "geo-dr-x"),
      iamName(defaultIamNamePrefix("p", "prod"), "geo-primary-x"),
    ];
    expect(new Set(names).size).to.equal(3);
  });

  it("a name over 100 characters is cut to 100, ends with a hash of the whole name, and is the same on every run", () => {
    const prefix = defaultIamNamePrefix("a-rather-long-project", "a-long-stack-name");
    const long = (what: string) => iamName(prefix, `geo-eu-frankfurt-and-eu-amsterdam-replication-${what}`);
    const a = long("credentials-streaming");
    const b = long("credentials-streaming-2");
    expect(
      `${prefix}-geo-eu-frankfurt-and-eu-amsterdam-replication-credentials-streaming`,
    ).to.have.length.above(IAM_NAME_MAX);
    expect(a).to.have.length(IAM_NAME_MAX);
    expect(b).to.have.length(IAM_NAME_MAX);
    expect(a).to.match(/-[0-9a-f]{8}$/);
    // The two differ only in what the cut drops: the hash keeps them apart.
    expect(a.slice(0, 91)).to.equal(b.slice(0, 91));
    expect(a).to.not.equal(b);
    expect(long("credentials-streaming")).to.equal(a);
  });

  it("characters OCI refuses in IAM names become '-'", () => {
    expect(iamName("org/proj stack", "geo-dr-user")).to.equal("org-proj-stack-geo-dr-user");
    expect(iamName("p.1_x", "n")).to.match(/^[A-Za-z0-9._-]+$/);
  });

  it("replication.iamNamePrefix: refused before anything, naming the field and the fix", () => {
    const withPrefix = (prefix: unknown) => {
      const args = validDr();
      args.replication = {
        tenancyId: TENANCY,
        homeRegionProvider: undefined as never,
        enabled: false,
        credentials: { mode: "create", email: MM2_EMAIL },
        iamNamePrefix: prefix as string,
      };
      return resolveDeployment(args, { providersPending: true });
    };
    expect(withPrefix("staging").replication?.iamNamePrefix).to.equal("staging");
    expect(withPrefix("").replication?.iamNamePrefix).to.equal("");
    expect(withPrefix(undefined).replication?.iamNamePrefix).to.equal(undefined);
    for (const [bad, message] of [
      ["prod eu", /characters OCI refuses .*\(e\.g\. "prod-eu"\)/],
      ["x".repeat(IAM_NAME_PREFIX_MAX + 1), /41 characters long; at most 40/],
    ] as const) {
      let err: unknown;
      try {
        withPrefix(bad);
      } catch (e) {
        err = e;
      }
      expect(err, String(bad)).to.be.instanceOf(ValidationError);
      expect((err as ValidationError).field).to.equal("replication.iamNamePrefix");
      expect((err as Error).message).to.match(message);
    }
    expect(checkIamNamePrefix("a.b_c-1")).to.equal("a.b_c-1");
  });
});
