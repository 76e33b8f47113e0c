/**
 * The small workspace interface the pair operations drive, and its default implementation over
 * the Pulumi Automation API's `LocalWorkspace` with the stack program inline. Tests pass a
 * recording fake instead (the Pulumi CLI is not needed to check what would be done, and in which order).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  LocalWorkspace,
  OpMap,
  OutputMap,
  PulumiCommand,
  PulumiFn,
  Stack,
  StackNotFoundError,
  UpdateResult,
} from "@pulumi/pulumi/automation";
import { stackProgram } from "../stackProgram";
import type { StackConfigMap } from "./pairConfig";

/** Receives the CLI's output as it is printed. */
export type OutputCallback = (text: string) => void;

export interface WorkspaceOperationOptions {
  onOutput?: OutputCallback;
}

/** What an `up` or `destroy` reports. */
export interface StackUpdateResult {
  result: UpdateResult;
  /** Counts by operation (`create`, `update`, `same`, …). */
  resourceChanges?: OpMap;
}

/** What an `up` reports: the update and the stack outputs after it. */
export interface StackUpResult extends StackUpdateResult {
  /** Outputs by name; `secret: true` marks secret values (returned in plaintext, as the SDK does). */
  outputs: OutputMap;
}

/** What a `preview` reports. */
export interface StackPreviewResult {
  changeSummary: OpMap;
}

/**
 * The operations on a pair's stacks, by fully qualified stack name. A stack must be selected
 * (`selectStack`) before the other operations are used on it.
 */
export interface PairWorkspace {
  /**
   * Selects the stack. With `create`, creates it when it does not exist; without, resolves to
   * false when it does not exist (and rejects on any other failure).
   */
  selectStack(stackName: string, opts: { create: boolean }): Promise<boolean>;
  /** Upserts config values (`pulumi config set-all`, no `--path`: each value is stored as given). */
  setAllConfig(stackName: string, config: StackConfigMap): Promise<void>;
  /** Removes config keys (`pulumi config rm-all`; absent keys are ignored). */
  removeAllConfig(stackName: string, keys: string[]): Promise<void>;
  up(stackName: string, opts: WorkspaceOperationOptions): Promise<StackUpResult>;
  preview(stackName: string, opts: WorkspaceOperationOptions): Promise<StackPreviewResult>;
  destroy(stackName: string, opts: WorkspaceOperationOptions): Promise<StackUpdateResult>;
  /** The outputs of the stack's last update (empty when it was never deployed). */
  outputs(stackName: string): Promise<OutputMap>;
  /**
   * Releases what the workspace holds (the temporary directory it made). The pair operations call
   * it when they are done with a workspace they created.
   */
  close?(): Promise<void>;
}

/** The Pulumi CLI is not installed, or not where the workspace looks for it. */
export class PulumiCliNotFoundError extends Error {
  constructor(detail: string) {
    super(
      `the Pulumi CLI was not found (${detail}). Install it (https://www.pulumi.com/docs/iac/download-install/) ` +
        "and put its folder on this process's PATH, or pass its location: " +
        'local: { pulumiCommand: await PulumiCommand.get({ root: "<folder holding bin/pulumi>" }) } ' +
        "(PulumiCommand from @pulumi/pulumi/automation)",
    );
    this.name = "PulumiCliNotFoundError";
  }
}

/**
 * The CLI the workspace runs: the given one, or `pulumi` on this process's PATH (as the SDK looks
 * it up). A missing CLI says what to install or pass, once, instead of the SDK's ENOENT.
 */
async function resolvePulumiCommand(options: LocalPairWorkspaceOptions): Promise<PulumiCommand> {
  if (options.pulumiCommand) {
    return options.pulumiCommand;
  }
  const skipVersionCheck = Boolean(
    options.envVars?.PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK ??
    process.env.PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK,
  );
  try {
    return await PulumiCommand.get({ skipVersionCheck });
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    if (/ENOENT/.test(text)) {
      throw new PulumiCliNotFoundError("no 'pulumi' on the PATH");
    }
    throw e;
  }
}

