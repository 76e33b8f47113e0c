/**
 * The other stack's `peering` output, typed: what a dr stack passes as `peer`. A StackReference's
 * `getOutput("peering")` is an `Output<any>`, which does not type-check as {@link PeerArgs} (its
 * plain fields, such as the CIDRs, must be known before anything is registered); the details of
 * the output are read once, as plain values.
 */
import * as pulumi from "@pulumi/pulumi";
import { PeerArgs, PeeringBundle } from "../core/config/args";
import { ValidationError } from "../core/errors";

/**
 * Reads the `peering` output of the stack `ref` points at (`getOutputDetails`: the value, or its
 * secret value) as the `peer` argument of this region's {@link GeoReplicatedStream}:
 *
 * ```ts
 * const primary = new pulumi.StackReference("acme/orders/primary");
 * new GeoReplicatedStream("orders-dr", { ..., peer: await peerFromStack(primary) }, { provider });
 * ```
 *
 * Throws a ValidationError naming `field` (default `peer`) when the stack has no such output (not
 * deployed yet, or another project).
 */
export async function peerFromStack(
  ref: pulumi.StackReference,
  options: { field?: string; stackName?: string } = {},
): Promise<PeerArgs> {
  const details = await ref.getOutputDetails("peering");
  const bundle = (details.value ?? details.secretValue) as PeeringBundle | undefined;
  if (!bundle || typeof bundle !== "object" || typeof bundle.region !== "string") {
    const stack = options.stackName !== undefined ? `stack "${options.stackName}"` : "the referenced stack";
    throw new ValidationError(
      options.field ?? "peer",
      `${stack} has no 'peering' output. Deploy that stack first, or fix the stack name`,
    );
  }
  return bundle;
}
