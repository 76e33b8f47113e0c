import { PulumiCommand } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  deployPair,
  destroyPair,
  localPairWorkspace,
  managedConfigKeys,
  PairStepError,
  PulumiCliNotFoundError,
  readOutputs,
  stackConfigFor,
} from "../../lib/program/automation";
import { richPair, TOKEN } from "./automationFixtures";

/**
 * The default workspace drives the real Automation API SDK (LocalWorkspace, Stack) against a
 * stand-in `pulumi` executable that records its arguments: what the SDK would ask of the CLI for
 * select/create, config and outputs. `up`, `preview` and `destroy` need the engine and are not
 * exercised here (the orchestration around them is covered with the recording workspace).
 */
const FAKE_CLI = `
const fs = require("fs");
const args = process.argv.slice(2);
if (args[0] === "version") { process.stdout.write("v3.248.0\\n"); process.exit(0); }
const { FAKE_PULUMI_LOG: log, FAKE_PULUMI_STATE: stateFile } = process.env;
fs.appendFileSync(log, JSON.stringify(args) + "\\n");
const state = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, "utf8")) : { stacks: [] };
const stack = args[args.indexOf("--stack") + 1];
if (process.env.FAKE_PULUMI_FAIL && args.join(" ").startsWith(process.env.FAKE_PULUMI_FAIL)) {
  process.stderr.write("error: could not save the stack settings\\n");
  process.exit(1);
}
if (args[0] === "stack" && args[1] === "select") {
  if (!state.stacks.includes(stack)) { process.stderr.write("error: no stack named '" + stack + "' found\\n"); process.exit(255); }
} else if (args[0] === "stack" && args[1] === "init") {
  state.stacks.push(args[2]);
  fs.writeFileSync(stateFile, JSON.stringify(state));
} else if (args[0] === "stack" && args[1] === "output") {
  const secret = args.includes("--show-secrets") ? "ocid1.vaultsecret.oc1.ams.x" : "[secret]";
  process.stdout.write(JSON.stringify({ region: "eu-amsterdam-1", tokenSecretId: secret }));
}
`;

