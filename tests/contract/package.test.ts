import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

/**
 * The package as consumers get it: the built `dist/` (npm test builds it first), resolved through
 * package.json `exports`, type-checked by a strict consumer WITHOUT skipLibCheck.
 */
describe("contract: the published package", function () {
  this.timeout(120_000);

  before(function () {
    if (!fs.existsSync(path.join(ROOT, pkg.main))) {
      throw new Error(`${pkg.main} is missing: run 'npm run build' first (npm test does)`);
    }
  });

  it("points main, types and exports at the build, and keeps Pulumi as peer dependencies", () => {
    expect(pkg.main).to.equal("dist/index.js");
    expect(pkg.types).to.equal("dist/index.d.ts");
    expect(pkg.exports["."]).to.deep.equal({ types: "./dist/index.d.ts", default: "./dist/index.js" });
    expect(pkg.peerDependencies).to.have.keys("@pulumi/pulumi", "@pulumi/oci");
    expect(pkg.dependencies ?? {}).to.not.have.any.keys("@pulumi/pulumi", "@pulumi/oci");
  });

  it("loads without registering anything and exposes the component", () => {
    const script =
      "const m = require(process.argv[1]);" +
      "const pulumi = require('@pulumi/pulumi');" +
      "if (pulumi.runtime.hasMonitor && pulumi.runtime.hasMonitor()) process.exit(3);" +
      "console.log(JSON.stringify({ component: typeof m.GeoReplicatedStream, error: typeof m.ValidationError, automation: typeof m.automation.deployPair }));";
    const out = execFileSync(process.execPath, ["-e", script, ROOT], { cwd: ROOT, encoding: "utf8" });
    expect(JSON.parse(out)).to.deep.equal({
      component: "function",
      error: "function",
      automation: "function",
    });
  });

  it("type-checks a strict consumer program against the declarations (no skipLibCheck)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "consumer-"));
    const nodeModules = path.join(dir, "node_modules");
    fs.mkdirSync(nodeModules);
    // The consumer sees this package by name, and the same Pulumi packages it would install.
    fs.symlinkSync(ROOT, path.join(nodeModules, pkg.name), "dir");
    for (const dep of fs.readdirSync(path.join(ROOT, "node_modules"))) {
      if (!dep.startsWith(".")) {
        fs.symlinkSync(path.join(ROOT, "node_modules", dep), path.join(nodeModules, dep), "dir");
      }
    }
    fs.copyFileSync(path.join(ROOT, "tests", "fixtures", "consumer", "index.ts"), path.join(dir, "index.ts"));
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "commonjs",
          target: "ES2022",
          esModuleInterop: true,
          noEmit: true,
          types: ["node"],
        },
        files: ["index.ts"],
      }),
    );
    const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
    try {
      execFileSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      throw new Error(`the consumer does not type-check:\n${err.stdout ?? ""}${err.stderr ?? ""}`);
    }
  });
});
