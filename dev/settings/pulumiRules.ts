/**
 * The Pulumi CLI's checks of project config declarations and stack config, without the CLI, as
 * v3.274.1 makes them (sdk/go/common/workspace/project.go `Validate` and `ValidateConfigValue`,
 * project.json's `configTypeDeclaration`, pkg/workspace/config.go `mergeConfig`), so that a test can
 * prove `pulumi preview -s <stack>` gets past "validating stack config":
 *
 * - a key in the project namespace declared without `default` or `value` is required: every stack
 *   must set it, typed or not (there is no optional declaration);
 * - a declared `type` is string, integer, boolean, array (with `items`) or object; `items` nest;
 * - a `default` matches the declared type; `default` and `value` exclude each other; a key of
 *   another namespace has a `value` and neither type nor default;
 * - a typed key's stack value matches its type, and a `secret: true` key is set encrypted.
 *
 * Stack values reach the type check as the CLI holds them: a scalar as its text, a list or mapping
 * as the JSON structure (numbers as floats). Encrypted values are not decrypted here, so only the
 * "must be encrypted" rule is checked for them.
 */
import { parse } from "yaml";

const SIMPLE_TYPES = ["string", "integer", "boolean", "array", "object"];
const DECLARATION_KEYS = ["type", "items", "description", "secret", "default", "value"];

interface ItemsType {
  type?: unknown;
  items?: ItemsType;
}

/** Pulumi's `ValidateConfigValue`. */
export function validateConfigValue(type: string, items: ItemsType | undefined, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return (
        (typeof value === "number" && Number.isInteger(value)) ||
        (typeof value === "string" && /^[-+]?\d+$/.test(value))
      );
    case "boolean":
      return value === true || value === false || value === "true" || value === "false";
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    default:
      return (
        Array.isArray(value) &&
        items !== undefined &&
        value.every((v) => validateConfigValue(String(items.type), items.items, v))
      );
  }
}

/** Pulumi's `InferFullTypeName`. */
function fullTypeName(type: string, items: ItemsType | undefined): string {
  return items ? `array<${fullTypeName(String(items.type), items.items)}>` : type;
}

function itemsProblem(key: string, items: unknown): string | undefined {
  if (items === null || typeof items !== "object") {
    return `config '${key}': items must be a mapping with a type`;
  }
  const i = items as ItemsType;
  if (typeof i.type !== "string" || !SIMPLE_TYPES.includes(i.type)) {
    return `config '${key}': items type ${JSON.stringify(i.type)} is not one of ${SIMPLE_TYPES.join(", ")}`;
  }
  if (i.type === "array") {
    return i.items === undefined
      ? `config '${key}': items of type array need their own items`
      : itemsProblem(key, i.items);
  }
  return undefined;
}

export interface Project {
  name: string;
  /** `config:` after Pulumi's shorthand rewrite (`key: value` becomes a default or a value). */
  config: Record<string, Record<string, unknown>>;
}

/** Reads a Pulumi.yaml text the way the CLI does (shorthand values rewritten). */
export function readProjectText(text: string): Project {
  const doc = (parse(text) ?? {}) as { name?: unknown; config?: unknown };
  if (typeof doc.name !== "string" || doc.name === "") {
    throw new Error("project is missing a non-empty string 'name' attribute");
  }
  const config: Record<string, Record<string, unknown>> = {};
  for (const [key, v] of Object.entries((doc.config ?? {}) as Record<string, unknown>)) {
    const shorthand = v === null || typeof v !== "object" || Array.isArray(v);
    config[key] = shorthand
      ? isProjectKey(doc.name, key)
        ? { default: v }
        : { value: v }
      : (v as Record<string, unknown>);
  }
  return { name: doc.name, config };
}

function isProjectKey(projectName: string, key: string): boolean {
  return !key.includes(":") || key.startsWith(`${projectName}:`);
}

