/**
 * `npm run gen:provider-facts [-- --mirror <git dir>] [--check]`: rewrites
 * dev/oci-model/facts/terraformOci.ts (ForceNew / Sensitive / Optional+Computed paths of every
 * type the OCI model handles) from a git mirror of oracle/terraform-provider-oci. `--check` writes
 * nothing and exits 1 when the file differs from what the mirror gives.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as prettier from "prettier";
import { parseCommand, runCommand } from "../../lib/ops/cli/args";
import { DEFAULT_MIRROR, FACTS_FILE, readFacts, renderFacts } from "../oci-model/facts/generate";
import { RESOURCE_TYPES } from "../oci-model/tenancyModel";

const USAGE = `usage: npm run gen:provider-facts -- [--mirror <git dir>] [--check]

Rewrites ${FACTS_FILE} from a git mirror of oracle/terraform-provider-oci
(default ${DEFAULT_MIRROR}, or $TERRAFORM_PROVIDER_OCI_GIT). --check only reports drift (exit 1).`;

/** The formatted text the mirror gives, and the file's current text. */
export async function generatedFacts(
  root: string,
  mirror: string,
): Promise<{ generated: string; current: string; unknownNames: string[] }> {
  const g = readFacts(mirror, RESOURCE_TYPES, path.join(root, "node_modules", "@pulumi", "oci"));
  const file = path.join(root, FACTS_FILE);
  const options = (await prettier.resolveConfig(file)) ?? {};
  const generated = await prettier.format(renderFacts(g), { ...options, filepath: file });
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  return { generated, current, unknownNames: g.unknownNames };
}

export async function main(argv: string[], root = path.resolve(__dirname, "..", "..")): Promise<number> {
  const parsed = parseCommand(argv, {
    usage: USAGE,
    options: { check: { type: "boolean" }, mirror: { type: "string" } },
  });
  if (parsed === "help") {
    console.log(USAGE);
    return 0;
  }
  const mirror =
    (parsed.values.mirror as string | undefined) ?? process.env.TERRAFORM_PROVIDER_OCI_GIT ?? DEFAULT_MIRROR;
  if (!fs.existsSync(mirror)) {
    console.error(
      `gen:provider-facts: no git mirror of oracle/terraform-provider-oci at ${mirror} (--mirror)`,
    );
    return 2;
  }
  const { generated, current, unknownNames } = await generatedFacts(root, mirror);
  for (const n of unknownNames) {
    console.error(`warning: ${n} is not a property of the Pulumi OCI SDK's type (naming differs)`);
  }
  if (generated === current) {
    console.log(`${FACTS_FILE}: up to date`);
    return 0;
  }
  if (parsed.values.check) {
    console.log(`${FACTS_FILE}: differs from the mirror (run npm run gen:provider-facts)`);
    return 1;
  }
  fs.writeFileSync(path.join(root, FACTS_FILE), generated);
  console.log(`wrote ${FACTS_FILE}`);
  return 0;
}

if (require.main === module) {
  runCommand("gen:provider-facts", main, "npm run gen:provider-facts --");
}
