/**
 * Validation of a replication model, before anything is rendered or registered.
 *
 * Every problem is thrown as a {@link ValidationError} whose `field` is the dotted path of the
 * offending input (relative to the model, optionally under a caller-given prefix such as
 * `replication`) and whose message says what is wrong and how to fix it. Values of secret-bearing
 * fields are never repeated in messages.
 */

import { ValidationError } from "../errors";
import { checkJavaRegexList } from "./javaRegex";
import {
  ClusterSpec,
  FilterSpec,
  ReplicationModelInput,
  StoreSpec,
  TlsSpec,
  normalizeReplicationModel,
} from "./replicationModel";
import {
  checkpointsTopicName,
  mm2Topics,
  offsetSyncsPlacement,
  remoteTopicName,
  replicatedTopics,
  streamNameProblem,
  HEARTBEATS_TOPIC,
} from "./topics";

/** Cluster aliases: they prefix properties and remote topic names, so keep them short and plain. */
export const ALIAS_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

/**
 * First segments of top-level mm2.properties keys. An alias equal to one of these would make MM2 read
 * a global setting as a cluster setting (MM2 treats `<alias>.x` as property `x` of cluster `<alias>`).
 */
export const RESERVED_ALIASES: readonly string[] = [
  "admin",
  "bootstrap",
  "checkpoints",
  "client",
  "clusters",
  "config",
  "consumer",
  "dedicated",
  "emit",
  "exactly",
  "groups",
  "header",
  "heartbeats",
  "key",
  "listeners",
  "metric",
  "metrics",
  "offset",
  "offset-syncs",
  "producer",
  "refresh",
  "replication",
  "rest",
  "sasl",
  "security",
  "source",
  "ssl",
  "status",
  "sync",
  "target",
  "task",
  "tasks",
  "topics",
  "value",
  "worker",
];

