/**
 * Pair operations for tools driving the Automation API: deploy, preview, destroy, read outputs,
 * and switch the replication direction for failback. Every operation validates the pair before the
 * first workspace call, and runs its stacks in the one safe order:
 *
 * - deploy / preview: primary, then dr (the dr stack reads the primary's `peering` output);
 * - destroy: dr, then primary (the dr side requested the peering and depends on the primary);
 * - direction switch: the side that starts pulling first, then the side that stops (see
 *   {@link setReplicationDirection}).
 */
import type { OutputMap } from "@pulumi/pulumi/automation";
import { Role } from "../../core/config/args";
import { ValidationError } from "../../core/errors";
import {
  managedConfigKeys,
  PairConfig,
  pairIdentity,
  PairIdentity,
  ReplicationDirection,
  StackConfigMap,
  stackConfigFor,
  validatePair,
} from "./pairConfig";
import {
  LocalPairWorkspaceOptions,
  localPairWorkspace,
  PairWorkspace,
  StackPreviewResult,
  StackUpdateResult,
  StackUpResult,
} from "./workspace";

/** Options every pair operation takes. */
export interface PairOperationOptions {
  /** The workspace to drive. Default: {@link localPairWorkspace} for the pair's project and backend. */
  workspace?: PairWorkspace;
  /** Settings of the default workspace (ignored when `workspace` is given). */
  local?: Omit<LocalPairWorkspaceOptions, "projectName" | "backendUrl">;
  /**
   * Progress: the CLI's output as it is printed, and one line per step (`[dr] <stack>: up`),
   * each with the role of the stack it concerns.
   */
  onOutput?: (text: string, role: Role) => void;
}

export interface DeployPairOptions extends PairOperationOptions {
  /**
   * The replication direction the stacks' config describes. Default `primary-to-dr`. Pass
   * `dr-to-primary` to re-apply config while failed back (both stacks must exist then: the primary
   * reads the dr's outputs). To change direction use {@link setReplicationDirection}, which orders
   * the two updates safely.
   */
  direction?: ReplicationDirection;
}

/** One stack's part in an operation. */
export interface StackStep<R> {
  role: Role;
  /** Fully qualified stack name. */
  stack: string;
  result: R;
}

export interface DeployPairResult {
  direction: ReplicationDirection;
  primary: StackStep<StackUpResult>;
  dr: StackStep<StackUpResult>;
}

export interface PreviewPairResult {
  direction: ReplicationDirection;
  primary: StackStep<StackPreviewResult>;
  /** Absent when the dr preview was skipped (see `drSkipped`). */
  dr?: StackStep<StackPreviewResult>;
  /** Why the dr stack was not previewed: it reads the primary's outputs, which do not exist yet. */
  drSkipped?: string;
}

export interface DestroyPairResult {
  /** In the order destroyed: dr, then primary. `result` is undefined for a stack that did not exist. */
  steps: StackStep<StackUpdateResult | undefined>[];
}

export interface PairOutputs {
  /** Undefined when the stack does not exist. */
  primary?: OutputMap;
  dr?: OutputMap;
}

export interface DirectionStep extends StackStep<StackUpResult> {
  /** `enable`: this stack's fleet starts pulling from the other; `disable`: its fleet is removed. */
  action: "enable" | "disable";
}

export interface SetDirectionResult {
  direction: ReplicationDirection;
  /** In the order applied. */
  steps: DirectionStep[];
}

/**
 * A stack operation failed. Carries what was completed before it, so a tool can report where the
 * pair stands; every step is idempotent (config set, then `up`), so running the same call again
 * resumes it.
 */
