/**
 * The typed model of a primary/dr pair for the Automation API, and the pure functions that turn it
 * into the flat stack config `stackProgram` (lib/program/stackProgram.ts) reads, and into the
 * component arguments each stack would build (for validation before any workspace call).
 *
 * Config encoding. `LocalWorkspace.setAllConfig(stack, map)` without `path` runs
 * `pulumi config set-all --plaintext key=value …`, which stores each value as a plain string; the
 * engine hands it to the program unchanged and `pulumi.Config.getObject` JSON-parses it. So lists
 * and objects are JSON text, numbers `String(n)`, booleans `"true"`/`"false"`: the exact strings
 * the CLI passes for structured YAML values too (compare `readStackConfig` in dev/plan/stackConfig.ts). The `path`
 * variant is not used: it coerces leaf strings that look like numbers or booleans (a stream named
 * `1234` would reach the program as a number) and appends to lists instead of replacing them.
 * A plain JSON string would not satisfy a Pulumi.yaml `type: array` schema, but the inline
 * program's project (written by the workspace, see workspace.ts) declares no config schema.
 */
import * as pulumi from "@pulumi/pulumi";
import { GeoReplicatedStreamArgs, PeerArgs, Role, StreamSpec } from "../../core/config/args";
import { resolveNetwork } from "../../core/config/validate";
import { refuseUnsetModeKeys, resolveStreams, validateRegion } from "../../core/config/primitives";
import { addressAt, mustParseCidr } from "../../core/cidr";
import { ValidationError } from "../../core/errors";
import { automationKeys } from "../../core/config/arguments";
import { validateGeoReplicatedStreamArgs, ValidatedArgs } from "../../components/geoReplicatedStream";
import {
  DEFAULTS,
  PROGRAM_CONFIG_KEYS as SETTING_KEYS,
  ProgramConfigKey,
  readStackSettings,
  settingOf,
  SettingValues,
  settingText,
  StackConfigReader,
} from "../../core/config/settings";
import { argsFromSettings, configuredPeer } from "../stackProgram";

/** Project name (and config namespace) of the stacks; the repo's Pulumi.yaml uses the same. */
export const DEFAULT_PROJECT_NAME = "oci-geo-streaming";

/** The organization DIY backends (file://, s3://, gs://, azblob://) use in stack names. */
export const DIY_ORGANIZATION = "organization";

/**
 * Which way MirrorMaker replicates. `primary-to-dr`: the dr fleet pulls from the primary (normal
 * operation). `dr-to-primary`: the primary fleet pulls from dr (failback, after a failover).
 */
export type ReplicationDirection = "primary-to-dr" | "dr-to-primary";

/** One stack config value, as `LocalWorkspace.setAllConfig` takes it. */
export interface StackConfigValue {
  value: string;
  secret?: boolean;
}

/** A stack's whole config: flat keys (`oci:region`, `<project>:role`, …). */
export type StackConfigMap = Record<string, StackConfigValue>;

/**
 * The settings each group of the pair model carries, by their stack setting keys: the `automation`
 * field of their definitions (lib/core/config/arguments.ts, documented in the config reference),
 * so the pair model uses the same names as the stack config and a new setting joins it there.
 */
const SITE_KEYS = automationKeys("site");
const MIRROR_MAKER_KEYS = automationKeys("mirrorMaker");
const PAIR_REPLICATION_KEYS = automationKeys("pair");

/**
 * The MirrorMaker fleet of a region, by setting key (`fleetSize`, `credentialsUserName`, …). Every
 * field is optional. With `credentialsAuthToken`: an existing user `credentialsUserName`; without:
 * a created user (named after the stack's role by default, so the two fleets differ).
 */
export type SiteMirrorMaker = Partial<Pick<SettingValues, (typeof MIRROR_MAKER_KEYS)[number]>>;

/** One region of the pair: its stack's settings, by key, and `region` (`oci:region`). */
export type SiteConfig = {
  /** OCI region name, e.g. `eu-frankfurt-1` (`oci:region`). */
  region: string;
  /** Streams to create in this region's pool. Default none. */
  streams?: StreamSpec[];
  /** The MirrorMaker fleet of this region (used when replication pulls into this region). */
  mirrorMaker?: SiteMirrorMaker;
} & Pick<SettingValues, "compartmentId" | "vcnCidr"> &
  Partial<Pick<SettingValues, Exclude<(typeof SITE_KEYS)[number], "streams">>>;

