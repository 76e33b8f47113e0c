/**
 * MirrorMaker 2 driven by `renderMm2Properties` from any {@link ReplicationModelInput} — on-prem →
 * OCI, OCI → on-prem, one fleet of an active-active pair — on local clusters.
 *
 * Where {@link prepareRenderedMirrorMaker} (./renderedConfig.ts) goes through the Pulumi component's
 * dr-stack path (OCI → OCI only), this takes the model itself, so that external clusters and either
 * direction are rehearsed with exactly what the renderer writes. Like there, the only differences
 * from a VM of the fleet are:
 *  - endpoints and credentials (the local clusters' bootstrap servers, pool and harness OCIDs,
 *    passwords), put into the model by {@link ociClusterSpec} / {@link externalClusterSpec};
 *  - `configDir`: a temporary directory instead of `/etc/mm2`;
 *  - the emulated clusters' CA is trusted JVM-wide, as OCI's public CA is by the VM's JDK.
 * secrets.properties is written by the VM's own `put-secret.sh`, one call per `secretSpecs(model)`
 * entry, with the value the VM would fetch from the Vault secret of that OCID; node.properties holds
 * `rest.advertised.host.name=127.0.0.1`. Topics: exactly `topicsToPreCreate(model)`, on the OCI
 * clusters only (as the component creates them: ordinary streams); on an external cluster MM2
 * creates what it needs itself.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import { putSecretScript } from "../../lib/core/cloudinit/scripts";
import {
  NODE_PROPERTIES_FILE_NAME,
  SECRETS_FILE_NAME,
  normalizeReplicationModel,
  renderMm2Properties,
  secretSpecs,
  topicsToPreCreate,
  type ExternalClusterSpec,
  type OciClusterSpec,
  type ReplicationModelInput,
  type TopicSpec,
  type TopicToPreCreate,
} from "../../lib/core/mm2";
import type { LocalCluster } from "./cluster";
import type { KafkaRuntime } from "./kafkaRuntime";
import { startMirrorMaker, trustStoreFor, type MirrorMakerHandle } from "./mirrorMaker";
import { runPutSecret } from "./renderedConfig";
import type { AdminOp } from "./tools";

const HOURS_MS = 3_600_000;

/** The Vault secret OCID the rehearsal uses for a cluster's password (`<label>` = alias). */
export function rehearsalSecretId(label: string): string {
  return `ocid1.vaultsecret.oc1.rehearsal.amaaaaaa${label.toLowerCase().replace(/[^a-z0-9]/g, "")}`;
}

/**
 * An emulated OCI pool as the model describes it: tenancy, user and pool OCID from the cluster's
 * `<tenancy>/<user>/<poolOCID>` username; the auth token in Vault secret `rehearsalSecretId(alias)`.
 */
export function ociClusterSpec(
  alias: string,
  cluster: LocalCluster,
  options: { connectHarnessId?: string; topics?: TopicSpec[] } = {},
): OciClusterSpec {
  const parts = (cluster.username ?? "").split("/");
  if (!cluster.ociEmulation || parts.length !== 3 || parts[2] !== cluster.streamPoolOcid) {
    throw new Error(
      `cluster ${cluster.name} is not an emulated OCI pool with a <tenancy>/<user>/<pool> username`,
    );
  }
  return {
    kind: "oci",
    alias,
    bootstrapServers: cluster.bootstrapServers,
    tenancyName: parts[0],
    userName: parts[1],
    streamPoolId: cluster.streamPoolOcid!,
    authToken: { secretId: rehearsalSecretId(alias) },
    ...(options.connectHarnessId !== undefined ? { connectHarnessId: options.connectHarnessId } : {}),
    ...(options.topics !== undefined ? { topics: options.topics } : {}),
  };
}

/** The Vault secret OCIDs the rehearsal uses for an mTLS cluster's PEM trust store and key store. */
export function rehearsalStoreSecretIds(alias: string): { truststore: string; keystore: string } {
  return { truststore: rehearsalSecretId(`${alias}ts`), keystore: rehearsalSecretId(`${alias}ks`) };
}

