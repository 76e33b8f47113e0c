/**
 * `npm run gen:schema [-- --check]`: rewrites lib/provider/schema.json (the multi-language
 * component's Pulumi package schema) from the TypeScript types (dev/schema/generate.ts). `--check`
 * writes nothing and exits 1 when the file has drifted from the types.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseCommand, runCommand } from "../../lib/ops/cli/args";
import { generateSchema, SCHEMA_FILE, schemaText } from "../schema/generate";

const USAGE = `usage: npm run gen:schema -- [--check]

Rewrites ${SCHEMA_FILE} from lib/core/config/args.ts and lib/components/geoReplicatedStream.ts. --check only reports
drift (exit 1).`;

export async function main(argv: string[], root = path.resolve(__dirname, "..", "..")): Promise<number> {
  const parsed = parseCommand(argv, { usage: USAGE, options: { check: { type: "boolean" } } });
  if (parsed === "help") {
    console.log(USAGE);
    return 0;
  }
  const file = path.join(root, SCHEMA_FILE);
  const generated = await schemaText(generateSchema({ root }), file);
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  if (generated === current) {
    console.log(`${SCHEMA_FILE}: up to date`);
    return 0;
  }
  if (parsed.values.check) {
    console.log(`${SCHEMA_FILE}: differs from the TypeScript types (run npm run gen:schema)`);
    return 1;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, generated);
  console.log(`wrote ${SCHEMA_FILE}`);
  return 0;
}

if (require.main === module) {
  runCommand("gen:schema", main, "npm run gen:schema --");
}
