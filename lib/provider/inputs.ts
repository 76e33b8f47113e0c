/**
 * The component's arguments from the inputs the engine hands a multi-language `construct`: the
 * schema's forms (lib/provider/schema.json) turned back into {@link GeoReplicatedStreamArgs}.
 *
 * - Values the schema marks `plain` (the component validates them before registering anything)
 *   may still arrive as Outputs — a Pulumi YAML program can pass a resource's output, and a value
 *   with dependencies arrives as one. A known value is taken; an unknown one (a preview, before
 *   the resource exists) is refused, naming the field: give it as a literal. A secret cannot be
 *   a plain value (it would be stored in the clear): refused as well.
 * - The credentials object (`mode` plus every mode's fields) becomes the TypeScript union again;
 *   a field of the other mode is refused.
 * - The tunnels' pre-shared keys (an array in the schema) must be exactly two.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CredentialsArgs, GeoReplicatedStreamArgs } from "../core/config/args";
import { ValidationError } from "../core/errors";

type Json = Record<string, unknown>;

/** The part of a package schema the walk needs. */
export interface SchemaLike {
  resources: Record<string, { inputProperties: Record<string, Json> }>;
  types: Record<string, Json>;
}

/** Each credentials mode's own fields (the compiler checks the list against `CredentialsArgs`). */
export const CREDENTIALS_FIELDS = {
  create: ["userName", "email"],
  existing: ["userName", "domain", "authToken"],
} as const satisfies {
  [M in CredentialsArgs["mode"]]: readonly (keyof Extract<CredentialsArgs, { mode: M }>)[];
};

// Every field of each mode is listed: a field added to CredentialsArgs fails to compile here.
type Listed<M extends CredentialsArgs["mode"]> = (typeof CREDENTIALS_FIELDS)[M][number] | "mode";
type Unlisted<M extends CredentialsArgs["mode"]> = Exclude<
  keyof Extract<CredentialsArgs, { mode: M }>,
  Listed<M>
>;
const everyFieldListed: [Unlisted<"create">, Unlisted<"existing">] extends [never, never] ? true : never =
  true;
void everyFieldListed;

/**
 * A plain value: the value of a known Output, or the value itself; `secret` when it came as a
 * secret Output (then only an object or a list may be plain: what it holds that may be an Input is
 * made secret again).
 */
async function known(
  value: unknown,
  field: string,
  scalar: boolean,
): Promise<{ v: unknown; secret: boolean }> {
  if (!pulumi.Output.isInstance(value)) {
    return { v: value, secret: false };
  }
  // The SDK's own construct server reads these (internal, but the same in every 3.x SDK): an
  // `apply` would never run for an unknown value, so knownness cannot be asked through it.
  const o = value as unknown as { isKnown: Promise<boolean>; promise(): Promise<unknown> };
  if (!(await o.isKnown)) {
    throw new ValidationError(
      field,
      "must be known when the program runs (the component checks it before creating anything), but it is the output of a resource not created yet. Give it as a literal value or from stack config",
    );
  }
  const secret = await pulumi.isSecret(value as pulumi.Output<unknown>);
  if (secret && scalar) {
    throw new ValidationError(
      field,
      "is a secret, but this argument is kept in the clear (in the program and the state). Pass a plain value; only the token, passwords, keys and pre-shared keys take secrets",
    );
  }
  return { v: await o.promise(), secret };
}

function refOf(spec: Json): string | undefined {
  const ref = spec.$ref;
  return typeof ref === "string" && ref.startsWith("#/types/") ? ref.slice("#/types/".length) : undefined;
}

/**
 * Resolves `value` against the schema property `spec`: plain values known (recursively through
 * plain objects and arrays); values that may be Inputs are passed on untouched (made secret when
 * they came inside a secret).
 */
