/** The OCI model — Identity (tenancy-wide, home region): users, auth tokens, groups, dynamic groups, policies. */
import type { Obj, ResourceContext, ResourceHandler } from "../model";
import { hashBase32, hashHex } from "../ocid";

/** IAM user names: letters, digits, hyphens, periods, underscores, + and @; no spaces (IAM API). */
const USER_NAME_PATTERN = /^[A-Za-z0-9._+@-]{1,100}$/;

/**
 * A user. In a tenancy with identity domains (every tenancy created since 2023) the classic IAM
 * API creates it in the Default domain and refuses it without an email: the Terraform provider
 * reports `400-IdcsConversionError … "The primary email must be specified."`
 * (terraform-provider-oci issues #2388, #1622; CreateUserDetails: "For tenancies that support
 * identity domains, you must provide an email for each user"). Names are unique in the tenancy.
 */
function user(ctx: ResourceContext): Obj {
  const { inputs: inp, read, common, reject, model, id } = ctx;
  if (!read) {
    if (typeof inp.name !== "string" || !USER_NAME_PATTERN.test(inp.name)) {
      reject(
        `name ${JSON.stringify(inp.name)}: letters, digits, hyphens, periods, underscores, + and @ only, no spaces`,
      );
    }
    if (model.identityDomains && (typeof inp.email !== "string" || inp.email === "")) {
      reject(
        '400-IdcsConversionError: {"detail":"The primary email must be specified.","status":"400"} — this tenancy has identity domains, where every user needs an email',
      );
    }
    const clash = model
      .ofType("oci:Identity/user:User")
      .find(([other, u]) => other !== id && u.outputs.name === inp.name);
    if (clash) {
      reject(`409-Conflict: a user named ${String(inp.name)} already exists (${clash[0]})`);
    }
  }
  return {
    ...common,
    email: inp.email,
    emailVerified: false,
    capabilities: [],
    inactiveState: "",
    state: "ACTIVE",
  };
}

/**
 * A dynamic group: several conditions must be wrapped in ANY {…} or ALL {…} (OCI's matching-rule
 * validation refuses a bare list).
 */
function dynamicGroup(ctx: ResourceContext): Obj {
  const { inputs: inp, read, common, reject } = ctx;
  const rule = inp.matchingRule;
  if (
    !read &&
    typeof rule === "string" &&
    rule.includes(",") &&
    !/^\s*(ANY|ALL)\s*\{[\s\S]*\}\s*$/.test(rule)
  ) {
    reject(`matchingRule ${JSON.stringify(rule)}: several conditions must be wrapped in ANY {…} or ALL {…}`);
  }
  return { ...common, inactiveState: "", state: "ACTIVE" };
}

function authToken(ctx: ResourceContext): Obj {
  const { inputs: inp, id, read, seed, common, reject } = ctx;
  const user = String(inp.userId ?? "");
  if (!read && ctx.model.tokensOf(user, id).length >= 2) {
    reject(`user ${user} already has 2 auth tokens (the OCI limit)`);
  }
  // Not marked secret: the OCI provider does not mark it either; callers must wrap it.
  return {
    ...common,
    token: `MOCK-authtoken-${hashBase32(`${seed}|token`, 10)}`,
    timeExpires: "",
    inactiveState: "",
    state: "ACTIVE",
  };
}

function group(ctx: ResourceContext): Obj {
  const { common } = ctx;
  return { ...common, inactiveState: "", state: "ACTIVE" };
}

function policy(ctx: ResourceContext): Obj {
  const { inputs: inp, read, seed, common, reject } = ctx;
  const statements = inp.statements as unknown[] | undefined;
  if (!read && (!statements || statements.length === 0)) {
    reject("statements must contain at least one statement");
  }
  return { ...common, ETag: hashHex(seed, 16), inactiveState: "", state: "ACTIVE" };
}

/** Resource handlers of this service, by type token. */
export const IDENTITY: Record<string, ResourceHandler> = {
  "oci:Identity/user:User": user,
  "oci:Identity/authToken:AuthToken": authToken,
  "oci:Identity/group:Group": group,
  "oci:Identity/dynamicGroup:DynamicGroup": dynamicGroup,
  "oci:Identity/compartment:Compartment": group,
  "oci:Identity/userGroupMembership:UserGroupMembership": group,
  "oci:Identity/policy:Policy": policy,
};