/**
 * An on-prem stand-in as the model describes it: SCRAM-SHA-512 over SASL_PLAINTEXT, or mutual TLS
 * (SSL with PEM trust and key stores, delivered as Vault secret files).
 */
export function externalClusterSpec(
  alias: string,
  cluster: LocalCluster,
  options: { topics?: TopicSpec[] } = {},
): ExternalClusterSpec {
  if (!cluster.ociEmulation && cluster.securityProtocol === "SSL" && cluster.clientKeystorePemPath) {
    const ids = rehearsalStoreSecretIds(alias);
    return {
      kind: "external",
      alias,
      bootstrapServers: cluster.bootstrapServers,
      security: {
        protocol: "SSL",
        tls: {
          truststore: { type: "PEM", content: { secretId: ids.truststore } },
          keystore: { type: "PEM", content: { secretId: ids.keystore } },
        },
      },
      ...(options.topics !== undefined ? { topics: options.topics } : {}),
    };
  }
  if (cluster.ociEmulation || cluster.securityProtocol !== "SASL_PLAINTEXT" || !cluster.username) {
    throw new Error(`cluster ${cluster.name} is not a SCRAM (SASL_PLAINTEXT) or mTLS on-prem stand-in`);
  }
  return {
    kind: "external",
    alias,
    bootstrapServers: cluster.bootstrapServers,
    security: {
      protocol: "SASL_PLAINTEXT",
      mechanism: cluster.saslMechanism ?? "SCRAM-SHA-512",
      username: cluster.username,
      password: { secretId: rehearsalSecretId(alias) },
    },
    ...(options.topics !== undefined ? { topics: options.topics } : {}),
  };
}

export interface PrepareModelMirrorMakerOptions {
  /** The fleet's model; its `configDir` is replaced by `<workDir>/etc-mm2`. */
  model: ReplicationModelInput;
  /** The local cluster behind each alias of the model. */
  clusters: Record<string, LocalCluster>;
  workDir: string;
  /**
   * Vault secret OCID → value (for a file secret: the file's content). Default: each cluster's
   * password under `rehearsalSecretId(alias)`, an mTLS cluster's CA and key store PEM under
   * `rehearsalStoreSecretIds(alias)`.
   */
  secrets?: Record<string, string>;
  /** Test-only: edits the rendered text before it is written (e.g. a shorter checkpoint interval). */
  edit?: (rendered: string) => string;
  /** Retention of the pre-created streams (default 24 h, OCI's minimum). */
  retentionHours?: number;
  /** Create `topicsToPreCreate(model)` on the OCI clusters (default true). */
  createTopics?: boolean;
}

export interface PreparedModelMirrorMaker {
  /** The model as rendered (configDir set). */
  model: ReplicationModelInput;
  /** `renderMm2Properties(model)`, written to {@link propertiesFile} (through `edit` when given). */
  rendered: string;
  configDir: string;
  propertiesFile: string;
  /** `--clusters`: the model's target. */
  target: string;
  /** `topicsToPreCreate(model)`. */
  preCreated: TopicToPreCreate[];
  clusters: Record<string, LocalCluster>;
}

/**
 * Renders mm2.properties from the model, writes the config dir (mm2.properties, secrets.properties
 * through put-secret.sh, node.properties) and creates `topicsToPreCreate(model)` on the OCI clusters.
 */
