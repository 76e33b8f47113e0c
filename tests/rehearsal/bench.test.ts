/**
 * Smoke of `npm run bench -- --quick` (dev/cli/bench.ts): the command a user runs, on two
 * emulated OCI regions, must measure something for each kind of configuration — (a) rendered,
 * (b) quickstart, (c) pipe — at its one partition count. It asserts no timing: the numbers depend
 * on the host; only that each configuration replicated records and yielded a throughput and a lag
 * figure. The bench once failed before measuring anything (1 MiB producer batches above the
 * emulated broker's message.max.bytes) and nothing ran it.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import type { BenchReport } from "../../dev/bench/bench";

const REPO = path.resolve(__dirname, "..", "..");

function runQuickBench(outDir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", "dev/cli/bench.ts", "--quick", "--out", outDir],
      { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("rehearsal: npm run bench -- --quick (smoke)", function () {
  this.timeout(600_000);

  let outDir: string;
  let report: BenchReport & { table: string };

  before(async function () {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocigeo-bench-smoke-"));
    const { code, output } = await runQuickBench(outDir);
    const tail = output.slice(-4000);
    expect(code, `npm run bench -- --quick exited ${code}:\n${tail}`).to.equal(0);
    const files = fs.readdirSync(outDir).filter((f) => f.endsWith(".json"));
    expect(files, `no results JSON in ${outDir}:\n${tail}`).to.have.length(1);
    report = JSON.parse(fs.readFileSync(path.join(outDir, files[0]), "utf8")) as BenchReport & {
      table: string;
    };
  });

  after(function () {
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  it("runs one partition count and one configuration of each kind", function () {
    expect(report.settings.quick).to.equal(true);
    expect(report.settings.partitions).to.have.length(1);
    expect(report.variants.map((v) => v.kind).sort()).to.deep.equal(["pipe", "quickstart", "rendered"]);
  });

  for (const id of ["a", "b", "c"]) {
    it(`(${id}) measured a throughput and a lag`, function () {
      const [partitions] = report.settings.partitions;
      const step = report.steps.find((s) => s.variant === id && s.partitions === partitions);
      expect(step, `no step for (${id})`).to.not.equal(undefined);
      expect(step!.error, `(${id}) failed`).to.equal(undefined);
      const throughput = step!.throughput!;
      expect(throughput.records, `(${id}) backlog records`).to.be.greaterThan(0);
      expect(Number.isFinite(throughput.mibPerSec) && throughput.mibPerSec > 0, "a throughput").to.equal(
        true,
      );
      const lag = step!.lag!;
      expect(lag.records, `(${id}) paced records`).to.be.greaterThan(0);
      for (const [name, value] of [
        ["p50", lag.p50],
        ["p99", lag.p99],
      ] as const) {
        expect(Number.isFinite(value) && value >= 0, `(${id}) lag ${name} = ${value}`).to.equal(true);
      }
    });
  }

  it("prints the table with a row per configuration", function () {
    for (const label of ["(a) rendered", "(b) quickstart", "(c) pipe"]) {
      expect(report.table).to.match(
        new RegExp(`^\\s*\\d+\\s+${label.replace(/[()]/g, "\\$&")}\\s+\\S+\\s+\\d`, "m"),
      );
    }
  });
});
