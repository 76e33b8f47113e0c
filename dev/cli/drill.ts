/**
 * `npm run drill [-- --rate 100] [--json] [--keep]`: the DR drill on the local rehearsal (see
 * dev/rehearsal/drill.ts). Needs Java 17 and Maven (the rehearsal's Kafka runtime); deploys nothing.
 */
import { formatDrillReport, runDrill, type DrillOptions } from "../rehearsal/drill";

export function parseDrillArgs(argv: string[]): DrillOptions & { json: boolean } {
  const out: DrillOptions & { json: boolean } = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") out.json = true;
    else if (a === "--keep") out.keep = true;
    else if (a === "--rate" || a === "--after-checkpoint-ms") {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${a} needs a positive number`);
      if (a === "--rate") out.rate = v;
      else out.afterCheckpointMs = v;
    } else
      throw new Error(
        `unknown argument ${a}\nusage: npm run drill -- [--rate N] [--after-checkpoint-ms N] [--json] [--keep]`,
      );
  }
  return out;
}

if (require.main === module) {
  (async () => {
    const options = parseDrillArgs(process.argv.slice(2));
    const started = Date.now();
    const report = await runDrill({ ...options, log: (l) => process.stderr.write(`drill: ${l}\n`) });
    if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else process.stdout.write(`${formatDrillReport(report).join("\n")}\n`);
    process.stderr.write(`drill: done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    process.exitCode = report.skipped === 0 && report.lostThoughOnDr === 0 ? 0 : 2;
  })().catch((error: unknown) => {
    process.stderr.write(`drill: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
}
