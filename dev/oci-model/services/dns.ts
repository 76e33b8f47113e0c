/**
 * The OCI model — private DNS: each VCN's resolver, resolver endpoints, and the resolver's rules.
 *
 * Facts (OCI documentation, "Private DNS", "Resolver endpoints", "Resolver rules", and the
 * Resolver/ResolverEndpoint API models):
 *  - OCI creates one private resolver per VCN, with a default view; its OCID is read through the
 *    VCN's DNS resolver association (`getCnvDnsResolverAssociation`). Private DNS is per VCN and
 *    regional: another VCN, region or on-premises network resolves a VCN's private names only
 *    through resolver endpoints (or a view attached to its own resolver).
 *  - An endpoint is either forwarding or listening ("Either isForwarding or isListening must be
 *    true, but not both"); it lives in a subnet of the resolver's VCN, takes one address there,
 *    and its name is unique (case-insensitive) per resolver: letters, digits and underscores.
 *    At most 10 endpoints per resolver.
 *  - The resolver's rules: action FORWARD only, one destination address, a source endpoint that
 *    is a forwarding endpoint of this resolver (which must exist first), at most 50 rules; a
 *    query matches a rule when its name equals, or is a subdomain of, one of the rule's
 *    qnameCoverConditions; the first matching rule is used.
 *  - The Terraform provider (and so Pulumi) "manages" the existing resolver: its rules and views
 *    are overwritten as a whole, so two resources managing the same resolver undo each other.
 */
import type { Known, Obj, ResourceContext, ResourceHandler, Tenancy } from "../handlerContext";
import { asCidr, contains } from "../../../lib/core/cidr";

/**
 * The OCID of the private resolver OCI creates with a VCN (stable for the VCN's id), recorded in
 * the model so that endpoints and rules can find their VCN.
 */
export function resolverIdOf(model: Tenancy, vcnId: string, region: string | undefined): string {
  const id = model.ocid("dnsresolver", region, `${vcnId}|resolver`);
  model.resolvers.set(id, { vcnId, region });
  return id;
}

/** The OCID of that resolver's default view. */
export function defaultViewIdOf(model: Tenancy, vcnId: string, region: string | undefined): string {
  return model.ocid("dnsview", region, `${vcnId}|default-view`);
}

/** The VCN whose resolver `resolverId` is, among the VCNs the model knows. */
export function vcnOfResolver(model: Tenancy, resolverId: unknown): [string, Known] | undefined {
  const r = typeof resolverId === "string" ? model.resolvers.get(resolverId) : undefined;
  if (!r) {
    return undefined;
  }
  const vcn = model.lookup(r.vcnId);
  return [r.vcnId, vcn ?? { type: "oci:Core/vcn:Vcn", region: r.region, outputs: {} }];
}

/** OCI endpoint names: letters, digits and underscores (the Console's rule; hyphens are refused). */
export const ENDPOINT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,251}$/;
export const MAX_ENDPOINTS_PER_RESOLVER = 10;
export const MAX_RULES_PER_RESOLVER = 50;
const DOMAIN_PATTERN =
  /^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.?$/;

function resolverEndpoint(ctx: ResourceContext): Obj {
  const { name, inputs: inp, region, read, common, reject, sameRegion, model } = ctx;
  const owner = vcnOfResolver(model, inp.resolverId);
  if (!read && !owner) {
    reject(
      `resolverId ${String(inp.resolverId)} is not the resolver of any VCN (read it from the VCN's DNS resolver association)`,
    );
  }
  const forwarding = inp.isForwarding === true;
  const listening = inp.isListening === true;
  if (!read && forwarding === listening) {
    reject(
      "exactly one of isForwarding and isListening must be true (OCI: 'Either isForwarding or isListening must be true, but not both')",
    );
  }
  const endpointName = inp.name as string | undefined;
  if (!read && (typeof endpointName !== "string" || !ENDPOINT_NAME_PATTERN.test(endpointName))) {
    reject(
      `name ${JSON.stringify(endpointName)} is not an endpoint name OCI accepts: letters, digits and underscores, starting with a letter (no hyphens)`,
    );
  }
  const subnet = sameRegion("subnetId", inp.subnetId);
  if (!read && owner && subnet && subnet.outputs.vcnId !== owner[0]) {
    reject(`subnetId ${String(inp.subnetId)} is not in the resolver's VCN ${owner[0]}`);
  }
  for (const nsgId of (inp.nsgIds as string[] | undefined) ?? []) {
    const nsg = sameRegion("nsgIds", nsgId);
    if (!read && nsg && owner && nsg.outputs.vcnId !== owner[0]) {
      reject(`NSG ${nsgId} is not in the resolver's VCN ${owner[0]}`);
    }
  }
  const siblings = model
    .ofType("oci:Dns/resolverEndpoint:ResolverEndpoint")
    .filter(([other, e]) => other !== ctx.id && e.outputs.resolverId === inp.resolverId);
  if (
    !read &&
    siblings.some(([, e]) => String(e.outputs.name).toLowerCase() === String(endpointName).toLowerCase())
  ) {
    reject(
      `an endpoint named ${String(endpointName)} already exists on resolver ${String(inp.resolverId)} (names are unique per resolver, case-insensitive)`,
    );
  }
  if (!read && siblings.length >= MAX_ENDPOINTS_PER_RESOLVER) {
    reject(
      `resolver ${String(inp.resolverId)} already has ${MAX_ENDPOINTS_PER_RESOLVER} endpoints (the OCI limit)`,
    );
  }
  const requested = (forwarding ? inp.forwardingAddress : inp.listeningAddress) as string | undefined;
  const cidr = subnet?.outputs.cidrBlock;
  const block = asCidr(cidr);
  const host = asCidr(`${requested}/32`);
  const inSubnet = block !== undefined && host !== undefined && contains(block, host);
  if (!read && requested && typeof cidr === "string" && !inSubnet) {
    reject(
      `${forwarding ? "forwardingAddress" : "listeningAddress"} ${requested} is not in subnet ${String(inp.subnetId)} (${cidr})`,
    );
  }
  const address = model.allocateIp(inp.subnetId, requested, ctx.seed);
  return {
    ...common,
    compartmentId: inp.compartmentId ?? owner?.[1].outputs.compartmentId,
    endpointType: inp.endpointType ?? "VNIC",
    forwardingAddress: forwarding ? address : undefined,
    listeningAddress: listening ? address : undefined,
    scope: inp.scope ?? "PRIVATE",
    vnicId: model.ocid("vnic", region, `${ctx.seed}|vnic`),
    self: `https://dns.${region}.oci.oraclecloud.com/20180115/resolvers/${String(inp.resolverId)}/endpoints/${String(endpointName ?? name)}`,
    state: "ACTIVE",
  };
}

