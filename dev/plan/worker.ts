/**
 * Child-process entry point of the offline plan: evaluates one stack of a Pulumi program under the
 * OCI mock engine and reports the registrations over the IPC channel. Pulumi's runtime state is
 * global to a process, hence one process per stack (see runStack.ts).
 *
 * Protocol: the parent sends one {@link WorkerRequest}; the worker answers one
 * {@link WorkerResponse} and exits.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { OciMocks, OciMocksOptions } from "../oci-model/ociMocks";
import { maskWire } from "../oci-model/wire";

export interface WorkerRequest {
  projectDir: string;
  projectName: string;
  /** Program entry (file, or directory resolved like `require(dir + "/")`, as the Pulumi CLI does). */
  program: string;
  stack: string;
  config: Record<string, string>;
  secretKeys: string[];
  /** Strings that are secret wherever they appear (stand-ins of `secure:` config). */
  secretStrings: string[];
  /** Wire-form outputs of other stacks for `StackReference`. */
  stackOutputs: Record<string, Record<string, unknown>>;
  mocks: Omit<OciMocksOptions, "stackOutputs">;
  /** Upper bound for the runtime's RPC queue to drain after the program returns. */
  settleTimeoutMs: number;
}

export interface WorkerResource {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  provider: string | null;
  id: string | null;
  custom: boolean;
  /** Inputs with every secret replaced by "[secret]". */
  inputs: Record<string, unknown>;
  /** Outputs with every secret replaced by "[secret]". */
  outputs: Record<string, unknown>;
}

export interface WorkerError {
  name: string;
  message: string;
  stack?: string;
  field?: string;
}

export interface WorkerResponse {
  ok: boolean;
  error?: WorkerError;
  resources: WorkerResource[];
  /** Stack outputs in wire form (secrets intact): only for wiring StackReferences, never written. */
  outputsWire: Record<string, unknown>;
}

function toWorkerError(e: unknown): WorkerError {
  if (e instanceof Error) {
    const field = (e as { field?: unknown }).field;
    return {
      name: e.name,
      message: e.message,
      stack: e.stack,
      field: typeof field === "string" ? field : undefined,
    };
  }
  return { name: "Error", message: String(e) };
}

async function settle(timeoutMs: number): Promise<void> {
  const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  let timer: NodeJS.Timeout | undefined;
  const drained = (async () => {
    for (let i = 0; i < 3; i++) {
      if (waitForRPCs) {
        await waitForRPCs();
      }
      await new Promise((r) => setImmediate(r));
    }
  })();
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the program's resource registrations did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([drained, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Evaluates the stack; never throws (failures are reported in the response). */
export async function evaluate(req: WorkerRequest): Promise<WorkerResponse> {
  // A failed registration surfaces as unhandled rejections, and whatever awaited the failed
  // resource then never settles; so the first such error ends the evaluation.
  const errors: unknown[] = [];
  let signalError: (e: unknown) => void = () => undefined;
  const firstError = new Promise<{ error: unknown }>((resolve) => {
    signalError = (error) => resolve({ error });
  });
  const onError = (e: unknown) => {
    errors.push(e);
    signalError(e);
  };
  process.on("unhandledRejection", onError);
  process.on("uncaughtException", onError);
  // Keep the event loop alive while a stuck program waits on a failed resource.
  const keepAlive = setInterval(() => undefined, 1000);

  const mocks = new OciMocks({ ...req.mocks, stackOutputs: req.stackOutputs });
  let runError: unknown;
  try {
    process.chdir(req.projectDir);
    mocks.install({ project: req.projectName, stack: req.stack, preview: false });
    pulumi.runtime.setAllConfig(req.config, req.secretKeys);
    const program = require.resolve(
      path.extname(req.program) === "" && !req.program.endsWith("/") ? `${req.program}/` : req.program,
    );
    const run = pulumi.runtime.runInPulumiStack(async () => {
      // Exactly what the Pulumi Node.js language host does for a CommonJS program.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const programExport: unknown = require(program);
      const invokeResult = programExport instanceof Function ? programExport() : programExport;
      return await invokeResult;
    });
    const outcome = await Promise.race([run.then(() => ({ error: undefined })), firstError]);
    runError = outcome.error;
  } catch (e) {
    runError = e;
  }
  try {
    await settle(runError === undefined ? req.settleTimeoutMs : Math.min(req.settleTimeoutMs, 500));
  } catch (e) {
    if (runError === undefined) {
      errors.push(e);
    }
  }
  clearInterval(keepAlive);
  if (runError === undefined && pulumi.log.hasErrors()) {
    runError = new Error("the program logged errors (see the log above)");
  }
  const error = runError ?? errors[0];

  const records = mocks.resources();
  const mask = (v: unknown) => maskWire(v, req.secretStrings) as Record<string, unknown>;
  const root = records.find((r) => r.type === "pulumi:pulumi:Stack" && r.parent === undefined);
  return {
    ok: error === undefined,
    error: error === undefined ? undefined : toWorkerError(error),
    resources: records.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent ?? null,
      provider: r.provider ?? null,
      id: r.id ?? null,
      custom: r.custom,
      inputs: mask(r.wireInputs),
      outputs: mask(r.wireOutputs),
    })),
    outputsWire: root?.wireOutputs ?? {},
  };
}

if (require.main === module) {
  process.once("message", (msg: unknown) => {
    void evaluate(msg as WorkerRequest).then(
      // Exit non-zero on failure: that also silences Pulumi's leaked-promise report at exit.
      (res) => process.send?.(res, () => process.exit(res.ok ? 0 : 1)),
      (e) =>
        process.send?.({ ok: false, error: toWorkerError(e), resources: [], outputsWire: {} }, () =>
          process.exit(1),
        ),
    );
  });
}
