/**
 * Reads a Terraform (plugin SDK v2) resource schema out of Go source — the
 * `Schema: map[string]*schema.Schema{ "name": { Type: …, ForceNew: true, Elem: &schema.Resource{…} } }`
 * literals of oracle/terraform-provider-oci — without compiling it. Pure text: comments and string
 * literals are skipped, braces matched. Used by dev/cli/genProviderFacts.ts to write the
 * ForceNew / Sensitive / Optional+Computed table the emulator provider diffs with.
 */

/** One attribute of a resource schema, with its nested block's attributes. */
export interface TfAttribute {
  name: string;
  type: string;
  forceNew: boolean;
  sensitive: boolean;
  optional: boolean;
  required: boolean;
  computed: boolean;
  maxItems?: number;
  /** The attributes of a nested block (`Elem: &schema.Resource{…}`). */
  block?: TfAttribute[];
}

/** The source with comments and string/rune literal contents blanked (same length, same offsets). */
export function blankCommentsAndStrings(src: string): string {
  const out = src.split("");
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) {
      if (out[k] !== "\n") out[k] = " ";
    }
  };
  while (i < src.length) {
    const c = src[i];
    if (c === "/" && src[i + 1] === "/") {
      const end = src.indexOf("\n", i);
      const stop = end === -1 ? src.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      const stop = end === -1 ? src.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) {
        j += src[j] === "\\" ? 2 : 1;
      }
      // Keep the quotes, blank the contents (attribute names are read from the original text).
      blank(i + 1, j);
      i = j + 1;
    } else if (c === "`") {
      const end = src.indexOf("`", i + 1);
      const stop = end === -1 ? src.length : end;
      blank(i + 1, stop);
      i = stop + 1;
    } else {
      i++;
    }
  }
  return out.join("");
}

/** The offset just past the `}` matching the `{` at `open`. */
function matchBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new Error(`unbalanced brace at offset ${open}`);
}

/** The parts of `body` (between braces) at nesting depth 0, other text replaced by spaces. */
function topLevel(body: string): string {
  let depth = 0;
  let out = "";
  for (const ch of body) {
    if (ch === "}") depth--;
    out += depth === 0 || ch === "\n" ? ch : " ";
    if (ch === "{") depth++;
  }
  return out;
}

/**
 * Parses the map literal whose `{` is at `open` in `clean` (`original` gives the attribute names):
 * every `"name": { … }` entry at its top level.
 */
