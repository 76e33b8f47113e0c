/**
 * Step 4 of the validation (./validate.ts): the replication arguments — the fleet, credentials,
 * downloads, what MM2 replicates (filters, tasks, policy, refresh) — and the rules between this
 * region's replication and the peer's.
 */
import { ValidationError } from "../errors";
import { checkJavaRegexList } from "../mm2/javaRegex";
import { FLEX_SHAPES, MIN_MEMORY_GB } from "../oci/shapes";
import { checkIamNamePrefix } from "../oci/iamNames";
import {
  CredentialsArgs,
  FleetArgs,
  PeerReplicationInfo,
  ReplicationArgs,
  ReplicationFlow,
  Role,
} from "./args";
import { refuseUnsetModeKeys, validateCidr } from "./primitives";
import type { ResolvedArgs, ResolvedFleet, ResolvedReplication, ResolvedReplicationInfra } from "./resolved";
import { checkHomeRegionProvider } from "./providers";
import { DEFAULTS } from "./settings";

const FLOWS: readonly ReplicationFlow[] = ["peer-to-local", "external-to-local", "local-to-external"];

const IAM_NAME_PATTERN = /^[A-Za-z0-9._@+-]{1,100}$/;
const EMAIL_PATTERN = /^[^\s@"]+@[^\s@"]+\.[^\s@"]+$/;
/** The identity domain every tenancy with identity domains has, where the IAM API creates users. */
export const DEFAULT_IDENTITY_DOMAIN = "Default";

/** Validates the fleet's shape, OCPUs and memory against OCI's flexible-shape limits. */
export function resolveFleet(fleet: FleetArgs | undefined): ResolvedFleet {
  const f = fleet ?? {};
  const size = f.size ?? DEFAULTS.fleetSize;
  if (!Number.isInteger(size) || size < 1) {
    throw new ValidationError(
      "replication.fleet.size",
      `${String(size)} is not a fleet size. Use a whole number of at least 1 (2 or more for high availability)`,
    );
  }
  const shapeName = f.shape ?? DEFAULTS.fleetShape;
  const shape = FLEX_SHAPES[shapeName];
  if (!shape) {
    throw new ValidationError(
      "replication.fleet.shape",
      `"${shapeName}" is not a supported flexible shape. Use one of ${Object.keys(FLEX_SHAPES).join(", ")}`,
    );
  }
  const ocpus = f.ocpus ?? DEFAULTS.fleetOcpus;
  if (!Number.isInteger(ocpus) || ocpus < 1 || ocpus > shape.maxOcpus) {
    throw new ValidationError(
      "replication.fleet.ocpus",
      `${String(ocpus)} OCPUs is outside ${shapeName}'s range. Use a whole number from 1 to ${shape.maxOcpus}`,
    );
  }
  const memoryInGbs = f.memoryInGbs ?? Math.max(DEFAULTS.fleetMemoryInGbs, ocpus * shape.minGbPerOcpu);
  if (
    typeof memoryInGbs !== "number" ||
    !(memoryInGbs >= MIN_MEMORY_GB) ||
    memoryInGbs > shape.maxMemoryGbs
  ) {
    throw new ValidationError(
      "replication.fleet.memoryInGbs",
      `${String(memoryInGbs)} GB is outside the usable range for ${shapeName}. Use ${MIN_MEMORY_GB} to ${shape.maxMemoryGbs} GB`,
    );
  }
  const perOcpu = memoryInGbs / ocpus;
  if (perOcpu < shape.minGbPerOcpu || perOcpu > shape.maxGbPerOcpu) {
    throw new ValidationError(
      "replication.fleet.memoryInGbs",
      `${memoryInGbs} GB for ${ocpus} OCPUs is ${perOcpu} GB per OCPU; ${shapeName} allows ${shape.minGbPerOcpu} to ${shape.maxGbPerOcpu}. Change memoryInGbs or ocpus`,
    );
  }
  return {
    size,
    shape: shapeName,
    ocpus,
    memoryInGbs,
    arch: shape.arch,
    imageId: f.imageId,
    sshAuthorizedKeys: f.sshAuthorizedKeys,
  };
}

function resolveCredentials(c: CredentialsArgs | undefined, identityDomains: boolean): CredentialsArgs {
  const creds = c ?? { mode: "create" };
  if (creds.mode !== "create" && creds.mode !== "existing") {
    throw new ValidationError(
      "replication.credentials.mode",
      `${JSON.stringify((creds as { mode: unknown }).mode)} is not a credentials mode. Use "create" or "existing"`,
    );
  }
  if (typeof creds.userName === "string" && /^ocid1\./.test(creds.userName)) {
    // DESIGN.md §3: the Kafka SASL username is <tenancy>/<domain>/<userName>/<poolOCID>, with the
    // user's NAME; OCI Streaming refuses the login with the OCID in its place.
    throw new ValidationError(
      "replication.credentials.userName",
      `"${creds.userName.slice(0, 20)}…" is an OCID, but the Kafka username OCI Streaming checks is <tenancy>/<domain>/<user name>/<pool OCID>, with the user's name. Give the IAM user's name as the Console shows it (e.g. mm2-service), not its OCID`,
    );
  }
  if (creds.userName !== undefined && !IAM_NAME_PATTERN.test(creds.userName)) {
    throw new ValidationError(
      "replication.credentials.userName",
      `"${creds.userName}" is not an IAM user name. Use 1-100 letters, digits or . _ @ + -`,
    );
  }
  if (creds.mode === "create" && identityDomains) {
    if (creds.email === undefined || creds.email === "") {
      throw new ValidationError(
        "replication.credentials.email",
        'is required: this tenancy has identity domains (replication.identityDomains, default true), where OCI refuses a user without an email ("The primary email must be specified"). Give the address that should receive the MirrorMaker user\'s notifications, or set replication.identityDomains to false for a classic tenancy',
      );
    }
    if (typeof creds.email !== "string" || !EMAIL_PATTERN.test(creds.email)) {
      throw new ValidationError(
        "replication.credentials.email",
        `${JSON.stringify(creds.email)} is not an email address. Give one like mm2-service@example.com`,
      );
    }
  }
  if (creds.mode === "existing") {
    if (creds.domain !== undefined && !/^[A-Za-z0-9_-]{1,100}$/.test(creds.domain)) {
      throw new ValidationError(
        "replication.credentials.domain",
        `${JSON.stringify(creds.domain)} is not an identity domain name. Give the domain's name as the Console shows it (e.g. Default)`,
      );
    }
    if (creds.domain !== undefined && !identityDomains) {
      throw new ValidationError(
        "replication.credentials.domain",
        "is set but replication.identityDomains is false: a classic tenancy has no identity domains. Remove one of the two",
      );
    }
    if (creds.userName === undefined) {
      throw new ValidationError(
        "replication.credentials.userName",
        "is required with existing credentials. Give the IAM user's name (not its OCID)",
      );
    }
    if (creds.authToken === undefined || creds.authToken === "") {
      throw new ValidationError(
        "replication.credentials.authToken",
        "is required with existing credentials. Pass the auth token as a Pulumi secret (config.requireSecret)",
      );
    }
    if (typeof creds.authToken === "string") {
      throw new ValidationError(
        "replication.credentials.authToken",
        "is a plain string, which would be stored unencrypted in the state. Pass it as a Pulumi secret (config.requireSecret or pulumi.secret)",
      );
    }
  }
  return creds;
}

/** Validates the replication arguments this module owns (the MM2 model is validated by lib/core/mm2). */
export function resolveReplicationInfra(
  r: ReplicationArgs,
  role: Role,
  hasPeerEndpoint: boolean,
  options: { providersPending?: boolean; hasExternalKafka?: boolean } = {},
): ResolvedReplicationInfra {
  checkHomeRegionProvider(r.homeRegionProvider);
  refuseUnsetModeKeys(r, "replication.", { tenancyName: "looking the tenancy name up" });
  refuseUnsetModeKeys(r.credentials, "replication.credentials.", {
    userName: "a created user named after the component",
  });
  refuseUnsetModeKeys(r.fleet, "replication.fleet.", {
    imageId: "the newest Oracle Linux 8 image, changing with every release",
  });
  const flow = r.flow ?? DEFAULTS.replicationFlow;
  if (!FLOWS.includes(flow)) {
    throw new ValidationError(
      "replication.flow",
      `${JSON.stringify(flow)} is not a flow. Use ${FLOWS.map((f) => `"${f}"`).join(", ")}`,
    );
  }
  const external = flow !== "peer-to-local";
  if (external && !options.hasExternalKafka) {
    throw new ValidationError(
      "replication.flow",
      `"${flow}" needs the external cluster. Add externalKafka and onPremises, or use "peer-to-local"`,
    );
  }
  const enabled = r.enabled ?? (role === "dr" || external);
  if (r.tenancyId === undefined || r.tenancyId === "") {
    throw new ValidationError(
      "replication.tenancyId",
      "is required. Give the tenancy OCID (IAM lives at its root)",
    );
  }
  if (r.homeRegionProvider === undefined && !options.providersPending) {
    throw new ValidationError(
      "replication.homeRegionProvider",
      "is required: IAM users, groups, dynamic groups and policies can only be written in the home region. Pass an oci.Provider for it",
    );
  }
  if (enabled && !external && !hasPeerEndpoint) {
    throw new ValidationError(
      "peer",
      "has no bootstrapServers or streamPoolId, so there is nothing to pull from. Pass the peer's peering bundle, or set replication.enabled to false",
    );
  }
  const policy = r.replicationPolicy ?? DEFAULTS.replicationPolicy;
  if (policy !== "prefixed" && policy !== "identity") {
    throw new ValidationError(
      "replication.replicationPolicy",
      `${JSON.stringify(policy)} is not a replication policy. Use "prefixed" or "identity"`,
    );
  }
  const refresh = r.refreshIntervalSeconds ?? DEFAULTS.refreshIntervalSeconds;
  if (!Number.isInteger(refresh) || refresh < 5) {
    throw new ValidationError(
      "replication.refreshIntervalSeconds",
      `${String(refresh)} is too small or not whole. Use at least 5 seconds`,
    );
  }
  const bastionClientCidrs = (r.bastionClientCidrs ?? []).map((c, i) => {
    const cidr = validateCidr(`replication.bastionClientCidrs[${i}]`, c);
    if (cidr.prefix === 0) {
      throw new ValidationError(
        `replication.bastionClientCidrs[${i}]`,
        "0.0.0.0/0 would open the bastion to the whole internet. List your operators' CIDRs",
      );
    }
    return cidr.text;
  });
  if (r.kafkaDownloadBaseUrl !== undefined && !/^https:\/\/[^\s/]+(\/\S*)?$/.test(r.kafkaDownloadBaseUrl)) {
    throw new ValidationError(
      "replication.kafkaDownloadBaseUrl",
      `"${r.kafkaDownloadBaseUrl}" is not an https URL. Give the mirror's base URL, e.g. https://mirror.example.com/kafka`,
    );
  }
  for (const key of ["nodeDownloadBaseUrl", "jmxExporterDownloadBaseUrl"] as const) {
    const url = r[key];
    if (
      url !== undefined &&
      !/^https:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[A-Za-z0-9._~%+=@:/-]*)?$/.test(url)
    ) {
      throw new ValidationError(
        `replication.${key}`,
        `"${url}" is not an https URL without quotes, spaces or query string. Give the mirror's base URL, e.g. https://mirror.example.com/${key === "nodeDownloadBaseUrl" ? "node" : "maven2"}`,
      );
    }
  }
  const kafkaDownloadCidr =
    r.kafkaDownloadCidr !== undefined
      ? validateCidr("replication.kafkaDownloadCidr", r.kafkaDownloadCidr).text
      : undefined;
  if (r.identityDomains !== undefined && typeof r.identityDomains !== "boolean") {
    throw new ValidationError(
      "replication.identityDomains",
      `${JSON.stringify(r.identityDomains)} is not a boolean. Use true (tenancies with identity domains, the default) or false (classic tenancies)`,
    );
  }
  if (r.vault !== undefined) {
    for (const key of ["vaultId", "keyId"] as const) {
      if (r.vault[key] === undefined || r.vault[key] === "") {
        throw new ValidationError(
          `replication.vault.${key}`,
          `is ${r.vault[key] === undefined ? "undefined" : "empty"}: an existing vault needs both vaultId and keyId (a variable read from an unset environment variable?). Give the OCID, or leave replication.vault out to have a vault and key created`,
        );
      }
    }
  }
  const identityDomains = r.identityDomains ?? true;
  const credentials = resolveCredentials(r.credentials, identityDomains);
  return {
    enabled,
    flow,
    credentials,
    identityDomains,
    identityDomain: identityDomains
      ? ((credentials.mode === "existing" ? credentials.domain : undefined) ?? DEFAULT_IDENTITY_DOMAIN)
      : undefined,
    fleet: resolveFleet(r.fleet),
    bastionClientCidrs,
    replicationPolicy: policy,
    refreshIntervalSeconds: refresh,
    checkpointIntervalSeconds: r.checkpointIntervalSeconds ?? DEFAULTS.checkpointIntervalSeconds,
    offsetLagMax: r.offsetLagMax ?? DEFAULTS.offsetLagMax,
    kafkaDownloadBaseUrl: r.kafkaDownloadBaseUrl,
    kafkaDownloadCidr,
    nodeDownloadBaseUrl: r.nodeDownloadBaseUrl ?? DEFAULTS.nodeDownloadBaseUrl,
    jmxExporterDownloadBaseUrl: r.jmxExporterDownloadBaseUrl ?? DEFAULTS.jmxExporterDownloadBaseUrl,
  };
}

