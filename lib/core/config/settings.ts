/**
 * The stack settings: every config key the stack program reads, derived from the argument table
 * (lib/core/config/arguments.ts: the entries with a `key`). From them:
 *
 * - the stack program reads config through {@link readStackSettings} (typed, checked, defaults
 *   applied) before it registers anything;
 * - `Pulumi.yaml`'s `config:` section and the config reference are generated (`npm run gen:settings`;
 *   tests/unit/settings.test.ts fails when either has drifted);
 * - the Automation API's key list ({@link PROGRAM_CONFIG_KEYS}) and its encoding of values.
 *
 * The Pulumi CLI treats every key declared in Pulumi.yaml without a `default` as required (there is
 * no "optional" declaration), so only two kinds of setting are declared there: `required` ones and
 * ones with a static `default`. The rest are documented in the config reference only.
 *
 * Pure: no Pulumi resources, no I/O.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../errors";
import { ArgType, DEFINITION_LIST, DEFINITIONS, Definition, SettingStacks } from "./arguments";

export { DEFAULTS } from "./arguments";
export type { SettingStacks } from "./arguments";

/** Config value types, as Pulumi.yaml declares them (`array` with `items`). */
export type SettingType = "string" | "integer" | "boolean" | "string[]" | "object[]" | "object";

/** One setting. */
export interface Setting {
  /** The key, without its namespace. */
  readonly key: string;
  /** The namespace when it is not the project's (only `oci:region`). */
  readonly namespace?: "oci";
  readonly type: SettingType;
  /** What it means (one or two sentences; Pulumi.yaml description and the config reference). */
  readonly doc: string;
  readonly stacks: SettingStacks;
  /** Every stack must set it: declared in Pulumi.yaml without a default (the CLI then requires it). */
  readonly required?: true;
  /** A static default: declared in Pulumi.yaml with it, and applied by {@link readStackSettings}. */
  readonly default?: string | number | boolean | readonly string[] | readonly object[];
  /** How the default reads in the docs and the JSDoc (`Default: <text>`); derived defaults have only this. */
  readonly defaultDoc?: string;
  /** A Pulumi secret (read with `getSecret`; set with `pulumi config set --secret`). */
  readonly secret?: true;
  /** Allowed values of a string setting. */
  readonly oneOf?: readonly string[];
  /** Smallest value of an integer setting. */
  readonly min?: number;
  /** Largest value of an integer setting. */
  readonly max?: number;
  /** The component argument it sets (a path in GeoReplicatedStreamArgs). */
  readonly arg?: string;
  /** The stack program maps it by hand (not 1:1). */
  readonly mapping?: "hand";
}

/** How a setting of each argument type is written in stack config. */
const SETTING_TYPE: Record<ArgType, SettingType> = {
  string: "string",
  input: "string",
  integer: "integer",
  number: "integer",
  boolean: "boolean",
  "string[]": "string[]",
  "input[]": "string[]",
  "number[]": "object[]",
  object: "object",
  "object[]": "object[]",
  "record<string>": "object",
  any: "object",
};

/** A definition with a key as a setting. */
function settingFrom(d: Definition & { key: string }): Setting {
  const { type, default: value, derivedDefault, itemsAs, name, doc, stacks, max, ...rest } = d;
  void itemsAs;
  void name;
  if (doc === undefined || stacks === undefined) {
    throw new Error(`internal: setting ${d.key} has no doc or stacks (lib/core/config/arguments.ts)`);
  }
  return {
    ...rest,
    type: SETTING_TYPE[type],
    doc,
    stacks,
    ...(max !== undefined ? { max } : {}),
    ...(value !== undefined && !derivedDefault ? { default: value } : {}),
  };
}

/** Every setting, in documentation order. */
export const SETTINGS: readonly Setting[] = DEFINITIONS.filter(
  (d): d is Definition & { key: string } => d.key !== undefined,
).map(settingFrom);

type Entry = Extract<(typeof DEFINITION_LIST)[number], { key: string }>;
type ProjectEntry = Exclude<Entry, { namespace: "oci" }>;

/** The project-namespace keys the stack program reads (what the Automation API manages). */
export type ProgramConfigKey = ProjectEntry["key"];

type Widen<E, Secret> = E extends { oneOf: readonly (infer U)[] }
  ? U
  : E extends { secret: true }
    ? Secret
    : E extends { type: "string" | "input" }
      ? string
      : E extends { type: "integer" | "number" }
        ? number
        : E extends { type: "boolean" }
          ? boolean
          : E extends { type: "string[]" | "input[]" }
            ? string[]
            : E extends { type: "object[]" }
              ? Record<string, unknown>[]
              : Record<string, unknown>;

type HasStaticDefault<E> = E extends { default: unknown }
  ? E extends { derivedDefault: true }
    ? false
    : true
  : false;

/**
 * The stack's settings, typed by the table: a setting with a static default is always present,
 * the others are `undefined` when unset.
 */
export type StackSettings = {
  [E in ProjectEntry as E["key"]]: HasStaticDefault<E> extends true
    ? Widen<E, pulumi.Output<string>>
    : Widen<E, pulumi.Output<string>> | undefined;
};

/** The value of each setting as one sets it (secrets as plain strings): the Automation API's model. */
export type SettingValues = { [E in ProjectEntry as E["key"]]: Widen<E, string> };

