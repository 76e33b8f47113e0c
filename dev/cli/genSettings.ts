/**
 * `npm run gen:settings [-- --check]`: rewrites what the settings table (lib/core/config/settings.ts)
 * generates — the `config:` section of Pulumi.yaml (this repo's and examples/active-active's) and
 * the config reference (docs/reference/configuration.md). `--check` writes nothing and exits 1 when a file has drifted.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { generatedFiles } from "../settings/generate";
import { parseCommand, runCommand } from "../../lib/ops/cli/args";

const USAGE = `usage: npm run gen:settings -- [--check]

Rewrites the config: section of Pulumi.yaml (and examples/active-active/Pulumi.yaml) and the config
reference (docs/reference/configuration.md) from lib/core/config/settings.ts. --check only reports drift (exit 1).`;

export function main(argv: string[], root = path.resolve(__dirname, "..", "..")): number {
  const parsed = parseCommand(argv, { usage: USAGE, options: { check: { type: "boolean" } } });
  if (parsed === "help") {
    console.log(USAGE);
    return 0;
  }
  const drifted = generatedFiles(root).filter((f) => f.current !== f.generated);
  for (const f of drifted) {
    if (parsed.values.check) {
      console.log(`${f.file}: differs from lib/core/config/settings.ts (run npm run gen:settings)`);
    } else {
      fs.writeFileSync(path.join(root, f.file), f.generated);
      console.log(`wrote ${f.file}`);
    }
  }
  if (drifted.length === 0) console.log("up to date");
  return parsed.values.check && drifted.length > 0 ? 1 : 0;
}

if (require.main === module) {
  runCommand("gen:settings", async (argv) => main(argv), "npm run gen:settings --");
}
