/** The OCI model — Identity (tenancy-wide, home region): users, auth tokens, groups, dynamic groups, policies. */
import type { Obj, ResourceContext, ResourceHandler } from "../handlerContext";
import { hashBase32, hashHex } from "../ocid";

/**
 * Names OCI keeps unique across the whole tenancy, in every compartment and across every stack or
 * program that builds there (the model's `known` is the tenancy: the mock engine keeps it across
 * deployments, the emulator across stacks):
 *  - users, groups and policies: "The name must be unique across all users / groups / policies in
 *    the tenancy and cannot be changed" (Terraform provider, identity_user, identity_group and
 *    identity_policy pages; CreateUserDetails, CreateGroupDetails, CreatePolicyDetails);
 *  - dynamic groups share one namespace with groups: "must be unique across all dynamic groups in
 *    your tenancy … Note that this name has to be also unique across all groups in your tenancy"
 *    (CreateDynamicGroup, as the Terraform provider's identity_dynamic_group page quotes it;
 *    https://docs.oracle.com/en-us/iaas/Content/Identity/dynamicgroups/Working_with_Dynamic_Groups.htm:
 *    "The name must be unique across all groups within your tenancy").
 * A duplicate is refused with a 409. The policy's message is the one OCI returns
 * (`409-PolicyAlreadyExists, Policy '<name>' already exists`, oracle-terraform-modules/terraform-oci-oke
 * issue #892); the groups' 409 code is not quoted anywhere the model could cite, so it says Conflict.
 */
const NAME_SCOPES: Record<string, readonly string[]> = {
  "oci:Identity/user:User": ["oci:Identity/user:User"],
  "oci:Identity/group:Group": ["oci:Identity/group:Group", "oci:Identity/dynamicGroup:DynamicGroup"],
  "oci:Identity/dynamicGroup:DynamicGroup": [
    "oci:Identity/group:Group",
    "oci:Identity/dynamicGroup:DynamicGroup",
  ],
  "oci:Identity/policy:Policy": ["oci:Identity/policy:Policy"],
};

/** The resource of the same tenancy-wide namespace already named `name` (other than `id`). */
export function iamNameClash(
  model: ResourceContext["model"],
  type: string,
  id: string,
  name: unknown,
): [string, string] | undefined {
  for (const t of NAME_SCOPES[type] ?? []) {
    const clash = model.ofType(t).find(([other, k]) => other !== id && k.outputs.name === name);
    if (clash) return [clash[0], t];
  }
  return undefined;
}

/** Refuses a tenancy-wide IAM name already taken, as OCI does (see {@link NAME_SCOPES}). */
function refuseTakenName(ctx: ResourceContext): void {
  const { type, id, inputs, reject, model } = ctx;
  const clash = iamNameClash(model, type, id, inputs.name);
  if (!clash) return;
  const [otherId, otherType] = clash;
  const name = String(inputs.name);
  if (type === "oci:Identity/policy:Policy") {
    reject(
      `409-PolicyAlreadyExists, Policy '${name}' already exists (${otherId}); policy names are unique across the tenancy`,
    );
  }
  const what =
    otherType === "oci:Identity/dynamicGroup:DynamicGroup"
      ? "dynamic group"
      : otherType === "oci:Identity/group:Group"
        ? "group"
        : "user";
  reject(
    `409-Conflict: a ${what} named ${name} already exists in the tenancy (${otherId}); ${what === "user" ? "user names are" : "group and dynamic group names share one namespace,"} unique across the tenancy`,
  );
}

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
  const { inputs: inp, read, common, reject, model } = ctx;
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
    refuseTakenName(ctx);
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
    !/^\s*(ANY|ALL)\s*\{[\s\S]*\}\s*$/i.test(rule)
  ) {
    reject(`matchingRule ${JSON.stringify(rule)}: several conditions must be wrapped in ANY {…} or ALL {…}`);
  }
  if (!read) {
    const problem = matchingRuleProblem(rule);
    if (problem) reject(`400-InvalidParameter: matchingRule ${JSON.stringify(rule)}: ${problem}`);
    refuseTakenName(ctx);
  }
  return { ...common, inactiveState: "", state: "ACTIVE" };
}

/**
 * The variables a dynamic group's rule may test ("Writing Matching Rules to Define Dynamic Groups",
 * https://docs.oracle.com/en-us/iaas/Content/Identity/Tasks/managingdynamicgroups.htm):
 * `instance.id`, `instance.compartment.id`, `resource.type`, `resource.id`, `resource.compartment.id`,
 * and tag tests (`tag.<namespace>.<key>.value`). Each condition is `<variable> = '<value>'`.
 */
const RULE_VARIABLE =
  /^(instance\.id|instance\.compartment\.id|resource\.type|resource\.id|resource\.compartment\.id|tag\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.value)$/;

