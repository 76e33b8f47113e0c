/**
 * The JavaScript type of every argument of {@link GeoReplicatedStreamArgs}, checked before any other
 * rule: TypeScript callers are held to args.ts by the compiler, but JavaScript programs, config read
 * as JSON and the Automation API's callers are not, and a wrong type would otherwise slip through
 * checks written for the right one (`replication.enabled: "yes"` is truthy; `["VM.Standard.E5.Flex"]`
 * indexes the shape table as its string). {@link checkArgBounds} adds the table's bounds and allowed
 * values. Pure: reads no Output, registers nothing.
 */
import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../errors";
import { ArgType, DEFINITIONS } from "./arguments";
import { plainValueNeeded, refuseSurroundingWhitespace } from "./primitives";

/** What a value must be. `input`: a string, or an Output/Promise of one (checked when known, later). */
type Leaf = "string" | "boolean" | "number" | "input" | "string[]" | "number[]" | "input[]" | "any";
/** An object's members, a list of objects, or a map of strings. */
type Kind = Leaf | { object: Shape } | { list: Shape } | "record<string>";
type Shape = Readonly<Record<string, Kind>>;

/** A value's bounds and allowed values, from the table. */
interface Rule {
  readonly min?: number;
  readonly max?: number;
  readonly oneOf?: readonly string[];
}

const LEAF: Record<Exclude<ArgType, "object" | "object[]">, Leaf | "record<string>"> = {
  string: "string",
  integer: "number",
  number: "number",
  boolean: "boolean",
  input: "input",
  "string[]": "string[]",
  "number[]": "number[]",
  "input[]": "input[]",
  "record<string>": "record<string>",
  any: "any",
};

/**
 * The runtime type table from the argument definitions (lib/core/config/arguments.ts): every path
 * becomes nested `object`s (and `list`s after `[]`), a list declared `itemsAs` another shares its
 * members. Also the bounds and allowed values by path (lists of objects as `[]`).
 */
function deriveTypes(): { shape: Shape; rules: ReadonlyMap<string, Rule> } {
  type Node = Record<string, Kind>;
  const root: Node = {};
  const items = new Map<string, Node>();
  const itemsOf = (path: string): Node => {
    let n = items.get(path);
    if (n === undefined) items.set(path, (n = {}));
    return n;
  };
  const rules = new Map<string, Rule>();
  for (const d of DEFINITIONS) {
    if (d.arg === undefined || d.mapping === "hand") continue;
    if (d.min !== undefined || d.max !== undefined || d.oneOf !== undefined) {
      rules.set(d.arg, { min: d.min, max: d.max, oneOf: d.oneOf });
    }
    const segments = d.arg.split(".");
    let node = root;
    let path = "";
    for (const [i, seg] of segments.entries()) {
      const last = i === segments.length - 1;
      const name = seg.endsWith("[]") ? seg.slice(0, -2) : seg;
      path = path === "" ? name : `${path}.${name}`;
      if (last && d.type !== "object" && d.type !== "object[]") {
        node[name] = LEAF[d.type];
        break;
      }
      if (seg.endsWith("[]") || (last && d.type === "object[]")) {
        const of = last && d.itemsAs !== undefined ? d.itemsAs : path;
        node[name] = { list: itemsOf(of) };
        node = itemsOf(of);
      } else {
        const existing = node[name];
        if (typeof existing === "object" && "object" in existing) {
          node = existing.object as Node;
        } else {
          const child: Node = {};
          node[name] = { object: child };
          node = child;
        }
      }
    }
  }
  return { shape: root, rules };
}

const DERIVED = deriveTypes();

/** GeoReplicatedStreamArgs, member by member, derived from the argument definitions (a test keeps it in step with args.ts). */
export const ARG_TYPES: Shape = DERIVED.shape;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "object") return "an object";
  return `the ${typeof value} ${String(value)}`;
}

const isDeferred = (v: unknown): boolean => pulumi.Output.isInstance(v) || v instanceof Promise;
const isInput = (v: unknown): boolean => typeof v === "string" || isDeferred(v);