/** Replication settings shared by both directions, by key; `replicationPolicy` decides the order of a direction switch. */
export type PairReplication = Pick<SettingValues, "tenancyId" | "homeRegion"> &
  Partial<Pick<SettingValues, (typeof PAIR_REPLICATION_KEYS)[number]>>;

/** A primary/dr pair, as a tool driving the Automation API describes it. */
export interface PairConfig {
  /** Pulumi project name, also the config namespace. Default `oci-geo-streaming`. */
  projectName?: string;
  /**
   * Organization (or user) owning the stacks, the first part of the fully qualified stack names.
   * Required for Pulumi Cloud; DIY backends always use `organization` (the default for them).
   */
  organization?: string;
  /**
   * State backend (`https://api.pulumi.com`, `s3://…`, `file://…`). Default: whatever the CLI is
   * logged in to. Must not be in the primary region: the dr stack must stay operable without it.
   */
  backendUrl?: string;
  /** Stack names. Default `primary` and `dr`. */
  stackNames?: { primary?: string; dr?: string };
  primary: SiteConfig;
  dr: SiteConfig;
  /** The replication layer. Without it the pair has networks and pools only (no MirrorMaker). */
  replication?: PairReplication;
}

/** The names a pair's stacks go by. */
export interface PairIdentity {
  projectName: string;
  organization: string;
  /** Short stack names (`primary`, `dr`). */
  stacks: Record<Role, string>;
  /** Fully qualified names (`<org>/<project>/<stack>`): what the workspace selects and StackReferences read. */
  qualified: Record<Role, string>;
}

/**
 * Every config key (without namespace) the stack program reads: the project settings of
 * lib/core/config/settings.ts. Anything in a stack's config under these keys that {@link stackConfigFor}
 * does not produce is removed when config is applied, so a value from an earlier direction (such as
 * `peerStack`) cannot linger.
 */
export const PROGRAM_CONFIG_KEYS: readonly ProgramConfigKey[] = SETTING_KEYS;

/** The full keys (`oci:region` and `<project>:<key>`) config application manages for a project. */
export function managedConfigKeys(projectName: string): string[] {
  return ["oci:region", ...PROGRAM_CONFIG_KEYS.map((k) => `${projectName}:${k}`)];
}

const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;
const DIY_BACKEND = /^(file|s3|gs|azblob):\/\//;

function other(role: Role): Role {
  return role === "primary" ? "dr" : "primary";
}

/** Resolves and checks the project, organization and stack names of a pair. */
export function pairIdentity(pair: PairConfig): PairIdentity {
  const projectName = pair.projectName ?? DEFAULT_PROJECT_NAME;
  if (!NAME_PATTERN.test(projectName)) {
    throw new ValidationError(
      "projectName",
      `"${projectName}" is not a Pulumi project name. Use letters, digits, '_', '.' or '-'`,
    );
  }
  const diy = pair.backendUrl !== undefined && DIY_BACKEND.test(pair.backendUrl);
  const organization = pair.organization ?? (diy ? DIY_ORGANIZATION : undefined);
  if (organization === undefined) {
    throw new ValidationError(
      "organization",
      "is required: the dr stack reads the primary through its fully qualified name <org>/<project>/<stack>. Give your Pulumi Cloud organization (or user) name; DIY backends (file://, s3://, gs://, azblob://) use 'organization'",
    );
  }
  if (diy && organization !== DIY_ORGANIZATION) {
    throw new ValidationError(
      "organization",
      `is "${organization}", but DIY backends (${pair.backendUrl}) name every stack under '${DIY_ORGANIZATION}'. Drop organization or set it to '${DIY_ORGANIZATION}'`,
    );
  }
  if (!NAME_PATTERN.test(organization)) {
    throw new ValidationError("organization", `"${organization}" is not an organization name`);
  }
  const stacks: Record<Role, string> = {
    primary: pair.stackNames?.primary ?? "primary",
    dr: pair.stackNames?.dr ?? "dr",
  };
  for (const role of ["primary", "dr"] as const) {
    if (!NAME_PATTERN.test(stacks[role])) {
      throw new ValidationError(
        `stackNames.${role}`,
        `"${stacks[role]}" is not a stack name. Use letters, digits, '_', '.' or '-' (the organization and project are added)`,
      );
    }
  }
  if (stacks.primary === stacks.dr) {
    throw new ValidationError(
      "stackNames.dr",
      `is "${stacks.dr}", the same as the primary's. Each region needs its own stack`,
    );
  }
  const q = (s: string) => `${organization}/${projectName}/${s}`;
  return { projectName, organization, stacks, qualified: { primary: q(stacks.primary), dr: q(stacks.dr) } };
}

