/**
 * The offline plan engine: evaluates a Pulumi TypeScript program for a named stack under the OCI
 * mock engine (dev/oci-model/ociMocks.ts) with no Pulumi CLI and no cloud, and returns every resource
 * the program registered, with secrets masked.
 *
 * Each stack runs in its own child process (Pulumi's runtime is global per process):
 * `node [-r ts-node/register/transpile-only] dev/plan/worker.(ts|js)`, exchanging one message each
 * way over the IPC channel (secret values never touch the disk).
 */
import { spawn } from "child_process";
import * as path from "path";
import type { OciMocksOptions } from "../oci-model/ociMocks";
import { listStacks, readProject, readStackConfig, StackConfig, stackIdentity } from "./stackConfig";
import { maskWire } from "../oci-model/wire";
import type { WorkerRequest, WorkerResource, WorkerResponse } from "./worker";

/** One resource as written to `out/plan/<stack>.json`. */
export interface PlanResource {
  urn: string;
  type: string;
  name: string;
  /** Parent URN; null for the root stack. */
  parent: string | null;
  /** Provider reference `<urn>::<id>`; null when the default provider is used. */
  provider: string | null;
  /** Inputs, every secret replaced by "[secret]". */
  inputs: Record<string, unknown>;
}

/** A resource as evaluated (adds what the plan printer and artifact writer need). */
export type PlannedResource = WorkerResource;

export interface StackPlan {
  project: string;
  stack: string;
  /** The stack it is planned as (itself, or the stack a later-step settings file updates). */
  identity: string;
  /** Registration order. */
  resources: PlannedResource[];
  /** Stack outputs, every secret replaced by "[secret]". */
  outputs: Record<string, unknown>;
  /** What the program printed (pulumi.log, console). */
  logs: string[];
}

export interface RunStackOptions {
  stack: string;
  /** Directory holding Pulumi.yaml (default: the current directory). */
  projectDir?: string;
  /** Program entry point (default: Pulumi.yaml `main:`). */
  program?: string;
  /**
   * The stack's config, instead of reading `Pulumi.<stack>.yaml`: flat keys as the CLI passes them
   * (`oci:region`, `<project>:<key>`, structured values as JSON text), in the Automation API's
   * `ConfigMap` shape. Secret values reach the program as secrets and are masked wherever they appear.
   */
  config?: Record<string, { value: string; secret?: boolean }>;
  /**
   * Outputs of other stacks for `StackReference`, by stack name, in wire form (as returned by
   * {@link referenceOutputsOf}); secret outputs stay secret.
   */
  stackOutputs?: Record<string, Record<string, unknown>>;
  /** Mock engine options (tenancy name, home region, pre-existing resources…). */
  mocks?: Omit<OciMocksOptions, "stackOutputs">;
  /** Kill the evaluation after this long (default 180 s). */
  timeoutMs?: number;
  /** Receives each line the program prints, as it prints it. */
  onLog?: (line: string) => void;
}

/** The program failed (threw, logged an error, or a registration was refused). */
export class PlanError extends Error {
  constructor(
    readonly stackName: string,
    /** Name of the original error (`ValidationError`, `TypeError`, …). */
    readonly errorName: string,
    message: string,
    /** `field` of a ValidationError. */
    readonly field: string | undefined,
    /** Stack trace of the original error, when it is worth showing. */
    readonly originalStack: string | undefined,
    readonly logs: string[],
  ) {
    super(message);
    this.name = "PlanError";
  }

  /** True for errors that explain themselves (bad input, refused request): show no stack trace. */
  get isExpected(): boolean {
    return (
      ["ValidationError", "RunError", "MockRejection", "ConfigMissingError", "ConfigTypeError"].includes(
        this.errorName,
      ) || /OCI would reject|Duplicate resource URN|Missing required configuration/.test(this.message)
    );
  }
}

const referenceOutputs = new WeakMap<StackPlan, Record<string, unknown>>();

/**
 * A plan's stack outputs in wire form, secrets intact, for wiring another stack's
 * StackReference. Kept off the plan object so that serialising a plan can never leak them.
 */
export function referenceOutputsOf(plan: StackPlan): Record<string, unknown> {
  return referenceOutputs.get(plan) ?? {};
}

/** The `out/plan/<stack>.json` document of a plan. */
export function planDocument(plan: StackPlan): { stack: string; resources: PlanResource[] } {
  return {
    stack: plan.stack,
    resources: plan.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent,
      provider: r.provider,
      inputs: r.inputs,
    })),
  };
}

function workerCommand(program: string): { file: string; execArgv: string[] } {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `worker${ext}`);
  const needsTs = ext === ".ts" || /\.[cm]?tsx?$/.test(program) || path.extname(program) === "";
  const execArgv: string[] = [];
  if (needsTs) {
    const tsNode = require.resolve("ts-node/register/transpile-only", {
      paths: [path.dirname(program), __dirname],
    });
    execArgv.push("-r", tsNode);
  }
  return { file, execArgv };
}