const SEPARATOR_PATTERN = /^[A-Za-z0-9._-]{1,8}$/;
const BOOTSTRAP_ENTRY = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:([0-9]{1,5})$/;
const OCID_CHARS = "[A-Za-z0-9._-]+";
const ociOcid = (type: string): RegExp => new RegExp(`^ocid1\\.${type}\\.${OCID_CHARS}$`);
const VAULT_SECRET_OCID = ociOcid("vaultsecret");
const STREAM_POOL_OCID = ociOcid("streampool");
const HARNESS_OCID = ociOcid("connectharness");
/** Names that end up inside the double-quoted SASL username: no quote, backslash or slash. */
const NAME_PART = /^[A-Za-z0-9@._+-]{1,255}$/;
const CONFIG_DIR = /^\/(?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+$/;
const MAX_PARTITIONS = 10_000;

export interface ValidateOptions {
  /** Prefix for every field path, e.g. `replication` gives `replication.flows[0].source`. */
  readonly fieldPrefix?: string;
}

function isPositiveInt(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= 1;
}

/**
 * Throws {@link ValidationError} on the first problem found; returns normally when the model can be
 * rendered. Checks, in order: clusters, topics, fleet, policy, flows and their patterns, the fleet's
 * target, tasks.max and refresh intervals, then the names MM2 will use.
 */
export function validateReplicationModel(input: ReplicationModelInput, options: ValidateOptions = {}): void {
  const at = (field: string): string => (options.fieldPrefix ? `${options.fieldPrefix}.${field}` : field);
  const fail = (field: string, message: string): never => {
    throw new ValidationError(at(field), message);
  };

  if (!Array.isArray(input.clusters) || input.clusters.length < 2) {
    fail("clusters", "needs at least two clusters (a source and a target). Add the peer cluster");
  }
  const aliases = new Map<string, number>();
  input.clusters.forEach((c, i) => {
    validateCluster(c, `clusters[${i}]`, fail);
    const first = aliases.get(c.alias);
    if (first !== undefined) {
      fail(
        `clusters[${i}].alias`,
        `"${c.alias}" is already used by clusters[${first}]. Give each cluster its own alias`,
      );
    }
    aliases.set(c.alias, i);
  });

  // Fleet.
  if (input.fleet === undefined || !isPositiveInt(input.fleet.nodes)) {
    fail("fleet.nodes", "must be an integer >= 1. Run at least one MM2 node");
  }
  if (!isPositiveInt(input.fleet.coresPerNode)) {
    fail("fleet.coresPerNode", "must be an integer >= 1. Give the vCPU count of one node's shape");
  }
  const port = input.fleet.internalRestPort;
  if (port !== undefined && (!Number.isInteger(port) || port < 1024 || port > 65535)) {
    fail(
      "fleet.internalRestPort",
      "must be an integer between 1024 and 65535. Pick an unprivileged free port (default 8083)",
    );
  }

  // Policy.
  const policyType = input.policy?.type ?? "prefixed";
  if (policyType !== "prefixed" && policyType !== "identity") {
    fail(
      "policy.type",
      `must be "prefixed" or "identity". Use "prefixed" (the default) unless topics must keep their names`,
    );
  }
  const separator = input.policy?.separator ?? ".";
  if (!SEPARATOR_PATTERN.test(separator)) {
    fail(
      "policy.separator",
      'must be 1-8 characters from [A-Za-z0-9._-] (it becomes part of topic names). Use the default "."',
    );
  }
  for (const [alias, i] of aliases) {
    if (alias.includes(separator)) {
      fail(
        `clusters[${i}].alias`,
        `"${alias}" contains the replication separator "${separator}", so MM2 could not tell the source of a remote topic. Change the alias or the separator`,
      );
    }
  }

  // Flows.
  if (!Array.isArray(input.flows) || input.flows.length === 0) {
    fail("flows", "needs at least one replication flow. Add { source, target }");
  }
  const pairs = new Map<string, number>();
  input.flows.forEach((f, i) => {
    for (const end of ["source", "target"] as const) {
      if (!aliases.has(f[end])) {
        fail(
          `flows[${i}].${end}`,
          `"${f[end]}" is not the alias of any cluster. Use one of: ${[...aliases.keys()].sort().join(", ")}`,
        );
      }
    }
    if (f.source === f.target) {
      fail(
        `flows[${i}].target`,
        "is the same cluster as the source. Replicate between two different clusters",
      );
    }
    const key = `${f.source}->${f.target}`;
    const first = pairs.get(key);
    if (first !== undefined) {
      fail(
        `flows[${i}]`,
        `duplicates flows[${first}] (${key}). Merge their topic and group filters into one flow`,
      );
    }
    pairs.set(key, i);
    validateFilter(f.topics, `flows[${i}].topics`, fail);
    validateFilter(f.groups, `flows[${i}].groups`, fail);
  });
  if (policyType === "identity") {
    for (const [key, i] of pairs) {
      const [s, t] = key.split("->");
      if (pairs.has(`${t}->${s}`)) {
        fail(
          "policy.type",
          `"identity" cannot be used with bidirectional replication (flows[${i}] ${key} and its reverse): identical topic names would be replicated back and forth forever. Use the "prefixed" policy, or replicate in one direction only`,
        );
      }
    }
  }

  // The fleet's target.
  if (!aliases.has(input.target)) {
    fail(
      "target",
      `"${input.target}" is not the alias of any cluster. Set it to the cluster this fleet replicates into`,
    );
  }
  const inbound = input.flows.filter((f) => f.target === input.target);
  if (inbound.length === 0) {
    fail(
      "target",
      `no flow replicates into "${input.target}", so this fleet would have nothing to run. Add a flow whose target is "${input.target}"`,
    );
  }
  const targetCluster = input.clusters[aliases.get(input.target) ?? 0];
  if (targetCluster.kind === "oci") {
    const i = aliases.get(input.target) ?? 0;
    if (targetCluster.connectHarnessId === undefined) {
      fail(
        `clusters[${i}].connectHarnessId`,
        "is required on the fleet's OCI target: MM2's worker storage must be the harness's compacted topics (OCI cannot create compacted topics). Pass the Connect harness OCID",
      );
    }
    if (inbound.length > 1) {
      fail(
        "flows",
        `${inbound.length} flows replicate into the OCI cluster "${input.target}", but MM2 runs one Connect group per flow and they would all share the single Connect harness as worker storage. Replicate into an OCI target from one source per fleet`,
      );
    }
  }

  if (input.tasksMax !== undefined && !isPositiveInt(input.tasksMax)) {
    fail("tasksMax", "must be an integer >= 1. Omit it to derive it from the partitions and the fleet");
  }
  for (const k of ["topicsIntervalSeconds", "groupsIntervalSeconds", "checkpointIntervalSeconds"] as const) {
    const v = input.refresh?.[k];
    if (v !== undefined && !isPositiveInt(v)) {
      fail(`refresh.${k}`, "must be an integer number of seconds >= 1. Omit it for the default (60)");
    }
  }
  if (
    input.offsetLagMax !== undefined &&
    !(Number.isInteger(input.offsetLagMax) && input.offsetLagMax >= 0)
  ) {
    fail("offsetLagMax", "must be an integer >= 0. Omit it for Kafka's default (100)");
  }
  const loc = input.offsetSyncsTopicLocation;
  if (loc !== undefined && loc !== "source" && loc !== "target") {
    fail("offsetSyncsTopicLocation", `must be "source" or "target". Omit it for the default ("target")`);
  }
  if (
    input.configDir !== undefined &&
    (!CONFIG_DIR.test(input.configDir) || input.configDir.split("/").includes(".."))
  ) {
    fail(
      "configDir",
      "must be an absolute directory path of [A-Za-z0-9._-] segments without a trailing slash. Omit it for /etc/mm2",
    );
  }

  validateNames(input, aliases, fail);
}

type Fail = (field: string, message: string) => never;

function validateCluster(c: ClusterSpec, at: string, fail: Fail): void {
  if (c === null || typeof c !== "object") {
    fail(at, "must be a cluster object. Pass { kind, alias, bootstrapServers, … }");
  }
  if (typeof c.alias !== "string" || !ALIAS_PATTERN.test(c.alias)) {
    fail(
      `${at}.alias`,
      `"${String(c.alias)}" is not a valid alias: it must start with a letter and use at most 32 characters from [A-Za-z0-9_-]. Choose e.g. "primary" or "dr"`,
    );
  }
  if (RESERVED_ALIASES.includes(c.alias.toLowerCase())) {
    fail(
      `${at}.alias`,
      `"${c.alias}" is the first word of a global MM2 setting and would be misread. Choose another alias`,
    );
  }
  validateBootstrap(c.bootstrapServers, `${at}.bootstrapServers`, fail);
  if (c.kind === "oci") {
    for (const k of ["tenancyName", "userName"] as const) {
      if (typeof c[k] !== "string" || !NAME_PART.test(c[k])) {
        fail(
          `${at}.${k}`,
          `must be the ${k === "tenancyName" ? "tenancy" : "user"} name (not an OCID) using [A-Za-z0-9@._+-]. Pass the name shown in the OCI console`,
        );
      }
    }
    if (c.identityDomainName !== undefined && !NAME_PART.test(c.identityDomainName)) {
      fail(
        `${at}.identityDomainName`,
        "must be the identity domain name using [A-Za-z0-9@._+-]. Omit it for users of the default domain",
      );
    }
    if (typeof c.streamPoolId !== "string" || !STREAM_POOL_OCID.test(c.streamPoolId)) {
      fail(`${at}.streamPoolId`, "must be a stream pool OCID (ocid1.streampool.…). Pass the pool's id");
    }
    validateSecretRef(c.authToken, `${at}.authToken`, fail);
    if (c.connectHarnessId !== undefined && !HARNESS_OCID.test(c.connectHarnessId)) {
      fail(
        `${at}.connectHarnessId`,
        "must be a Connect harness OCID (ocid1.connectharness.…). Pass the harness's id",
      );
    }
  } else if (c.kind === "external") {
    validateExternalSecurity(c, at, fail);
  } else {
    fail(`${at}.kind`, `must be "oci" or "external". Use "oci" for OCI Streaming pools`);
  }
  const names = new Set<string>();
  (c.topics ?? []).forEach((t, j) => {
    const problem = streamNameProblem(typeof t.name === "string" ? t.name : "");
    if (problem !== undefined) {
      fail(`${at}.topics[${j}].name`, problem);
    }
    if (names.has(t.name)) {
      fail(`${at}.topics[${j}].name`, `"${t.name}" is declared twice. Declare each topic once`);
    }
    names.add(t.name);
    if (!isPositiveInt(t.partitions) || t.partitions > MAX_PARTITIONS) {
      fail(
        `${at}.topics[${j}].partitions`,
        `must be an integer between 1 and ${MAX_PARTITIONS}. Give the stream's partition count`,
      );
    }
  });
}

function validateBootstrap(value: unknown, field: string, fail: Fail): void {
  const entries = typeof value === "string" ? value.split(",") : [];
  const bad =
    entries.length === 0 ||
    entries.some((e) => {
      const m = BOOTSTRAP_ENTRY.exec(e);
      return m === null || Number(m[2]) < 1 || Number(m[2]) > 65535;
    });
  if (bad) {
    fail(
      field,
      "must be host:port[,host:port…] without spaces. Use the pool's kafkaSettings.bootstrapServers (FQDN:9092)",
    );
  }
}

function validateSecretRef(ref: unknown, field: string, fail: Fail): void {
  const id = ref !== null && typeof ref === "object" ? (ref as { secretId?: unknown }).secretId : undefined;
  if (typeof id !== "string" || !VAULT_SECRET_OCID.test(id)) {
    // The value is deliberately not repeated: a misplaced token or password must not reach logs.
    fail(
      `${field}.secretId`,
      "is not an OCI Vault secret OCID (ocid1.vaultsecret.…). Store the credential in OCI Vault and pass the secret's OCID here, never the credential itself",
    );
  }
}

function validateStore(store: StoreSpec | undefined, field: string, fail: Fail): void {
  if (store === undefined) {
    return;
  }
  if (store.type !== "PKCS12" && store.type !== "JKS" && store.type !== "PEM") {
    fail(`${field}.type`, `must be "PKCS12", "JKS" or "PEM". Give the store's format`);
  }
  validateSecretRef(store.content, `${field}.content`, fail);
  if (store.password !== undefined) {
    validateSecretRef(store.password, `${field}.password`, fail);
  } else if (store.type !== "PEM") {
    fail(
      `${field}.password`,
      `is required for a ${store.type} store. Pass the Vault secret holding the store password`,
    );
  }
}

function validateTls(tls: TlsSpec | undefined, field: string, fail: Fail): void {
  if (tls === undefined) {
    return;
  }
  validateStore(tls.truststore, `${field}.truststore`, fail);
  validateStore(tls.keystore, `${field}.keystore`, fail);
  if (tls.keyPassword !== undefined) {
    if (tls.keystore === undefined) {
      fail(`${field}.keyPassword`, "is set without a keystore. Add the keystore or remove the key password");
    }
    validateSecretRef(tls.keyPassword, `${field}.keyPassword`, fail);
  }
}

function validateExternalSecurity(
  c: Extract<ClusterSpec, { kind: "external" }>,
  at: string,
  fail: Fail,
): void {
  const sec = c.security;
  const field = `${at}.security`;
  if (sec === undefined || sec === null) {
    fail(field, "is required for an external cluster. Give its protocol and credentials");
  }
  if (sec.protocol === "SSL") {
    if (sec.tls === undefined) {
      fail(
        `${field}.tls`,
        "is required with protocol SSL. Give at least { } (JVM trust store) or a truststore/keystore",
      );
    }
    validateTls(sec.tls, `${field}.tls`, fail);
    return;
  }
  if (sec.protocol !== "SASL_SSL" && sec.protocol !== "SASL_PLAINTEXT") {
    fail(
      `${field}.protocol`,
      `must be "SASL_SSL", "SSL" or "SASL_PLAINTEXT". Use SASL_SSL unless the broker offers only mTLS`,
    );
  }
  if (sec.mechanism !== "PLAIN" && sec.mechanism !== "SCRAM-SHA-256" && sec.mechanism !== "SCRAM-SHA-512") {
    fail(
      `${field}.mechanism`,
      `must be "PLAIN", "SCRAM-SHA-256" or "SCRAM-SHA-512". Use the mechanism the brokers enable`,
    );
  }
  if (typeof sec.username !== "string" || !NAME_PART.test(sec.username)) {
    fail(`${field}.username`, "must be 1-255 characters from [A-Za-z0-9@._+-]. Pass the SASL user name");
  }
  validateSecretRef(sec.password, `${field}.password`, fail);
  if (sec.tls !== undefined) {
    if (sec.protocol === "SASL_PLAINTEXT") {
      fail(`${field}.tls`, "is set with SASL_PLAINTEXT, which does not use TLS. Use SASL_SSL or remove tls");
    }
    validateTls(sec.tls, `${field}.tls`, fail);
  }
}

function validateFilter(filter: FilterSpec | undefined, field: string, fail: Fail): void {
  if (filter === undefined) {
    return;
  }
  for (const list of ["include", "exclude"] as const) {
    const patterns = filter[list];
    if (patterns === undefined) {
      continue;
    }
    if (!Array.isArray(patterns) || patterns.some((p) => typeof p !== "string")) {
      fail(`${field}.${list}`, "must be a list of Java regular expressions. Pass an array of strings");
    }
    if (list === "include" && patterns.length === 0) {
      fail(`${field}.include`, "is empty, which replicates nothing. Omit it to include everything (.*)");
    }
    const problem = checkJavaRegexList(patterns);
    if (problem !== undefined) {
      fail(`${field}.${list}[${problem.index}]`, problem.problem);
    }
  }
}

/** Checks the names MM2 will use on each cluster: valid stream names, no clash with declared topics. */
function validateNames(input: ReplicationModelInput, aliases: Map<string, number>, fail: Fail): void {
  const model = normalizeReplicationModel(input);
  const inputFlowIndex = (s: string, t: string): number =>
    input.flows.findIndex((f) => f.source === s && f.target === t);
  const declared = (alias: string, name: string): { j: number; partitions: number } | undefined => {
    const c = input.clusters[aliases.get(alias) ?? 0];
    const j = (c.topics ?? []).findIndex((t) => t.name === name);
    return j < 0 ? undefined : { j, partitions: (c.topics ?? [])[j].partitions };
  };
  for (const flow of model.flows) {
    if (flow.target !== model.target) {
      continue;
    }
    const fi = inputFlowIndex(flow.source, flow.target);
    const internal = [
      checkpointsTopicName(model.policy, flow.source),
      offsetSyncsPlacement(model, flow).name,
      HEARTBEATS_TOPIC,
      remoteTopicName(model.policy, flow.source, HEARTBEATS_TOPIC),
    ];
    for (const name of internal) {
      const problem = streamNameProblem(name);
      if (problem !== undefined) {
        fail(`flows[${fi}]`, `MM2's internal topic name ${problem}`);
      }
    }
    const sourceIndex = aliases.get(flow.source) ?? 0;
    const sourceTopics = input.clusters[sourceIndex].topics ?? [];
    for (const t of replicatedTopics(model, flow)) {
      const j = sourceTopics.findIndex((x) => x.name === t.name);
      const remote = remoteTopicName(model.policy, flow.source, t.name);
      const problem = streamNameProblem(remote);
      if (problem !== undefined) {
        fail(
          `clusters[${sourceIndex}].topics[${j}].name`,
          `gives the remote topic name ${remote.length > 60 ? "" : `"${remote}" `}that ${problem}`,
        );
      }
      const existing = declared(flow.target, remote);
      if (existing !== undefined && existing.partitions !== t.partitions) {
        const ti = aliases.get(flow.target) ?? 0;
        fail(
          `clusters[${ti}].topics[${existing.j}].partitions`,
          `is ${existing.partitions} but the replicated source topic "${t.name}" has ${t.partitions}; MM2 keeps partitions 1:1 and OCI cannot change a stream's partition count. Declare the same partition count`,
        );
      }
    }
  }
  // Sanity: the full topic list can be computed (no internal inconsistency).
  mm2Topics(model);
}