/** A site's network CIDRs with defaults applied (what its `peering` output will say). */
function resolvedSiteNetwork(pair: PairConfig, role: Role) {
  const site = pair[role];
  return withField(role, () =>
    resolveNetwork(
      {
        vcnCidr: site.vcnCidr,
        streamSubnetCidr: site.streamSubnetCidr,
        mirrorMakerSubnetCidr: site.mirrorMakerSubnetCidr,
      },
      role,
    ),
  );
}

/**
 * The exact config of one stack of the pair for a replication direction: what
 * `setAllConfig` writes (keys `oci:region` and `<project>:<key>`). Optional settings left unset are
 * absent (the program's defaults apply). Pure; it checks only what it needs to compute (names, and
 * the dr network's default subnets for the primary), not the whole pair: see {@link validatePair}.
 *
 * - both: region, role, compartment, network, streams, pool settings.
 * - primary, `primary-to-dr`: the dr network as `peerRegion`/`peerVcnCidr`/`peerMirrorMakerSubnetCidr`
 *   (no dependency on the dr stack), and no replication keys: no MirrorMaker in the primary.
 * - primary, `dr-to-primary`: `peerStack` = the dr's fully qualified name (its `peering` output
 *   gives the pool to pull from), the replication keys and `replicationEnabled=true`.
 * - dr: `primaryStack` = the primary's fully qualified name; the replication keys with
 *   `replicationEnabled` true, except `dr-to-primary` with the identity policy (false: the same
 *   topic names both ways would loop).
 */
export function stackConfigFor(
  pair: PairConfig,
  role: Role,
  direction: ReplicationDirection,
): StackConfigMap {
  if (role !== "primary" && role !== "dr") {
    throw new ValidationError("role", `${JSON.stringify(role)} is not a role. Use "primary" or "dr"`);
  }
  if (direction !== "primary-to-dr" && direction !== "dr-to-primary") {
    throw new ValidationError(
      "direction",
      `${JSON.stringify(direction)} is not a replication direction. Use "primary-to-dr" or "dr-to-primary"`,
    );
  }
  refuseUnsetPairKeys(pair);
  const id = pairIdentity(pair);
  const site = pair[role];
  const out: StackConfigMap = {};
  const ns = id.projectName;
  // Every key goes through the settings table: its text form, type-checked (a pair field of the
  // wrong type fails here, naming the key), and a key that is not a setting cannot be written.
  const set = (key: ProgramConfigKey, value: string | number | boolean | object | undefined) => {
    if (value === undefined) {
      return;
    }
    const text = settingText(key, value, ns);
    out[`${ns}:${key}`] = settingOf(key)?.secret ? { value: text, secret: true } : { value: text };
  };

  out["oci:region"] = { value: site.region };
  set("role", role);
  for (const key of SITE_KEYS) {
    set(key, key === "streams" ? site.streams?.map(streamSpec) : site[key]);
  }

  let replicationEnabled: boolean | undefined;
  if (role === "dr") {
    set("primaryStack", id.qualified.primary);
    // With the prefixed policy dr keeps replicating during failback (both directions run, which is
    // loop-free): its remote copies, which dr's consumers read, and its forward offset syncs, which
    // failback's translation needs, must not be deleted with its replication layer.
    replicationEnabled = pair.replication
      ? direction === "primary-to-dr" ||
        (pair.replication.replicationPolicy ?? DEFAULTS.replicationPolicy) === "prefixed"
      : undefined;
  } else if (direction === "dr-to-primary") {
    set("peerStack", id.qualified.dr);
    replicationEnabled = pair.replication ? true : undefined;
  } else {
    const drNet = resolvedSiteNetwork(pair, "dr");
    set("peerRegion", pair.dr.region);
    set("peerVcnCidr", drNet.vcnCidr);
    set("peerMirrorMakerSubnetCidr", drNet.mirrorMakerSubnetCidr);
  }

  const r = pair.replication;
  if (r && replicationEnabled !== undefined) {
    const mm = site.mirrorMaker ?? {};
    for (const key of PAIR_REPLICATION_KEYS) set(key, r[key]);
    set("replicationEnabled", replicationEnabled);
    for (const key of MIRROR_MAKER_KEYS) set(key, mm[key]);
  }
  return out;
}

