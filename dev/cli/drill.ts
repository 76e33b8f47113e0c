/**
 * `npm run drill [-- --rate 100] [--json] [--keep]`: the DR drill on the local rehearsal (see
 * dev/rehearsal/drill.ts). Needs Java 17 and Maven (the rehearsal's Kafka runtime); deploys nothing.
 *
 * Exit codes: 0 nothing skipped or lost; 1 the drill failed; 2 usage error, or records were
 * skipped or lost on dr.
 */
import { numberValue, parseCommand, runCommand } from "../../lib/ops/cli/args";
import { formatDrillReport, runDrill, type DrillOptions } from "../rehearsal/drill";

const USAGE = `usage: npm run drill -- [--rate N] [--after-checkpoint-ms N] [--json] [--keep]

Runs the DR drill on two local clusters emulating OCI Streaming: produces at --rate records/s,
kills the primary --after-checkpoint-ms after a checkpoint, fails the consumer group over to dr and
reports RPO, RTO and duplicates. --json prints the report as JSON; --keep keeps the work directory.`;

export function parseDrillArgs(argv: string[]): (DrillOptions & { json: boolean }) | "help" {
  const parsed = parseCommand(argv, {
    usage: USAGE,
    options: {
      rate: { type: "string" },
      "after-checkpoint-ms": { type: "string" },
      json: { type: "boolean" },
      keep: { type: "boolean" },
    },
  });
  if (parsed === "help") return "help";
  const v = parsed.values;
  const positive = (flag: string, text: string) =>
    numberValue(flag, text, { min: 0, exclusiveMin: true, what: "needs a positive number" });
  const out: DrillOptions & { json: boolean } = { json: v.json ?? false };
  if (v.keep) out.keep = true;
  if (v.rate !== undefined) out.rate = positive("--rate", v.rate);
  if (v["after-checkpoint-ms"] !== undefined)
    out.afterCheckpointMs = positive("--after-checkpoint-ms", v["after-checkpoint-ms"]);
  return out;
}

export async function main(argv: string[]): Promise<number> {
  const options = parseDrillArgs(argv);
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const started = Date.now();
  const report = await runDrill({ ...options, log: (l) => process.stderr.write(`drill: ${l}\n`) });
  if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${formatDrillReport(report).join("\n")}\n`);
  process.stderr.write(`drill: done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  return report.skipped === 0 && report.lostThoughOnDr === 0 ? 0 : 2;
}

if (require.main === module) {
  runCommand("drill", main, "npm run drill --");
}