describe("automation: the default workspace over LocalWorkspace (stand-in CLI)", function () {
  this.timeout(30_000);
  let dir: string;
  let workDir: string;
  let env: Record<string, string>;
  let pulumiCommand: PulumiCommand;

  const calls = (): string[][] =>
    fs
      .readFileSync(env.FAKE_PULUMI_LOG, "utf8")
      .trim()
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as string[]);

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "automation-ws-"));
    fs.mkdirSync(path.join(dir, "bin"));
    fs.writeFileSync(path.join(dir, "bin", "pulumi"), `#!${process.execPath}\n${FAKE_CLI}`, { mode: 0o755 });
    workDir = path.join(dir, "work");
    fs.mkdirSync(workDir);
    env = { FAKE_PULUMI_LOG: path.join(dir, "calls.log"), FAKE_PULUMI_STATE: path.join(dir, "state.json") };
    fs.writeFileSync(env.FAKE_PULUMI_LOG, "");
    pulumiCommand = await PulumiCommand.get({ root: dir, skipVersionCheck: true });
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes its own project settings (inline program, no config schema) and creates stacks only when asked", async () => {
    const ws = localPairWorkspace({
      projectName: "oci-geo-streaming",
      backendUrl: "s3://geo-state?region=eu-amsterdam-1",
      workDir,
      envVars: env,
      secretsProvider: "passphrase",
      pulumiCommand,
    });
    const stack = "organization/oci-geo-streaming/dr";
    expect(await ws.selectStack(stack, { create: false })).to.equal(false);
    expect(await ws.selectStack(stack, { create: true })).to.equal(true);
    expect(await ws.selectStack(stack, { create: false })).to.equal(true);
    expect(calls()).to.deep.equal([
      ["stack", "select", "--stack", stack, "--non-interactive"],
      ["stack", "select", "--stack", stack, "--non-interactive"],
      ["stack", "init", stack, "--secrets-provider", "passphrase", "--non-interactive"],
      ["stack", "select", "--stack", stack, "--non-interactive"],
    ]);
    const settings = fs.readFileSync(path.join(workDir, "Pulumi.yaml"), "utf8");
    expect(settings).to.match(/^name: oci-geo-streaming$/m);
    expect(settings).to.match(/^runtime: nodejs$/m);
    expect(settings).to.match(/^ {2}url: s3:\/\/geo-state\?region=eu-amsterdam-1$/m);
    expect(settings).to.not.match(/^config:/m);
  });

  it("sets config with set-all, one --plaintext or --secret per value, no --path; removes with rm-all", async () => {
    const ws = localPairWorkspace({ projectName: "oci-geo-streaming", workDir, envVars: env, pulumiCommand });
    const stack = "acme/oci-geo-streaming/dr";
    const config = stackConfigFor(richPair(), "dr", "primary-to-dr");
    await ws.setAllConfig(stack, config);
    const stale = managedConfigKeys("oci-geo-streaming").filter((k) => !(k in config));
    await ws.removeAllConfig(stack, stale);
    await ws.removeAllConfig(stack, []);
    const [set, rm, ...rest] = calls();
    expect(rest).to.deep.equal([]);
    expect(set.slice(0, 4)).to.deep.equal(["config", "set-all", "--stack", stack]);
    expect(set).to.not.include("--path");
    const pairs: string[][] = [];
    for (let i = 4; i < set.length - 1; i += 2) {
      pairs.push([set[i], set[i + 1]]);
    }
    expect(set[set.length - 1]).to.equal("--non-interactive");
    expect(pairs).to.deep.include(["--secret", `oci-geo-streaming:credentialsAuthToken=${TOKEN}`]);
    expect(pairs).to.deep.include(["--plaintext", "oci:region=eu-amsterdam-1"]);
    expect(pairs).to.deep.include([
      "--plaintext",
      'oci-geo-streaming:streams=[{"name":"orders","partitions":6,"retentionHours":168}]',
    ]);
    expect(pairs.filter(([flag]) => flag === "--secret")).to.have.length(1);
    expect(pairs).to.have.length(Object.keys(config).length);
    expect(rm).to.deep.equal(["config", "rm-all", "--stack", stack, ...stale, "--non-interactive"]);
  });

  it("reads outputs through the pair API, marking secret outputs (stacks addressed by qualified name)", async () => {
    fs.writeFileSync(
      env.FAKE_PULUMI_STATE,
      JSON.stringify({ stacks: ["organization/oci-geo-streaming/dr"] }),
    );
    const pair = { ...richPair(), organization: undefined, backendUrl: "file:///var/state" };
    const out = await readOutputs(pair, { local: { workDir, envVars: env, pulumiCommand } });
    expect(out.primary).to.equal(undefined);
    expect(out.dr).to.deep.equal({
      region: { value: "eu-amsterdam-1", secret: false },
      tokenSecretId: { value: "ocid1.vaultsecret.oc1.ams.x", secret: true },
    });
    expect(calls().map((c) => c.slice(0, 4).join(" "))).to.deep.equal([
      "stack select --stack organization/oci-geo-streaming/primary",
      "stack select --stack organization/oci-geo-streaming/dr",
      "stack output --json --stack",
      "stack output --json --show-secrets",
    ]);
    expect(fs.readFileSync(path.join(workDir, "Pulumi.yaml"), "utf8")).to.match(
      /^ {2}url: file:\/\/\/var\/state$/m,
    );
  });

  it("keeps the auth token out of a failed config step's error (the SDK's error quotes the command line)", async () => {
    env.FAKE_PULUMI_FAIL = "config set-all";
    const stack = "acme/oci-geo-streaming/dr";
    // The SDK's own error carries the whole command, secret values included...
    const raw = localPairWorkspace({
      projectName: "oci-geo-streaming",
      workDir,
      envVars: env,
      pulumiCommand,
    });
    let sdkError: unknown;
    try {
      await raw.setAllConfig(stack, stackConfigFor(richPair(), "dr", "primary-to-dr"));
    } catch (e) {
      sdkError = e;
    }
    expect(String(sdkError)).to.contain(TOKEN);
    // ...so the pair operations replace them before reporting the failure.
    fs.writeFileSync(env.FAKE_PULUMI_STATE, JSON.stringify({ stacks: ["acme/oci-geo-streaming/primary"] }));
    const pair = richPair();
    pair.primary.mirrorMaker = { credentialsUserName: "mm2-failback", credentialsAuthToken: TOKEN };
    let err: unknown;
    try {
      await deployPair(pair, { direction: "dr-to-primary", local: { workDir, envVars: env, pulumiCommand } });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(PairStepError);
    expect(err).to.include({ step: "config", role: "primary" });
    const e = err as PairStepError;
    for (const text of [e.message, String(e.stack), String(e.cause), JSON.stringify(e.cause)]) {
      expect(text).to.not.contain(TOKEN);
    }
    expect(e.message).to.contain("oci-geo-streaming:credentialsAuthToken=[secret]");
    expect(e.message).to.contain("could not save the stack settings");
  });
});