const WANTED: Record<Exclude<Leaf, "any">, [test: (v: unknown) => boolean, what: string]> = {
  string: [(v) => typeof v === "string", "a string"],
  boolean: [(v) => typeof v === "boolean", "a boolean: true or false, without quotes"],
  number: [(v) => typeof v === "number" && Number.isFinite(v), "a number, without quotes"],
  input: [isInput, "a string (or a Pulumi Output of one)"],
  "string[]": [(v) => Array.isArray(v), "a list of strings"],
  "number[]": [(v) => Array.isArray(v), "a list of numbers"],
  "input[]": [(v) => Array.isArray(v), "a list of strings or Pulumi Outputs"],
};

function check(kind: Kind, value: unknown, field: string): void {
  if (value === undefined || kind === "any") {
    return;
  }
  // An Output where a plain value (or object of them) is needed: say so rather than "an object".
  if (kind !== "input" && kind !== "input[]" && isDeferred(value)) {
    throw new ValidationError(field, plainValueNeeded(field));
  }
  if (typeof kind === "object") {
    const shape = "object" in kind ? kind.object : kind.list;
    if ("list" in kind) {
      if (!Array.isArray(value)) {
        throw new ValidationError(field, `is ${describe(value)}; expected a list of objects`);
      }
      value.forEach((item, i) => check({ object: shape }, item, `${field}[${i}]`));
      return;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new ValidationError(field, `is ${describe(value)}; expected an object`);
    }
    for (const [key, k] of Object.entries(shape)) {
      check(k, (value as Record<string, unknown>)[key], `${field}.${key}`);
    }
    return;
  }
  if (kind === "record<string>") {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new ValidationError(field, `is ${describe(value)}; expected an object of string values`);
    }
    for (const [key, v] of Object.entries(value)) {
      if (typeof v !== "string") {
        throw new ValidationError(`${field}.${key}`, `is ${describe(v)}; expected a string`);
      }
      refuseSurroundingWhitespace(`${field}.${key}`, v);
    }
    return;
  }
  const [test, what] = WANTED[kind];
  if (!test(value)) {
    throw new ValidationError(field, `is ${describe(value)}; expected ${what}`);
  }
  if (typeof value === "string") {
    refuseSurroundingWhitespace(field, value);
  }
  if (kind.endsWith("[]")) {
    const item = kind.slice(0, -2) as Exclude<Leaf, "any">;
    (value as unknown[]).forEach((v, i) => check(item, v, `${field}[${i}]`));
  }
}

/** The table's bounds and allowed values of one argument. */
function checkRule(rule: Rule, value: unknown, field: string): void {
  if (typeof value === "number") {
    if (rule.min !== undefined && value < rule.min) {
      throw new ValidationError(field, `is ${value}; it must be at least ${rule.min}`);
    }
    if (rule.max !== undefined && value > rule.max) {
      throw new ValidationError(field, `is ${value}; it must be at most ${rule.max}`);
    }
  }
  if (typeof value === "string" && rule.oneOf !== undefined && !rule.oneOf.includes(value)) {
    throw new ValidationError(
      field,
      `${JSON.stringify(value)} is not one of ${rule.oneOf.map((v) => JSON.stringify(v)).join(", ")}`,
    );
  }
}

/** Refuses the first argument whose JavaScript type is wrong, naming it (`replication.enabled`). */
export function checkArgTypes(args: object): void {
  for (const [key, kind] of Object.entries(ARG_TYPES)) {
    check(kind, (args as Record<string, unknown>)[key], key);
  }
}

/** The values at `path` (`[]`: every item of a list), with their field names (`streams[0].partitions`). */
function valuesAt(node: unknown, path: string[], field: string): [unknown, string][] {
  if (path.length === 0) return node === undefined ? [] : [[node, field]];
  if (node === null || typeof node !== "object") return [];
  const [head, ...rest] = path;
  const list = head.endsWith("[]");
  const name = list ? head.slice(0, -2) : head;
  const value = (node as Record<string, unknown>)[name];
  const at = field === "" ? name : `${field}.${name}`;
  if (!list) return valuesAt(value, rest, at);
  return Array.isArray(value) ? value.flatMap((item, i) => valuesAt(item, rest, `${at}[${i}]`)) : [];
}

/**
 * Refuses the first argument outside the bounds or allowed values the argument table declares
 * (lib/core/config/arguments.ts), naming the argument; the validation's own rules, whose messages
 * say more, may run first.
 */
export function checkArgBounds(args: object): void {
  for (const [path, rule] of DERIVED.rules) {
    for (const [value, field] of valuesAt(args, path.split("."), "")) {
      checkRule(rule, value, field);
    }
  }
}
