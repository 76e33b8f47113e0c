/**
 * `npm run gen:sdk -- <nodejs|python|go> <out dir>`: generates the component's SDK for another
 * Pulumi language from lib/provider/schema.json with dev/go/sdkgen (the Pulumi CLI's own code
 * generators, offline; built into .cache/ by dev/engine/tools.sh, which this runs first). The
 * schema refers to the oci package's provider type; the oci package's schema is reduced to that
 * type (what the OCI emulator serves), and the generated code imports the real package
 * (`@pulumi/oci`, `pulumi_oci`, `github.com/pulumi/pulumi-oci/sdk/v4/go/oci`).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseCommand, runCommand } from "../../lib/ops/cli/args";
import { packageSchema } from "../emulator/provider";
import { SCHEMA_FILE } from "../schema/generate";

const LANGUAGES = ["nodejs", "python", "go"];
const USAGE = `usage: npm run gen:sdk -- <${LANGUAGES.join("|")}> <out dir>

Generates the GeoReplicatedStream SDK for a Pulumi language from ${SCHEMA_FILE} (needs Go: builds
dev/go/sdkgen into .cache/ on first use).`;

export async function main(argv: string[], root = path.resolve(__dirname, "..", "..")): Promise<number> {
  const parsed = parseCommand(argv, { usage: USAGE, options: {}, maxPositionals: 2 });
  if (parsed === "help") {
    console.log(USAGE);
    return 0;
  }
  const [lang, out] = parsed.positionals;
  if (!LANGUAGES.includes(lang) || out === undefined) {
    console.error(USAGE);
    return 2;
  }
  execFileSync("bash", [path.join(root, "dev", "engine", "tools.sh"), "sdkgen"], { stdio: "inherit" });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gen-sdk-"));
  try {
    const oci = path.join(dir, "oci-schema.json");
    fs.writeFileSync(oci, JSON.stringify(packageSchema("oci")));
    const sdkgen = path.join(root, ".cache", "sdkgen", "v3.274.1", "sdkgen");
    execFileSync(sdkgen, [lang, path.join(root, SCHEMA_FILE), path.resolve(out), oci], { stdio: "inherit" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return 0;
}

if (require.main === module) {
  runCommand("gen:sdk", main, "npm run gen:sdk --");
}
