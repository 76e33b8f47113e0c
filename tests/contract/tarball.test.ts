/**
 * The published tarball, as a user installs it: `npm pack` of the build, `npm install <tgz>` with
 * the peer dependencies into a fresh folder (tests/support/installedPackage.ts). It holds the
 * component, its pure core, the failover/failback library and the CLI, nothing of dev/ or tests/,
 * no source-map reference to a missing file; a strict consumer compiles against its types; the bin
 * runs with plain node (no ts-node installed).
 */
import { TOOLS_BUNDLE_FILE } from "../../lib/core/telemetry/artifacts";
import { expect } from "chai";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  installedPackage,
  InstalledPackage,
  removeInstalledPackage,
  ROOT,
} from "../support/installedPackage";
import { writeDocBlocks } from "../support/docBlocks";

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  version: string;
  main: string;
};

/** lib/**\/*.ts, relative to lib/, without the extension. */
function libModules(dir = path.join(ROOT, "lib")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return libModules(p);
    // Ambient declarations (.d.ts sources) are not modules: tsc emits nothing for them.
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")
      ? [path.relative(path.join(ROOT, "lib"), p).replace(/\.ts$/, "")]
      : [];
  });
}

/** What must never ship: development tools, tests, the mock engine, rehearsal, benchmark. */
const NOT_SHIPPED = /(^|\/)(dev|tests?|rehearsal|oci-model|bench|plan)(\/|$)|mock|rehearse|bench/i;