export function matchingRuleProblem(rule: unknown): string | undefined {
  if (typeof rule !== "string" || rule.trim() === "") return "a dynamic group needs a matching rule";
  const m = /^\s*(?:(ANY|ALL)\s*\{([\s\S]*)\}|([\s\S]*))\s*$/i.exec(rule)!;
  const body = m[2] ?? m[3];
  const conditions = body.split(",").map((c) => c.trim());
  if (conditions.some((c) => c === "")) return "an empty condition";
  for (const c of conditions) {
    const cm = /^([A-Za-z0-9_.-]+)\s*(=|!=)\s*'([^']*)'$/.exec(c);
    if (!cm) return `condition ${JSON.stringify(c)} is not <variable> = '<value>'`;
    if (!RULE_VARIABLE.test(cm[1])) return `${cm[1]} is not a matching-rule variable`;
    if (/\.id$/.test(cm[1]) && !/^ocid1\./.test(cm[3]))
      return `${cm[1]} takes an OCID, not ${JSON.stringify(cm[3])}`;
  }
  return undefined;
}

/** Verbs of a policy statement. */
const VERBS = new Set(["inspect", "read", "use", "manage"]);

/**
 * Resource types (families included) a statement of this product may name — the ones in OCI's
 * policy reference for Streaming, Vault, Monitoring, Object Storage, Logging and Compute
 * (https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/policyreference.htm). The IAM
 * API refuses a statement naming a type it does not know.
 */
export const POLICY_RESOURCE_TYPES = new Set([
  "all-resources",
  "stream-family",
  "streams",
  "stream-pull",
  "stream-push",
  "stream-pools",
  "connect-harness",
  "secret-family",
  "secrets",
  "secret-bundles",
  "vaults",
  "keys",
  "metrics",
  "alarms",
  "ons-family",
  "ons-topics",
  "ons-subscriptions",
  "object-family",
  "buckets",
  "objects",
  "logging-family",
  "log-groups",
  "log-content",
  "unified-configuration",
  "instance-family",
  "instances",
  "instance-agent-command-family",
  "instance-agent-command-execution-family",
  "instance-agent-plugins",
  "virtual-network-family",
  "dynamic-groups",
  "groups",
  "users",
  "policies",
  "compartments",
]);

/** Why the IAM API refuses `statement`; undefined when it takes it. */
export function policyStatementProblem(statement: unknown): string | undefined {
  if (typeof statement !== "string") return "a statement is a string";
  const m =
    /^allow\s+(any-user|(?:dynamic-)?group\s+(?:'[^']+'\/'[^']+'|'[^']+'|[A-Za-z0-9._@+-]+(?:\/[A-Za-z0-9._@+-]+)?))\s+to\s+(\S+)\s+(\S+)\s+in\s+(tenancy|compartment\s+id\s+ocid1\.[a-z]+\.[a-z0-9]+\.[a-z0-9-]*\.[a-z0-9]+|compartment\s+[A-Za-z0-9._:-]+)(?:\s+where\s+(.+))?$/i.exec(
      statement.trim(),
    );
  if (!m)
    return `${JSON.stringify(statement)} is not "Allow <subject> to <verb> <resource-type> in <location> [where …]"`;
  const [, , verb, type, , where] = m;
  if (!VERBS.has(verb.toLowerCase())) return `verb ${verb} is not inspect, read, use or manage`;
  if (!POLICY_RESOURCE_TYPES.has(type.toLowerCase())) return `unknown resource type ${type}`;
  if (where !== undefined) {
    for (const cond of where.replace(/^(any|all)\s*\{|\}$/gi, "").split(",")) {
      if (
        !/^\s*(request|target)\.[A-Za-z0-9_.]+\s*(=|!=)\s*('[^']*'|(request|target)\.[A-Za-z0-9_.]+)\s*$/.test(
          cond,
        )
      ) {
        return `condition ${JSON.stringify(cond.trim())} is not <request|target variable> = '<value>' (or = another variable)`;
      }
    }
  }
  return undefined;
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
  const { common, read } = ctx;
  if (!read) refuseTakenName(ctx);
  return { ...common, inactiveState: "", state: "ACTIVE" };
}

/** Compartments and group memberships: no name of their own to check here. */
function plain(ctx: ResourceContext): Obj {
  return { ...ctx.common, inactiveState: "", state: "ACTIVE" };
}

function policy(ctx: ResourceContext): Obj {
  const { inputs: inp, read, seed, common, reject } = ctx;
  const statements = inp.statements as unknown[] | undefined;
  if (!read && (!statements || statements.length === 0)) {
    reject("statements must contain at least one statement");
  }
  if (!read) {
    for (const st of statements ?? []) {
      const problem = policyStatementProblem(st);
      if (problem) reject(`400-InvalidParameter: ${problem}`);
    }
    refuseTakenName(ctx);
  }
  return { ...common, ETag: hashHex(seed, 16), inactiveState: "", state: "ACTIVE" };
}

/** Resource handlers of this service, by type token. */
export const IDENTITY: Record<string, ResourceHandler> = {
  "oci:Identity/user:User": user,
  "oci:Identity/authToken:AuthToken": authToken,
  "oci:Identity/group:Group": group,
  "oci:Identity/dynamicGroup:DynamicGroup": dynamicGroup,
  "oci:Identity/compartment:Compartment": plain,
  "oci:Identity/userGroupMembership:UserGroupMembership": plain,
  "oci:Identity/policy:Policy": policy,
};
