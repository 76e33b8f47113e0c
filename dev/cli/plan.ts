/**
 * `npm run plan` (the first half of `npm start`): the offline plan. Evaluates the Pulumi program for the `primary` and `dr` stacks
 * under the OCI mock engine — no cloud, no Pulumi CLI, no state — prints each stack's resource
 * tree with its key settings, and writes `out/plan/<stack>.json` (secrets masked) plus the
 * rendered artefacts the stack exports (see dev/plan/artifacts.ts).
 *
 *   npm run plan                   # primary, then dr
 *   npm run plan -- dr             # dr only (primary is still evaluated, for its outputs)
 *   npm run plan -- --project <dir> --out <dir> [stack ...]
 */
import { ensureNodeBundle } from "../build/bundle";
import * as fs from "fs";
import * as path from "path";
import {
  listValue,
  parseCommand,
  runCommand,
  USAGE_EXIT_CODE,
  UsageError,
  usageErrorLine,
} from "../../lib/ops/cli/args";
import { writeArtifacts } from "../plan/artifacts";
import { renderOutputs, renderTree } from "../plan/planText";
import { analyzePaths, formatPaths } from "../plan/reachabilityProof";
import {
  PlanError,
  planDocument,
  referenceOutputsOf,
  runStack,
  StackPlan,
  stacksInOrder,
} from "../plan/runStack";

export const BANNER_START =
  "OFFLINE PLAN — NOTHING WAS DEPLOYED, and nothing will be: the program runs under a mock OCI engine (no cloud calls, no Pulumi CLI, no state).";
export const BANNER_END =
  "NOTHING WAS DEPLOYED. This was an offline plan under a mock engine; the ids, IPs and endpoints above are simulated.";

const USAGE = `usage: npm run plan -- [stack ...] [--project <dir>] [--out <dir>]

Evaluates the Pulumi program offline for each stack (default: primary, then dr) and writes
<out>/<stack>.json. Defaults: --project . --out <project>/out/plan`;

export interface PlanCliOptions {
  projectDir: string;
  outDir: string;
  stacks: string[];
}

/** Parses the command line; throws a {@link UsageError} on bad input. */
export function parseArgs(argv: string[], cwd = process.cwd()): PlanCliOptions | "help" {
  const parsed = parseCommand(argv, {
    command: "npm run plan --",
    usage: USAGE,
    options: { project: { type: "string" }, out: { type: "string" } },
    maxPositionals: Number.POSITIVE_INFINITY,
  });
  if (parsed === "help") return "help";
  const projectDir = parsed.values.project !== undefined ? path.resolve(cwd, parsed.values.project) : cwd;
  const outDir = parsed.values.out !== undefined ? path.resolve(cwd, parsed.values.out) : undefined;
  const stacks = parsed.positionals.flatMap(listValue);
  return { projectDir, outDir: outDir ?? path.join(projectDir, "out", "plan"), stacks };
}

type Print = (line: string) => void;

/**
 * Runs the plan; returns the process exit code (0 planned, 1 the program failed, 2 usage).
 * Output goes through `print` (stdout) and `printErr` (stderr).
 */
export async function main(
  argv: string[],
  print: Print = (l) => process.stdout.write(`${l}\n`),
  printErr: Print = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  let opts: PlanCliOptions | "help";
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    printErr(usageErrorLine("error", e, "npm run plan --"));
    return USAGE_EXIT_CODE;
  }
  if (opts === "help") {
    print(USAGE);
    return 0;
  }

  print(BANNER_START);
  let code = 0;
  try {
    code = await planAll(opts, print, printErr);
  } catch (e) {
    printErr(`error: ${(e as Error).message}`);
    code = 1;
  }
  print("");
  print(BANNER_END);
  return code;
}