/** Evaluates one stack; rejects with {@link PlanError} if the program fails. */
export async function runStack(opts: RunStackOptions): Promise<StackPlan> {
  const projectDir = path.resolve(opts.projectDir ?? process.cwd());
  const project = readProject(projectDir);
  const cfg = opts.config ? givenConfig(opts.config) : readStackConfig(project, opts.stack);
  const program = opts.program ? path.resolve(projectDir, opts.program) : project.main;
  const identity = opts.config ? opts.stack : stackIdentity(project, opts.stack);
  const request: WorkerRequest = {
    projectDir,
    projectName: project.name,
    program,
    stack: identity,
    config: cfg.config,
    secretKeys: cfg.secretKeys,
    secretStrings: cfg.secretStrings,
    stackOutputs: opts.stackOutputs ?? {},
    mocks: opts.mocks ?? {},
    settleTimeoutMs: Math.min(60_000, opts.timeoutMs ?? 180_000),
  };
  const logs: string[] = [];
  const response = await runWorker(request, opts.timeoutMs ?? 180_000, (line) => {
    logs.push(line);
    opts.onLog?.(line);
  });
  if (!response.ok || response.error) {
    const e = response.error ?? { name: "Error", message: "the program failed" };
    throw new PlanError(opts.stack, e.name, e.message, e.field, e.stack, logs);
  }
  const plan: StackPlan = {
    project: project.name,
    stack: opts.stack,
    identity,
    resources: response.resources,
    outputs: maskWire(response.outputsWire, cfg.secretStrings) as Record<string, unknown>,
    logs,
  };
  referenceOutputs.set(plan, response.outputsWire);
  return plan;
}

function givenConfig(config: NonNullable<RunStackOptions["config"]>): StackConfig {
  const secrets = Object.entries(config).filter(([, v]) => v.secret === true);
  return {
    config: Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v.value])),
    secretKeys: secrets.map(([k]) => k),
    secretStrings: secrets.map(([, v]) => v.value).filter((v) => v !== ""),
  };
}

function runWorker(
  request: WorkerRequest,
  timeoutMs: number,
  onLine: (line: string) => void,
): Promise<WorkerResponse> {
  const { file, execArgv } = workerCommand(request.program);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...execArgv, file], {
      cwd: request.projectDir,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      env: workerEnv(),
    });
    let response: WorkerResponse | undefined;
    const tail: string[] = [];
    const lines = (stream: NodeJS.ReadableStream) => {
      let buf = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        buf += chunk;
        const parts = buf.split("\n");
        buf = parts.pop() ?? "";
        for (const l of parts) {
          tail.push(l);
          onLine(l);
        }
      });
      stream.on("end", () => {
        if (buf !== "") {
          tail.push(buf);
          onLine(buf);
        }
      });
    };
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) {
        lines(stream);
      }
    }
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`plan of stack '${request.stack}' timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.on("message", (m) => {
      response = m as WorkerResponse;
    });
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (response) {
        resolve(response);
      } else {
        const detail = tail.slice(-20).join("\n");
        reject(
          new Error(
            `plan worker for stack '${request.stack}' exited (${signal ?? `code ${code}`}) without a result` +
              (detail ? `:\n${detail}` : ""),
          ),
        );
      }
    });
    child.send(request);
  });
}

/** The worker's environment: ours, minus any config a surrounding Pulumi run would inject. */
function workerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.PULUMI_CONFIG;
  delete env.PULUMI_CONFIG_SECRET_KEYS;
  return env;
}

export interface PlanStacksOptions extends Omit<RunStackOptions, "stack" | "stackOutputs" | "config"> {
  /** Stacks to evaluate, in order; each sees the outputs of the ones before it. */
  stacks: string[];
}

/**
 * Evaluates several stacks in order (e.g. `primary` then `dr`), feeding each stack's outputs to
 * the StackReferences of the stacks after it.
 */
export async function planStacks(opts: PlanStacksOptions): Promise<StackPlan[]> {
  const plans: StackPlan[] = [];
  const outputs: Record<string, Record<string, unknown>> = {};
  for (const stack of opts.stacks) {
    const plan = await runStack({ ...opts, stack, stackOutputs: { ...outputs } });
    outputs[stack] = referenceOutputsOf(plan);
    plans.push(plan);
  }
  return plans;
}

/** The stacks of a project in evaluation order: `primary`, then `dr`, then the rest by name. */
export function stacksInOrder(projectDir: string): string[] {
  const all = listStacks(readProject(path.resolve(projectDir)));
  const rank = (s: string) => (s === "primary" ? 0 : s === "dr" ? 1 : 2);
  return all.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
