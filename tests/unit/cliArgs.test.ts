/**
 * One argument parser for every command (lib/ops/cli/args.ts): the same `--x v` / `--x=v` rules,
 * `--help` everywhere, and a user's mistake as one line and exit 2, never a stack trace.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { numberValue, parseCommand, UsageError, usageErrorLine } from "../../lib/ops/cli/args";
import { parseFailbackArgs, runFailbackCli } from "../../lib/ops/cli/failback";
import { parseFailoverArgs, runFailoverCli } from "../../lib/ops/cli/failover";
import { main as cliMain, packageVersion } from "../../lib/ops/cli/main";
import type { KafkaCliIo } from "../../lib/ops/cli/kafkaCliIo";
import { parseBenchArgs } from "../../dev/cli/bench";
import { parseDrillArgs } from "../../dev/cli/drill";
import { parseArgs as parsePlanArgs } from "../../dev/cli/plan";
import { main as planExamples } from "../../dev/cli/planExamples";
import { parseArgs as parseRehearseArgs } from "../../dev/cli/rehearse";

const ROOT = path.resolve(__dirname, "..", "..");

function io(): KafkaCliIo & { outs: string[]; errs: string[] } {
  const outs: string[] = [];
  const errs: string[] = [];
  return {
    outs,
    errs,
    env: {},
    out: (l) => outs.push(l),
    err: (l) => errs.push(l),
    readFile: () => {
      throw new Error("no file");
    },
    connect: () => {
      throw new Error("no broker");
    },
  };
}

const SPEC = {
  usage: "usage: x",
  options: { name: { type: "string" }, many: { type: "string", multiple: true }, on: { type: "boolean" } },
} as const;

describe("cli: one argument parser", () => {
  it("reads --x v and --x=v alike, repeats, booleans", () => {
    const a = parseCommand(["--name", "n", "--many=a", "--many", "b", "--on"], SPEC);
    const b = parseCommand(["--name=n", "--many", "a", "--many=b", "--on"], SPEC);
    expect(a).to.deep.equal(b);
    expect(a).to.deep.include({ values: { name: "n", many: ["a", "b"], on: true } });
  });

  it("answers --help and -h, before any other check", () => {
    expect(parseCommand(["--bogus", "--help"], SPEC)).to.equal("help");
    expect(parseCommand(["-h"], SPEC)).to.equal("help");
    expect(parseCommand(["--", "--help"], { ...SPEC, maxPositionals: 1 })).to.not.equal("help");
  });

  const mistakes: [string[], RegExp][] = [
    [["--bogus"], /^unknown option --bogus$/],
    [["--name"], /^--name needs a value$/],
    [["--name="], /^--name needs a value$/],
    [["--name", "--on"], /^--name needs a value \(one starting with '-' is written --name=<value>\)$/],
    [["--on=yes"], /^--on takes no value$/],
    [["stray"], /^unexpected argument 'stray'$/],
  ];
  for (const [argv, message] of mistakes) {
    it(`refuses ${argv.join(" ")} with a UsageError`, () => {
      expect(() => parseCommand(argv, SPEC)).to.throw(UsageError, message);
    });
  }

  it("checks numbers; formats the one line a usage error prints", () => {
    expect(numberValue("--n", "2", { min: 1, integer: true, what: "needs a whole number" })).to.equal(2);
    expect(() => numberValue("--n", "1.5", { integer: true, what: "needs a whole number" })).to.throw(
      "--n needs a whole number, not 1.5",
    );
    expect(() => numberValue("--n", "", { what: "needs a number" })).to.throw(UsageError);
    expect(usageErrorLine("x", new UsageError("unknown option --y"))).to.equal(
      "x: unknown option --y (see x --help)",
    );
  });

  it("every command answers --help and refuses a bad flag with a UsageError", () => {
    const parsers: [string, (argv: string[]) => unknown][] = [
      ["failover", parseFailoverArgs],
      ["failback", parseFailbackArgs],
      ["plan", (a) => parsePlanArgs(a)],
      ["rehearse", parseRehearseArgs],
      ["drill", parseDrillArgs],
      ["bench", (a) => parseBenchArgs(a)],
    ];
    for (const [name, parse] of parsers) {
      expect(parse(["--help"]), name).to.equal("help");
      expect(() => parse(["--bogus"]), name).to.throw(UsageError, /unknown option --bogus/);
    }
  });

  it("keeps each command's flags: failover, failback, drill, bench, rehearse, plan", () => {
    expect(
      parseFailoverArgs(["--source=fra", "--group", "g", "--policy=identity", "--separator", "_"]),
    ).to.deep.include({
      sourceAlias: "fra",
      groups: ["g"],
      policy: { type: "identity", separator: "_" },
    });
    expect(() => parseFailoverArgs(["--source", "fra", "--policy", "mirror"])).to.throw(
      /--policy must be prefixed or identity/,
    );
    expect(
      parseFailbackArgs(["wait", "--topics", "a, b", "--topic=c", "--timeout=1.5", "--poll", "0"]),
    ).to.deep.include({
      step: "wait",
      topics: ["a", "b", "c"],
      timeoutMs: 1500,
      pollMs: 100,
    });
    expect(parseDrillArgs(["--rate", "50", "--json"])).to.deep.equal({ json: true, rate: 50 });
    expect(() => parseDrillArgs(["--rate", "-1"])).to.throw(
      /--rate needs a value|--rate needs a positive number/,
    );
    expect(() => parseDrillArgs(["--rate=0"])).to.throw("--rate needs a positive number, not 0");
    expect(parseBenchArgs(["--only", "a,b", "--candidates=none"], "/c")).to.deep.include({
      only: ["a", "b"],
      candidates: [],
    });
    expect(parseRehearseArgs(["--records=10", "--nodes", "2"])).to.deep.include({ records: 10, nodes: 2 });
    expect(parsePlanArgs(["--out=o", "primary,dr"], "/c")).to.deep.equal({
      projectDir: "/c",
      outDir: "/c/o",
      stacks: ["primary", "dr"],
    });
  });

  it("failover and failback: a usage error is one line and exit 2, --help exit 0", async () => {
    for (const run of [runFailoverCli, runFailbackCli]) {
      const bad = io();
      expect(await run(["--bogus"], bad)).to.equal(2);
      expect(bad.errs).to.have.length(1);
      expect(bad.errs[0]).to.match(
        /^oci-geo-streaming fail(over|back): unknown option --bogus \(see oci-geo-streaming fail(over|back) --help\)$/,
      );
      const help = io();
      expect(await run(["--help"], help)).to.equal(0);
      expect(help.outs.join("\n")).to.match(/^usage: oci-geo-streaming fail(over|back) /);
    }
  });

  it("the CLI: --help, --version, a command's --help, an unknown command (exit 2)", async () => {
    const help = io();
    expect(await cliMain(["--help"], help)).to.equal(0);
    expect(help.outs[0]).to.match(/^usage: oci-geo-streaming <command>/);
    expect(help.outs[0]).to.match(/failover .*\n.*failback/);
    const version = io();
    expect(await cliMain(["--version"], version)).to.equal(0);
    expect(version.outs).to.deep.equal([packageVersion()]);
    expect(packageVersion()).to.match(/^\d+\.\d+\.\d+/);
    const sub = io();
    expect(await cliMain(["failback", "--help"], sub)).to.equal(0);
    expect(sub.outs[0]).to.match(/^usage: oci-geo-streaming failback/);
    for (const argv of [["rollback"], []]) {
      const bad = io();
      expect(await cliMain(argv, bad)).to.equal(2);
      expect(bad.errs).to.have.length(1);
      expect(bad.errs[0]).to.match(
        /^oci-geo-streaming: (unknown command 'rollback'|a command is required): use failover, failback/,
      );
    }
  });

  it("plan:examples answers --help and refuses an unknown example (exit 2)", async () => {
    expect(await planExamples(["--help"], ROOT)).to.equal(0);
    expect(await planExamples(["--bogus"], ROOT)).to.equal(2);
    expect(await planExamples(["nosuch"], ROOT)).to.equal(2);
  });

  it("as a process: drill --help exits 0; a bad flag is one line on stderr, exit 2, no stack trace", function () {
    this.timeout(60_000);
    const run = (args: string[]) =>
      spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "dev/cli/drill.ts", ...args], {
        cwd: ROOT,
        encoding: "utf8",
      });
    const help = run(["--help"]);
    expect(help.status, help.stderr).to.equal(0);
    expect(help.stdout).to.match(/^usage: npm run drill -- /);
    const bad = run(["--rate"]);
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.equal("drill: --rate needs a value (see npm run drill -- --help)\n");
    expect(bad.stdout).to.equal("");
  });
});
