/**
 * Reads a Pulumi project (`Pulumi.yaml`) and a stack's settings (`Pulumi.<stack>.yaml`) the way
 * the Pulumi CLI hands configuration to a program, without the CLI: every value becomes a string
 * (structured values as JSON), keys are namespaced (`<project>:<key>` unless they carry one), and
 * project `config:` defaults apply when the stack sets nothing.
 *
 * `secure:` values cannot be decrypted offline; each is replaced by a stand-in string
 * (`[secure config <key>]`) and its key is marked secret, so the program sees a secret value.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export interface PulumiProject {
  /** Directory holding Pulumi.yaml. */
  dir: string;
  name: string;
  /** Absolute path of the program entry point (`main:`, default the directory itself). */
  main: string;
  /** Directory holding the stack files (`stackConfigDir:`, default the project directory). */
  stackConfigDir: string;
  /** Raw `config:` section of Pulumi.yaml. */
  config: Record<string, unknown>;
}

export interface StackConfig {
  /** Flattened config as the CLI passes it: `{ "oci:region": "eu-frankfurt-1", … }`. */
  config: Record<string, string>;
  /** Keys whose value is secret (`secure:` in the stack file). */
  secretKeys: string[];
  /** Every stand-in string placed where a `secure:` value was (mask these wherever they appear). */
  secretStrings: string[];
}

/** The stand-in a `secure:` value is replaced with. */
export function secureStandIn(key: string): string {
  return `[secure config ${key}]`;
}

/** Reads Pulumi.yaml in `dir`. */
export function readProject(dir: string): PulumiProject {
  const file = path.join(dir, "Pulumi.yaml");
  if (!fs.existsSync(file)) {
    throw new Error(`no Pulumi.yaml in ${dir}`);
  }
  const doc = asRecord(parse(fs.readFileSync(file, "utf8")), file);
  const name = doc.name;
  if (typeof name !== "string" || name === "") {
    throw new Error(`${file}: 'name' is required`);
  }
  const main = typeof doc.main === "string" ? path.resolve(dir, doc.main) : dir;
  const stackConfigDir = typeof doc.stackConfigDir === "string" ? path.resolve(dir, doc.stackConfigDir) : dir;
  const config =
    doc.config === undefined || doc.config === null ? {} : asRecord(doc.config, `${file}: config`);
  return { dir, name, main, stackConfigDir, config };
}

/** Stack names with a `Pulumi.<stack>.yaml` file. */
export function listStacks(project: PulumiProject): string[] {
  return fs
    .readdirSync(project.stackConfigDir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

const SCHEMA_KEYS = new Set(["type", "description", "default", "value", "secret", "items"]);

function isSchema(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    Object.keys(v).length > 0 &&
    Object.keys(v).every((k) => SCHEMA_KEYS.has(k))
  );
}

/**
 * The stack a settings file configures. A file may be a later step of another stack (the example
 * active-active's `Pulumi.primary-active.yaml` is stack `primary` updated in place); it says so in
 * a comment line `# offline-plan: same stack as <name>`, and is then planned as that stack (same
 * URNs and ids), so that what other stacks read from it still matches.
 */
export function stackIdentity(project: PulumiProject, stack: string): string {
  const file = [`Pulumi.${stack}.yaml`, `Pulumi.${stack}.yml`]
    .map((f) => path.join(project.stackConfigDir, f))
    .find((f) => fs.existsSync(f));
  const m = file
    ? /^#\s*offline-plan:\s*same stack as\s+([A-Za-z0-9._-]+)\s*$/m.exec(fs.readFileSync(file, "utf8"))
    : null;
  return m ? m[1] : stack;
}

/** Resolves the configuration a stack's program sees. */
export function readStackConfig(project: PulumiProject, stack: string): StackConfig {
  const candidates = [`Pulumi.${stack}.yaml`, `Pulumi.${stack}.yml`].map((f) =>
    path.join(project.stackConfigDir, f),
  );
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) {
    throw new Error(`no stack settings for '${stack}' (looked for ${candidates.join(", ")})`);
  }
  const doc = asRecord(parse(fs.readFileSync(file, "utf8")) ?? {}, file);
  const stackValues =
    doc.config === undefined || doc.config === null ? {} : asRecord(doc.config, `${file}: config`);

  const out: StackConfig = { config: {}, secretKeys: [], secretStrings: [] };
  const set = (rawKey: string, value: unknown) => {
    const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
    const secrets: string[] = [];
    const replaced = replaceSecure(value, key, secrets);
    out.config[key] = typeof replaced === "string" ? replaced : JSON.stringify(replaced);
    if (secrets.length > 0) {
      out.secretKeys.push(key);
      out.secretStrings.push(...secrets);
    } else {
      out.secretKeys = out.secretKeys.filter((k) => k !== key);
    }
  };
  for (const [k, v] of Object.entries(project.config)) {
    if (isSchema(v)) {
      if ("value" in v) {
        set(k, v.value);
      } else if ("default" in v) {
        set(k, v.default);
      }
    } else {
      set(k, v);
    }
  }
  for (const [k, v] of Object.entries(stackValues)) {
    set(k, v);
  }
  return out;
}

function replaceSecure(v: unknown, at: string, secrets: string[]): unknown {
  if (typeof v === "object" && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (Object.keys(o).length === 1 && typeof o.secure === "string") {
      const s = secureStandIn(at);
      secrets.push(s);
      return s;
    }
    return Object.fromEntries(
      Object.entries(o).map(([k, e]) => [k, replaceSecure(e, `${at}.${k}`, secrets)]),
    );
  }
  if (Array.isArray(v)) {
    return v.map((e, i) => replaceSecure(e, `${at}[${i}]`, secrets));
  }
  if (v === null || v === undefined) {
    return "";
  }
  return v;
}

function asRecord(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new Error(`${what}: expected a mapping`);
  }
  return v as Record<string, unknown>;
}