async function resolve(
  value: unknown,
  spec: Json,
  field: string,
  schema: SchemaLike,
  inSecret = false,
): Promise<unknown> {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (spec.plain !== true) {
    return inSecret && !pulumi.Output.isInstance(value) && !pulumi.Resource.isInstance(value)
      ? pulumi.secret(value)
      : value;
  }
  const token = refOf(spec);
  const type = token !== undefined ? schema.types[token] : undefined;
  const composite = spec.type === "array" || spec.type === "object" || type?.type === "object";
  const { v, secret: wasSecret } = await known(value, field, !composite);
  const secret = inSecret || wasSecret;
  if (v === undefined || v === null) {
    return undefined;
  }
  if (spec.type === "array" && Array.isArray(v)) {
    const items = (spec.items as Json | undefined) ?? {};
    return Promise.all(v.map((e, i) => resolve(e, items, `${field}[${i}]`, schema, secret)));
  }
  if (spec.type === "object" && spec.additionalProperties && typeof v === "object") {
    const item = spec.additionalProperties as Json;
    const out: Json = {};
    for (const [k, e] of Object.entries(v as Json)) {
      out[k] = await resolve(e, { ...item, plain: true }, `${field}.${k}`, schema, secret);
    }
    return out;
  }
  if (type?.type === "object" && typeof v === "object" && !Array.isArray(v)) {
    const props = (type.properties as Record<string, Json> | undefined) ?? {};
    const out: Json = {};
    for (const [k, e] of Object.entries(v as Json)) {
      const p = props[k];
      if (p === undefined) {
        throw new ValidationError(
          `${field}.${k}`,
          `is not an argument of ${token} (it has ${Object.keys(props).join(", ")})`,
        );
      }
      out[k] = await resolve(e, p, `${field}.${k}`, schema, secret);
    }
    return out;
  }
  return v;
}

/** The credentials object of the schema as the TypeScript union. */
function credentialsOf(c: Json, field: string): CredentialsArgs {
  const mode = c.mode ?? "create";
  if (mode !== "create" && mode !== "existing") {
    throw new ValidationError(
      `${field}.mode`,
      `${JSON.stringify(mode)} is not a mode. Use "create" or "existing"`,
    );
  }
  const own: readonly string[] = CREDENTIALS_FIELDS[mode];
  for (const k of Object.keys(c)) {
    if (k !== "mode" && c[k] !== undefined && !own.includes(k)) {
      throw new ValidationError(
        `${field}.${k}`,
        `belongs to mode ${mode === "create" ? '"existing"' : '"create"'}, but mode is "${mode}" (${mode} takes ${own.join(", ")})`,
      );
    }
  }
  return { ...c, mode } as CredentialsArgs;
}

/** {@link GeoReplicatedStreamArgs} from a construct's inputs, per the schema. */
export async function argsFromInputs(
  inputs: Record<string, unknown>,
  schema: SchemaLike,
  token: string,
): Promise<GeoReplicatedStreamArgs> {
  const props = schema.resources[token]?.inputProperties;
  if (!props) {
    throw new Error(`the schema has no resource ${token}`);
  }
  const args: Json = {};
  for (const [k, v] of Object.entries(inputs)) {
    const spec = props[k];
    if (spec === undefined) {
      throw new ValidationError(
        k,
        `is not an argument of GeoReplicatedStream (it has ${Object.keys(props).join(", ")})`,
      );
    }
    const r = await resolve(v, spec, k, schema);
    if (r !== undefined) args[k] = r;
  }
  const replication = args.replication as Json | undefined;
  if (replication?.credentials !== undefined) {
    replication.credentials = credentialsOf(replication.credentials as Json, "replication.credentials");
  }
  if (
    replication?.homeRegionProvider !== undefined &&
    pulumi.Output.isInstance(replication.homeRegionProvider)
  ) {
    replication.homeRegionProvider = (
      await known(replication.homeRegionProvider, "replication.homeRegionProvider", false)
    ).v;
  }
  const ipsec = (args.onPremises as Json | undefined)?.ipsec as Json | undefined;
  const keys = ipsec?.sharedSecrets;
  if (keys !== undefined && (!Array.isArray(keys) || keys.length !== 2)) {
    throw new ValidationError(
      "onPremises.ipsec.sharedSecrets",
      `has ${Array.isArray(keys) ? keys.length : "no list of"} keys; an IPSec connection has two tunnels: give one pre-shared key for each, or none (two are generated)`,
    );
  }
  return args as unknown as GeoReplicatedStreamArgs;
}
