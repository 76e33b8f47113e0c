/**
 * Generates facts/terraformOci.ts — the ForceNew, Sensitive and Optional+Computed paths of every
 * resource type the OCI model handles — from a git mirror of oracle/terraform-provider-oci, the
 * provider Pulumi's OCI package bridges. Each Pulumi type maps to its Terraform resource file
 * (`oci:Core/vcn:Vcn` → internal/service/core/core_vcn_resource.go); the `Default*` resources take
 * their base resource's schema through the provider's ConvertToDefaultVcnResourceSchema
 * (manage_default_resource_id added as ForceNew, compartment_id Optional+Computed, vcn_id removed).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { factsOf, parseResourceSchema, ResourceFacts, TfAttribute } from "./terraformSchema";

/** Where the mirror is looked for when no path is given. */
export const DEFAULT_MIRROR = "/work/.mirror/oracle+terraform-provider-oci/repo";

/** The file generated. */
export const FACTS_FILE = path.join("dev", "oci-model", "facts", "terraformOci.ts");

function snake(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The Terraform source file and schema function of a Pulumi OCI type. */
/** Pulumi types whose Terraform file is not named after them (the bridge renamed the resource). */
const RENAMED: Record<string, string> = {
  "oci:ObjectStorage/storageObject:StorageObject":
    "internal/service/objectstorage/objectstorage_object_resource.go",
};

export function terraformSource(type: string): { file: string; defaultOf?: string } {
  if (RENAMED[type] !== undefined) return { file: RENAMED[type] };
  const m = /^oci:(\w+)\/(\w+):\w+$/.exec(type);
  if (!m) {
    throw new Error(`${type} is not an OCI type token`);
  }
  const service = m[1].toLowerCase();
  const resource = snake(m[2]);
  const def = /^default_(.+)$/.exec(resource);
  if (def) {
    return {
      file: `internal/service/${service}/${service}_${def[1]}_default_resource.go`,
      defaultOf: `internal/service/${service}/${service}_${def[1]}_resource.go`,
    };
  }
  return { file: `internal/service/${service}/${service}_${resource}_resource.go` };
}

function gitShow(mirror: string, file: string): string {
  return execFileSync("git", ["--git-dir", mirror, "show", `HEAD:${file}`], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
}

function schemaOfFile(src: string, file: string): TfAttribute[] {
  const fn = /func\s+(\w+Resource)\s*\(\s*\)\s*\*schema\.Resource/.exec(src)?.[1];
  if (!fn) {
    throw new Error(`${file}: no func …Resource() *schema.Resource`);
  }
  return parseResourceSchema(src, fn);
}

/** ConvertToDefaultVcnResourceSchema (internal/service/core/helpers_core.go), applied to parsed attributes. */
function asDefaultVcnResource(attrs: TfAttribute[]): TfAttribute[] {
  const kept = attrs.filter((a) => a.name !== "vcn_id" && a.name !== "compartment_id");
  const plain = { sensitive: false, type: "TypeString" };
  return [
    ...kept,
    {
      ...plain,
      name: "manage_default_resource_id",
      forceNew: true,
      optional: false,
      required: true,
      computed: false,
    },
    { ...plain, name: "compartment_id", forceNew: false, optional: true, required: false, computed: true },
  ].sort((a, b) => a.name.localeCompare(b.name));
}

export interface GeneratedFacts {
  commit: string;
  version: string;
  facts: Record<string, ResourceFacts>;
  /** Top-level paths not found among the Pulumi SDK's properties of the type (naming drift). */
  unknownNames: string[];
}

/** Reads the facts of `types` from the mirror; `sdkDir` (node_modules/@pulumi/oci) checks the names. */
export function readFacts(mirror: string, types: readonly string[], sdkDir?: string): GeneratedFacts {
  const head = execFileSync("git", ["--git-dir", mirror, "log", "-1", "--format=%H%n%s"], {
    encoding: "utf8",
  })
    .trim()
    .split("\n");
  const facts: Record<string, ResourceFacts> = {};
  const unknownNames: string[] = [];
  for (const type of [...types].filter((t) => t.startsWith("oci:")).sort()) {
    const src = terraformSource(type);
    const attrs = src.defaultOf
      ? asDefaultVcnResource(schemaOfFile(gitShow(mirror, src.defaultOf), src.defaultOf))
      : schemaOfFile(gitShow(mirror, src.file), src.file);
    facts[type] = factsOf(attrs);
    if (sdkDir) {
      const known = sdkPropertyNames(sdkDir, type);
      for (const p of [...facts[type].forceNew, ...facts[type].sensitive, ...facts[type].optionalComputed]) {
        const top = p.split(/[.[]/)[0];
        if (known && !known.has(top)) unknownNames.push(`${type} ${p}`);
      }
    }
  }
  return { commit: head[0], version: head[1], facts, unknownNames: [...new Set(unknownNames)] };
}

/** The property names of `<Resource>State` in the Pulumi OCI SDK's declarations. */
function sdkPropertyNames(sdkDir: string, type: string): Set<string> | undefined {
  const m = /^oci:(\w+)\/(\w+):(\w+)$/.exec(type)!;
  const file = path.join(sdkDir, m[1].toLowerCase(), `${m[2]}.d.ts`);
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, "utf8");
  const start = text.indexOf(`export interface ${m[3]}State {`);
  if (start === -1) return undefined;
  const body = text.slice(start, text.indexOf("\n}", start));
  return new Set([...body.matchAll(/^\s{4}(?:readonly )?(\w+)\??:/gm)].map((x) => x[1]));
}

/** The TypeScript text of facts/terraformOci.ts. */
export function renderFacts(g: GeneratedFacts): string {
  const lines = [
    "/**",
    " * Generated by `npm run gen:provider-facts` from oracle/terraform-provider-oci — do not edit.",
    ` * Source: commit ${g.commit} (${g.version}).`,
    " *",
    " * Per Pulumi OCI type: the property paths whose change replaces the resource (Terraform",
    " * `ForceNew`), the ones the provider marks `Sensitive` (returned as secrets), and the top-level",
    " * Optional+Computed inputs (left unset, they keep what OCI chose). `a.b`: attribute `b` of the",
    " * one-element block `a`; `a[].b`: of every element of the list block `a`.",
    " */",
    'import type { ResourceFacts } from "./terraformSchema";',
    "",
    `export const TERRAFORM_OCI_SOURCE = ${JSON.stringify({ commit: g.commit, version: g.version })};`,
    "",
    "export const TERRAFORM_OCI_FACTS: Record<string, ResourceFacts> = {",
  ];
  for (const [type, f] of Object.entries(g.facts)) {
    lines.push(`  ${JSON.stringify(type)}: {`);
    for (const key of ["forceNew", "sensitive", "optionalComputed"] as const) {
      lines.push(`    ${key}: ${JSON.stringify(f[key])},`);
    }
    lines.push("  },");
  }
  lines.push("};", "");
  return lines.join("\n");
}
