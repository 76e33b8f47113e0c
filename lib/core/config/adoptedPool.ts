/**
 * The checks of an adopted stream pool (`streamPool.existingStreamPoolId`), on what OCI answers
 * about it (`GetStreamPool`, and `GetSubnet` for its endpoint's subnet): they run once the
 * answers are in, before any resource of the component is registered (the component's gate).
 * Pure: the component makes the calls.
 *
 * - A public pool has no private endpoint: the fleet, in private subnets, has no route to it,
 *   and this product keeps every pool private.
 * - A private pool's FQDN is created in the private DNS of its own VCN only (DESIGN.md §3): its
 *   endpoint's subnet must be in this stack's VCN.
 * - Its NSGs cannot be changed afterwards (the Terraform provider marks
 *   `private_endpoint_settings.nsg_ids` ForceNew, and UpdateStreamPool carries no endpoint
 *   settings): the Kafka ingress the fleets need is reported for the NSGs' owner to add.
 */
import { laterValidationError } from "./primitives";
import type { ResolvedArgs } from "./resolved";

const FIELD = "streamPool.existingStreamPoolId";

/** What OCI answers about the adopted pool. */
export interface AdoptedPoolFacts {
  poolId: string;
  /** `privateEndpointSettings` as the data source answers it: a list of at most one. */
  privateEndpointSettings: { subnetId?: string; nsgIds?: string[]; privateEndpointIp?: string }[];
  /** The VCN of the endpoint's subnet (GetSubnet), when the pool has one. */
  subnetVcnId?: string;
}

/** An ingress rule the adopted pool's NSGs (or, without NSGs, its subnet's security list) must hold. */
export interface RequiredPoolIngressRule {
  /** Where the rule goes: the pool's NSG OCIDs, or its subnet's security list when it has none. */
  nsgIds: string[];
  /** The pool's endpoint subnet. */
  subnetId: string;
  direction: "INGRESS";
  protocol: "TCP";
  /** Destination port (Kafka, 9092). */
  port: number;
  /** Source CIDR: a MirrorMaker subnet. */
  source: string;
  /** What needs it. */
  reason: string;
}

/**
 * Refuses an adopted pool that cannot work here, naming `streamPool.existingStreamPoolId`:
 * public, or with its endpoint outside this stack's VCN (`vcnId`: the adopted VCN's OCID;
 * undefined when this stack creates its VCN). Known only once OCI answers (an apply), so the error
 * keeps the field's own message ({@link laterValidationError}).
 */
export function checkAdoptedPool(r: ResolvedArgs, facts: AdoptedPoolFacts, vcnId: string | undefined): void {
  const pe = facts.privateEndpointSettings[0];
  if (!pe?.subnetId) {
    throw laterValidationError(
      FIELD,
      `stream pool ${facts.poolId} is public (it has no private endpoint): MirrorMaker's private subnets cannot reach it, and this component keeps pools private. Adopt a private pool whose endpoint is in this stack's VCN, or leave existingStreamPoolId out to create one`,
    );
  }
  const where = `its private endpoint is in subnet ${pe.subnetId} of VCN ${facts.subnetVcnId ?? "(unknown)"}`;
  if (r.network.mode === "create") {
    throw laterValidationError(
      FIELD,
      `stream pool ${facts.poolId}: ${where}, but this stack creates its own VCN, and the pool's FQDN resolves only in its own VCN's private DNS. Adopt that VCN with network.existing, or leave existingStreamPoolId out to create a pool here`,
    );
  }
  if (facts.subnetVcnId !== vcnId) {
    throw laterValidationError(
      FIELD,
      `stream pool ${facts.poolId}: ${where}, not in network.existing.vcnId ${String(vcnId)}; the pool's FQDN resolves only in its own VCN's private DNS. Adopt the pool's VCN, or a pool whose endpoint is in this one`,
    );
  }
}

/**
 * The Kafka (9092) ingress the adopted pool's NSGs must allow for this region's and the peer's
 * fleets: `rules` are the ones a created pool's NSG gets (lib/components/network/rules.ts).
 */
export function requiredPoolIngressRules(
  facts: AdoptedPoolFacts,
  rules: readonly { port: number; sourceCidr: string; description: string }[],
): RequiredPoolIngressRule[] {
  const pe = facts.privateEndpointSettings[0];
  if (!pe?.subnetId) {
    return [];
  }
  const nsgIds = [...(pe.nsgIds ?? [])];
  return rules.map((rule) => ({
    nsgIds,
    subnetId: pe.subnetId!,
    direction: "INGRESS",
    protocol: "TCP",
    port: rule.port,
    source: rule.sourceCidr,
    reason:
      nsgIds.length > 0
        ? `${rule.description}; a pool's private-endpoint NSGs cannot be changed, so add the rule to one of them`
        : `${rule.description}; the endpoint has no NSG, so its subnet's security lists decide`,
  }));
}
