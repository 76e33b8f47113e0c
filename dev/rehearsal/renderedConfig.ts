/**
 * MirrorMaker 2 driven by exactly what the dr stack renders.
 *
 * {@link prepareRenderedMirrorMaker} validates the arguments a dr stack would pass (peer = the
 * source cluster) with the component's own `resolveDeployment` (lib/core/config), and renders them
 * with the function the fleet renders its nodes with, `renderFleetConfig` (lib/core/fleet). The
 * runtime values the component learns from OCI (pool OCIDs, bootstrap servers, harness OCID,
 * tenancy and user names) are the local clusters' instead.
 *
 * What differs from a VM of the fleet, and nothing else:
 *  - endpoints and credentials (the local clusters' bootstrap servers, pool and harness OCIDs, and
 *    password);
 *  - `configDir` (model field): a temporary directory instead of `/etc/mm2`. It appears in the
 *    `${file:<configDir>/secrets.properties:…}` and `${file:<configDir>/node.properties:…}`
 *    placeholders, in `config.providers.file.param.allowed.paths` and in the header comment;
 *  - with several nodes on one host: each node runs a copy of mm2.properties whose ONLY changes are
 *    `listeners` (`http://127.0.0.1:<port>` instead of `http://0.0.0.0:8083`) and
 *    `rest.advertised.port` (`<port>`), since the nodes cannot all bind 8083. Checked key by key;
 *  - the emulated clusters' CA is trusted JVM-wide (`javax.net.ssl.trustStore`), as OCI's public CA
 *    is trusted by the VM's JDK: mm2.properties names no truststore either way.
 * secrets.properties is written by the real `put-secret.sh` (`putSecretScript()`, run with bash) from
 * the cluster password on stdin, exactly as the VM's boot writes it from the Vault secret;
 * node.properties holds `rest.advertised.host.name=127.0.0.1` (the VM writes its private IP).
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

import { putSecretScript } from "../../lib/core/cloudinit/scripts";
import type { GeoReplicatedStreamArgs, ReplicationArgs, StreamSpec } from "../../lib/core/config/args";
import { resolveDeployment } from "../../lib/core/config/validate";
import { renderFleetConfig, type ReplicatingDeployment } from "../../lib/core/fleet";
import {
  NODE_PROPERTIES_FILE_NAME,
  SECRETS_FILE_NAME,
  normalizeReplicationModel,
  parseProperties,
  remoteTopicName,
  secretSpecs,
  topicsToPreCreate,
  type ReplicationModelInput,
  type TopicPurpose,
  type TopicToPreCreate,
} from "../../lib/core/mm2";
import { regionFromKey, regionKey } from "../../lib/core/oci/regions";
import { DEFAULT_IDENTITY_DOMAIN } from "../../lib/core/config/validateReplication";
import { regionAlias } from "../../lib/core/oci/regions";
import {
  freePort,
  harnessTopicNames,
  startCluster,
  type LocalCluster,
  type StartClusterOptions,
} from "./cluster";
import { ensureKafkaRuntime, type KafkaRuntime } from "./kafkaRuntime";
import { startMirrorMaker, trustStoreFor, type MirrorMakerHandle } from "./mirrorMaker";
import { adminOpsOrThrow, type AdminOp } from "./tools";

/** A stream declared on the primary (source), as in `Pulumi.primary.yaml`. */
export interface RehearsalStream {
  name: string;
  partitions: number;
  retentionHours?: number;
}