/** The project-namespace keys, in table order. */
export const PROGRAM_CONFIG_KEYS: readonly ProgramConfigKey[] = SETTINGS.filter(
  (s) => s.namespace === undefined,
).map((s) => s.key as ProgramConfigKey);

/** The setting of `key` (project namespace unless `oci:`-prefixed). */
export function settingOf(key: string): Setting | undefined {
  const [ns, k] = key.includes(":") ? key.split(":", 2) : [undefined, key];
  return SETTINGS.find((s) => s.key === k && (ns === undefined ? !s.namespace : s.namespace === ns));
}

/** `Default: <text>` of a setting or argument as the docs and the JSDoc say it; undefined when it has none. */
export function defaultText(s: Pick<Definition, "default" | "defaultDoc">): string | undefined {
  return s.defaultDoc ?? (s.default !== undefined ? formatValue(s.default) : undefined);
}

/** A value as the docs write it: strings bare, lists and objects as JSON. */
export function formatValue(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** The full key (`<namespace>:<key>`). */
export function fullKey(s: Setting, projectName: string): string {
  return `${s.namespace ?? projectName}:${s.key}`;
}

/** Pulumi.yaml's type declaration of a setting (`type`, and `items` for lists). */
export function pulumiType(t: SettingType): { type: string; items?: { type: string } } {
  return t === "string[]"
    ? { type: "array", items: { type: "string" } }
    : t === "object[]"
      ? { type: "array", items: { type: "object" } }
      : { type: t };
}

/** The parts of `pulumi.Config` the settings are read through (the Automation API supplies its own). */
export interface StackConfigReader {
  /** The raw value (structured values are JSON text), undefined when unset. */
  get(key: string): string | undefined;
  /** The value as a Pulumi secret, undefined when unset. */
  getSecret(key: string): pulumi.Output<string> | undefined;
}

/** A stack config value in the text form `pulumi.Config` hands it over, as a setting's type. */
export function parseSettingValue(s: Setting, raw: string, projectName: string): unknown {
  const key = fullKey(s, projectName);
  const fail = (what: string, fix: string): never => {
    throw new ValidationError(s.key, `${JSON.stringify(raw)} is not ${what}. ${fix} (config ${key})`);
  };
  switch (s.type) {
    case "string":
      if (s.oneOf !== undefined && !s.oneOf.includes(raw)) {
        fail(`one of ${s.oneOf.join(", ")}`, `Set one of them: pulumi config set ${key} ${s.oneOf[0]}`);
      }
      return raw;
    case "integer": {
      if (!/^[-+]?\d+$/.test(raw)) {
        fail(
          "a whole number",
          `Set a number without quotes or units, e.g. pulumi config set ${key} ${s.min ?? 1}`,
        );
      }
      const n = Number(raw);
      if (s.min !== undefined && n < s.min) {
        fail(`at least ${s.min}`, `Set a whole number of at least ${s.min}`);
      }
      return n;
    }
    case "boolean":
      if (raw !== "true" && raw !== "false") {
        fail("true or false", `Set it to true or false: pulumi config set ${key} true`);
      }
      return raw === "true";
    default: {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = undefined;
      }
      if (s.type === "object") {
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
          fail("an object", `Write it as a YAML mapping under ${key} in the stack file`);
        }
        return parsed;
      }
      const itemType = s.type === "string[]" ? "string" : "object";
      if (!Array.isArray(parsed)) {
        fail(`a list`, `Write it as a YAML list of ${itemType}s under ${key} in the stack file`);
      }
      (parsed as unknown[]).forEach((item, i) => {
        const ok =
          itemType === "string"
            ? typeof item === "string"
            : item !== null && typeof item === "object" && !Array.isArray(item);
        if (!ok) {
          throw new ValidationError(
            `${s.key}[${i}]`,
            `${JSON.stringify(item)} is not a ${itemType}. Every item of ${key} must be a ${itemType}${itemType === "string" ? " (quote it in YAML)" : ""}`,
          );
        }
      });
      return parsed;
    }
  }
}

/**
 * Reads every project setting of a stack: typed, checked against the table (type, allowed values,
 * minimum) and with static defaults applied. Throws a {@link ValidationError} naming the key and
 * the fix on the first bad value; registers nothing. Secrets are read with `getSecret`.
 */
export function readStackSettings(cfg: StackConfigReader, projectName: string): StackSettings {
  const out: Record<string, unknown> = {};
  for (const s of SETTINGS) {
    if (s.namespace !== undefined) {
      continue;
    }
    if (s.secret) {
      out[s.key] = cfg.get(s.key) !== undefined ? cfg.getSecret(s.key) : undefined;
      continue;
    }
    const raw = cfg.get(s.key);
    out[s.key] =
      raw !== undefined
        ? parseSettingValue(s, raw, projectName)
        : s.default !== undefined
          ? structuredClone(s.default)
          : undefined;
  }
  return out as StackSettings;
}

/**
 * A value in the text form `pulumi config set-all --plaintext` stores and `pulumi.Config` hands
 * over (strings as they are, everything else as JSON). Checks the value against the setting's type.
 */
export function settingText(key: ProgramConfigKey, value: unknown, projectName: string): string {
  const s = settingOf(key);
  if (s === undefined) {
    throw new Error(`internal: ${key} is not a setting (lib/core/config/settings.ts)`);
  }
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (!s.secret) {
    parseSettingValue(s, text, projectName);
  }
  return text;
}
