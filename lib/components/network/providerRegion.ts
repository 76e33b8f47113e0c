/**
 * Which region a provider really answers for, and a gate that keeps every resource of the component
 * from being created through a provider of another region.
 *
 * A `pulumi.ProviderResource` does not expose its inputs, and a provider need not even have a
 * `region` input (it may come from `~/.oci/config` or `OCI_REGION`): so the region is read from OCI
 * itself, through an invoke the network needs anyway. `getServices` through a provider lists that
 * region's Oracle Services Network, whose "All Services" CIDR label carries the region key:
 * `all-<key>-services-in-oracle-services-network` (OCI service gateway docs: the label "All <region>
 * Services in Oracle Services Network"; e.g. `all-iad-…` in us-ashburn-1, `all-fra-…` in
 * eu-frankfurt-1).
 */
import type * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../../core/errors";
import { regionFromKey, regionKey } from "../../core/oci/regions";

const ALL_SERVICES_LABEL = /^all-([a-z0-9]+)-services-in-oracle-services-network$/;

type Service = oci.core.GetServicesResult["services"][number];

/** The "All <region> Services in Oracle Services Network" service of a `getServices` answer. */
export function allServicesOf(services: Service[]): Service {
  const all = services.find((s) => ALL_SERVICES_LABEL.test(s.cidrBlock));
  if (!all) {
    throw new Error("this region lists no 'All Services in Oracle Services Network' service");
  }
  return all;
}

/**
 * Throws a ValidationError naming `field` when the `getServices` answer through the provider is not
 * `region`'s (its All Services label names another region key).
 */
export function assertProviderRegion(services: Service[], region: string, field: string): void {
  const label = allServicesOf(services).cidrBlock;
  const key = ALL_SERVICES_LABEL.exec(label)![1];
  if (key === regionKey(region)) {
    return;
  }
  const actual = regionFromKey(key) ?? `the region with key ${key.toUpperCase()}`;
  throw new ValidationError(
    field,
    `answers for ${actual} (OCI's getServices through it lists ${label}), but region is ${region}: every resource of this region would be created in ${actual}. Pass the provider of ${region} (new oci.Provider("${region}", { region: "${region}" })), or set region to ${actual}. Nothing was created`,
  );
}

/**
 * A resource transformation that makes every resource under a component (its child components and
 * their resources) depend on `gate`: an Output that resolves to no resource once the provider's region
 * is confirmed, and rejects otherwise, so that no registration is sent. `gate` is read when the
 * children are constructed, after the component itself.
 */
export function gateResources(
  gate: () => pulumi.Output<pulumi.Resource[]> | undefined,
): pulumi.ResourceTransformation {
  return (t) => {
    const g = gate();
    // Every resource under the component, components included (the transformation runs inside the
    // Resource constructor, before CustomResource.isInstance could tell them apart).
    if (g === undefined) {
      return undefined;
    }
    // gatherExplicitDependencies walks nested lists and Outputs of resource lists alike.
    const dependsOn = [t.opts.dependsOn ?? [], g] as unknown as pulumi.Input<pulumi.Resource>[];
    return { props: t.props, opts: { ...t.opts, dependsOn } };
  };
}
