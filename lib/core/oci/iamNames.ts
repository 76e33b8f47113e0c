/**
 * Names of the IAM resources a deployment creates at the tenancy's root: the MirrorMaker user,
 * its group, the fleet's dynamic group and the policies. OCI keeps each of these names unique
 * across the whole tenancy, whatever the compartment:
 *
 *  - users, groups and policies: "The name must be unique across all … in the tenancy and cannot
 *    be changed" (CreateUserDetails, CreateGroupDetails, CreatePolicyDetails; the Terraform
 *    provider's identity_user/group/policy pages);
 *  - dynamic groups: "must be unique across all dynamic groups in your tenancy … Note that this
 *    name has to be also unique across all groups in your tenancy" (CreateDynamicGroup).
 *
 * A name fixed by the component's name alone (`geo-dr-…`) then clashes (409) when a second
 * deployment — a staging pair next to production, or a second region pair — builds in the same
 * tenancy. Each name therefore starts with a prefix of the deployment: by default
 * `<project>-<stack>` (what tells two Pulumi deployments apart), or `replication.iamNamePrefix`.
 * The component's name stays in it, so two instances in one program differ too.
 *
 * Length and characters: a policy name is "no more than 100 characters … only letters, numbers,
 * hyphens, periods, or underscores" (Oracle's IAM "Creating a Policy" page,
 * https://docs.oracle.com/en-us/iaas/private-cloud-appliance/cmn/iam-local/creating-a-policy.htm);
 * the same bound is applied to every IAM name here (user names allow more characters, not fewer).
 * A longer name is cut and ends with a short hash of the whole name, so that it stays
 * deterministic (the same inputs give the same name on every run) and distinct. Pure.
 */
import { createHash } from "node:crypto";
import { ValidationError } from "../errors";

/** The longest IAM name the product creates (see the module comment). */
export const IAM_NAME_MAX = 100;

/** The longest `replication.iamNamePrefix`: the rest of the name must still fit. */
export const IAM_NAME_PREFIX_MAX = 40;

/** What an IAM name may hold: letters, digits, hyphens, periods and underscores. */
const IAM_NAME_CHARS = /^[A-Za-z0-9._-]*$/;

/** Hex digits of the hash that ends a shortened name (32 bits: a clash needs ~65k names). */
const HASH_LENGTH = 8;

/** The default prefix of a deployment: its Pulumi project and stack (short stack name). */
export function defaultIamNamePrefix(project: string, stack: string): string {
  return `${project}-${stack}`;
}

/**
 * The IAM name of `name` (the component's resource name, `geo-dr-replication-credentials-group`)
 * in the deployment `prefix`: `<prefix>-<name>`, or `name` alone with an empty prefix. Characters
 * OCI refuses become `-`; a name longer than {@link IAM_NAME_MAX} keeps its start and ends with
 * `-<hash of the whole name>`.
 */
export function iamName(prefix: string, name: string): string {
  const full = (prefix === "" ? name : `${prefix}-${name}`).replace(/[^A-Za-z0-9._-]/g, "-");
  if (full.length <= IAM_NAME_MAX) {
    return full;
  }
  const hash = createHash("sha256").update(full).digest("hex").slice(0, HASH_LENGTH);
  return `${full.slice(0, IAM_NAME_MAX - HASH_LENGTH - 1)}-${hash}`;
}

/**
 * Checks `replication.iamNamePrefix`: letters, digits, `-`, `.` and `_`, at most
 * {@link IAM_NAME_PREFIX_MAX} characters. Empty is allowed: the names then are the component's
 * alone (the names of the releases before the prefix, for a deployment that keeps its IAM).
 */
export function checkIamNamePrefix(prefix: unknown): string | undefined {
  if (prefix === undefined) {
    return undefined;
  }
  const field = "replication.iamNamePrefix";
  if (typeof prefix !== "string") {
    throw new ValidationError(
      field,
      `${JSON.stringify(prefix)} is not a string. Give a prefix such as "staging"`,
    );
  }
  if (!IAM_NAME_CHARS.test(prefix)) {
    throw new ValidationError(
      field,
      `"${prefix}" holds characters OCI refuses in IAM names. Use letters, digits, '-', '.' or '_' (e.g. "${prefix.replace(/[^A-Za-z0-9._-]/g, "-")}")`,
    );
  }
  if (prefix.length > IAM_NAME_PREFIX_MAX) {
    throw new ValidationError(
      field,
      `is ${prefix.length} characters long; at most ${IAM_NAME_PREFIX_MAX} leave room for the rest of the IAM names (OCI allows ${IAM_NAME_MAX}). Use a shorter prefix`,
    );
  }
  return prefix;
}
