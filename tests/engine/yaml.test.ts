/**
 * The component in other Pulumi languages, on the real engine: the package's plugin
 * (dist/provider/main.js, the npm bin `pulumi-resource-oci-geo-streaming`) serves the checked-in
 * schema; examples/yaml-pair deploys a primary/dr pair through the Pulumi YAML host, the plugin's
 * construct and the OCI emulator, and previews clean afterwards; SDKs generated from the schema
 * (dev/go/sdkgen) compile.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  buildEmulator,
  cloudResources,
  nameOf,
  ofType,
  progress,
  requireTools,
  resourcesOf,
  ROOT,
  Sandbox,
  TOOLS,
} from "./support";

const run = promisify(execFile);
const COMPONENT = "oci-geo-streaming:index:GeoReplicatedStream";
const STACK = "example";

function filesUnder(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

describe("engine: the component from Pulumi YAML, and its generated SDKs", function () {
  this.timeout(600_000);
  let sandbox: Sandbox;
  let plugin: string;
  let project: string;

  before(() => {
    requireTools();
    buildEmulator();
    sandbox = new Sandbox("yaml");
    plugin = sandbox.addComponentPlugin();
    project = path.join(sandbox.dir, "yaml-pair");
    fs.mkdirSync(project);
    for (const f of fs.readdirSync(path.join(ROOT, "examples", "yaml-pair"))) {
      fs.copyFileSync(path.join(ROOT, "examples", "yaml-pair", f), path.join(project, f));
    }
  });

  it("pulumi package get-schema reads the package: exactly the checked-in lib/provider/schema.json", async () => {
    const r = await sandbox.cli(["package", "get-schema", plugin]);
    expect(r.code, r.stderr).to.equal(0);
    const served = JSON.parse(r.stdout) as Record<string, unknown>;
    const checkedIn = JSON.parse(fs.readFileSync(path.join(ROOT, "lib", "provider", "schema.json"), "utf8"));
    expect(served).to.deep.equal(checkedIn);
    expect(Object.keys(served.resources as object)).to.deep.equal([COMPONENT]);
  });

  it("examples/yaml-pair deploys the pair: two components, their children through the emulator, dr peered to the primary", async () => {
    expect(
      (await sandbox.cli(["stack", "init", STACK, "--secrets-provider", "passphrase"], project)).code,
    ).to.equal(0);
    const say = progress("yaml-pair up");
    const r = await sandbox.cli(["up", "-s", STACK, "--yes", "--skip-preview"], project);
    for (const line of r.stdout.split("\n"))
      if (/Resources:|^\s+\+ \d+ |Duration:|error/.test(line)) say(line.trim());
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    // The YAML host warns about what it ignores in the program (a config declaration's unknown
    // field, say): the example is written so that it has nothing to ignore.
    expect(r.stdout + r.stderr).not.to.match(/does not exist on Object/);
    const e = await sandbox.exportStack(`organization/yaml-pair/${STACK}`);
    const components = ofType(e, COMPONENT);
    expect(components.map((c) => nameOf(c.urn)).sort()).to.deep.equal(["dr", "primary"]);
    const rpcs = ofType(e, "oci:Core/remotePeeringConnection:RemotePeeringConnection");
    const primaryRpc = rpcs.find((x) => nameOf(x.urn) === "primary-network-rpc")!;
    const drRpc = rpcs.find((x) => nameOf(x.urn) === "dr-network-rpc")!;
    expect(drRpc.inputs?.peerId).to.equal(primaryRpc.id);
    // Each component's children are under it and use its region's provider.
    const instances = ofType(e, "oci:Core/instance:Instance");
    expect(instances).to.have.length(2);
    for (const i of instances) expect(i.provider).to.match(/::pulumi:providers:oci::ams::/);
    expect(instances.every((i) => i.urn.includes(`${COMPONENT}$`))).to.equal(true);
    // IAM went through the home region's provider (replication.homeRegionProvider: fra).
    for (const u of ofType(e, "oci:Identity/user:User"))
      expect(u.provider).to.match(/::pulumi:providers:oci::fra::/);
    const tenancy = sandbox.tenancy();
    for (const c of cloudResources(e))
      expect(tenancy.resources[c.id!], nameOf(c.urn)).to.not.equal(undefined);
    const outputs = resourcesOf(e).find((x) => x.type === "pulumi:pulumi:Stack")?.outputs ?? {};
    expect(String(outputs.drBootstrapServers)).to.match(
      /\.streaming\.eu-amsterdam-1\.oci\.oraclecloud\.com:9092$/,
    );
  });

  it("previews clean afterwards (no change: --expect-no-changes)", async () => {
    const r = await sandbox.cli(["preview", "-s", STACK, "--expect-no-changes", "--json"], project);
    expect(r.code, r.stderr).to.equal(0);
    const summary = (JSON.parse(r.stdout) as { changeSummary: Record<string, number> }).changeSummary;
    expect(Object.keys(summary)).to.deep.equal(["same"]);
  });

  it("a bad argument in YAML is refused by the construct, naming the field (nothing is changed)", async () => {
    const bad = path.join(sandbox.dir, "yaml-bad");
    fs.cpSync(project, bad, { recursive: true });
    const text = fs.readFileSync(path.join(bad, "Pulumi.yaml"), "utf8");
    fs.writeFileSync(
      path.join(bad, "Pulumi.yaml"),
      text.replace("vcnCidr: 10.20.0.0/16\n      streams", "vcnCidr: 10.10.0.0/16\n      streams"),
    );
    const r = await sandbox.cli(["preview", "-s", STACK], bad);
    expect(r.code).to.not.equal(0);
    expect(r.stdout + r.stderr).to.match(/peer\.vcnCidr|network\.vcnCidr/);
    expect(r.stdout + r.stderr).to.match(/overlap/);
  });

  it("SDKs for Node.js, Python and Go generate from the schema; the Python one compiles, the Node.js one type-checks", async () => {
    const ociSchema = path.join(sandbox.dir, "oci-schema.json");
    const dep = await sandbox.cli([
      "package",
      "get-schema",
      path.join(TOOLS.emulatorBin, "pulumi-resource-oci"),
    ]);
    expect(dep.code, dep.stderr).to.equal(0);
    fs.writeFileSync(ociSchema, dep.stdout);
    const schema = path.join(ROOT, "lib", "provider", "schema.json");
    const out = (lang: string) => path.join(sandbox.dir, "sdk", lang);
    for (const lang of ["nodejs", "python", "go"]) {
      const { stdout } = await run(TOOLS.sdkgen, [lang, schema, out(lang), ociSchema]);
      progress("sdkgen")(stdout.trim());
    }
    // Python: every module compiles; the component class and the enums are there.
    const py = filesUnder(out("python"), ".py");
    expect(py.length).to.be.above(5);
    await run("python3", ["-m", "py_compile", ...py]);
    const component = fs.readFileSync(
      path.join(out("python"), "pulumi_oci_geo_streaming", "geo_replicated_stream.py"),
      "utf8",
    );
    expect(component).to.match(/class GeoReplicatedStream\(pulumi\.ComponentResource\)/);
    const inputsPy = fs.readFileSync(
      path.join(out("python"), "pulumi_oci_geo_streaming", "_inputs.py"),
      "utf8",
    );
    expect(inputsPy).to.contain("home_region_provider: pulumi.Input['pulumi_oci.Provider']");
    expect(
      fs.readFileSync(path.join(out("python"), "pulumi_oci_geo_streaming", "_enums.py"), "utf8"),
    ).to.contain('PEER_TO_LOCAL = "peer-to-local"');
    // Node.js: the generated TypeScript type-checks against the repository's @pulumi/pulumi and @pulumi/oci.
    const ts = filesUnder(out("nodejs"), ".ts").filter((f) => !f.endsWith(".d.ts"));
    await run(process.execPath, [
      path.join(ROOT, "node_modules", "typescript", "bin", "tsc"),
      "--noEmit",
      "--strict",
      "--skipLibCheck",
      "--target",
      "ES2020",
      "--module",
      "commonjs",
      "--moduleResolution",
      "node",
      ...ts,
    ]);
    // Go: the package and its types are generated (built in the next test).
    const go = filesUnder(out("go"), ".go");
    expect(go.map((f) => path.basename(f))).to.include.members([
      "geoReplicatedStream.go",
      "pulumiTypes.go",
      "pulumiEnums.go",
    ]);
  });

  it("the Go SDK builds against the Pulumi Go SDK v3.274.1 (pulumi-oci's Provider type stubbed)", async () => {
    const goDir = path.join(sandbox.dir, "sdk", "go");
    expect(
      fs.existsSync(path.join(goDir, "ocigeostreaming", "geoReplicatedStream.go")),
      "generated above",
    ).to.equal(true);
    // pulumi-oci's Go SDK is a module of several hundred megabytes; the generated code uses only
    // its Provider resource type, which this stub declares the way pulumi-oci's provider.go does.
    const stub = path.join(goDir, "oci-stub");
    fs.mkdirSync(path.join(stub, "go", "oci"), { recursive: true });
    fs.writeFileSync(path.join(stub, "go.mod"), "module github.com/pulumi/pulumi-oci/sdk/v4\n\ngo 1.24\n");
    fs.writeFileSync(path.join(stub, "go", "oci", "provider.go"), GO_OCI_PROVIDER_STUB);
    fs.writeFileSync(
      path.join(goDir, "go.mod"),
      [
        "module oci-geo-streaming/sdk/go",
        "",
        "go 1.24",
        "",
        "require (",
        "\tgithub.com/blang/semver v3.5.1+incompatible",
        "\tgithub.com/pulumi/pulumi-oci/sdk/v4 v4.20.0",
        "\tgithub.com/pulumi/pulumi/sdk/v3 v3.274.1",
        ")",
        "",
        "replace github.com/pulumi/pulumi-oci/sdk/v4 => ./oci-stub",
        "",
      ].join("\n"),
    );
    const env = { ...process.env, GOFLAGS: "-mod=mod", GOTOOLCHAIN: "local" };
    await run("go", ["mod", "tidy"], { cwd: goDir, env, maxBuffer: 64 * 1024 * 1024 });
    await run("go", ["build", "./..."], { cwd: goDir, env, maxBuffer: 64 * 1024 * 1024 });
  });

  it("destroy leaves nothing", async () => {
    // The created pools are protected (streamPool.protect defaults to true): the operator's step
    // before a deliberate destroy (docs/operations.md).
    const u = await sandbox.cli(["state", "unprotect", "--all", "--yes", "-s", STACK], project);
    expect(u.code, u.stderr).to.equal(0);
    const r = await sandbox.cli(["destroy", "-s", STACK, "--yes", "--skip-preview"], project);
    expect(r.code, r.stderr).to.equal(0);
    expect(resourcesOf(await sandbox.exportStack(`organization/yaml-pair/${STACK}`))).to.deep.equal([]);
    expect(Object.keys(sandbox.tenancy().resources)).to.deep.equal([]);
  });
});

/** pulumi-oci's `oci.Provider` resource type, as its generated Go SDK declares it (no more). */
const GO_OCI_PROVIDER_STUB = `package oci

import (
\t"context"
\t"reflect"

\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type Provider struct {
\tpulumi.ProviderResourceState
}

type ProviderInput interface {
\tpulumi.Input

\tToProviderOutput() ProviderOutput
\tToProviderOutputWithContext(ctx context.Context) ProviderOutput
}

func (*Provider) ElementType() reflect.Type {
\treturn reflect.TypeOf((**Provider)(nil)).Elem()
}

func (i *Provider) ToProviderOutput() ProviderOutput {
\treturn i.ToProviderOutputWithContext(context.Background())
}

func (i *Provider) ToProviderOutputWithContext(ctx context.Context) ProviderOutput {
\treturn pulumi.ToOutputWithContext(ctx, i).(ProviderOutput)
}

type ProviderOutput struct{ *pulumi.OutputState }

func (ProviderOutput) ElementType() reflect.Type {
\treturn reflect.TypeOf((**Provider)(nil)).Elem()
}

func (o ProviderOutput) ToProviderOutput() ProviderOutput { return o }

func (o ProviderOutput) ToProviderOutputWithContext(ctx context.Context) ProviderOutput { return o }

func init() {
\tpulumi.RegisterOutputType(ProviderOutput{})
}
`;