export interface PrepareRenderedMirrorMakerOptions {
  /** The primary region's pool (emulated OCI cluster). */
  source: LocalCluster;
  /** The dr region's pool (emulated OCI cluster, with a Connect harness). */
  target: LocalCluster;
  /** MM2 alias of the source = region key of its region. Default `fra` (eu-frankfurt-1). */
  sourceAlias?: string;
  /** MM2 alias of the target. Default `ams` (eu-amsterdam-1). */
  targetAlias?: string;
  /** Streams declared on the primary: the peer's `streams`, created on the source here. */
  streams: RehearsalStream[];
  /** Streams the dr stack itself declares (its own `streams`), created on the target. Default none. */
  targetStreams?: RehearsalStream[];
  /** Directory for the config dir and logs (created if missing). */
  workDir: string;
  /** Fleet size (`replication.fleet.size`). Default 1. */
  nodes?: number;
  /** Replication arguments of the dr stack (topicsInclude, tasksMax, refreshIntervalSeconds, …). */
  overrides?: Partial<ReplicationArgs>;
  /** First internal REST port with several nodes (node i gets restPort + i). Default: free ports. */
  restPort?: number;
  /**
   * Negative controls only: MM2 topics NOT to pre-create, by purpose (e.g. every internal one to
   * show MM2 cannot start without them). Default: everything `topicsToPreCreate` lists is created.
   */
  omitPreCreated?: TopicPurpose[];
  /** Negative controls only: edits the rendered text before it is written (e.g. drop lines). */
  edit?: (rendered: string) => string;
  /** Create the topics (default true). */
  createTopics?: boolean;
  /**
   * The Connect harness MM2 uses as worker storage. Default: the target's own
   * (`target.harnessOcid`). A fresh one ({@link createConnectHarness}) gives a run its own Connect
   * state, like a new deployment.
   */
  connectHarnessId?: string;
}

export interface RenderedNode {
  /** The properties file this node runs (mm2.properties itself for a single node). */
  propertiesFile: string;
  /** Internal REST port (several nodes only). */
  restPort?: number;
}

export interface PreparedMirrorMaker {
  /** The model exactly as the component builds it (with `configDir` set to {@link configDir}). */
  model: ReplicationModelInput;
  /** `renderMm2Properties(model)`, unedited. */
  rendered: string;
  /** What was written to mm2.properties (= rendered unless `edit` was given). */
  written: string;
  sourceAlias: string;
  targetAlias: string;
  /** The stand-in for /etc/mm2. */
  configDir: string;
  /** mm2.properties (single node) or one copy per node. */
  propertiesFiles: string[];
  nodes: RenderedNode[];
  /** Names of `topicsToPreCreate(model)` (all on the target). */
  mm2TopicNames: string[];
  /** What `topicsToPreCreate(model)` returns, with the retention the component gives each stream. */
  preCreated: (TopicToPreCreate & { retentionHours: number; created: boolean })[];
  /** Remote name of a source topic under the model's replication policy (`fra.orders`). */
  remoteTopic(name: string): string;
  /** The source and target clusters this was prepared for. */
  source: LocalCluster;
  target: LocalCluster;
}

const REHEARSAL_TENANCY_ID = "ocid1.tenancy.oc1..aaaaaaaarehearsalrehearsalrehearsal";
const REHEARSAL_COMPARTMENT_ID = "ocid1.compartment.oc1..aaaaaaaarehearsalrehearsalrehearsal";
const REHEARSAL_SECRET_ID = "ocid1.vaultsecret.oc1.rehearsal.amaaaaaarehearsal";

/** The OCI region whose key is `alias` (`fra` → eu-frankfurt-1). */
export function regionOfAlias(alias: string): string {
  const region = regionFromKey(alias);
  if (region === undefined) {
    throw new Error(`no OCI region has the key "${alias}"; use a region key such as fra or ams`);
  }
  return region;
}

/** `<tenancy>/<user>/<pool>` (or with an identity domain) of an emulated cluster's username. */
function ociIdentity(cluster: LocalCluster): { tenancyName: string; userName: string; domain?: string } {
  const parts = (cluster.username ?? "").split("/");
  const pool = parts[parts.length - 1];
  if (
    !cluster.ociEmulation ||
    (parts.length !== 3 && parts.length !== 4) ||
    pool !== cluster.streamPoolOcid
  ) {
    throw new Error(
      `cluster ${cluster.name}: not an emulated OCI pool with a <tenancy>/<user>/<poolOCID> username (${cluster.username ?? "none"})`,
    );
  }
  return parts.length === 3
    ? { tenancyName: parts[0], userName: parts[1] }
    : { tenancyName: parts[0], domain: parts[1], userName: parts[2] };
}