async function planAll(opts: PlanCliOptions, print: Print, printErr: Print): Promise<number> {
  const available = stacksInOrder(opts.projectDir);
  const wanted =
    opts.stacks.length > 0 ? opts.stacks : available.filter((s) => s === "primary" || s === "dr");
  if (wanted.length === 0) {
    throw new Error(`no stacks to plan in ${opts.projectDir} (found: ${available.join(", ") || "none"})`);
  }
  for (const s of wanted) {
    if (!available.includes(s)) {
      throw new Error(`unknown stack '${s}' (found: ${available.join(", ")})`);
    }
  }
  // Stacks are evaluated in canonical order up to the last one asked for, so that a stack's
  // StackReferences see the outputs of the stacks before it; only the ones asked for are shown.
  const last = Math.max(...wanted.map((s) => available.indexOf(s)));
  const order = available.slice(0, last + 1).filter((s) => wanted.includes(s) || s === "primary");

  const outputs: Record<string, Record<string, unknown>> = {};
  // What is deployed after each step, by stack (a later-step settings file replaces its stack).
  const deployed = new Map<string, StackPlan>();
  const broken: string[] = [];
  for (const stack of order) {
    const shown = wanted.includes(stack);
    print("");
    print(shown ? `== stack ${stack} ==` : `== stack ${stack} (evaluated for its outputs only) ==`);
    let plan: StackPlan;
    try {
      plan = await runStack({
        stack,
        projectDir: opts.projectDir,
        stackOutputs: { ...outputs },
        onLog: (line) => print(`  | ${line}`),
      });
    } catch (e) {
      if (e instanceof PlanError) {
        printErr(`error: ${e.message}`);
        if (!e.isExpected && e.originalStack) {
          printErr(e.originalStack);
        }
        return 1;
      }
      throw e;
    }
    outputs[stack] = referenceOutputsOf(plan);
    outputs[plan.identity] = outputs[stack];
    deployed.set(plan.identity, plan);
    if (!shown) {
      continue;
    }
    print(renderTree(plan));
    print("");
    print(`${plan.resources.length} resources registered (nothing created).`);
    if (Object.keys(plan.outputs).length > 0) {
      print("outputs:");
      print(indent(renderOutputs(plan.outputs)));
    }
    fs.mkdirSync(opts.outDir, { recursive: true });
    const file = path.join(opts.outDir, `${stack}.json`);
    fs.writeFileSync(file, `${JSON.stringify(planDocument(plan), null, 2)}\n`);
    print(`wrote ${path.relative(process.cwd(), file) || file}`);
    for (const a of writeArtifacts(plan, path.join(opts.outDir, stack))) {
      print(a.path ? `wrote ${path.relative(process.cwd(), a.path)}` : `skipped ${a.output}: ${a.skipped}`);
    }
    // The reachability proof: every connection this stack needs, with the stacks deployed so far.
    const report = analyzePaths(stack, [...deployed.values()]);
    print("");
    print(
      `connections (${report.connections.length}), judged with stacks ${[...deployed.keys()].join(", ")}:`,
    );
    for (const line of formatPaths(report)) {
      print(`  ${line}`);
    }
    const pathsFile = path.join(opts.outDir, `${stack}-paths.json`);
    fs.writeFileSync(pathsFile, `${JSON.stringify(report, null, 2)}\n`);
    print(`wrote ${path.relative(process.cwd(), pathsFile) || pathsFile}`);
    for (const c of report.connections.filter((x) => !x.resolves || !x.reachable)) {
      broken.push(`${stack}: ${c.from} → ${c.to}:${c.port}/${c.protocol}: ${c.missing}`);
    }
  }
  if (broken.length > 0) {
    printErr("");
    printErr(`error: ${broken.length} needed connection(s) would not work in a real tenancy:`);
    for (const b of broken) {
      printErr(`  ${b}`);
    }
    return 1;
  }
  return 0;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}

if (require.main === module) {
  ensureNodeBundle();
  runCommand("plan", (argv) => main(argv), "npm run plan --");
}
