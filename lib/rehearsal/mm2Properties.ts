/**
 * Plumbing between local clusters and an mm2.properties text: the text decides WHAT MirrorMaker
 * does (the renderer's job); this module only fills in WHERE the clusters are and HOW to log in.
 *
 * Placeholders are `{{name}}` (distinct from Kafka's `${provider:path:key}` config-provider
 * syntax, which passes through untouched). For a cluster bound to alias `fra`:
 * `{{fra.bootstrap.servers}}`, `{{fra.username}}`, `{{fra.password}}`, and for emulated clusters
 * with a harness `{{fra.harness.config}}`, `{{fra.harness.offset}}`, `{{fra.harness.status}}`.
 */
import * as fs from "node:fs";

import type { LocalCluster } from "./cluster";

export function clusterPlaceholders(alias: string, cluster: LocalCluster): Record<string, string> {
  const values: Record<string, string> = { [`${alias}.bootstrap.servers`]: cluster.bootstrapServers };
  if (cluster.username !== undefined) values[`${alias}.username`] = cluster.username;
  if (cluster.password !== undefined) values[`${alias}.password`] = cluster.password;
  if (cluster.harnessTopics) {
    values[`${alias}.harness.config`] = cluster.harnessTopics.config;
    values[`${alias}.harness.offset`] = cluster.harnessTopics.offset;
    values[`${alias}.harness.status`] = cluster.harnessTopics.status;
  }
  return values;
}

/** Replaces every `{{name}}`; throws if one has no value (a silently empty endpoint helps nobody). */
export function substitutePlaceholders(template: string, values: Record<string, string>): string {
  const missing = new Set<string>();
  const text = template.replace(/\{\{\s*([^{}\s]+)\s*\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) {
      missing.add(name);
      return "";
    }
    return value;
  });
  if (missing.size > 0) throw new Error(`no value for placeholder(s): ${[...missing].join(", ")}`);
  return text;
}

/** Minimal `.properties` reader (key = value per line, `#`/`!` comments; no continuations). */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    const match = /^((?:\\.|[^=:\s\\])+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (match) out[match[1].replace(/\\(.)/g, "$1")] = match[2];
    else out[line] = "";
  }
  return out;
}

/** Drops the property lines whose key satisfies `predicate` (comments and other lines stay). */
export function removeProperties(text: string, predicate: (key: string) => boolean): string {
  return text
    .split("\n")
    .filter((raw) => {
      const line = raw.trim();
      if (line === "" || line.startsWith("#") || line.startsWith("!")) return true;
      const key = Object.keys(parseProperties(line))[0];
      return key === undefined || !predicate(key);
    })
    .join("\n");
}

/** Writes a properties file readable by the owner only (it holds credentials). */
export function writePrivateFile(file: string, text: string): string {
  fs.writeFileSync(file, text, { mode: 0o600 });
  return file;
}
