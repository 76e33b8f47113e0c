/**
 * The flows and the clusters' client settings of a MirrorMaker node, from its own mm2.properties —
 * so that an operator on the node (through the Bastion or Run Command) needs no token typed or
 * exported: the node already has everything, and its secrets are resolved the way Kafka's
 * `FileConfigProvider` resolves `${file:<path>:<key>}` in that file. Pure: the caller reads files.
 */
import { parseProperties } from "../../core/mm2/properties";
import type { PolicyNames } from "../../core/mm2/replicationPolicy";
import type { FlowSpec } from "./measure";

export interface NodeConfig {
  flows: FlowSpec[];
  /** Per cluster alias, its client settings as a Kafka client properties text (secrets resolved). */
  clients: Record<string, string>;
}

const PLACEHOLDER = /\$\{file:([^:}]+):([^}]+)\}/g;
const CLIENT_KEYS = /^(bootstrap\.servers|security\.protocol|sasl\.[a-z.]+|ssl\.[a-z.]+)$/;

/** `${file:<path>:<key>}` replaced by the key's value in that properties file (FileConfigProvider). */
export function resolveFilePlaceholders(value: string, readFile: (path: string) => string): string {
  const files = new Map<string, Map<string, string>>();
  return value.replace(PLACEHOLDER, (_all, file: string, key: string) => {
    if (!files.has(file)) files.set(file, parseProperties(readFile(file)));
    const v = files.get(file)!.get(key);
    if (v === undefined) throw new Error(`${file} has no ${key} (named in mm2.properties)`);
    return v;
  });
}

/** Java properties text of `entries` (escapes as `java.util.Properties.load` reads them). */
function propertiesText(entries: [string, string][]): string {
  const esc = (s: string) => s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/^ /, "\\ ");
  return entries.map(([k, v]) => `${k}=${esc(v)}`).join("\n");
}

/**
 * Reads a node's mm2.properties: every enabled flow into the node's target clusters, the policy, the
 * workers' status topic, and each cluster's client settings.
 */
export function nodeConfigFromMm2Properties(text: string, readFile: (path: string) => string): NodeConfig {
  const props = parseProperties(text);
  const aliases = (props.get("clusters") ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  if (aliases.length === 0) throw new Error("mm2.properties names no clusters (clusters=…)");
  const policyClass =
    props.get("replication.policy.class") ?? "org.apache.kafka.connect.mirror.DefaultReplicationPolicy";
  const policy: PolicyNames = {
    type: /IdentityReplicationPolicy$/.test(policyClass) ? "identity" : "prefixed",
    separator: props.get("replication.policy.separator") ?? ".",
  };
  const flows: FlowSpec[] = [];
  for (const source of aliases) {
    for (const target of aliases) {
      if (source !== target && props.get(`${source}->${target}.enabled`) === "true") {
        flows.push({
          source,
          target,
          policy,
          statusTopic: props.get(`${target}.status.storage.topic`) ?? `mm2-status.${source}.internal`,
        });
      }
    }
  }
  const clients: Record<string, string> = {};
  for (const alias of aliases) {
    const prefix = `${alias}.`;
    const entries: [string, string][] = [];
    for (const [k, v] of props) {
      if (!k.startsWith(prefix)) continue;
      const key = k.slice(prefix.length);
      if (CLIENT_KEYS.test(key)) entries.push([key, resolveFilePlaceholders(v, readFile)]);
    }
    clients[alias] = propertiesText(entries);
  }
  return { flows, clients };
}
