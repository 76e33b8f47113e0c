/**
 * Sizing the fleet's instance metadata before any resource exists: the user-data rendered with
 * the longest values the runtime ids and names can take (the real ones can only be shorter).
 */
import { createHash } from "node:crypto";
import { instanceMetadata, instanceMetadataBytes, OperationsNodeInput } from "../cloudinit";
import { iamName } from "../oci/iamNames";
import { toolsObjectName } from "../telemetry/artifacts";
import { ReplicatingDeployment, ReplicationRuntimeValues } from "./model";
import { fleetOperationsInput, renderFleetConfig, replicationLayerName } from "./render";

/** Object Storage namespaces are short tenancy strings; 64 characters bounds them. */
const OS_NAMESPACE_MAX_CHARS = 64;

/** The longest operations input a deployment can render (for sizing the user-data). */
function longestOperations(d: ReplicatingDeployment, componentName: string | undefined): OperationsNodeInput {
  const r = d;
  const deployment = replicationLayerName(componentName ?? filler("component", 64));
  const sha = "f".repeat(64);
  return fleetOperationsInput(d, deployment, {
    compartmentId:
      typeof r.compartmentId === "string" ? r.compartmentId : longestOcid("compartment", r.region),
    tools: {
      namespace: filler("namespace", OS_NAMESPACE_MAX_CHARS),
      bucket: `${deployment}-tools-ffffff`,
      object: toolsObjectName(filler("version", 32), sha),
      sha256: sha,
      version: filler("version", 32),
    },
  });
}

/** Pseudo-random `[a-z0-9]` text (no repetition for gzip to exploit), the same for the same seed. */
function filler(seed: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) {
    out += BigInt(`0x${createHash("sha256").update(`${seed}|${i}`).digest("hex")}`).toString(36);
  }
  return out.slice(0, length);
}

/** Length of the unique part of an OCID: 60 characters in the OCIDs OCI issues; 4 more for safety. */
const OCID_UNIQUE_CHARS = 64;
/** The longest IAM user name (and the bound taken for a tenancy name looked up at deployment). */
const IAM_NAME_MAX_CHARS = 100;
/** The longest DNS name (RFC 1035). */
const FQDN_MAX_CHARS = 253;

function longestOcid(kind: string, region: string): string {
  return `ocid1.${kind}.oc1.${region}.${filler(`${kind}|${region}`, OCID_UNIQUE_CHARS)}`;
}

function longestBootstrap(seed: string): string {
  const labels = filler(seed, FQDN_MAX_CHARS).match(/.{1,62}/g)!;
  return `${labels.join(".").slice(0, FQDN_MAX_CHARS)}:9092`;
}

/**
 * The longest values the runtime ids and names can take, for sizing the user-data before any of
 * them exists: what is already known as plain text (a given user, tenancy name, pool or peer
 * endpoint) as it is, the rest at its maximum length in characters that do not compress.
 */
export function longestRuntimeValues(
  d: ReplicatingDeployment,
  componentName?: string,
): ReplicationRuntimeValues {
  const r = d;
  const args = d.replication;
  const known = (v: unknown, otherwise: string): string =>
    typeof v === "string" && v !== "" ? v : otherwise;
  const userName = args.credentials?.userName;
  const peerRegion = r.peer?.region ?? r.region;
  const secret = (what: string) => longestOcid("vaultsecret", `${r.region}-${what}`);
  return {
    tenancyName: known(args.tenancyName, filler("tenancy", IAM_NAME_MAX_CHARS)),
    // A created user's name starts with the deployment's prefix, which defaults to the Pulumi
    // project and stack (lib/core/oci/iamNames.ts): exact only when the prefix is given.
    userName: known(
      userName,
      componentName !== undefined && args.iamNamePrefix !== undefined
        ? iamName(args.iamNamePrefix, `${componentName}-replication-credentials-user`)
        : filler("user", IAM_NAME_MAX_CHARS),
    ),
    secretId: secret("token"),
    localStreamPoolId: known(r.streamPool.existingStreamPoolId, longestOcid("streampool", r.region)),
    localBootstrapServers: longestBootstrap("local"),
    connectHarnessId: longestOcid("connectharness", r.region),
    peerStreamPoolId: known(r.peer?.streamPoolId, longestOcid("streampool", peerRegion)),
    peerBootstrapServers: known(r.peer?.bootstrapServers, longestBootstrap("peer")),
    external: {
      saslPassword: secret("sasl"),
      caCertificate: secret("ca"),
      keystore: secret("keystore"),
      keyPassword: secret("keypassword"),
    },
  };
}

/**
 * Room kept below OCI's limit for what the sizing render cannot foresee exactly: gzip's Huffman
 * tables come out a few bytes different for the real ids than for the stand-ins.
 */
export const METADATA_SAFETY_BYTES = 256;

/**
 * The bytes of instance metadata a node of this fleet gets at most (user-data gzip-compressed and
 * base64-encoded, and the SSH keys), rendered with {@link longestRuntimeValues}.
 */
export function longestInstanceMetadataBytes(d: ReplicatingDeployment, componentName?: string): number {
  const operations = d.monitoring.enabled ? longestOperations(d, componentName) : undefined;
  const { userData } = renderFleetConfig(d, longestRuntimeValues(d, componentName), { operations });
  return instanceMetadataBytes(instanceMetadata(userData, d.replication.fleet.sshAuthorizedKeys));
}