function parseSchemaMap(original: string, clean: string, open: number): TfAttribute[] {
  const end = matchBrace(clean, open);
  const attrs: TfAttribute[] = [];
  let i = open + 1;
  while (i < end - 1) {
    const q = clean.indexOf('"', i);
    if (q === -1 || q >= end - 1) break;
    const q2 = clean.indexOf('"', q + 1);
    const name = original.slice(q + 1, q2);
    const colon = clean.slice(q2 + 1).match(/^\s*:\s*(&schema\.Schema\s*)?\{/);
    if (!colon) {
      i = q2 + 1;
      continue;
    }
    const bodyOpen = q2 + 1 + colon[0].length - 1;
    const bodyEnd = matchBrace(clean, bodyOpen);
    attrs.push(parseAttribute(name, original, clean, bodyOpen, bodyEnd));
    i = bodyEnd;
  }
  return attrs.sort((a, b) => a.name.localeCompare(b.name));
}

function parseAttribute(
  name: string,
  original: string,
  clean: string,
  open: number,
  end: number,
): TfAttribute {
  const body = clean.slice(open + 1, end - 1);
  const top = topLevel(body);
  const flag = (f: string) => new RegExp(`\\b${f}\\s*:\\s*true\\b`).test(top);
  const type = /\bType\s*:\s*schema\.(\w+)/.exec(top)?.[1] ?? "unknown";
  const max = /\bMaxItems\s*:\s*(\d+)/.exec(top)?.[1];
  const attr: TfAttribute = {
    name,
    type,
    forceNew: flag("ForceNew"),
    sensitive: flag("Sensitive"),
    optional: flag("Optional"),
    required: flag("Required"),
    computed: flag("Computed"),
    ...(max !== undefined ? { maxItems: Number(max) } : {}),
  };
  const elem = /\bElem\s*:\s*&schema\.Resource\s*\{/.exec(top);
  if (elem) {
    const elemOpen = open + 1 + elem.index + elem[0].length - 1;
    const elemText = clean.slice(elemOpen, matchBrace(clean, elemOpen));
    const inner = /\bSchema\s*:\s*map\[string\]\*schema\.Schema\s*\{/.exec(elemText);
    if (inner) {
      attr.block = parseSchemaMap(original, clean, elemOpen + inner.index + inner[0].length - 1);
    }
  }
  return attr;
}

/**
 * The attributes of the resource built by `func <fn>() *schema.Resource` in `src`: the first
 * `Schema: map[string]*schema.Schema{…}` literal inside that function.
 */
export function parseResourceSchema(src: string, fn: string): TfAttribute[] {
  const clean = blankCommentsAndStrings(src);
  const start = clean.search(new RegExp(`func\\s+${fn}\\s*\\(\\s*\\)\\s*\\*schema\\.Resource\\s*\\{`));
  if (start === -1) {
    throw new Error(`no func ${fn}() *schema.Resource`);
  }
  const fnOpen = clean.indexOf("{", clean.indexOf("*schema.Resource", start));
  const fnEnd = matchBrace(clean, fnOpen);
  const m = /\bSchema\s*:\s*map\[string\]\*schema\.Schema\s*\{/.exec(clean.slice(fnOpen, fnEnd));
  if (!m) {
    throw new Error(`func ${fn} has no inline Schema map`);
  }
  return parseSchemaMap(src, clean, fnOpen + m.index + m[0].length - 1);
}

/**
 * Terraform's snake_case attribute name as the Pulumi bridge names the property: camelCase, and a
 * list or set that is not a one-element block gets a plural name (`client_cidr_block_allow_list` →
 * `clientCidrBlockAllowLists`).
 */
export function pulumiName(tfName: string, attr?: Pick<TfAttribute, "type" | "maxItems">): string {
  const camel = tfName.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const list = attr && (attr.type === "TypeList" || attr.type === "TypeSet") && attr.maxItems !== 1;
  if (!list || camel.endsWith("s")) return camel;
  return /[^aeiou]y$/.test(camel) ? `${camel.slice(0, -1)}ies` : `${camel}s`;
}

/** What the emulator's diff needs of one resource type, as Pulumi property paths. */
export interface ResourceFacts {
  /**
   * Paths whose change replaces the resource (Terraform `ForceNew`). `a.b` is the attribute `b`
   * of the one-element block `a` (MaxItems 1, an object in Pulumi); `a[].b` the attribute `b` of
   * every element of the list block `a`.
   */
  forceNew: string[];
  /** Paths Terraform marks `Sensitive` (the bridge returns them as secrets). */
  sensitive: string[];
  /** Top-level inputs that are Optional and Computed: left out of the program, they keep the value OCI chose. */
  optionalComputed: string[];
}

/** Flattens parsed attributes into {@link ResourceFacts}. */
export function factsOf(attrs: TfAttribute[]): ResourceFacts {
  const facts: ResourceFacts = { forceNew: [], sensitive: [], optionalComputed: [] };
  const walk = (list: TfAttribute[], prefix: string) => {
    for (const a of list) {
      const p = `${prefix}${pulumiName(a.name, a)}`;
      if (a.forceNew) facts.forceNew.push(p);
      if (a.sensitive) facts.sensitive.push(p);
      if (prefix === "" && a.optional && a.computed) facts.optionalComputed.push(p);
      if (a.block) {
        walk(a.block, a.maxItems === 1 ? `${p}.` : `${p}[].`);
      }
    }
  };
  walk(attrs, "");
  return facts;
}
