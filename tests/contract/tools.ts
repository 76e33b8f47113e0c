/**
 * Helpers for contract tests that run real tools. A missing tool fails the suite when the CI
 * environment variable is set (CI installs them: see the report / .ci/run) and skips it, loudly,
 * on a developer machine.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(
  cmd: string,
  args: readonly string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): RunResult {
  const r = spawnSync(cmd, args, {
    input: options.input,
    env: options.env ?? process.env,
    cwd: options.cwd,
    encoding: "utf8",
    timeout: 60_000,
  });
  // EPIPE: the process exited without reading all of its input (e.g. refused its arguments first).
  if (r.error !== undefined && (r.error as NodeJS.ErrnoException).code !== "EPIPE") {
    throw r.error;
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function which(name: string): string | undefined {
  const r = spawnSync("bash", ["-c", `command -v -- "$1"`, "which", name], { encoding: "utf8" });
  const path = r.stdout.trim();
  return r.status === 0 && path !== "" ? path : undefined;
}

function inCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}

/**
 * Returns the tool's path. Missing: throws under CI (the test fails), else skips the calling suite
 * or test with a visible message.
 */
export function requireTool(ctx: Mocha.Context, name: string, aptPackage: string): string {
  const path = which(name);
  if (path !== undefined) {
    return path;
  }
  const message = `${name} is not installed (Debian: apt-get install -y ${aptPackage})`;
  if (inCi()) {
    throw new Error(`${message}; contract tests may not be skipped when CI is set`);
  }
  console.warn(`      [contract] SKIPPED: ${message}`);
  ctx.skip();
  throw new Error("unreachable");
}

/** The Python interpreter cloud-init itself runs on (it ships PyYAML), from its shebang. */
export function cloudInitPython(cloudInitPath: string): string {
  const first = readFileSync(cloudInitPath, "utf8").split("\n")[0];
  const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
  if (m === null) {
    throw new Error(`cannot find the interpreter of ${cloudInitPath}`);
  }
  return m[1].endsWith("/env") && m[2] !== undefined ? m[2] : m[1];
}

export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "mm2-contract-"));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
