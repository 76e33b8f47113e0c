/**
 * The real-engine tier's sandbox: the Pulumi CLI and the YAML language host that
 * dev/engine/tools.sh builds into .cache/, the OCI emulator plugins (dev/emulator) first on the
 * PATH, a fresh PULUMI_HOME, a `file://` backend, passphrase secrets and an emulated tenancy
 * (OCI_EMULATOR_STATE) per sandbox, all under .cache/engine-runs/ (inside the clone, so that
 * generated SDKs resolve the repository's node_modules).
 */
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { ensureNodeBundle } from "../../dev/build/bundle";
import { EmulatorState, readState } from "../../dev/emulator/state";

// The stacks upload the nodes' operator bundle (monitoring on): build it if this clone has none.
ensureNodeBundle();

export const ROOT = path.resolve(__dirname, "..", "..");
export const PULUMI_VERSION = "v3.274.1";
export const YAML_VERSION = "v1.25.0";

export const TOOLS = {
  pulumiRoot: path.join(ROOT, ".cache", "pulumi", PULUMI_VERSION),
  pulumi: path.join(ROOT, ".cache", "pulumi", PULUMI_VERSION, "bin", "pulumi"),
  yamlBin: path.join(ROOT, ".cache", "pulumi-yaml", YAML_VERSION, "bin"),
  sdkgen: path.join(ROOT, ".cache", "sdkgen", PULUMI_VERSION, "sdkgen"),
  emulatorBin: path.join(ROOT, "dev", "emulator", "bin"),
  componentPlugin: path.join(ROOT, "dist", "provider", "main.js"),
};

/** Fails with what to run when a tool the tier needs is missing. */
export function requireTools(): void {
  const missing = (
    [
      ["the Pulumi CLI", TOOLS.pulumi],
      ["the Pulumi YAML language host", path.join(TOOLS.yamlBin, "pulumi-language-yaml")],
      ["sdkgen", TOOLS.sdkgen],
    ] as const
  ).filter(([, f]) => !fs.existsSync(f));
  if (missing.length > 0) {
    throw new Error(
      `${missing.map(([w, f]) => `${w} (${path.relative(ROOT, f)})`).join(", ")} missing: run bash dev/engine/tools.sh (npm run test:engine does)`,
    );
  }
  if (!fs.existsSync(TOOLS.componentPlugin)) {
    throw new Error(
      `${path.relative(ROOT, TOOLS.componentPlugin)} is missing: run npm run build first (npm test does)`,
    );
  }
}

let emulatorBuilt = false;

/** Compiles the emulator once per run (else each plugin process would start ts-node: ~2 s more). */
export function buildEmulator(): void {
  if (emulatorBuilt) return;
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, "node_modules", "typescript", "bin", "tsc"),
      "-p",
      "dev/emulator/tsconfig.json",
      "--noCheck",
    ],
    { cwd: ROOT, stdio: "inherit" },
  );
  emulatorBuilt = true;
}

/** Progress on stderr (mocha's spec reporter writes to stdout): one line per step, with elapsed time. */
export function progress(what: string): (line: string) => void {
  const start = Date.now();
  return (line: string) =>
    process.stderr.write(`      [${what} +${((Date.now() - start) / 1000).toFixed(0)}s] ${line}\n`);
}

/**
 * The CLI's output reduced to one line per resource step (`+ oci:Core:Vcn … created`), so that a
 * long `up` shows progress without the full diff.
 */
