/**
 * Child processes of the local rehearsal (brokers, MirrorMaker, short-lived Java tools).
 *
 * Every long-running child is started in its own process group (`detached`) so that stopping it
 * also stops anything it forked, and is registered so that it is killed when this Node.js process
 * exits (normal exit, uncaught error, SIGINT/SIGTERM/SIGHUP). Java children are additionally
 * started through `ocigeo.rehearsal.ParentWatch`, which ends the JVM when its stdin pipe closes:
 * that covers the one case no handler can, this process being SIGKILLed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  error?: Error;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<ProcessExit>;
  readonly running: boolean;
  /** Sends `signal` (default SIGTERM) to the whole process group. No-op once exited. */
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs` (default 15 s); resolves when the process is gone. */
  stop(graceMs?: number): Promise<ProcessExit>;
}

export interface StartProcessOptions {
  name: string;
  command: string;
  args: string[];
  /** stdout and stderr are appended to this file. */
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

const live = new Set<ManagedProcess>();
const cleanups = new Set<() => void>();
let handlersInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** SIGKILLs every registered child that is still running. Synchronous: safe in an 'exit' handler. */
export function killAllManagedProcesses(): void {
  for (const p of live) {
    if (p.running) killGroup(p.pid, "SIGKILL");
  }
  live.clear();
}

/**
 * Registers a synchronous cleanup (e.g. removing a work directory) that runs after the children
 * are killed when this process exits or is interrupted. Returns a function that unregisters it.
 */
export function onProcessCleanup(cleanup: () => void): () => void {
  installExitHandlers();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

function cleanUpEverything(): void {
  killAllManagedProcesses();
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // best effort while exiting
    }
  }
  cleanups.clear();
}

/** Children started by this module that have not exited yet. */
export function runningManagedProcesses(): ManagedProcess[] {
  return [...live].filter((p) => p.running);
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", cleanUpEverything);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      cleanUpEverything();
      // Re-raise so that the default action (or another listener) still applies.
      process.kill(process.pid, signal);
    });
  }
}

/** Starts a registered, process-group-leading child whose output goes to `logFile`. */
export function startManagedProcess(options: StartProcessOptions): ManagedProcess {
  installExitHandlers();
  const logFd = fs.openSync(options.logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      // stdin stays an open pipe that is never written: ParentWatch exits the JVM when it closes.
      stdio: ["pipe", logFd, logFd],
    });
  } finally {
    fs.closeSync(logFd);
  }
  let running = child.pid !== undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once("exit", (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
    child.once("error", (error) => {
      running = false;
      resolve({ code: null, signal: null, error });
    });
  });
  // Neither the child nor its stdin pipe keeps the event loop alive: a test run that forgets to
  // stop a cluster still exits, and the 'exit' handler then kills the child.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  child.stdin?.on("error", () => undefined);

  const handle: ManagedProcess = {
    name: options.name,
    pid: child.pid ?? -1,
    logFile: options.logFile,
    exited,
    get running() {
      return running;
    },
    kill(signal: NodeJS.Signals = "SIGTERM") {
      if (running && handle.pid > 0) killGroup(handle.pid, signal);
    },
    async stop(graceMs = 15_000) {
      if (running) {
        handle.kill("SIGTERM");
        const timer = new Promise<"timeout">((resolve) => {
          const t = setTimeout(() => resolve("timeout"), graceMs);
          void exited.then(() => clearTimeout(t));
        });
        if ((await Promise.race([exited, timer])) === "timeout") handle.kill("SIGKILL");
      }
      const result = await exited;
      live.delete(handle);
      return result;
    },
  };
  if (running) {
    live.add(handle);
    void exited.then(() => live.delete(handle));
  }
  return handle;
}

/** The last `lines` lines of a text file ("" if it does not exist). */
export function tailFile(file: string, lines = 40): string {
  try {
    const text = fs.readFileSync(file, "utf8");
    return text
      .split("\n")
      .slice(-lines - 1)
      .join("\n");
  } catch {
    return "";
  }
}

/**
 * Polls `file` until `pattern` matches its content; rejects on timeout or when `exited` resolves
 * first. Returns the matching text.
 */
export async function waitForFileMatch(
  file: string,
  pattern: RegExp,
  options: { timeoutMs: number; exited?: Promise<ProcessExit>; pollMs?: number; what?: string },
): Promise<string> {
  const deadline = Date.now() + options.timeoutMs;
  let exit: ProcessExit | undefined;
  void options.exited?.then((e) => (exit = e));
  for (;;) {
    let text = "";
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      // not created yet
    }
    const match = pattern.exec(text);
    if (match) return match[0];
    const what = options.what ?? `${pattern} in ${file}`;
    if (exit) {
      throw new Error(
        `process exited (code ${exit.code}, signal ${exit.signal}) before ${what}; last log lines:\n${tailFile(file)}`,
      );
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting for ${what}; last log lines:\n${tailFile(file)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
}
