import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { DomainsAnswer, domainsAnswerOfError, tenancyKindProblem } from "../../core/config/tenancyKind";
import { DEFAULT_IDENTITY_DOMAIN } from "../../core/config/validateReplication";

/**
 * A policy subject. With identity domains OCI writes `group '<domain>'/'<group>'`; the classic
 * IAM API creates groups and dynamic groups in the Default domain, so that is their domain
 * ("Subjects" in OCI's policy syntax: `group '<identity_domain_name>'/'<group_name>'`; an
 * unqualified name means the Default domain). Classic tenancies name the group alone.
 */
export function policySubject(
  kind: "group" | "dynamic-group",
  name: string,
  identityDomains: boolean,
): string {
  return identityDomains ? `${kind} '${DEFAULT_IDENTITY_DOMAIN}'/'${name}'` : `${kind} ${name}`;
}

/**
 * Checks the declared tenancy kind against the tenancy itself, through the home region's Domains
 * API: a tenancy with identity domains lists its Default domain; a classic tenancy answers 404.
 * The returned Output fails the deployment with the fix when they disagree; the IAM resources
 * take an input from it, so none of them is created under the wrong assumption.
 */
export function checkTenancyIdentity(
  tenancyId: pulumi.Input<string>,
  identityDomains: boolean,
  opts: pulumi.InvokeOptions,
): pulumi.Output<boolean> {
  return pulumi.output(tenancyId).apply(async (id) => {
    const answer: DomainsAnswer = await oci.identity
      .getDomains({ compartmentId: id, type: "DEFAULT", state: "ACTIVE" }, opts)
      .then(
        (r) => ({ found: r.domains.length > 0 }),
        (e: unknown) => domainsAnswerOfError(e instanceof Error ? e.message : String(e)),
      );
    const problem = tenancyKindProblem(id, answer, identityDomains);
    if (problem) {
      throw problem;
    }
    return identityDomains;
  });
}