export async function prepareModelMirrorMaker(
  options: PrepareModelMirrorMakerOptions,
): Promise<PreparedModelMirrorMaker> {
  fs.mkdirSync(options.workDir, { recursive: true });
  const configDir = path.join(fs.realpathSync(options.workDir), "etc-mm2");
  fs.mkdirSync(configDir, { recursive: true, mode: 0o750 });
  const model: ReplicationModelInput = { ...options.model, configDir };
  for (const c of model.clusters) {
    if (options.clusters[c.alias] === undefined) throw new Error(`no local cluster for alias ${c.alias}`);
  }
  const rendered = renderMm2Properties(model);
  const propertiesFile = path.join(configDir, "mm2.properties");
  fs.writeFileSync(propertiesFile, options.edit ? options.edit(rendered) : rendered, { mode: 0o600 });

  const secrets: Record<string, string> = options.secrets ?? {};
  if (options.secrets === undefined) {
    for (const [alias, cluster] of Object.entries(options.clusters)) {
      if (cluster.password !== undefined) secrets[rehearsalSecretId(alias)] = cluster.password;
      if (cluster.clientKeystorePemPath && cluster.caPemPath) {
        const ids = rehearsalStoreSecretIds(alias);
        secrets[ids.truststore] = fs.readFileSync(cluster.caPemPath, "utf8");
        secrets[ids.keystore] = fs.readFileSync(cluster.clientKeystorePemPath, "utf8");
      }
    }
  }
  const putSecret = path.join(options.workDir, "put-secret.sh");
  fs.writeFileSync(putSecret, putSecretScript(), { mode: 0o700 });
  const secretsFile = path.join(configDir, SECRETS_FILE_NAME);
  fs.rmSync(secretsFile, { force: true });
  for (const spec of secretSpecs(normalizeReplicationModel(model))) {
    const value = secrets[spec.secretId];
    if (value === undefined) {
      throw new Error(
        `the rehearsal cannot provide secret ${spec.kind === "property" ? spec.key : spec.path}`,
      );
    }
    if (spec.kind === "file") {
      // The VM writes the decoded secret content to this path (mode 0600).
      fs.mkdirSync(path.dirname(spec.path), { recursive: true });
      fs.writeFileSync(spec.path, value, { mode: 0o600 });
    } else {
      runPutSecret(putSecret, secretsFile, spec.key, spec.escape, value);
    }
  }
  fs.writeFileSync(path.join(configDir, NODE_PROPERTIES_FILE_NAME), "rest.advertised.host.name=127.0.0.1\n", {
    mode: 0o644,
  });

  const preCreated = topicsToPreCreate(model);
  if (options.createTopics !== false) {
    const retention = String((options.retentionHours ?? 24) * HOURS_MS);
    const byCluster = new Map<string, AdminOp[]>();
    for (const t of preCreated) {
      const ops = byCluster.get(t.cluster) ?? [];
      ops.push({
        op: "createTopic",
        name: t.name,
        partitions: t.partitions,
        configs: { "retention.ms": retention },
      });
      byCluster.set(t.cluster, ops);
    }
    const results = await Promise.all(
      [...byCluster].map(([alias, ops]) => options.clusters[alias].admin(ops)),
    );
    const failed = results.flat().filter((r) => !r.ok && r.error !== "TopicExistsException");
    if (failed.length > 0) throw new Error(`creating MM2's topics failed: ${JSON.stringify(failed)}`);
  }
  return {
    model,
    rendered,
    configDir,
    propertiesFile,
    target: model.target,
    preCreated,
    clusters: options.clusters,
  };
}

/** Starts the fleet's node: `MirrorMaker mm2.properties --clusters <target>`, as the VM's unit does. */
export function startModelNode(
  prepared: PreparedModelMirrorMaker,
  options: { logFile?: string; heapMb?: number; runtime?: KafkaRuntime; name?: string } = {},
): Promise<MirrorMakerHandle> {
  const clusters = Object.values(prepared.clusters);
  // The emulated clusters share one process-wide CA: any of their trust stores trusts them all.
  const trustStore = clusters.map(trustStoreFor).find((t) => t !== undefined);
  return startMirrorMaker({
    propertiesFile: prepared.propertiesFile,
    clusters: [prepared.target],
    logFile: options.logFile ?? path.join(path.dirname(prepared.configDir), `mm2-${prepared.target}.log`),
    trustStore,
    heapMb: options.heapMb ?? 384,
    runtime: options.runtime ?? clusters[0].runtime,
    name: options.name ?? `mirror-maker-${prepared.target}`,
  });
}
