/**
 * The emulated tenancy's state file, shared by every emulator plugin process. The Pulumi engine
 * starts one plugin process per provider instance, and new ones for every `pulumi` command, so
 * what OCI keeps (resources, a deleted secret's reserved name, a VCN's resolver, allocated
 * addresses) lives in one JSON file named by `OCI_EMULATOR_STATE`.
 *
 * Writers take an inter-process lock (proper-lockfile: an atomic `mkdir` of `<file>.lock`, kept
 * fresh while held, taken over when stale) and, within a process, queue behind each other; the
 * file is replaced by an atomic rename, so readers (Check, Invoke) never see half a file and need
 * no lock.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as lockfile from "proper-lockfile";
import type { Obj } from "../oci-model/handlerContext";
import type { ModelSnapshot } from "../oci-model/tenancyModel";

/** The environment variable naming the state file. */
export const STATE_ENV = "OCI_EMULATOR_STATE";

/** What the emulator remembers of a resource it created, beyond the model's view of it. */
export interface EmulatedResource {
  urn: string;
  type: string;
  region?: string;
  /** The inputs it was created or last updated with (wire form: secrets stay marked). */
  inputs: Obj;
  /** The outputs returned to the engine (wire form). */
  outputs: Obj;
}

/** One operation, in the order the emulator carried them out (across every process). */
export interface LoggedOperation {
  seq: number;
  op: "create" | "update" | "delete" | "read";
  type: string;
  id: string;
  urn: string;
  region?: string;
  pid: number;
}

export interface EmulatorState {
  version: 1;
  model?: ModelSnapshot;
  /** By id. */
  resources: Record<string, EmulatedResource>;
  /** How many times each URN was created (a resource created again gets a new id). */
  creations: Record<string, number>;
  log: LoggedOperation[];
}

export function emptyState(): EmulatorState {
  return { version: 1, resources: {}, creations: {}, log: [] };
}

/** The state file named by the environment; a clear error when it is not set. */
export function statePath(env: NodeJS.ProcessEnv = process.env): string {
  const file = env[STATE_ENV];
  if (!file) {
    throw new Error(
      `the OCI emulator needs ${STATE_ENV}: the path of the JSON file the emulated tenancy lives in (every plugin process shares it)`,
    );
  }
  return path.resolve(file);
}

/** Reads the state (an empty tenancy when the file does not exist yet). */
export function readState(file: string): EmulatorState {
  if (!fs.existsSync(file)) {
    return emptyState();
  }
  const s = JSON.parse(fs.readFileSync(file, "utf8")) as EmulatorState;
  if (s.version !== 1) {
    throw new Error(`${file}: not an OCI emulator state file (version ${String(s.version)})`);
  }
  return s;
}

function writeState(file: string, state: EmulatorState): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state));
  fs.renameSync(tmp, file);
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `fn` on the current state under the lock and writes what it leaves (unless it throws, when
 * nothing is written). Calls in one process run one at a time.
 */
export function withState<T>(file: string, fn: (state: EmulatorState) => T | Promise<T>): Promise<T> {
  const run = async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const release = await lockfile.lock(file, {
      realpath: false,
      stale: 15000,
      retries: { retries: 600, minTimeout: 5, maxTimeout: 100, factor: 1.5 },
    });
    try {
      const state = readState(file);
      const result = await fn(state);
      writeState(file, state);
      return result;
    } finally {
      await release();
    }
  };
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}
