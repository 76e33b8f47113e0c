/**
 * `npm run bench`: MirrorMaker 2 replication throughput and end-to-end lag on two local clusters
 * emulating OCI Streaming, for 1, 6 and 24 partitions, comparing in one run (a) the rendered
 * mm2.properties (and OCI tuning candidates), (b) a quickstart MirrorMaker and (c) a plain
 * consume→produce pipe. A benchmark, not a test: it asserts nothing about timings. See
 * dev/bench/bench.ts for the method.
 *
 *   npm run bench                        # full run (about 12-15 minutes on 2 cores)
 *   npm run bench -- --quick             # the smoke: 6 partitions only, (a), (b), (c), smaller backlogs
 *   npm run bench -- --oci-write-quota   # also cap writes on ams at P MiB/s (Kafka user quota)
 *   npm run bench -- --candidates w250,pre   # which tuning candidates run next to (a) (or none)
 *   npm run bench -- --only a,b              # run only some configurations (no ratio without a)
 *   npm run bench -- --out <dir> --keep  # where the JSON goes (default out/bench); keep the work dir
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { listValue, parseCommand, USAGE_EXIT_CODE, UsageError, usageErrorLine } from "../../lib/ops/cli/args";
import { defaultSettings, runBench } from "../bench/bench";
import { formatReport } from "../bench/benchReport";
import { repoRoot } from "../rehearsal/kafkaRuntime";

const USAGE = `usage: npm run bench -- [--quick] [--oci-write-quota] [--candidates x,y|none] [--only a,b,c,x] [--out <dir>] [--keep]

Runs MirrorMaker 2 (rendered config, tuning candidates, quickstart) and a plain pipe between two
local clusters emulating OCI Streaming; prints throughput, lag p50/p99 and ratios; writes
<out>/<timestamp>.json (default out/bench). Needs Java 17 (JDK) and Maven.`;

export interface BenchCliOptions {
  quick: boolean;
  ociWriteQuota: boolean;
  outDir: string;
  keep: boolean;
  /** Tuning candidates by name (undefined = the default set). */
  candidates?: string[];
  /** Run only these configurations (ids: a, b, c, candidate names). */
  only?: string[];
}

export function parseBenchArgs(argv: string[], cwd = process.cwd()): BenchCliOptions | "help" {
  const parsed = parseCommand(argv, {
    usage: USAGE,
    options: {
      quick: { type: "boolean" },
      "oci-write-quota": { type: "boolean" },
      keep: { type: "boolean" },
      only: { type: "string" },
      candidates: { type: "string" },
      out: { type: "string" },
    },
  });
  if (parsed === "help") return "help";
  const v = parsed.values;
  const options: BenchCliOptions = {
    quick: v.quick ?? false,
    ociWriteQuota: v["oci-write-quota"] ?? false,
    outDir: v.out !== undefined ? path.resolve(cwd, v.out) : path.join(repoRoot(), "out", "bench"),
    keep: v.keep ?? false,
  };
  if (v.only !== undefined) options.only = listValue(v.only);
  if (v.candidates !== undefined) options.candidates = v.candidates === "none" ? [] : listValue(v.candidates);
  return options;
}

export async function main(argv: string[]): Promise<number> {
  let options: BenchCliOptions | "help";
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(usageErrorLine("bench", error, "npm run bench --"));
    return USAGE_EXIT_CODE;
  }
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  let settings;
  try {
    settings = defaultSettings({
      quick: options.quick,
      ociWriteQuota: options.ociWriteQuota,
      candidates: options.candidates,
      only: options.only,
    });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const log = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocigeo-bench-"));
  const load = os.loadavg()[0];
  const busy = load > os.cpus().length / 2;
  log(
    `npm run bench${options.quick ? " --quick" : ""}: work dir ${workDir}; ${os.cpus().length} CPUs, ` +
      `load average ${load.toFixed(1)}${busy ? " (other work on this host skews the numbers)" : ""}`,
  );
  try {
    const report = await runBench({ settings, workDir, log });
    const table = formatReport(report);
    fs.mkdirSync(options.outDir, { recursive: true });
    const jsonFile = path.join(options.outDir, `${stamp}.json`);
    fs.writeFileSync(jsonFile, `${JSON.stringify({ ...report, table }, null, 2)}\n`);
    log("");
    log(table);
    log("");
    log(`results: ${path.relative(process.cwd(), jsonFile) || jsonFile}`);
    const failed = report.steps.filter((s) => s.error !== undefined);
    if (failed.length > 0) {
      log(`${failed.length} measurement(s) failed (see the table and ${jsonFile})`);
      return 1;
    }
    return 0;
  } catch (error) {
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    if (options.keep) log(`work dir kept: ${workDir}`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
