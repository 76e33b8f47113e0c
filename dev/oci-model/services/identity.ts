/** The OCI model — Identity (tenancy-wide, home region): users, auth tokens, groups, dynamic groups, policies. */
import type { Obj, ResourceContext, ResourceHandler } from "../model";
import { hashBase32, hashHex } from "../ocid";

function user(ctx: ResourceContext): Obj {
  const { common } = ctx;
  return { ...common, emailVerified: false, capabilities: [], inactiveState: "", state: "ACTIVE" };
}

function authToken(ctx: ResourceContext): Obj {
  const { inputs: inp, seed, common, reject } = ctx;
  const user = String(inp.userId ?? "");
  const n = (ctx.model.tokensPerUser.get(user) ?? 0) + 1;
  if (n > 2) {
    reject(`user ${user} already has 2 auth tokens (the OCI limit)`);
  }
  ctx.model.tokensPerUser.set(user, n);
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
  "oci:Identity/dynamicGroup:DynamicGroup": group,
  "oci:Identity/compartment:Compartment": group,
  "oci:Identity/userGroupMembership:UserGroupMembership": group,
  "oci:Identity/policy:Policy": policy,
};
