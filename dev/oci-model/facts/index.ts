/**
 * What the provider schemas say about each property, for the emulator provider's Diff and for
 * which outputs it returns as secrets: ForceNew (a change replaces the resource), Sensitive, and
 * Optional+Computed. OCI types: generated from oracle/terraform-provider-oci (terraformOci.ts).
 * @pulumi/random: terraform-provider-random marks every argument of its resources
 * `RequiresReplace` (a new value is a new random value), and `result`/`bcrypt_hash` of
 * random_password `Sensitive` (its docs and schema; the Pulumi SDK adds them to
 * additionalSecretOutputs too).
 */
import { TERRAFORM_OCI_FACTS } from "./terraformOci";
import type { ResourceFacts } from "./terraformSchema";

export type { ResourceFacts } from "./terraformSchema";
export { TERRAFORM_OCI_SOURCE } from "./terraformOci";

/** The arguments random_password and random_string share (every one replaces). */
const RANDOM_STRING_ARGS = [
  "keepers",
  "length",
  "lower",
  "minLower",
  "minNumeric",
  "minSpecial",
  "minUpper",
  "number",
  "numeric",
  "overrideSpecial",
  "special",
  "upper",
];

const RANDOM_ARGS: Record<string, string[]> = {
  "random:index/randomId:RandomId": ["byteLength", "keepers", "prefix"],
  "random:index/randomPassword:RandomPassword": RANDOM_STRING_ARGS,
  "random:index/randomString:RandomString": RANDOM_STRING_ARGS,
  "random:index/randomInteger:RandomInteger": ["keepers", "max", "min", "seed"],
  "random:index/randomUuid:RandomUuid": ["keepers"],
  "random:index/randomPet:RandomPet": ["keepers", "length", "prefix", "separator"],
};

const RANDOM_FACTS: Record<string, ResourceFacts> = Object.fromEntries(
  Object.entries(RANDOM_ARGS).map(([type, args]) => [
    type,
    {
      forceNew: args,
      sensitive: type.endsWith(":RandomPassword") ? ["bcryptHash", "result"] : [],
      optionalComputed: [],
    },
  ]),
);

const NONE: ResourceFacts = { forceNew: [], sensitive: [], optionalComputed: [] };

/** The facts of a resource type (none known: nothing replaces, nothing is sensitive). */
export function resourceFacts(type: string): ResourceFacts {
  return TERRAFORM_OCI_FACTS[type] ?? RANDOM_FACTS[type] ?? NONE;
}

/** Whether facts are recorded for `type` (the emulator refuses types it has none for). */
export function hasFacts(type: string): boolean {
  return TERRAFORM_OCI_FACTS[type] !== undefined || RANDOM_FACTS[type] !== undefined;
}