/** Pulumi's project validation of the `config:` declarations; the problems found (none: valid). */
export function projectProblems(project: Project): string[] {
  const problems: string[] = [];
  for (const [key, decl] of Object.entries(project.config)) {
    const unknown = Object.keys(decl).filter((k) => !DECLARATION_KEYS.includes(k));
    if (unknown.length > 0) {
      problems.push(`config '${key}': ${unknown.map((k) => `'${k}'`).join(", ")} not allowed`);
    }
    if (decl.default !== undefined && decl.value !== undefined) {
      problems.push(`project config '${key}' cannot have both a 'default' and 'value' attribute`);
    }
    const type = decl.type;
    if (!isProjectKey(project.name, key)) {
      if (type !== undefined) {
        problems.push(
          `Configuration key '${key}' is not namespaced by the project and should not define a type`,
        );
      }
      if (decl.default !== undefined) {
        problems.push(
          `Configuration key '${key}' is not namespaced by the project and should not define a default value`,
        );
      }
      if (decl.value === undefined) {
        problems.push(`Configuration key '${key}' is namespaced and must provide an attribute 'value'`);
      }
      continue;
    }
    if (type === undefined) {
      continue;
    }
    if (typeof type !== "string" || !SIMPLE_TYPES.includes(type)) {
      problems.push(`config '${key}': type ${JSON.stringify(type)} is not one of ${SIMPLE_TYPES.join(", ")}`);
      continue;
    }
    if (type === "array") {
      if (decl.items === undefined) {
        problems.push(
          `The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`,
        );
        continue;
      }
      const p = itemsProblem(key, decl.items);
      if (p) {
        problems.push(p);
        continue;
      }
    }
    const items = decl.items as ItemsType | undefined;
    if (decl.default !== undefined && !validateConfigValue(type, items, decl.default)) {
      problems.push(
        `The default value specified for configuration key '${key}' is not of the expected type '${fullTypeName(type, items)}'`,
      );
    }
  }
  return problems;
}

function isSecure(v: unknown): boolean {
  return (
    v !== null &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    Object.keys(v).length === 1 &&
    typeof (v as { secure?: unknown }).secure === "string"
  );
}

/** A stack value as the CLI holds it for the type check: scalars as text, structures as JSON. */
function cliValue(v: unknown): unknown {
  return v !== null && typeof v === "object" ? JSON.parse(JSON.stringify(v)) : String(v);
}

/** Pulumi's `mergeConfig` checks of one stack's settings (a Pulumi.<stack>.yaml text). */
export function stackProblems(project: Project, stackName: string, stackText: string): string[] {
  const doc = (parse(stackText) ?? {}) as { config?: Record<string, unknown> };
  const values = new Map<string, unknown>();
  for (const [k, v] of Object.entries(doc.config ?? {})) {
    values.set(k.includes(":") ? k : `${project.name}:${k}`, v);
  }
  const problems: string[] = [];
  const missing: string[] = [];
  for (const key of Object.keys(project.config).sort()) {
    const decl = project.config[key];
    const full = key.includes(":") ? key : `${project.name}:${key}`;
    const found = values.has(full);
    const hasDefault = decl.default !== undefined || decl.value !== undefined;
    if (!found) {
      if (!hasDefault && full.startsWith(`${project.name}:`)) {
        missing.push(key);
      }
      continue;
    }
    if (typeof decl.type !== "string") {
      continue;
    }
    const value = values.get(full);
    if (decl.secret === true && !isSecure(value)) {
      problems.push(`Stack '${stackName}' with configuration key '${key}' must be encrypted as it's secret`);
      continue;
    }
    if (isSecure(value)) {
      continue;
    }
    const items = decl.items as ItemsType | undefined;
    if (!validateConfigValue(decl.type, items, cliValue(value))) {
      problems.push(
        `Stack '${stackName}' with configuration key '${key}' must be of type '${fullTypeName(decl.type, items)}'`,
      );
    }
  }
  if (missing.length > 0) {
    const list =
      missing.length === 1
        ? `'${missing[0]}'`
        : `${missing
            .slice(0, -1)
            .map((k) => `'${k}'`)
            .join(", ")} and '${missing[missing.length - 1]}'`;
    problems.unshift(
      `Stack '${stackName}' is missing configuration value${missing.length > 1 ? "s" : ""} ${list}`,
    );
  }
  return problems;
}
