/**
 * A gate that keeps every resource of the component from being created through a provider of
 * another region: they wait for the check of the region the provider answers for
 * (`assertProviderRegion`, lib/core/config/providers.ts), read from OCI's `getServices` through
 * it, since a `pulumi.ProviderResource` does not expose its inputs and may take its region from
 * `~/.oci/config` or `OCI_REGION`.
 */
import * as pulumi from "@pulumi/pulumi";

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
