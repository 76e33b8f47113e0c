/**
 * The Pulumi program of this repository's two stacks, `primary` and `dr`: stack config in,
 * one GeoReplicatedStream out. Consumers import the library (`oci-geo-streaming`), not this file.
 */
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import {
  GeoReplicatedStream,
  GeoReplicatedStreamArgs,
  PeerArgs,
  resolveArgs,
  Role,
  ValidationError,
} from "./lib";
import { PeeringBundle, StreamPoolArgs, StreamSpec } from "./lib/config/args";

export = async (): Promise<Record<string, unknown>> => {
  const cfg = new pulumi.Config();
  const role = cfg.require("role") as Role;
  const region = new pulumi.Config("oci").require("region");

  const peer = role === "dr" ? await primaryPeering(cfg.require("primaryStack")) : configuredPeer(cfg);
  const args: GeoReplicatedStreamArgs = {
    role,
    region,
    compartmentId: cfg.require("compartmentId"),
    network: {
      vcnCidr: cfg.get("vcnCidr"),
      streamSubnetCidr: cfg.get("streamSubnetCidr"),
      mirrorMakerSubnetCidr: cfg.get("mirrorMakerSubnetCidr"),
    },
    streamPool: definedOnly<StreamPoolArgs>({
      kmsKeyId: cfg.get("kmsKeyId"),
      autoCreateTopics: cfg.getBoolean("autoCreateTopics"),
      existingStreamPoolId: cfg.get("existingStreamPoolId"),
    }),
    streams: cfg.getObject<StreamSpec[]>("streams") ?? [],
    peer,
    partitionQuota: cfg.getNumber("partitionQuota"),
  };
  // Validate before the provider is registered, so bad config registers nothing at all.
  resolveArgs(args);

  const provider = new oci.Provider(`oci-${region}`, {
    region,
    configFileProfile: cfg.get("ociConfigProfile"),
  });
  const site = new GeoReplicatedStream(`geo-${role}`, args, { provider });
  return site.outputs();
};

/** Reads the primary stack's `peering` output (plain values) through a StackReference. */
async function primaryPeering(primaryStack: string): Promise<PeerArgs> {
  const ref = new pulumi.StackReference("primary", { name: primaryStack });
  const details = await ref.getOutputDetails("peering");
  const bundle = (details.value ?? details.secretValue) as PeeringBundle | undefined;
  if (!bundle || typeof bundle.region !== "string") {
    throw new ValidationError(
      "primaryStack",
      `stack "${primaryStack}" has no 'peering' output. Run 'pulumi up -s primary' first, or fix the stack name`,
    );
  }
  return bundle;
}

/** The primary's view of its dr peer: network facts from config (nothing is read from the dr stack). */
function configuredPeer(cfg: pulumi.Config): PeerArgs | undefined {
  const region = cfg.get("peerRegion");
  if (region === undefined) {
    return undefined;
  }
  return {
    region,
    vcnCidr: cfg.require("peerVcnCidr"),
    mirrorMakerSubnetCidr: cfg.require("peerMirrorMakerSubnetCidr"),
  };
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