function resolver(ctx: ResourceContext): Obj {
  const { inputs: inp, region, read, common, reject, model } = ctx;
  const owner = vcnOfResolver(model, inp.resolverId);
  if (!read && !owner) {
    reject(
      `resolverId ${String(inp.resolverId)} is not the resolver of any VCN (read it from the VCN's DNS resolver association)`,
    );
  }
  const managers = model
    .ofType("oci:Dns/resolver:Resolver")
    .filter(([other, r]) => other !== ctx.id && r.outputs.resolverId === inp.resolverId);
  if (!read && managers.length > 0) {
    reject(
      `resolver ${String(inp.resolverId)} is already managed by another resource; its rules and views are replaced as a whole, so two managers would undo each other. Keep every rule of a VCN in one resource`,
    );
  }
  const endpoints = model
    .ofType("oci:Dns/resolverEndpoint:ResolverEndpoint")
    .filter(([, e]) => e.outputs.resolverId === inp.resolverId);
  const rules = (inp.rules as Obj[] | undefined) ?? [];
  if (!read && rules.length > MAX_RULES_PER_RESOLVER) {
    reject(`${rules.length} rules exceed OCI's ${MAX_RULES_PER_RESOLVER} per resolver`);
  }
  rules.forEach((rule, i) => {
    if (read) return;
    if (rule.action !== "FORWARD") {
      reject(`rules[${i}].action ${JSON.stringify(rule.action)}: only FORWARD exists`);
    }
    const destinations = (rule.destinationAddresses as string[] | undefined) ?? [];
    if (destinations.length !== 1) {
      reject(
        `rules[${i}].destinationAddresses has ${destinations.length} addresses; OCI forwards to exactly one`,
      );
    }
    const source = String(rule.sourceEndpointName ?? "");
    const fwd = endpoints.find(([, e]) => String(e.outputs.name).toLowerCase() === source.toLowerCase());
    if (!fwd) {
      reject(
        `rules[${i}].sourceEndpointName ${source} is no endpoint of this resolver (it must exist before the rule)`,
      );
    }
    if (fwd && fwd[1].outputs.isForwarding !== true) {
      reject(
        `rules[${i}].sourceEndpointName ${source} is a listening endpoint; rules forward from a forwarding endpoint`,
      );
    }
    for (const q of (rule.qnameCoverConditions as string[] | undefined) ?? []) {
      if (typeof q !== "string" || !DOMAIN_PATTERN.test(q)) {
        reject(`rules[${i}].qnameCoverConditions: ${JSON.stringify(q)} is not a domain name`);
      }
    }
  });
  for (const v of (inp.attachedViews as Obj[] | undefined) ?? []) {
    const view = model.lookup(v.viewId);
    if (!read && view && view.region && view.region !== region) {
      reject(
        `attached view ${String(v.viewId)} is in ${view.region}; views attach to resolvers of their own region`,
      );
    }
  }
  return {
    ...common,
    compartmentId: inp.compartmentId ?? owner?.[1].outputs.compartmentId,
    attachedVcnId: owner?.[0],
    defaultViewId: owner ? defaultViewIdOf(model, owner[0], owner[1].region) : undefined,
    displayName: inp.displayName ?? owner?.[1].outputs.displayName,
    endpoints: endpoints.map(([id, e]) => ({ ...e.outputs, id })),
    isProtected: false,
    rules: rules.map((r) => ({ clientAddressConditions: [], qnameCoverConditions: [], ...r })),
    scope: inp.scope ?? "PRIVATE",
    state: "ACTIVE",
  };
}

/** Resource handlers of this service, by type token. */
export const DNS: Record<string, ResourceHandler> = {
  "oci:Dns/resolverEndpoint:ResolverEndpoint": resolverEndpoint,
  "oci:Dns/resolver:Resolver": resolver,
};