/** The dr stack's GeoReplicatedStreamArgs for a rehearsal (peer = the source cluster). */
export function rehearsalDrArgs(options: {
  source: LocalCluster;
  sourceRegion: string;
  targetRegion: string;
  streams: RehearsalStream[];
  targetStreams?: RehearsalStream[];
  userName: string;
  tenancyName: string;
  /** The emulated pool's identity domain (its SASL username has four parts), if any. */
  domain?: string;
  nodes: number;
  overrides?: Partial<ReplicationArgs>;
}): GeoReplicatedStreamArgs {
  const toSpec = (s: RehearsalStream): StreamSpec => ({
    name: s.name,
    partitions: s.partitions,
    retentionHours: s.retentionHours ?? 24,
  });
  const { fleet, ...rest } = options.overrides ?? {};
  const replication: ReplicationArgs = {
    tenancyId: REHEARSAL_TENANCY_ID,
    tenancyName: options.tenancyName,
    // Created after validation by the stack program; never used by the model.
    homeRegionProvider: undefined as unknown as ReplicationArgs["homeRegionProvider"],
    // The tenancy kind follows the emulated pool's usernames: <tenancy>/<user>/<pool> is a classic
    // tenancy; <tenancy>/Default/<user>/<pool> one with identity domains (the created user's domain).
    identityDomains: options.domain !== undefined,
    credentials: { mode: "create", userName: options.userName, email: "mm2-rehearsal@example.invalid" },
    ...rest,
    fleet: { ...fleet, size: options.nodes },
  };
  return {
    role: "dr",
    region: options.targetRegion,
    compartmentId: REHEARSAL_COMPARTMENT_ID,
    network: { vcnCidr: "10.20.0.0/16" },
    streams: (options.targetStreams ?? []).map(toSpec),
    peer: {
      region: options.sourceRegion,
      vcnCidr: "10.10.0.0/16",
      mirrorMakerSubnetCidr: "10.10.2.0/24",
      remotePeeringConnectionId: `ocid1.remotepeeringconnection.oc1.${regionKey(options.sourceRegion).toLowerCase()}.amaaaaaarehearsal`,
      streamPoolId: options.source.streamPoolOcid,
      bootstrapServers: options.source.bootstrapServers,
      streams: options.streams.map(toSpec),
      // The primary's DNS listening endpoint, which the validation requires of a peer to pull
      // from; the local clusters are reached by address, so it resolves nothing here.
      dnsListenerIp: "10.10.2.53",
    },
    replication,
  };
}

const HOURS_MS = 3_600_000;

/** Writes a file readable by the owner only. */
function writePrivate(file: string, text: string): void {
  fs.writeFileSync(file, text, { mode: 0o600 });
}