describe("automation: a missing CLI, and the workspace's temporary directory", function () {
  this.timeout(30_000);
  let dir: string;
  let saved: { PATH?: string; TMPDIR?: string };
  let pulumiCommand: PulumiCommand;
  let env: Record<string, string>;

  /** The `automation-*` directories in this test's own temporary directory. */
  const leftovers = () => fs.readdirSync(path.join(dir, "tmp")).filter((n) => n.startsWith("automation-"));

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "automation-cli-"));
    fs.mkdirSync(path.join(dir, "bin"));
    fs.mkdirSync(path.join(dir, "tmp"));
    fs.writeFileSync(path.join(dir, "bin", "pulumi"), `#!${process.execPath}\n${FAKE_CLI}`, { mode: 0o755 });
    env = { FAKE_PULUMI_LOG: path.join(dir, "calls.log"), FAKE_PULUMI_STATE: path.join(dir, "state.json") };
    pulumiCommand = await PulumiCommand.get({ root: dir, skipVersionCheck: true });
    saved = { PATH: process.env.PATH, TMPDIR: process.env.TMPDIR };
    // os.tmpdir() reads TMPDIR on every call: this test's directories land here only.
    process.env.TMPDIR = path.join(dir, "tmp");
  });

  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("says what to install or pass when no pulumi is on the PATH, once, instead of 'ENOENT: pulumi version' twice", async () => {
    // A PATH with node but without pulumi.
    process.env.PATH = path.dirname(process.execPath);
    let err: unknown;
    try {
      await readOutputs(richPair(), { local: { envVars: env } });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(PairStepError);
    expect((err as PairStepError).cause).to.be.instanceOf(PulumiCliNotFoundError);
    const message = (err as Error).message;
    expect(message).to.contain("the Pulumi CLI was not found (no 'pulumi' on the PATH)");
    expect(message).to.contain("https://www.pulumi.com/docs/iac/download-install/");
    expect(message).to.contain('PulumiCommand.get({ root: "<folder holding bin/pulumi>" })');
    expect(message).to.not.contain("ENOENT");
    expect(message.split("not found").length - 1).to.equal(1);
    expect(leftovers()).to.deep.equal([]);
    // Control: with the CLI on the PATH the same call gets past the lookup.
    process.env.PATH = `${path.join(dir, "bin")}:${path.dirname(process.execPath)}`;
    fs.writeFileSync(env.FAKE_PULUMI_STATE, JSON.stringify({ stacks: [] }));
    fs.writeFileSync(env.FAKE_PULUMI_LOG, "");
    expect(await readOutputs(richPair(), { local: { envVars: env } })).to.deep.equal({});
  });

  it("removes the temporary workspace directory after each call, failed ones too", async () => {
    fs.writeFileSync(env.FAKE_PULUMI_LOG, "");
    fs.writeFileSync(env.FAKE_PULUMI_STATE, JSON.stringify({ stacks: ["acme/oci-geo-streaming/dr"] }));
    await readOutputs(richPair(), { local: { envVars: env, pulumiCommand } });
    expect(leftovers()).to.deep.equal([]);
    await destroyPair(richPair(), {
      local: { envVars: { ...env, FAKE_PULUMI_FAIL: "destroy" }, pulumiCommand },
    }).then(
      () => expect.fail("destroy should fail"),
      (e: unknown) => expect(e).to.be.instanceOf(PairStepError),
    );
    expect(leftovers()).to.deep.equal([]);
    // Control: a workspace that is not closed keeps its directory (the check sees one).
    const ws = localPairWorkspace({ projectName: "oci-geo-streaming", envVars: env, pulumiCommand });
    await ws.selectStack("acme/oci-geo-streaming/dr", { create: false });
    expect(leftovers()).to.have.length(1);
    await ws.close?.();
    expect(leftovers()).to.deep.equal([]);
  });
});
