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
  Role,
  validateGeoReplicatedStreamArgs,
  validateRegion,
  ValidationError,
} from "./lib";
import {
  CredentialsArgs,
  PeeringBundle,
  ReplicationArgs,
  StreamPoolArgs,
  StreamSpec,
} from "./lib/config/args";

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
    replication: replicationArgs(cfg),
  };
  // Validate before the providers are registered, so bad config registers nothing at all.
  validateGeoReplicatedStreamArgs(args, { providersPending: true });

  const profile = cfg.get("ociConfigProfile");
  const provider = new oci.Provider(`oci-${region}`, { region, configFileProfile: profile });
  if (args.replication) {
    const homeRegion = cfg.require("homeRegion");
    args.replication.homeRegionProvider = new oci.Provider(`oci-home-${homeRegion}`, {
      region: homeRegion,
      configFileProfile: profile,
    });
  }
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

/** The replication layer's config; none when `tenancyId` is not set. */
function replicationArgs(cfg: pulumi.Config): ReplicationArgs | undefined {
  const tenancyId = cfg.get("tenancyId");
  if (tenancyId === undefined) {
    return undefined;
  }
  validateRegion("homeRegion", cfg.require("homeRegion"));
  const userName = cfg.get("mm2UserName");
  const credentials: CredentialsArgs =
    cfg.get("mm2AuthToken") !== undefined
      ? {
          mode: "existing",
          userName: cfg.require("mm2UserName"),
          authToken: cfg.requireSecret("mm2AuthToken"),
        }
      : { mode: "create", userName };
  const vaultId = cfg.get("vaultId");
  return definedOnly<ReplicationArgs>({
    enabled: cfg.getBoolean("replicationEnabled"),
    tenancyId,
    tenancyName: cfg.get("tenancyName"),
    // Created after validation (see above).
    homeRegionProvider: undefined as unknown as pulumi.ProviderResource,
    credentials,
    vault: vaultId !== undefined ? { vaultId, keyId: cfg.require("vaultKeyId") } : undefined,
    fleet: definedOnly({
      size: cfg.getNumber("mm2FleetSize"),
      shape: cfg.get("mm2Shape"),
      ocpus: cfg.getNumber("mm2Ocpus"),
      memoryInGbs: cfg.getNumber("mm2MemoryGbs"),
      imageId: cfg.get("mm2ImageId"),
    }),
    bastionClientCidrs: cfg.getObject<string[]>("bastionClientCidrs"),
    topicsInclude: cfg.getObject<string[]>("topicsInclude"),
    topicsExclude: cfg.getObject<string[]>("topicsExclude"),
    groupsInclude: cfg.getObject<string[]>("groupsInclude"),
    groupsExclude: cfg.getObject<string[]>("groupsExclude"),
    replicationPolicy: cfg.get("replicationPolicy") as ReplicationArgs["replicationPolicy"],
    tasksMax: cfg.getNumber("tasksMax"),
    kafkaDownloadBaseUrl: cfg.get("kafkaDownloadBaseUrl"),
    kafkaDownloadCidr: cfg.get("kafkaDownloadCidr"),
  });
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
