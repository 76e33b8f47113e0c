/**
 * What the settings table (lib/core/config/settings.ts) generates: the `config:` section of the
 * Pulumi.yaml of every project whose program is the stack program, and the config reference
 * (CONFIG_REFERENCE_FILE, between marker comments). `npm run gen:settings` writes them; tests fail
 * on drift.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import {
  defaultText,
  formatValue,
  pulumiType,
  Setting,
  SETTINGS,
  SettingStacks,
} from "../../lib/core/config/settings";

/** Projects that run lib/program/stackProgram.ts (their `config:` is the table's). */
export const STACK_PROGRAM_PROJECTS = [".", "examples/active-active"];

/** The document that holds the config reference table, between the markers below. */
export const CONFIG_REFERENCE_FILE = "docs/reference/configuration.md";

export const REFERENCE_BEGIN =
  "<!-- settings:begin — generated from lib/core/config/settings.ts by `npm run gen:settings`; edit the table, not this -->";
export const REFERENCE_END = "<!-- settings:end -->";

const CONFIG_COMMENT = [
  "# Generated from lib/core/config/settings.ts by `npm run gen:settings`: edit the table, not this section.",
  "# The Pulumi CLI requires every key declared here without a default, so only the settings every",
  "# stack sets and those with a static default are declared; docs/reference/configuration.md lists every setting.",
];

/** Whether Pulumi.yaml declares the setting: required, or with a static default. */
export function isDeclared(s: Setting): boolean {
  return s.namespace === undefined && (s.required === true || s.default !== undefined);
}

/** The `config:` section of Pulumi.yaml, as an object. */
export function pulumiConfigSection(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const s of SETTINGS.filter(isDeclared)) {
    out[s.key] = {
      ...pulumiType(s.type),
      ...(s.secret ? { secret: true } : {}),
      ...(s.default !== undefined ? { default: s.default } : {}),
      description: s.doc,
    };
  }
  return out;
}

/** A Pulumi.yaml with its `config:` section (and the comment above it) replaced by the generated one. */
export function renderPulumiYaml(current: string): string {
  const lines = current.split("\n");
  const cut = lines.findIndex((l) => l === CONFIG_COMMENT[0] || /^config:/.test(l));
  const head = (cut < 0 ? lines : lines.slice(0, cut)).join("\n").replace(/\n*$/, "\n");
  const body = stringify({ config: pulumiConfigSection() }, { lineWidth: 0 });
  return `${head}${CONFIG_COMMENT.join("\n")}\n${body}`;
}

const STACKS: Record<SettingStacks, string> = {
  both: "both",
  primary: "primary",
  dr: "dr",
  replication: "with `tenancyId`",
  "on-premises": "on-premises",
};

const code = (text: string): string => `\`${text}\``;
const cell = (text: string): string => text.replace(/\|/g, "\\|");

/** The config reference table. */
export function renderReferenceTable(): string {
  const rows = SETTINGS.map((s) => {
    const key = s.namespace ? `${s.namespace}:${s.key}` : s.key;
    const type = s.type + (s.oneOf ? `: ${s.oneOf.map(code).join(" | ")}` : "");
    return `| ${code(key)}${s.secret ? " (secret)" : ""} | ${cell(type)} | ${STACKS[s.stacks]} | ${cell(defaultCell(s))} | ${cell(s.doc)} |`;
  });
  return ["| key | type | stacks | default | meaning |", "|---|---|---|---|---|", ...rows].join("\n");
}

/** The default column: `required`, the static default as code (with its gloss), or the text. */
function defaultCell(s: Setting): string {
  if (s.required) {
    return "required";
  }
  if (s.default === undefined) {
    return defaultText(s) ?? "—";
  }
  const value = formatValue(s.default);
  const gloss = s.defaultDoc?.startsWith(value)
    ? s.defaultDoc.slice(value.length)
    : s.defaultDoc
      ? ` (${s.defaultDoc})`
      : "";
  return `${code(value)}${gloss}`;
}

/** `text` with what stands between the markers replaced by `body`. */
export function replaceBetween(text: string, begin: string, end: string, body: string): string {
  const b = text.indexOf(begin);
  const e = text.indexOf(end);
  if (b < 0 || e < b) {
    throw new Error(`the markers are missing: ${begin} … ${end}`);
  }
  return `${text.slice(0, b + begin.length)}\n${body}\n${text.slice(e)}`;
}

/** Every generated file: its path (relative to the repo) and its text now and as generated. */
export function generatedFiles(root: string): { file: string; current: string; generated: string }[] {
  const read = (f: string) => fs.readFileSync(path.join(root, f), "utf8");
  const projects = STACK_PROGRAM_PROJECTS.map((p) => path.join(p, "Pulumi.yaml")).map((file) => {
    const current = read(file);
    return { file, current, generated: renderPulumiYaml(current) };
  });
  const reference = read(CONFIG_REFERENCE_FILE);
  return [
    ...projects,
    {
      file: CONFIG_REFERENCE_FILE,
      current: reference,
      generated: replaceBetween(reference, REFERENCE_BEGIN, REFERENCE_END, renderReferenceTable()),
    },
  ];
}
