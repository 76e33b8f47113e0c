import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

/**
 * The package as consumers get it: the built `dist/` (npm test builds it first), resolved through
 * package.json `exports`. The packed and installed tarball is tests/contract/tarball.test.ts.
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
    expect(pkg.bin).to.deep.equal({
      "oci-geo-streaming": "dist/ops/cli/main.js",
      // The multi-language component's plugin (Pulumi finds pulumi-resource-<package> on the PATH).
      "pulumi-resource-oci-geo-streaming": "dist/provider/main.js",
    });
    expect(pkg.files).to.deep.equal([
      "dist/**/*.js",
      "dist/**/*.d.ts",
      // The nodes' operator bundle, which the component uploads to the tools bucket.
      "dist/bundle/*.cjs",
      "dist/provider/schema.json",
      "README.md",
    ]);
    expect(pkg.peerDependencies).to.have.keys("@pulumi/pulumi", "@pulumi/oci");
    expect(pkg.dependencies ?? {}).to.not.have.any.keys("@pulumi/pulumi", "@pulumi/oci");
  });

  it("exports what a consumer uses, not internals", () => {
    const script = "console.log(JSON.stringify(Object.keys(require(process.argv[1])).sort()))";
    const out = execFileSync(process.execPath, ["-e", script, ROOT], { cwd: ROOT, encoding: "utf8" });
    expect(JSON.parse(out)).to.deep.equal([
      "DEFAULTS",
      "GeoReplicatedStream",
      "SETTINGS",
      "ValidationError",
      "automation",
      "failback",
      "failover",
      "peerFromStack",
      "readStackSettings",
      "stackProgram",
      "validateGeoReplicatedStreamArgs",
    ]);
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
});
