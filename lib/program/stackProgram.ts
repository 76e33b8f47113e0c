/**
 * The stack program: Pulumi stack config in, one GeoReplicatedStream out. This repository's
 * `index.ts` runs it for the `primary` and `dr` stacks; the Automation API runs it inline.
 */
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import {
  CredentialsArgs,
  GeoReplicatedStreamArgs,
  MonitoringArgs,
  PeerArgs,
  ReplicationArgs,
} from "../core/config/args";
import { validateRegion } from "../core/config/primitives";
import {
  ProgramConfigKey,
  readStackSettings,
  Setting,
  SETTINGS,
  StackSettings,
} from "../core/config/settings";
import { ValidationError } from "../core/errors";
import {
  GeoReplicatedStream,
  validateGeoReplicatedStreamArgs,
  ValidatedArgs,
} from "../components/geoReplicatedStream";
import { peerFromStack } from "./peering";

/**
 * Reads the stack's settings (namespace = the project name; the table is lib/core/config/settings.ts),
 * validates them and the component arguments they make — all before anything is registered, the
 * StackReference included — then creates the region's provider (and the home-region provider for
 * IAM) and returns the component's outputs as the stack outputs.
 */
export async function stackProgram(): Promise<Record<string, unknown>> {
  const cfg = new pulumi.Config();
  // Typed and checked first: a bad value fails before anything (the StackReference too) is registered.
  const settings = readStackSettings(cfg, cfg.name);
  const region = new pulumi.Config("oci").require("region");
  const role = required(settings.role, "role", "say which side this stack builds: primary or dr");
  const peer =
    role === "dr"
      ? await peeringOf(
          "primaryStack",
          required(settings.primaryStack, "primaryStack", "the dr stack reads the primary's peering output"),
        )
      : settings.peerStack !== undefined
        ? await peeringOf("peerStack", settings.peerStack)
        : configuredPeer(settings);
  const args = argsFromSettings(settings, region, peer);
  // Validate before the providers are registered, so bad config registers nothing at all.
  validateStackArgs(args, settings, cfg.name);

  const profile = settings.ociConfigProfile;
  const provider = new oci.Provider(`oci-${region}`, { region, configFileProfile: profile });
  if (args.replication) {
    const homeRegion = required(settings.homeRegion, "homeRegion", "IAM is written in the home region");
    args.replication.homeRegionProvider = new oci.Provider(`oci-home-${homeRegion}`, {
      region: homeRegion,
      configFileProfile: profile,
    });
  }
  const site = new GeoReplicatedStream(`geo-${role}`, args, { provider });
  return site.outputs();
}

/** A setting the others make necessary; `why` says why. */
function required<T>(value: T | undefined, key: ProgramConfigKey, why: string): T {
  if (value === undefined) {
    throw new ValidationError(key, `is required (${why}). Set it: pulumi config set ${key} <value>`);
  }
  return value;
}

/**
 * Validates the component arguments a stack's settings make; a problem with an argument that
 * came from a setting names the config key too.
 */
export function validateStackArgs(
  args: GeoReplicatedStreamArgs,
  settings: StackSettings,
  projectName: string,
): ValidatedArgs {
  try {
    return validateGeoReplicatedStreamArgs(args, { providersPending: true });
  } catch (e) {
    throw withConfigKey(e, settings, projectName);
  }
}

/** Adds `(config <ns>:<key>)` to a ValidationError whose field is the argument of a set setting. */
function withConfigKey(e: unknown, settings: StackSettings, projectName: string): unknown {
  if (!(e instanceof ValidationError)) {
    return e;
  }
  const set = settings as Record<string, unknown>;
  const from = SETTINGS.filter((s) => s.arg !== undefined && !s.namespace && set[s.key] !== undefined)
    .filter((s) => e.field === s.arg || e.field.startsWith(`${s.arg}.`) || e.field.startsWith(`${s.arg}[`))
    .sort((a, b) => (b.arg?.length ?? 0) - (a.arg?.length ?? 0))[0];
  if (from === undefined) {
    return e;
  }
  const message = e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message;
  return new ValidationError(e.field, `${message} (config ${projectName}:${from.key})`);
}

/**
 * The component's arguments from the stack's settings. Pure: `peer` is resolved by the caller,
 * and `replication.homeRegionProvider` is left for the caller to create after validation.
 *
 * Every setting with a 1:1 argument is set at its path ({@link applySettings}); what follows is
 * only what is not 1:1: the region and the peer, the replication layer's presence (`tenancyId`),
 * the credentials' mode, and the alarm URLs (one secret setting each, a list argument).
 */
