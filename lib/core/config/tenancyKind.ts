/**
 * Whether the tenancy has identity domains, as the Identity Domains API answered
 * (`oci.identity.getDomains` for the ACTIVE DEFAULT domain), judged against
 * `replication.identityDomains`. Pure: the component makes the call and throws what this returns.
 *
 * A classic tenancy answers the Domains API with 404 and "Feature domain-migration-complete is not
 * enabled for this tenancy" (the answer OCI's CIS report reads as "identity domains disabled"; the
 * OCI model gives the same, dev/oci-model/invokes.ts). Any other failure says nothing about the
 * tenancy's kind: OCI answers 404 NotAuthorizedOrNotFound for a missing permission too ("API
 * Errors", OCI's API reference), so treating every error as "classic tenancy" (as before) turned a
 * missing `inspect domains` grant into a wrong verdict. It is reported as what it is, with the
 * grant to add.
 */
import { ValidationError } from "../errors";
import { laterValidationError } from "./primitives";

const FIELD = "replication.identityDomains";

/** What the Domains API answered: the tenancy's Default domain found or not, or the call's error. */
export type DomainsAnswer = { found: boolean } | { error: string };

/** What a classic tenancy's refusal says ({@link domainsAnswerOfError}). */
const CLASSIC_TENANCY_REFUSAL = "domain-migration-complete is not enabled";

/** The answer a failed getDomains call gives: a classic tenancy's refusal, or an error. */
export function domainsAnswerOfError(message: string): DomainsAnswer {
  return message.includes(CLASSIC_TENANCY_REFUSAL) ? { found: false } : { error: message };
}

/** The error to raise for that answer, or undefined when it agrees with `identityDomains`. */
export function tenancyKindProblem(
  tenancyId: string,
  answer: DomainsAnswer,
  identityDomains: boolean,
): ValidationError | undefined {
  if ("error" in answer) {
    return laterValidationError(
      FIELD,
      `could not tell whether tenancy ${tenancyId} has identity domains: listing its domains failed (${answer.error.split("\n")[0]}). Let the user or instance deploying this stack list them — a policy statement "Allow group <your group> to inspect domains in tenancy" — and run again`,
    );
  }
  if (answer.found === identityDomains) {
    return undefined;
  }
  return laterValidationError(
    FIELD,
    answer.found
      ? `tenancy ${tenancyId} has identity domains (its Default domain is listed), but replication.identityDomains is false. Set it to true (the default) and give replication.credentials.email`
      : `tenancy ${tenancyId} lists no identity domains (the Domains API answered without a Default domain), but replication.identityDomains is true (the default). Set it to false for a classic tenancy`,
  );
}