/** Runs the VM's put-secret.sh with bash: `put-secret.sh FILE KEY MODE`, value on stdin. */
export function runPutSecret(
  scriptFile: string,
  file: string,
  key: string,
  mode: string,
  value: string,
): void {
  const result = spawnSync("bash", [scriptFile, file, key, mode], { input: value, encoding: "utf8" });
  if (result.error) throw new Error(`cannot run bash for put-secret.sh: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`put-secret.sh ${key} ${mode} failed (exit ${result.status}): ${result.stderr}`);
  }
}

/**
 * A per-node copy of mm2.properties whose only changes are `listeners` and `rest.advertised.port`
 * (checked: every other key keeps its exact value).
 */
export function perNodeProperties(text: string, port: number): string {
  const listeners = `http://127.0.0.1:${port}`;
  let changed = 0;
  const out = text
    .split("\n")
    .map((line) => {
      if (/^listeners=/.test(line)) {
        changed++;
        return `listeners=${listeners}`;
      }
      if (/^rest\.advertised\.port=/.test(line)) {
        changed++;
        return `rest.advertised.port=${port}`;
      }
      return line;
    })
    .join("\n");
  if (changed !== 2) {
    throw new Error(
      "mm2.properties of a multi-node fleet must have exactly one listeners= and one rest.advertised.port= line",
    );
  }
  const before = parseProperties(text);
  const after = parseProperties(out);
  const differing = [...new Set([...before.keys(), ...after.keys()])].filter(
    (k) => before.get(k) !== after.get(k),
  );
  if (differing.sort().join(",") !== "listeners,rest.advertised.port") {
    throw new Error(`internal: the per-node copy changed ${differing.join(", ")}`);
  }
  return out;
}

/**
 * Renders mm2.properties for the dr stack with the local clusters as the two regions, writes the
 * node's config dir (mm2.properties, secrets.properties through put-secret.sh, node.properties),
 * and creates the topics: the declared streams on the source, and exactly
 * `topicsToPreCreate(model)` on the target as the component creates them (ordinary streams with the
 * component's partitions and retention).
 */
export async function prepareRenderedMirrorMaker(
  options: PrepareRenderedMirrorMakerOptions,
): Promise<PreparedMirrorMaker> {
  const { source, target } = options;
  const sourceRegion = regionOfAlias(options.sourceAlias ?? "fra");
  const targetRegion = regionOfAlias(options.targetAlias ?? "ams");
  const sourceAlias = regionAlias(sourceRegion);
  const targetAlias = regionAlias(targetRegion);
  const nodes = options.nodes ?? 1;
  const sourceId = ociIdentity(source);
  const targetId = ociIdentity(target);
  if (sourceId.tenancyName !== targetId.tenancyName || sourceId.userName !== targetId.userName) {
    throw new Error(
      `the dr stack uses one IAM user for both pools: start both clusters with the same tenancyName and userName (got ${source.username} and ${target.username})`,
    );
  }
  if (sourceId.domain !== undefined || targetId.domain !== undefined) {
    throw new Error("identity-domain usernames are not modelled by the dr stack");
  }
  const connectHarnessId = options.connectHarnessId ?? target.harnessOcid;
  if (!connectHarnessId) throw new Error(`cluster ${target.name} has no Connect harness`);

  // The component's path: validate the dr stack's arguments, plan MM2's streams, build the model.
  const args = rehearsalDrArgs({
    source,
    sourceRegion,
    targetRegion,
    streams: options.streams,
    targetStreams: options.targetStreams,
    userName: sourceId.userName,
    tenancyName: sourceId.tenancyName,
    domain: sourceId.domain,
    nodes,
    overrides: options.overrides,
  });
  if (sourceId.domain !== undefined && sourceId.domain !== DEFAULT_IDENTITY_DOMAIN) {
    throw new Error(
      `cluster ${source.name}: a created MirrorMaker user lives in the ${DEFAULT_IDENTITY_DOMAIN} domain, not ${sourceId.domain}`,
    );
  }
  // The same validation (lib/core/config) and the same render (lib/core/fleet) as the fleet's.
  const resolved = resolveDeployment(args, { providersPending: true });
  const replicating: ReplicatingDeployment = { ...resolved, replication: resolved.replication! };
  const planned = replicating.replication.preCreatedStreams;
  fs.mkdirSync(options.workDir, { recursive: true });
  const configDir = path.join(fs.realpathSync(options.workDir), "etc-mm2");
  fs.mkdirSync(configDir, { recursive: true, mode: 0o750 });
  const { model, mm2Properties: rendered } = renderFleetConfig(
    replicating,
    {
      tenancyName: sourceId.tenancyName,
      userName: sourceId.userName,
      secretId: REHEARSAL_SECRET_ID,
      localStreamPoolId: target.streamPoolOcid!,
      localBootstrapServers: target.bootstrapServers,
      connectHarnessId,
      peerStreamPoolId: source.streamPoolOcid!,
      peerBootstrapServers: source.bootstrapServers,
    },
    { configDir },
  );
  const written = options.edit ? options.edit(rendered) : rendered;
  const mainFile = path.join(configDir, "mm2.properties");
  writePrivate(mainFile, written);

  // secrets.properties: what fetch-secrets.sh does with the Vault value, through the same script.
  const normalized = normalizeReplicationModel(model);
  const putSecret = path.join(options.workDir, "put-secret.sh");
  fs.writeFileSync(putSecret, putSecretScript(), { mode: 0o700 });
  const secretsFile = path.join(configDir, SECRETS_FILE_NAME);
  fs.rmSync(secretsFile, { force: true });
  const passwords: Record<string, string | undefined> = {
    [`${sourceAlias}.sasl.password`]: source.password,
    [`${targetAlias}.sasl.password`]: target.password,
  };
  for (const spec of secretSpecs(normalized)) {
    if (spec.kind !== "property" || passwords[spec.key] === undefined) {
      throw new Error(
        `the rehearsal cannot provide secret ${spec.kind === "property" ? spec.key : spec.path}`,
      );
    }
    runPutSecret(putSecret, secretsFile, spec.key, spec.escape, passwords[spec.key]!);
  }
  // node.properties: the VM writes its private IP (node-properties.sh); every local node is 127.0.0.1.
  fs.writeFileSync(path.join(configDir, NODE_PROPERTIES_FILE_NAME), "rest.advertised.host.name=127.0.0.1\n", {
    mode: 0o644,
  });

  const nodeList: RenderedNode[] = [];
  if (nodes === 1) {
    nodeList.push({ propertiesFile: mainFile });
  } else {
    for (let i = 0; i < nodes; i++) {
      const port = options.restPort !== undefined ? options.restPort + i : await freePort();
      const file = path.join(configDir, `mm2.node${i + 1}.properties`);
      writePrivate(file, perNodeProperties(written, port));
      nodeList.push({ propertiesFile: file, restPort: port });
    }
  }

  // Topics: exactly topicsToPreCreate(model), with the retention the component gives the streams.
  const toCreate = topicsToPreCreate(model, { fieldPrefix: "replication" });
  const plannedByName = new Map(planned.map((s) => [s.name, s]));
  const mismatch =
    toCreate.length !== planned.length ||
    toCreate.some(
      (t) =>
        t.cluster !== targetAlias ||
        plannedByName.get(t.name)?.partitions !== t.partitions ||
        plannedByName.get(t.name)?.purpose !== t.purpose,
    );
  if (mismatch) {
    throw new Error(
      `topicsToPreCreate(model) and the component's planReplicationStreams disagree:\n${JSON.stringify(toCreate)}\n${JSON.stringify(planned)}`,
    );
  }
  const omitted = new Set(options.omitPreCreated ?? []);
  const preCreated = toCreate.map((t) => ({
    ...t,
    retentionHours: plannedByName.get(t.name)!.retentionHours,
    created: !omitted.has(t.purpose),
  }));
  if (options.createTopics !== false) {
    const topicOp = (name: string, partitions: number, retentionHours: number): AdminOp => ({
      op: "createTopic",
      name,
      partitions,
      configs: { "retention.ms": String(retentionHours * HOURS_MS) },
    });
    const sourceOps = resolved.peer!.streams!.map((s) =>
      topicOp(s.name, s.partitions ?? 1, s.retentionHours ?? 24),
    );
    const targetOps = [
      ...resolved.streams.map((s) => topicOp(s.name, s.partitions, s.retentionHours)),
      ...preCreated.filter((t) => t.created).map((t) => topicOp(t.name, t.partitions, t.retentionHours)),
    ];
    const [sourceResults, targetResults] = await Promise.all([
      sourceOps.length > 0 ? source.admin(sourceOps) : Promise.resolve([]),
      targetOps.length > 0 ? target.admin(targetOps) : Promise.resolve([]),
    ]);
    const failed = [...sourceResults, ...targetResults].filter(
      (r) => !r.ok && r.error !== "TopicExistsException",
    );
    if (failed.length > 0) throw new Error(`creating the topics failed: ${JSON.stringify(failed)}`);
  }

  return {
    model,
    rendered,
    written,
    sourceAlias,
    targetAlias,
    configDir,
    propertiesFiles: nodeList.map((n) => n.propertiesFile),
    nodes: nodeList,
    mm2TopicNames: toCreate.map((t) => t.name),
    preCreated,
    remoteTopic: (name) => remoteTopicName(normalized.policy, sourceAlias, name),
    source,
    target,
  };
}

export interface StartRenderedNodeOptions {
  /** Default `<workDir of the config dir>/mm2-node<i>.log`. */
  logFile?: string;
  /** Default 384 MiB. */
  heapMb?: number;
  runtime?: KafkaRuntime;
  /** Extra JVM options (what the node's unit passes in KAFKA_OPTS, e.g. the JMX exporter agent). */
  jvmOptions?: string[];
}

/**
 * Starts node `index` (0-based) of a prepared fleet: the real MirrorMaker with its properties file,
 * `--clusters <target>`, as the VM's systemd unit does.
 */
export function startRenderedNode(
  prepared: PreparedMirrorMaker,
  index = 0,
  options: StartRenderedNodeOptions = {},
): Promise<MirrorMakerHandle> {
  const node = prepared.nodes[index];
  if (!node) throw new Error(`node ${index} does not exist (fleet of ${prepared.nodes.length})`);
  return startMirrorMaker({
    propertiesFile: node.propertiesFile,
    clusters: [prepared.targetAlias],
    logFile: options.logFile ?? path.join(path.dirname(prepared.configDir), `mm2-node${index + 1}.log`),
    trustStore: trustStoreFor(prepared.source),
    heapMb: options.heapMb ?? 384,
    runtime: options.runtime ?? prepared.source.runtime,
    jvmOptions: options.jvmOptions,
    name: `mirror-maker-${index + 1}`,
  });
}

/**
 * Creates another Connect harness on an emulated cluster: its three compacted topics
 * `<OCID>-config|-offset|-status` (1, 25 and 5 partitions, as the cluster's own). Returns the OCID.
 */
export async function createConnectHarness(cluster: LocalCluster, label = "h"): Promise<string> {
  const region = /^ocid1\.streampool\.oc1\.([^.]+)\./.exec(cluster.streamPoolOcid ?? "")?.[1] ?? "rehearsal";
  const ocid = `ocid1.connectharness.oc1.${region}.amaaaaaa${label.replace(/[^a-z0-9]/gi, "")}${randomBytes(12).toString("hex")}`;
  const topics = harnessTopicNames(ocid);
  const partitions = { config: 1, offset: 25, status: 5 } as const;
  await adminOpsOrThrow(
    cluster.runtime,
    cluster.toolClient(),
    (["config", "offset", "status"] as const).map((kind) => ({
      op: "createTopic" as const,
      name: topics[kind],
      partitions: partitions[kind],
      configs: { "cleanup.policy": "compact" },
    })),
  );
  return ocid;
}

export interface EmulatedRegions {
  source: LocalCluster;
  target: LocalCluster;
  stop(): Promise<void>;
}

/**
 * Starts the two emulated regions the way the dr stack sees them: eu-frankfurt-1 (`fra`, source)
 * and eu-amsterdam-1 (`ams`, target, with a Connect harness), one IAM user and one auth token for
 * both pools (as the component's credentials). If one fails to start, the other is stopped.
 */
export async function startEmulatedRegions(
  options: {
    runtime?: KafkaRuntime;
    sourceAlias?: string;
    targetAlias?: string;
    tenancyName?: string;
    userName?: string;
    heapMb?: number;
    cluster?: Partial<StartClusterOptions>;
  } = {},
): Promise<EmulatedRegions> {
  const runtime = options.runtime ?? (await ensureKafkaRuntime());
  const sourceAlias = options.sourceAlias ?? "fra";
  const targetAlias = options.targetAlias ?? "ams";
  const common: StartClusterOptions = {
    name: "x",
    ociEmulation: true,
    runtime,
    tenancyName: options.tenancyName ?? "ocigeo-rehearsal",
    userName: options.userName ?? "ocigeo-mm2",
    password: randomPassword(),
    heapMb: options.heapMb ?? 384,
    ...options.cluster,
  };
  const started = await Promise.allSettled([
    startCluster({ ...common, name: sourceAlias, region: regionOfAlias(sourceAlias), harness: false }),
    startCluster({ ...common, name: targetAlias, region: regionOfAlias(targetAlias) }),
  ]);
  const ok = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    await Promise.all(ok.map((c) => c.stop().catch(() => undefined)));
    throw failed.reason;
  }
  const [source, target] = ok;
  return {
    source,
    target,
    stop: async () => {
      await Promise.all([source.stop(), target.stop()]);
    },
  };
}

/** 20 characters like an OCI auth token, punctuation included (the broker's JAAS file refuses quotes and backslashes). */
function randomPassword(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789+-.<>()[]";
  return [...randomBytes(20)].map((b) => alphabet[b % alphabet.length]).join("");
}
