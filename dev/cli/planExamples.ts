/**
 * `npm run plan:examples`: the offline plan of every example in `examples/` (one Pulumi project per
 * scenario), each stack in the project's order, under the OCI mock engine — as `npm run plan` does
 * for the repo's own stacks. Writes `out/examples/<example>/<stack>.json` (secrets masked).
 *
 *   npm run plan:examples                 # every example
 *   npm run plan:examples -- active-active
 */
import { ensureNodeBundle } from "../build/bundle";
import * as fs from "fs";
import * as path from "path";
import {
  parseCommand,
  runCommand,
  USAGE_EXIT_CODE,
  UsageError,
  usageErrorLine,
} from "../../lib/ops/cli/args";
import { stacksInOrder } from "../plan/runStack";
import { main as plan } from "./plan";

/** The example projects under `dir` (folders holding a Pulumi.yaml), sorted by name. */
export function listExamples(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && isTypeScriptProject(path.join(dir, e.name, "Pulumi.yaml")))
    .map((e) => e.name)
    .sort();
}

/**
 * A project the offline plan runs: a Node.js (TypeScript) program. Other runtimes (the Pulumi YAML
 * example) run under the real engine only (tests/engine).
 */
function isTypeScriptProject(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  return /^runtime:\s*(?:nodejs\b|\n\s+name:\s*nodejs\b)/m.test(fs.readFileSync(file, "utf8"));
}

const USAGE = `usage: npm run plan:examples -- [example ...]

Plans every TypeScript example in examples/ (or the ones named) offline, as npm run plan does for this repo's
stacks, and writes out/examples/<example>/<stack>.json.`;

/** Plans the named examples (default: all); returns the process exit code. */
export async function main(argv: string[], root = process.cwd()): Promise<number> {
  let names: string[];
  try {
    const parsed = parseCommand(argv, {
      usage: USAGE,
      options: {},
      maxPositionals: Number.POSITIVE_INFINITY,
    });
    if (parsed === "help") {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    names = parsed.positionals;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${usageErrorLine("error", e, "npm run plan:examples --")}\n`);
    return USAGE_EXIT_CODE;
  }
  const dir = path.join(root, "examples");
  const all = listExamples(dir);
  const wanted = names.length > 0 ? names : all;
  for (const name of wanted) {
    if (!all.includes(name)) {
      process.stderr.write(`error: unknown example '${name}' (found: ${all.join(", ")})\n`);
      return USAGE_EXIT_CODE;
    }
  }
  for (const name of wanted) {
    const project = path.join(dir, name);
    process.stdout.write(`\n######## example ${name} (${path.relative(root, project)})\n`);
    const code = await plan([
      "--project",
      project,
      "--out",
      path.join(root, "out", "examples", name),
      ...stacksInOrder(project),
    ]);
    if (code !== 0) {
      return code;
    }
  }
  return 0;
}

if (require.main === module) {
  ensureNodeBundle();
  runCommand("plan:examples", (argv) => main(argv), "npm run plan:examples --");
}