export function argsFromSettings(
  settings: StackSettings,
  region: string,
  peer: PeerArgs | undefined,
): GeoReplicatedStreamArgs {
  const s = settings;
  const args = applySettings(s) as unknown as GeoReplicatedStreamArgs;
  args.region = region;
  if (peer !== undefined) args.peer = peer;
  if (s.tenancyId === undefined) {
    delete args.replication;
  } else {
    args.replication = replicationArgs(s, args.replication!);
  }
  const one = (v: pulumi.Output<string> | undefined) => (v !== undefined ? [v] : undefined);
  const urls = definedOnly<MonitoringArgs>({
    pagerDutyUrls: one(s.alarmPagerDutyUrl),
    slackWebhookUrls: one(s.alarmSlackWebhookUrl),
    httpsUrls: one(s.alarmHttpsUrl),
  });
  if (Object.keys(urls).length > 0) args.monitoring = { ...args.monitoring, ...urls };
  return args;
}

/**
 * Sets every 1:1 setting's value at its argument's path (lib/core/config/arguments.ts), creating
 * the objects on the way. A value equal to its static default is set only where its object exists
 * already: a default alone (`ipsecIkeVersion: V2`) does not make an `onPremises.ipsec`.
 */
export function applySettings(settings: StackSettings): Record<string, unknown> {
  const values = settings as Record<string, unknown>;
  const direct = SETTINGS.filter((s) => s.arg !== undefined && s.mapping !== "hand" && !s.namespace);
  const out: Record<string, unknown> = {};
  const isDefault = (s: Setting, v: unknown) =>
    s.default !== undefined && JSON.stringify(v) === JSON.stringify(s.default);
  for (const s of direct) {
    const v = values[s.key];
    if (v !== undefined && !isDefault(s, v)) setAt(out, s.arg!, v, true);
  }
  for (const s of direct) {
    const v = values[s.key];
    if (v !== undefined && isDefault(s, v)) setAt(out, s.arg!, v, false);
  }
  return out;
}

/** Sets `value` at a dotted `path` of `target`; `create`: make the missing objects, else skip. */
function setAt(target: Record<string, unknown>, path: string, value: unknown, create: boolean): void {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (node[part] === undefined) {
      if (!create) return;
      node[part] = {};
    }
    node = node[part] as Record<string, unknown>;
  }
  const last = parts.at(-1)!;
  const existing = node[last];
  const plain = typeof value === "object" && value !== null && !pulumi.Output.isInstance(value);
  // An object setting (externalKafka) keeps the secrets already set into it (externalKafka.sasl.password).
  node[last] =
    plain && existing !== null && typeof existing === "object" && !Array.isArray(existing)
      ? { ...structuredClone(value), ...existing }
      : plain
        ? structuredClone(value)
        : value;
}

/**
 * Reads the other stack's `peering` output (plain values) through a StackReference: the dr stack
 * always reads the primary's; the primary reads the dr's only for failback (`peerStack`).
 */
async function peeringOf(field: string, stackName: string): Promise<PeerArgs> {
  const ref = new pulumi.StackReference(field === "primaryStack" ? "primary" : "peer", { name: stackName });
  return peerFromStack(ref, { field, stackName });
}

/** The primary's view of its dr peer: network facts from config (nothing is read from the dr stack). */
export function configuredPeer(s: StackSettings): PeerArgs | undefined {
  if (s.peerRegion === undefined) {
    return undefined;
  }
  return {
    region: s.peerRegion,
    vcnCidr: required(s.peerVcnCidr, "peerVcnCidr", "with peerRegion"),
    mirrorMakerSubnetCidr: required(
      s.peerMirrorMakerSubnetCidr,
      "peerMirrorMakerSubnetCidr",
      "with peerRegion",
    ),
  };
}

/** The replication layer's hand-mapped parts: the home region, the credentials' mode, the vault's key. */
function replicationArgs(s: StackSettings, direct: ReplicationArgs): ReplicationArgs {
  validateRegion(
    "homeRegion",
    required(s.homeRegion, "homeRegion", "with tenancyId: IAM is written in the home region"),
  );
  if (s.vaultId !== undefined) {
    required(s.vaultKeyId, "vaultKeyId", "with vaultId: the key that encrypts the secrets");
  }
  const credentials: CredentialsArgs =
    s.credentialsAuthToken !== undefined
      ? definedOnly<CredentialsArgs>({
          mode: "existing",
          userName: required(
            s.credentialsUserName,
            "credentialsUserName",
            "with credentialsAuthToken: the user the token belongs to",
          ),
          authToken: s.credentialsAuthToken,
          domain: s.credentialsDomain,
        })
      : definedOnly<CredentialsArgs>({
          mode: "create",
          userName: s.credentialsUserName,
          email: s.credentialsEmail,
        });
  return {
    ...direct,
    // Created after validation (see above).
    homeRegionProvider: undefined as unknown as pulumi.ProviderResource,
    credentials,
  };
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