/** Problems of a packed file list (negative controls below prove the rules bite). */
export function tarballProblems(files: string[], read: (f: string) => string): string[] {
  const problems: string[] = [];
  for (const f of files) {
    if (
      !/^dist\/.+\.(js|d\.ts)$/.test(f) &&
      ![
        "package.json",
        "README.md",
        "dist/provider/schema.json",
        `dist/bundle/${TOOLS_BUNDLE_FILE}`,
      ].includes(f)
    ) {
      problems.push(`${f}: not part of the package (package.json files)`);
    }
    if (NOT_SHIPPED.test(f)) problems.push(`${f}: development or test code`);
    if (f.endsWith(".js")) {
      const text = read(f);
      for (const m of text.matchAll(/\/\/# sourceMappingURL=(\S+)/g)) {
        const target = path.posix.join(path.posix.dirname(f), m[1]);
        if (!files.includes(target)) problems.push(`${f}: points at ${target}, which is not shipped`);
      }
      if (/require\("(ts-node|\.\.\/+dev\/|mocha|chai)/.test(text))
        problems.push(`${f}: requires a development module`);
    }
  }
  return problems;
}

describe("contract: the published tarball, installed", function () {
  this.timeout(300_000);
  let p: InstalledPackage;

  before(function () {
    if (!fs.existsSync(path.join(ROOT, pkg.main))) {
      throw new Error(`${pkg.main} is missing: run 'npm run build' first (npm test does)`);
    }
    p = installedPackage();
  });

  after(() => removeInstalledPackage());

  it("ships the component plugin: it loads with the peer dependencies and serves the checked-in schema", () => {
    expect(p.files).to.include.members(["dist/provider/main.js", "dist/provider/schema.json"]);
    const plugin = path.join(p.dir, "node_modules", ".bin", "pulumi-resource-oci-geo-streaming");
    expect(fs.existsSync(plugin), "npm links the plugin's bin").to.equal(true);
    const served = execFileSync(
      process.execPath,
      [
        "-e",
        'process.stdout.write(require("oci-geo-streaming/package.json") && require(require.resolve("oci-geo-streaming").replace(/index\\.js$/, "provider/provider.js")).componentProvider().schema)',
      ],
      { cwd: p.dir, encoding: "utf8" },
    );
    expect(JSON.parse(served)).to.deep.equal(
      JSON.parse(fs.readFileSync(path.join(ROOT, "lib", "provider", "schema.json"), "utf8")),
    );
  });

  it("ships exactly the built lib/ (one .js and .d.ts per module), package.json and the README", () => {
    const js = p.files
      .filter((f) => f.endsWith(".js"))
      .map((f) => f.replace(/^dist\//, "").replace(/\.js$/, ""));
    expect(js.sort(), "dist/ is stale or incomplete: run npm run build").to.deep.equal(libModules().sort());
    expect(p.files).to.include.members([
      "package.json",
      "README.md",
      "dist/index.d.ts",
      "dist/ops/cli/main.js",
    ]);
    // The component hashes and uploads the nodes' operator bundle: an installed package must carry it.
    expect(p.files).to.include(`dist/bundle/${TOOLS_BUNDLE_FILE}`);
  });

  it("holds no dev/, tests, rehearsal, mock or bench code and no source map reference to a missing file", () => {
    expect(
      tarballProblems(p.files, (f) => fs.readFileSync(path.join(p.packageDir, f), "utf8")),
    ).to.deep.equal([]);
  });

  it("negative control: the rules flag dev code, a dangling source map and an unlisted file", () => {
    // docs/ stays in the repository, as Pulumi's packages keep theirs: the tarball carries README.md only.
    const files = [
      "dist/index.js",
      "dist/rehearsal/cluster.js",
      "dev/plan/index.js",
      "lib/index.ts",
      "docs/_index.md",
    ];
    const read = (f: string) => (f === "dist/index.js" ? "x\n//# sourceMappingURL=index.js.map" : "");
    const problems = tarballProblems(files, read);
    expect(problems).to.include("dist/index.js: points at dist/index.js.map, which is not shipped");
    expect(problems).to.include("dist/rehearsal/cluster.js: development or test code");
    expect(problems).to.include("dev/plan/index.js: development or test code");
    expect(problems).to.include("lib/index.ts: not part of the package (package.json files)");
    expect(problems).to.include("docs/_index.md: not part of the package (package.json files)");
  });

  /**
   * One compiler run (the Pulumi types are large) over a strict consumer, the ts blocks of README.md
   * and docs/ (md-<doc>-<line>.ts), and two negative controls: internal.ts (an internal import) and
   * README's first block broken on purpose.
   */
  let compiled: { errors: string[]; blocks: string[] } | undefined;
  function compileConsumers(): { errors: string[]; blocks: string[] } {
    if (compiled) return compiled;
    const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const fixtures = ["index.ts", "internal.ts", "readme-context.d.ts"];
    for (const f of fixtures)
      fs.copyFileSync(path.join(ROOT, "tests", "fixtures", "consumer", f), path.join(p.dir, f));
    const blocks = writeDocBlocks(ROOT, p.dir);
    const first = fs.readFileSync(path.join(p.dir, blocks[0]), "utf8");
    const broken = first.replace('role: "primary"', 'role: "primery"');
    expect(broken, "the negative control needs a role to break").to.not.equal(first);
    fs.writeFileSync(path.join(p.dir, "readme-broken.ts"), broken);
    const files = [...fixtures, ...blocks, "readme-broken.ts"];
    fs.writeFileSync(
      path.join(p.dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "commonjs",
          target: "ES2022",
          esModuleInterop: true,
          noEmit: true,
          types: ["node"],
        },
        files,
      }),
    );
    const r = spawnSync(process.execPath, [tsc, "-p", ".", "--pretty", "false"], {
      cwd: p.dir,
      encoding: "utf8",
    });
    const errors = `${r.stdout}${r.stderr}`.split("\n").filter((l) => /error TS\d+/.test(l));
    compiled = { errors, blocks };
    return compiled;
  }

  it("compiles a strict consumer against the shipped types (no skipLibCheck); internals are not exported", () => {
    const { errors } = compileConsumers();
    expect(
      errors.filter((l) => l.startsWith("index.ts")),
      "the consumer does not type-check",
    ).to.deep.equal([]);
    const internal = errors.filter((l) => l.startsWith("internal.ts"));
    expect(internal).to.have.length(1);
    expect(internal[0]).to.match(/^internal\.ts\(.*has no exported member '?resolveArgs'?/);
  });

  it("compiles every ts block of README.md and docs/, strict, as written (md-<doc>-<line>.ts); a broken copy fails", () => {
    const { errors, blocks } = compileConsumers();
    expect(blocks[0], "README's minimal program comes first").to.match(/^md-README-\d+\.ts$/);
    expect(blocks.length, "the docs' ts blocks").to.be.at.least(4);
    expect(errors.filter((l) => /^md-.+-\d+\.ts/.test(l))).to.deep.equal([]);
    const broken = errors.filter((l) => l.startsWith("readme-broken.ts"));
    expect(broken.join("\n")).to.match(/error TS\d+: Type '"primery"' is not assignable to type 'Role'/);
    expect(errors.filter((l) => !/^(internal|readme-broken)\.ts/.test(l))).to.deep.equal([]);
  });

  it("runs the bin with plain node: --help, --version, a command's --help, exit 2 on a bad flag", () => {
    expect(fs.existsSync(path.join(p.dir, "node_modules", "ts-node")), "ts-node must not be needed").to.equal(
      false,
    );
    const run = (args: string[]) =>
      spawnSync(process.execPath, [p.bin, ...args], { cwd: p.dir, encoding: "utf8" });
    const help = run(["--help"]);
    expect(help.status, help.stderr).to.equal(0);
    expect(help.stdout).to.match(/^usage: oci-geo-streaming <command>/);
    expect(help.stdout)
      .to.match(/failover/)
      .and.to.match(/failback/);
    expect(run(["--version"]).stdout.trim()).to.equal(pkg.version);
    const failover = run(["failover", "--help"]);
    expect(failover.status).to.equal(0);
    expect(failover.stdout).to.match(/^usage: oci-geo-streaming failover --source <alias>/);
    const bad = run(["failback", "--bogus"]);
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.equal(
      "oci-geo-streaming failback: unknown option --bogus (see oci-geo-streaming failback --help)\n",
    );
    // The installed bin is executable as a command too (npm links it with its shebang).
    expect(execFileSync(p.bin, ["--version"], { encoding: "utf8" }).trim()).to.equal(pkg.version);
  });

  // Hook: a failover dry-run of the installed bin against the local rehearsal's clusters belongs
  // in tests/rehearsal/ (Java and Kafka needed); it reuses installedPackage() from tests/support.
});