function streamSpec(s: StreamSpec): StreamSpec {
  return { name: s.name, partitions: s.partitions, retentionHours: s.retentionHours };
}

/** Stand-ins for the ids a StackReference delivers once the peer is deployed (validation only). */
const PENDING = {
  remotePeeringConnectionId: "ocid1.remotepeeringconnection.oc1..pending",
  streamPoolId: "ocid1.streampool.oc1..pending",
};

/**
 * The `peering` bundle the other stack will export, with stand-in ids: its region, CIDRs (defaults
 * applied) and declared streams are known from the pair.
 */
function expectedPeering(pair: PairConfig, of: Role): PeerArgs {
  const net = resolvedSiteNetwork(pair, of);
  const site = pair[of];
  return {
    region: site.region,
    vcnCidr: net.vcnCidr,
    mirrorMakerSubnetCidr: net.mirrorMakerSubnetCidr,
    remotePeeringConnectionId: PENDING.remotePeeringConnectionId,
    streamPoolId: PENDING.streamPoolId,
    bootstrapServers: `pending.streaming.${site.region}.oci.oraclecloud.com:9092`,
    endpointFqdn: `pending.streaming.${site.region}.oci.oraclecloud.com`,
    // A stand-in inside the peer's VCN, as the real listener is (resolvePeer refuses one outside).
    dnsListenerIp: addressAt(mustParseCidr(net.mirrorMakerSubnetCidr), 2),
    streams: withField(of, () =>
      resolveStreams(site.streams, site.partitionQuota ?? Number.MAX_SAFE_INTEGER, "streams"),
    ),
  };
}

/** Reads a {@link StackConfigMap} the way `pulumi.Config` reads the config the engine passes. */
function configReader(config: StackConfigMap, ns: string): StackConfigReader {
  const raw = (key: string) => config[`${ns}:${key}`]?.value;
  return {
    get: raw,
    // Validation needs the token's kind (a secret), not its value.
    getSecret: (key) => (raw(key) !== undefined ? pulumi.secret(`[${key}]`) : undefined),
  };
}

/**
 * The {@link GeoReplicatedStreamArgs} a stack's program builds from the config
 * {@link stackConfigFor} gives it, field for field as `stackProgram` maps them; the peer read
 * through a StackReference is the other site's expected `peering` bundle with stand-in ids, and the
 * auth token a stand-in secret (validation needs its kind, not its value).
 */
export function stackArgsFor(
  pair: PairConfig,
  role: Role,
  direction: ReplicationDirection,
): GeoReplicatedStreamArgs {
  const id = pairIdentity(pair);
  const config = stackConfigFor(pair, role, direction);
  const settings = readStackSettings(configReader(config, id.projectName), id.projectName);
  const peer =
    role === "dr" || settings.peerStack !== undefined
      ? expectedPeering(pair, other(role))
      : configuredPeer(settings);
  return argsFromSettings(settings, config["oci:region"]?.value as string, peer);
}

/**
 * Checks the whole pair before any stack is touched, with the library's own validation: the
 * names, the pair-level rules below, then `validateGeoReplicatedStreamArgs` on the args each
 * stack would build for `direction` ({@link stackArgsFor}). Throws the library's
 * {@link ValidationError}. Fields are PairConfig paths for pair-level problems, and
 * `<role>.<argument path>` for what the component rejects (e.g. `dr.peer.vcnCidr`: the primary's
 * VCN as the dr stack sees it).
 *
 * Pair-level rules: the state backend is not in the primary region; the home region is a region;
 * an existing token comes with its user name, a vault with its key; the two fleets do not create
 * IAM users with the same name (during a direction switch both run at once).
 */