/** Settings of the default {@link PairWorkspace}. */
export interface LocalPairWorkspaceOptions {
  /** Project name (the config namespace the program reads). */
  projectName: string;
  /** State backend URL written into the project settings. Default: the CLI's current login. */
  backendUrl?: string;
  /** The inline program. Default {@link DEFAULT_PROGRAM}. */
  program?: PulumiFn;
  /**
   * A directory dedicated to this workspace: the workspace writes its own `Pulumi.yaml` there
   * (never point it at a project such as this repository) and keeps `Pulumi.<stack>.yaml` (config,
   * passphrase salt) between runs. Default: a new temporary directory per workspace, removed by
   * {@link PairWorkspace.close}.
   */
  workDir?: string;
  /** PULUMI_HOME for the CLI. */
  pulumiHome?: string;
  /** Environment of every CLI command (OCI credentials, `PULUMI_CONFIG_PASSPHRASE`, …). */
  envVars?: Record<string, string>;
  /** Secrets provider for stacks created here (`passphrase`, `awskms://…`, …). */
  secretsProvider?: string;
  /**
   * A specific Pulumi CLI (`PulumiCommand.get({ root })`). Default: `pulumi` on this process's PATH
   * (not `envVars.PATH`, which only the CLI's own commands see); missing, a
   * {@link PulumiCliNotFoundError} says so.
   */
  pulumiCommand?: PulumiCommand;
}

/** The program the workspace runs inline: this package's stack program. */
export const DEFAULT_PROGRAM: PulumiFn = stackProgram;

/**
 * The default {@link PairWorkspace}: one `LocalWorkspace` with the stack program inline, created
 * on first use (so a caller that fails validation never starts the CLI). Its project settings are
 * `{ name, runtime: nodejs, backend }` with no config schema (see pairConfig.ts on the encoding).
 */
export function localPairWorkspace(options: LocalPairWorkspaceOptions): PairWorkspace {
  let workspace: Promise<LocalWorkspace> | undefined;
  /** The temporary directory this workspace made (and removes on close). */
  let tempDir: string | undefined;
  const stacks = new Map<string, Stack>();
  // Created on first use, so that nothing starts the CLI before the pair is validated.
  const open = () =>
    (workspace ??= (async () => {
      const pulumiCommand = await resolvePulumiCommand(options);
      let workDir = options.workDir;
      if (workDir === undefined) {
        tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "automation-"));
        workDir = tempDir;
      }
      return LocalWorkspace.create({
        program: options.program ?? DEFAULT_PROGRAM,
        projectSettings: {
          name: options.projectName,
          runtime: "nodejs",
          ...(options.backendUrl !== undefined ? { backend: { url: options.backendUrl } } : {}),
        },
        workDir,
        pulumiHome: options.pulumiHome,
        envVars: options.envVars,
        secretsProvider: options.secretsProvider,
        pulumiCommand,
      });
    })());
  const selected = (name: string): Stack => {
    const s = stacks.get(name);
    if (!s) {
      throw new Error(`stack '${name}' was not selected in this workspace`);
    }
    return s;
  };

  return {
    async selectStack(name, { create }) {
      const ws = await open();
      try {
        stacks.set(name, create ? await Stack.createOrSelect(name, ws) : await Stack.select(name, ws));
        return true;
      } catch (e) {
        if (!create && e instanceof StackNotFoundError) {
          return false;
        }
        throw e;
      }
    },
    async setAllConfig(name, config) {
      const ws = await open();
      await ws.setAllConfig(name, config);
    },
    async removeAllConfig(name, keys) {
      if (keys.length === 0) {
        return;
      }
      const ws = await open();
      await ws.removeAllConfig(name, keys);
    },
    async up(name, opts) {
      const r = await selected(name).up({ onOutput: opts.onOutput });
      return { result: r.summary.result, resourceChanges: r.summary.resourceChanges, outputs: r.outputs };
    },
    async preview(name, opts) {
      const r = await selected(name).preview({ onOutput: opts.onOutput });
      return { changeSummary: r.changeSummary };
    },
    async destroy(name, opts) {
      const r = await selected(name).destroy({ onOutput: opts.onOutput });
      return { result: r.summary.result, resourceChanges: r.summary.resourceChanges };
    },
    async outputs(name) {
      return selected(name).outputs();
    },
    async close() {
      // Let a workspace still being created finish first (its directory exists then).
      await workspace?.catch(() => undefined);
      if (tempDir !== undefined) {
        fs.rmSync(tempDir, { recursive: true, force: true });
        tempDir = undefined;
      }
      workspace = undefined;
      stacks.clear();
    },
  };
}
