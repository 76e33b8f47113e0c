/**
 * The small workspace interface the pair operations drive, and its default implementation over
 * the Pulumi Automation API's `LocalWorkspace` with the stack program inline. Tests pass a
 * recording fake instead (the Pulumi CLI is not needed to check what would be done, and in which order).
 */
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
import { stackProgram } from "../program/stackProgram";
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
   * passphrase salt) between runs. Default: a new temporary directory per workspace.
   */
  workDir?: string;
  /** PULUMI_HOME for the CLI. */
  pulumiHome?: string;
  /** Environment of every CLI command (OCI credentials, `PULUMI_CONFIG_PASSPHRASE`, …). */
  envVars?: Record<string, string>;
  /** Secrets provider for stacks created here (`passphrase`, `awskms://…`, …). */
  secretsProvider?: string;
  /** A specific Pulumi CLI (`PulumiCommand.get({ root })`). Default: `pulumi` on the PATH. */
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
  const stacks = new Map<string, Stack>();
  // Created on first use, so that nothing starts the CLI before the pair is validated.
  const open = () =>
    (workspace ??= LocalWorkspace.create({
      program: options.program ?? DEFAULT_PROGRAM,
      projectSettings: {
        name: options.projectName,
        runtime: "nodejs",
        ...(options.backendUrl !== undefined ? { backend: { url: options.backendUrl } } : {}),
      },
      workDir: options.workDir,
      pulumiHome: options.pulumiHome,
      envVars: options.envVars,
      secretsProvider: options.secretsProvider,
      pulumiCommand: options.pulumiCommand,
    }));
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
  };
}
