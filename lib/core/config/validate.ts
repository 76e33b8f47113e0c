/**
 * The validation's one entry point, {@link resolveDeployment}: every argument of
 * {@link GeoReplicatedStreamArgs} resolved once, in this order, each step in its own module —
 *  1. the network (./resolveNetwork.ts),
 *  2. the stream pool and streams (./resolveStreams.ts),
 *  3. the peer (./resolvePeer.ts), then the on-premises networks and external Kafka
 *     (./validateExternal.ts),
 *  4. monitoring (./validateMonitoring.ts), before replication because the fleet's plan reads it,
 *  5. replication (./validateReplication.ts),
 *  6. the fleet's plan on the whole model (./validateFleetPlan.ts).
 * Every check throws a {@link ValidationError} naming the field the user wrote and the fix; the
 * component calls it before it registers anything, so bad input never leaves a half-built
 * deployment behind. Pure: registers nothing and reads no Output.
 */
import { ValidationError } from "../errors";
import { mustParseCidr } from "../cidr";
import { regionAlias } from "../oci/regions";
import { GeoReplicatedStreamArgs } from "./args";
import { checkArgBounds, checkArgTypes } from "./argTypes";
import { validateRegion } from "./primitives";
import type { ResolvedArgs, ResolvedDeployment } from "./resolved";
import { resolveNetwork } from "./resolveNetwork";
import { resolvePeer } from "./resolvePeer";
import { resolveStreamSite } from "./resolveStreams";
import { DEFAULTS } from "./settings";
import { resolveExternalKafka, resolveOnPremises } from "./validateExternal";
import { planFleet } from "./validateFleetPlan";
import { resolveMonitoring } from "./validateMonitoring";
import { resolveReplication } from "./validateReplication";

export type { ResolvedArgs, ResolvedDeployment, ResolvedNetwork } from "./resolved";
// The network step, as the automation's pair validation uses it on its own.
export { resolveNetwork } from "./resolveNetwork";

/** What an OCID looks like, for hints: it passes {@link OCID_PATTERN} (a test checks). */
export const EXAMPLE_COMPARTMENT_OCID = "ocid1.compartment.oc1..aaaaaaaaexamplecompartmentuniqueid";
export const OCID_PATTERN = /^ocid1\.[a-z0-9]+\.[a-z0-9-]*\.[a-z0-9-]*\.[A-Za-z0-9._-]+$/;

/**
 * Steps 1 to 4: every argument but `replication`, validated and with defaults. Throws
 * {@link ValidationError} on the first problem.
 */
export function resolveArgs(args: GeoReplicatedStreamArgs): ResolvedArgs {
  if (!args || typeof args !== "object") {
    throw new ValidationError("args", "are required");
  }
  checkArgTypes(args);
  if (args.role !== "primary" && args.role !== "dr") {
    throw new ValidationError("role", `${JSON.stringify(args.role)} is not a role. Use "primary" or "dr"`);
  }
  const region = validateRegion("region", args.region);
  if (args.compartmentId === undefined || args.compartmentId === "") {
    throw new ValidationError("compartmentId", "is required. Give the OCID of the compartment to build in");
  }
  if (typeof args.compartmentId === "string" && !OCID_PATTERN.test(args.compartmentId)) {
    throw new ValidationError(
      "compartmentId",
      `"${args.compartmentId}" is not an OCID. Give the compartment's (or tenancy's) OCID as the Console copies it, e.g. ${EXAMPLE_COMPARTMENT_OCID}`,
    );
  }
  const partitionQuota = args.partitionQuota ?? DEFAULTS.partitionQuota;
  if (!Number.isInteger(partitionQuota) || partitionQuota < 1) {
    throw new ValidationError(
      "partitionQuota",
      `${String(partitionQuota)} is not a partition quota. Give your tenancy's partition limit as a whole number`,
    );
  }
  const network = resolveNetwork(args.network, args.role);
  const { streamPool, streams } = resolveStreamSite(args.streamPool, args.streams, partitionQuota);
  const peer = resolvePeer(args.role, region, network, args.peer);
  const ociCidrs = [{ field: "network.vcnCidr", cidr: mustParseCidr(network.vcnCidr) }];
  if (peer) {
    ociCidrs.push({ field: "peer.vcnCidr", cidr: mustParseCidr(peer.vcnCidr) });
  }
  const onPremises = resolveOnPremises(args.onPremises, ociCidrs);
  const aliases = [region, ...(peer ? [peer.region] : [])].map(regionAlias);
  const externalKafka = resolveExternalKafka(args.externalKafka, onPremises, aliases, partitionQuota);
  if (onPremises && !externalKafka) {
    throw new ValidationError(
      "externalKafka",
      "is required with onPremises: the on-premises connectivity exists for MirrorMaker to reach an external Kafka cluster. Add externalKafka, or remove onPremises",
    );
  }
  const monitoring = resolveMonitoring(args.monitoring);
  return {
    role: args.role,
    region,
    compartmentId: args.compartmentId,
    network,
    streamPool,
    streams,
    peer,
    partitionQuota,
    freeformTags: { ...(args.freeformTags ?? {}), "oci-geo-streaming": args.role },
    onPremises,
    externalKafka,
    monitoring,
  };
}

/** Options of {@link resolveDeployment}. */
export interface ResolveOptions {
  /** A missing `replication.homeRegionProvider` is accepted (the caller creates it after validation). */
  providersPending?: boolean;
  /** The component's name, when known: a created IAM user's default name derives from it. */
  componentName?: string;
}

/**
 * Validates every argument, applies the defaults and plans the fleet: the one model the component,
 * its children and the renderers build from. Throws {@link ValidationError} on the first problem.
 */
export function resolveDeployment(
  args: GeoReplicatedStreamArgs,
  options: ResolveOptions = {},
): ResolvedDeployment {
  const resolved = resolveArgs(args);
  // The table's bounds (lib/core/config/arguments.ts), after resolveArgs's own rules (whose
  // messages say more) and before the MM2 model is built: its checks name model paths, not the
  // argument the user wrote.
  checkArgBounds(args);
  if (!args.replication) {
    return resolved;
  }
  const replication = resolveReplication(args.replication, resolved, options);
  const d = { ...resolved, replication };
  replication.preCreatedStreams = planFleet(d, options.componentName);
  return d;
}