export function stepPrinter(what: string): (text: string, role?: string) => void {
  const say = progress(what);
  return (text: string, role?: string) => {
    for (const line of text.split("\n")) {
      const t = line.trim();
      if (/^\[(primary|dr)\]/.test(t) || /\b(created|deleted|updated|replaced|error)\b/.test(t)) {
        if (/^[+~-]|^\[/.test(t) || /error/.test(t)) say(`${role ? `${role}: ` : ""}${t.slice(0, 160)}`);
      }
    }
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const RUNS = path.join(ROOT, ".cache", "engine-runs");
let pruned = false;

/** Removes the sandboxes of earlier runs (kept until then, to look into a failure). */
function pruneEarlierRuns(): void {
  if (pruned) return;
  pruned = true;
  if (!fs.existsSync(RUNS)) return;
  for (const d of fs.readdirSync(RUNS)) {
    if (!d.includes(`-${process.pid}-`)) fs.rmSync(path.join(RUNS, d), { recursive: true, force: true });
  }
}

/** One sandbox: its own tenancy, backend and PULUMI_HOME (under .cache/engine-runs/, kept until the next run). */
export class Sandbox {
  readonly dir: string;
  readonly backend: string;
  readonly stateFile: string;
  readonly home: string;
  readonly bin: string;
  readonly env: Record<string, string>;

  constructor(name: string, extraEnv: Record<string, string> = {}) {
    pruneEarlierRuns();
    this.dir = path.join(RUNS, `${name}-${process.pid}-${Date.now()}`);
    this.backend = path.join(this.dir, "backend");
    this.stateFile = path.join(this.dir, "tenancy.json");
    this.home = path.join(this.dir, "pulumi-home");
    this.bin = path.join(this.dir, "bin");
    for (const d of [this.backend, this.home, this.bin]) fs.mkdirSync(d, { recursive: true });
    this.env = {
      PATH: [
        TOOLS.emulatorBin,
        this.bin,
        path.dirname(TOOLS.pulumi),
        TOOLS.yamlBin,
        path.dirname(process.execPath),
        "/usr/local/bin",
        "/usr/bin",
        "/bin",
      ].join(":"),
      HOME: process.env.HOME ?? this.dir,
      PULUMI_HOME: this.home,
      PULUMI_BACKEND_URL: this.backendUrl,
      PULUMI_CONFIG_PASSPHRASE: "engine-tier passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      OCI_EMULATOR_STATE: this.stateFile,
      OCI_EMULATOR_HOME_REGION: "eu-frankfurt-1",
      OCI_EMULATOR_TENANCY_NAME: "acmecorp",
      ...extraEnv,
    };
  }

  get backendUrl(): string {
    return `file://${this.backend}`;
  }

  /** The CLI as the Automation API takes it. */
  pulumiCommand(): Promise<PulumiCommand> {
    return PulumiCommand.get({ root: TOOLS.pulumiRoot });
  }

  /** Runs the CLI in `cwd` with the sandbox's environment; never throws for a non-zero exit. */
  cli(args: string[], cwd: string = this.dir, env: Record<string, string> = {}): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(
        TOOLS.pulumi,
        [...args, "--non-interactive"],
        { cwd, env: { ...this.env, ...env }, maxBuffer: 256 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
    });
  }

  /** `pulumi stack export` of a fully qualified stack (secrets as the CLI stores them). */
  async exportStack(stack: string): Promise<StackExport> {
    const r = await this.cli(["stack", "export", "--stack", stack]);
    if (r.code !== 0) {
      throw new Error(`pulumi stack export --stack ${stack} failed (${r.code}): ${r.stderr}`);
    }
    return JSON.parse(r.stdout) as StackExport;
  }

  /** The emulated tenancy. */
  tenancy(): EmulatorState {
    return readState(this.stateFile);
  }

  /** An executable on the sandbox's PATH. */
  addBin(name: string, script: string): string {
    const file = path.join(this.bin, name);
    fs.writeFileSync(file, script, { mode: 0o755 });
    return file;
  }

  /** The component plugin from this build (what the npm package's bin runs). */
  addComponentPlugin(): string {
    return this.addBin(
      "pulumi-resource-oci-geo-streaming",
      `#!/bin/sh\nexec "${process.execPath}" "${TOOLS.componentPlugin}" "$@"\n`,
    );
  }
}

/** The parts of `pulumi stack export` the tests read. */
export interface StackExport {
  version: number;
  deployment: {
    secrets_providers?: { type: string };
    resources?: ExportedResource[];
    pending_operations?: unknown[];
  };
}

export interface ExportedResource {
  urn: string;
  custom: boolean;
  type: string;
  id?: string;
  parent?: string;
  provider?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export function resourcesOf(e: StackExport): ExportedResource[] {
  return e.deployment.resources ?? [];
}

/** The cloud resources of a stack (not the stack, providers, components or stack references). */
export function cloudResources(e: StackExport): ExportedResource[] {
  return resourcesOf(e).filter(
    (r) => r.custom && !r.type.startsWith("pulumi:providers:") && r.type !== "pulumi:pulumi:StackReference",
  );
}

export function ofType(e: StackExport, type: string): ExportedResource[] {
  return resourcesOf(e).filter((r) => r.type === type);
}

/** The name part of a URN. */
export function nameOf(urn: string): string {
  return urn.split("::").pop() ?? urn;
}