export class PairStepError extends Error {
  constructor(
    /** The step that failed: `up`, `preview`, `destroy`, `select`, `config`. */
    readonly step: string,
    readonly role: Role,
    readonly stack: string,
    /** Steps completed before the failure, in order. */
    readonly completed: StackStep<unknown>[],
    readonly cause: unknown,
  ) {
    super(
      `${step} of ${role} stack '${stack}' failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = "PairStepError";
  }
}

interface Run {
  id: PairIdentity;
  ws: PairWorkspace;
  completed: StackStep<unknown>[];
  say(role: Role, text: string): void;
  onOutput(role: Role): ((text: string) => void) | undefined;
  /**
   * Runs one workspace call, wrapping a failure in a PairStepError; `secrets` are replaced by
   * `[secret]` in the error (the SDK's CLI errors quote the command line, values included).
   */
  step<T>(step: string, role: Role, fn: () => Promise<T>, secrets?: string[]): Promise<T>;
}

function begin(pair: PairConfig, opts: PairOperationOptions, id: PairIdentity): Run {
  // Created only now, after validation: a bad pair never starts the CLI.
  const ws =
    opts.workspace ??
    localPairWorkspace({ ...opts.local, projectName: id.projectName, backendUrl: pair.backendUrl });
  const completed: StackStep<unknown>[] = [];
  return {
    id,
    ws,
    completed,
    say: (role, text) => opts.onOutput?.(`[${role}] ${id.qualified[role]}: ${text}\n`, role),
    onOutput: (role) => (opts.onOutput ? (text: string) => opts.onOutput?.(text, role) : undefined),
    async step(step, role, fn, secrets = []) {
      try {
        return await fn();
      } catch (e) {
        throw new PairStepError(step, role, id.qualified[role], [...completed], redacted(e, secrets));
      }
    },
  };
}

/**
 * Runs one pair operation: `fn` with a fresh {@link Run}; a workspace the run created for itself
 * is closed afterwards (its temporary directory removed), whatever happened.
 */
async function withRun<T>(
  pair: PairConfig,
  opts: PairOperationOptions,
  id: PairIdentity,
  fn: (run: Run) => Promise<T>,
): Promise<T> {
  const run = begin(pair, opts, id);
  try {
    return await fn(run);
  } finally {
    if (opts.workspace === undefined) {
      await run.ws.close?.();
    }
  }
}

/**
 * A failure with every secret value replaced by `[secret]`: the error itself when it holds none,
 * otherwise a new Error with the cleaned message (the original, which holds them, is dropped).
 */
function redacted(e: unknown, secrets: string[]): unknown {
  const texts = e instanceof Error ? [e.message, e.stack ?? "", String(e)] : [String(e)];
  const present = secrets.filter((s) => s !== "" && texts.some((t) => t.includes(s)));
  if (present.length === 0) {
    return e;
  }
  const clean = (text: string) => present.reduce((t, s) => t.split(s).join("[secret]"), text);
  const out = new Error(clean(e instanceof Error ? e.message : String(e)));
  out.name = e instanceof Error ? e.name : "Error";
  out.stack = `${out.name}: ${out.message}`;
  return out;
}

/** Writes a stack's whole config: upsert what it must have, then remove what it must not. */
async function applyConfig(run: Run, role: Role, config: StackConfigMap): Promise<void> {
  const stack = run.id.qualified[role];
  const stale = managedConfigKeys(run.id.projectName).filter((k) => !(k in config));
  const secrets = Object.values(config)
    .filter((v) => v.secret === true)
    .map((v) => v.value);
  run.say(role, `set ${Object.keys(config).length} config values, clear ${stale.length} others`);
  await run.step(
    "config",
    role,
    async () => {
      await run.ws.setAllConfig(stack, config);
      await run.ws.removeAllConfig(stack, stale);
    },
    secrets,
  );
}

async function select(run: Run, role: Role, create: boolean): Promise<boolean> {
  run.say(role, create ? "select (create if missing)" : "select");
  return run.step("select", role, () => run.ws.selectStack(run.id.qualified[role], { create }));
}

async function up(run: Run, role: Role): Promise<StackStep<StackUpResult>> {
  run.say(role, "up");
  const stack = run.id.qualified[role];
  const result = await run.step("up", role, () => run.ws.up(stack, { onOutput: run.onOutput(role) }));
  const step = { role, stack, result };
  run.completed.push(step);
  return step;
}

/** The direction asked for, the pair validated for it (before any workspace call), and both stacks' config. */
function validatedConfigs(
  pair: PairConfig,
  opts: DeployPairOptions,
): { direction: ReplicationDirection; config: Record<Role, StackConfigMap> } {
  const direction = opts.direction ?? "primary-to-dr";
  validatePair(pair, direction);
  return {
    direction,
    config: {
      primary: stackConfigFor(pair, "primary", direction),
      dr: stackConfigFor(pair, "dr", direction),
    },
  };
}

/**
 * Deploys the pair: select-or-create the primary stack, set its config, `up`; then the same for
 * the dr stack. Validates everything first ({@link validatePair}).
 */
export async function deployPair(pair: PairConfig, opts: DeployPairOptions = {}): Promise<DeployPairResult> {
  const { direction, config } = validatedConfigs(pair, opts);
  return withRun(pair, opts, pairIdentity(pair), async (run) => {
    const steps = {} as Record<Role, StackStep<StackUpResult>>;
    for (const role of ["primary", "dr"] as const) {
      await select(run, role, true);
      await applyConfig(run, role, config[role]);
      steps[role] = await up(run, role);
    }
    return { direction, primary: steps.primary, dr: steps.dr };
  });
}

/**
 * Previews the pair in deploy order. Stacks that do not exist are created (a preview needs a
 * stack to hold its config). The dr preview needs the primary deployed (its program reads the
 * primary's `peering` output): while the primary has no outputs, dr is skipped and `drSkipped` says so.
 */
export async function previewPair(
  pair: PairConfig,
  opts: DeployPairOptions = {},
): Promise<PreviewPairResult> {
  const { direction, config } = validatedConfigs(pair, opts);
  return withRun(pair, opts, pairIdentity(pair), async (run) => {
    const preview = async (role: Role): Promise<StackStep<StackPreviewResult>> => {
      await select(run, role, true);
      await applyConfig(run, role, config[role]);
      run.say(role, "preview");
      const stack = run.id.qualified[role];
      const result = await run.step("preview", role, () =>
        run.ws.preview(stack, { onOutput: run.onOutput(role) }),
      );
      const step = { role, stack, result };
      run.completed.push(step);
      return step;
    };
    const primary = await preview("primary");
    const primaryOutputs = await run.step("outputs", "primary", () =>
      run.ws.outputs(run.id.qualified.primary),
    );
    if (!("peering" in primaryOutputs)) {
      const drSkipped = `the primary stack '${run.id.qualified.primary}' has no 'peering' output yet (not deployed); the dr program reads it, so dr can be previewed only after the primary is deployed`;
      run.say("dr", `preview skipped: ${drSkipped}`);
      return { direction, primary, drSkipped };
    }
    return { direction, primary, dr: await preview("dr") };
  });
}

/**
 * Destroys the pair: the dr stack first, then the primary (the reverse of deploy). A stack that
 * does not exist is skipped, so a partly destroyed pair can be finished. Checks only the pair's
 * names (not the sites, which may no longer pass validation), and changes no config.
 */
export async function destroyPair(
  pair: PairConfig,
  opts: PairOperationOptions = {},
): Promise<DestroyPairResult> {
  return withRun(pair, opts, pairIdentity(pair), async (run) => {
    const steps: StackStep<StackUpdateResult | undefined>[] = [];
    for (const role of ["dr", "primary"] as const) {
      const stack = run.id.qualified[role];
      if (!(await select(run, role, false))) {
        run.say(role, "does not exist, skipped");
        steps.push({ role, stack, result: undefined });
        continue;
      }
      run.say(role, "destroy");
      const result = await run.step("destroy", role, () =>
        run.ws.destroy(stack, { onOutput: run.onOutput(role) }),
      );
      const step = { role, stack, result };
      run.completed.push(step);
      steps.push(step);
    }
    return { steps };
  });
}

/** The outputs of both stacks (undefined for a stack that does not exist). Changes nothing. */
export async function readOutputs(pair: PairConfig, opts: PairOperationOptions = {}): Promise<PairOutputs> {
  return withRun(pair, opts, pairIdentity(pair), async (run) => {
    const out: PairOutputs = {};
    for (const role of ["primary", "dr"] as const) {
      if (await select(run, role, false)) {
        out[role] = await run.step("outputs", role, () => run.ws.outputs(run.id.qualified[role]));
      }
    }
    return out;
  });
}

/**
 * The stacks a direction switch updates, in order, with what each does.
 *
 * With the `prefixed` policy (default) replication is never interrupted:
 *  - `dr-to-primary` (failback) only turns the primary's fleet on; dr keeps replicating, so both
 *    directions run until the failback completes. That is loop-free because remote topics carry the
 *    source alias (`ams.orders` in the primary), MM2 never replicates a topic back to the cluster it
 *    came from (DefaultReplicationPolicy's cycle check) and each side pulls only the other's declared
 *    streams. It also keeps what dr must not lose before the switch back: the remote copies
 *    (`fra.orders`) its consumers read since the failover, and the forward offset syncs the failback
 *    translation reads.
 *  - `primary-to-dr` turns dr on (a no-op when it kept running) and then the primary's fleet off.
 *
 * With `identity` both sides would use the same topic names and loop records between regions, so
 * the old side stops first, and replication pauses until the new side is up.
 */
export function directionSwitchOrder(
  pair: PairConfig,
  direction: ReplicationDirection,
): { role: Role; action: "enable" | "disable" }[] {
  const starts: Role = direction === "dr-to-primary" ? "primary" : "dr";
  const stops: Role = starts === "primary" ? "dr" : "primary";
  const enable = { role: starts, action: "enable" as const };
  const disable = { role: stops, action: "disable" as const };
  if (pair.replication?.replicationPolicy === "identity") {
    return [disable, enable];
  }
  return direction === "dr-to-primary" ? [enable] : [enable, disable];
}

/**
 * Switches which side runs MirrorMaker. `dr-to-primary` (failback): the primary stack gets
 * `peerStack` = the dr stack and `replicationEnabled=true`; dr keeps replicating under the prefixed
 * policy (see {@link directionSwitchOrder}) and gets `replicationEnabled=false` under identity.
 * `primary-to-dr` (normal): the reverse, and the primary's `peerStack` and replication keys are
 * removed. Applied in {@link directionSwitchOrder}; both stacks must exist (checked before any
 * change). Idempotent: calling it again after a failure resumes it.
 *
 * Disabling a side removes its replication layer (fleet, Connect harness, the streams created for
 * MM2 — its internal topics and the remote copies, with their data — and the IAM user and token it
 * created); enabling creates them again, empty.
 */
export async function setReplicationDirection(
  pair: PairConfig,
  direction: ReplicationDirection,
  opts: PairOperationOptions = {},
): Promise<SetDirectionResult> {
  if (!pair?.replication) {
    throw new ValidationError(
      "replication",
      "is not configured, so no side runs MirrorMaker and there is no direction to switch. Add replication (tenancyId, homeRegion) to the pair",
    );
  }
  validatePair(pair, direction);
  const config = {
    primary: stackConfigFor(pair, "primary", direction),
    dr: stackConfigFor(pair, "dr", direction),
  };
  const order = directionSwitchOrder(pair, direction);
  return withRun(pair, opts, pairIdentity(pair), async (run) => {
    for (const role of ["primary", "dr"] as const) {
      if (!(await select(run, role, false))) {
        throw new PairStepError(
          "select",
          role,
          run.id.qualified[role],
          [],
          new Error("the stack does not exist. Deploy the pair first (deployPair)"),
        );
      }
    }
    const steps: DirectionStep[] = [];
    for (const { role, action } of order) {
      run.say(role, `${action} replication (${direction})`);
      await applyConfig(run, role, config[role]);
      steps.push({ ...(await up(run, role)), action });
    }
    return { direction, steps };
  });
}

/** Failback, first half: MirrorMaker pulls from dr into the primary (see {@link setReplicationDirection}). */
export function startFailback(
  pair: PairConfig,
  opts: PairOperationOptions = {},
): Promise<SetDirectionResult> {
  return setReplicationDirection(pair, "dr-to-primary", opts);
}

/** Failback, last half: back to the normal direction, dr pulling from the primary. */
export function completeFailback(
  pair: PairConfig,
  opts: PairOperationOptions = {},
): Promise<SetDirectionResult> {
  return setReplicationDirection(pair, "primary-to-dr", opts);
}