export function validatePair(
  pair: PairConfig,
  direction: ReplicationDirection = "primary-to-dr",
): Record<Role, ValidatedArgs> {
  if (!pair || typeof pair !== "object" || !pair.primary || !pair.dr) {
    throw new ValidationError("pair", "needs a primary and a dr site");
  }
  refuseUnsetPairKeys(pair);
  pairIdentity(pair);
  for (const role of ["primary", "dr"] as const) {
    validateRegion(`${role}.region`, pair[role].region);
  }
  if (pair.backendUrl !== undefined) {
    const region = pair.primary.region;
    const escaped = region.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    if (new RegExp(`(^|[^a-z0-9-])${escaped}([^a-z0-9-]|$)`).test(pair.backendUrl)) {
      throw new ValidationError(
        "backendUrl",
        `keeps the Pulumi state in ${region}, the primary region: with that region down the dr stack could not be run. Keep the state in the dr region or a third region`,
      );
    }
  }
  const r = pair.replication;
  if (r) {
    validateRegion("replication.homeRegion", r.homeRegion);
    for (const role of ["primary", "dr"] as const) {
      const mm = pair[role].mirrorMaker ?? {};
      if (mm.credentialsAuthToken !== undefined && mm.credentialsUserName === undefined) {
        throw new ValidationError(
          `${role}.mirrorMaker.credentialsUserName`,
          "is required with mirrorMaker.credentialsAuthToken. Give the IAM user's name (not its OCID) the token belongs to",
        );
      }
      if (mm.vaultId !== undefined && mm.vaultKeyId === undefined) {
        throw new ValidationError(
          `${role}.mirrorMaker.vaultKeyId`,
          "is required with mirrorMaker.vaultId. Give the OCID of the key in that vault that encrypts the token secret",
        );
      }
    }
    const p = pair.primary.mirrorMaker;
    const d = pair.dr.mirrorMaker;
    if (
      p?.credentialsUserName !== undefined &&
      p.credentialsUserName === d?.credentialsUserName &&
      (p.credentialsAuthToken === undefined || d.credentialsAuthToken === undefined)
    ) {
      throw new ValidationError(
        "dr.mirrorMaker.credentialsUserName",
        `is "${d.credentialsUserName}", as in the primary, and at least one side creates that user. IAM user names are unique in a tenancy and both fleets run during a direction switch: use different names, or an existing user with a token on both sides`,
      );
    }
  }
  const out = {} as Record<Role, ValidatedArgs>;
  for (const role of ["primary", "dr"] as const) {
    out[role] = withField(role, () =>
      validateGeoReplicatedStreamArgs(stackArgsFor(pair, role, direction), { providersPending: true }),
    );
  }
  return out;
}

/**
 * The pair keys whose absence picks another mode, refused when present without a value: with
 * `MM2_TOKEN` unset, `mirrorMaker: { credentialsUserName: "mm2", credentialsAuthToken: process.env.MM2_TOKEN }` must not
 * turn into "create an IAM user named mm2".
 */
function refuseUnsetPairKeys(pair: PairConfig): void {
  for (const role of ["primary", "dr"] as const) {
    refuseUnsetModeKeys(pair[role], `${role}.`, {
      existingStreamPoolId: "creating a new stream pool",
      kmsKeyId: "Oracle-managed encryption keys",
    });
    refuseUnsetModeKeys(pair[role].mirrorMaker, `${role}.mirrorMaker.`, {
      credentialsAuthToken: "creating an IAM user and an auth token for MirrorMaker",
      credentialsUserName: "a created user named after the stack's role",
      credentialsDomain: "the Default identity domain",
      vaultId: "creating a vault and a key",
      vaultKeyId: "creating a vault and a key",
      fleetImageId: "the newest Oracle Linux 8 image, changing with every release",
    });
  }
  refuseUnsetModeKeys(pair.replication, "replication.", { tenancyName: "looking the tenancy name up" });
}

/** Runs `fn`, re-raising a library ValidationError with its field prefixed by the stack's role. */
function withField<T>(role: Role, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ValidationError && !/^(primary|dr)\./.test(e.field)) {
      const message = e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message;
      throw new ValidationError(`${role}.${e.field}`, message);
    }
    throw e;
  }
}