/**
 * Refuses replication loops between the two regions: when this region pulls from its peer and the
 * peer pulls from this region (active-active), each side must use the `prefixed` policy. With
 * `identity` both copies of a topic have the same name, and MirrorMaker cannot tell a record that
 * came from the other region from a local one: every record would travel back and forth forever.
 */
export function checkActiveActive(
  infra: Pick<ResolvedReplicationInfra, "enabled" | "flow" | "replicationPolicy">,
  peerReplication: PeerReplicationInfo | undefined,
): void {
  if (!infra.enabled || infra.flow !== "peer-to-local" || !peerReplication?.enabled) {
    return;
  }
  if (infra.replicationPolicy === "identity" || peerReplication.replicationPolicy === "identity") {
    const side = infra.replicationPolicy === "identity" ? "this region" : "the peer";
    throw new ValidationError(
      "replication.replicationPolicy",
      `both regions replicate from each other (active-active) and ${side} uses the identity policy: every record would loop between the regions. Use "prefixed" on both sides, or turn replication off on one side`,
    );
  }
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/**
 * The fleet reaches the peer's pool by its private FQDN, which OCI answers only inside the peer's
 * VCN: it is resolved through the peer's DNS listening endpoint, so its address must be known.
 */
function requirePeerDnsListener(ip: unknown): void {
  if (ip === undefined || ip === "") {
    throw new ValidationError(
      "peer.dnsListenerIp",
      "is required to replicate from the peer: OCI creates the peer pool's private FQDN in the peer VCN's private DNS only, and this region's fleet resolves it through the peer's DNS listening endpoint. Deploy the peer with this version (its peering output then carries dnsListenerIp), or pass it",
    );
  }
  if (typeof ip === "string" && !IPV4.test(ip)) {
    throw new ValidationError("peer.dnsListenerIp", `${JSON.stringify(ip)} is not an IPv4 address`);
  }
}

/** A topic or group filter: a non-empty list (for an include) of Java regular expressions. */
function validateFilter(
  key: "topicsInclude" | "topicsExclude" | "groupsInclude" | "groupsExclude",
  patterns: unknown,
): void {
  if (patterns === undefined) return;
  const field = `replication.${key}`;
  if (!Array.isArray(patterns) || patterns.some((p) => typeof p !== "string")) {
    throw new ValidationError(field, "must be a list of Java regular expressions. Pass an array of strings");
  }
  if (key.endsWith("Include") && patterns.length === 0) {
    throw new ValidationError(
      field,
      "is empty, which replicates nothing. Omit it to include everything (.*)",
    );
  }
  const problem = checkJavaRegexList(patterns as string[]);
  if (problem !== undefined) {
    throw new ValidationError(`${field}[${problem.index}]`, problem.problem);
  }
}

/**
 * The replication arguments, resolved against the rest of the deployment: {@link
 * resolveReplicationInfra}, the active-active policy rule, the peer's DNS listener (pulling from
 * the peer), and what MM2 replicates. The streams MM2 needs are planned afterwards, once the whole
 * model is known (./validateFleetPlan.ts): `preCreatedStreams` is empty here.
 */
export function resolveReplication(
  r: ReplicationArgs,
  d: ResolvedArgs,
  options: { providersPending?: boolean } = {},
): ResolvedReplication {
  const infra = resolveReplicationInfra(
    r,
    d.role,
    d.peer?.bootstrapServers !== undefined && d.peer?.streamPoolId !== undefined,
    { ...options, hasExternalKafka: d.externalKafka !== undefined },
  );
  checkActiveActive(infra, d.peer?.replication);
  if (infra.enabled && infra.flow === "peer-to-local") {
    requirePeerDnsListener(d.peer?.dnsListenerIp);
  }
  for (const key of ["topicsInclude", "topicsExclude", "groupsInclude", "groupsExclude"] as const) {
    validateFilter(key, r[key]);
  }
  if (r.tasksMax !== undefined && (!Number.isInteger(r.tasksMax) || r.tasksMax < 1)) {
    throw new ValidationError(
      "replication.tasksMax",
      `${String(r.tasksMax)} is not a task count. Use a whole number of at least 1, or omit it to derive it from the partitions and the fleet`,
    );
  }
  return {
    ...infra,
    tenancyId: r.tenancyId,
    tenancyName: r.tenancyName,
    homeRegionProvider: r.homeRegionProvider,
    vault: r.vault,
    iamNamePrefix: checkIamNamePrefix(r.iamNamePrefix),
    topicsInclude: r.topicsInclude,
    topicsExclude: r.topicsExclude,
    groupsInclude: r.groupsInclude,
    groupsExclude: r.groupsExclude,
    tasksMax: r.tasksMax,
    preCreatedStreams: [],
  };
}
