/**
 * What the commands touch outside themselves, injectable so that tests run them without a
 * terminal, a broker or the OCI CLI, and the wiring of a command as `node <file>`.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KafkaClient, type KafkaClientOptions } from "../kafka/client";

/** A finished child process. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KafkaCliIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
  readFile: (path: string) => string;
  connect: (options: KafkaClientOptions) => Promise<KafkaClient>;
  /** Runs a program (the OCI CLI) with the environment above; default {@link runProgram}. */
  run?: (command: string, args: string[], options?: { timeoutMs?: number }) => Promise<RunResult>;
  /** GET of a local HTTP endpoint (the JMX exporter); rejects on a non-2xx answer or timeout. */
  httpGet?: (url: string, timeoutMs: number) => Promise<string>;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  hostname?: () => string;
  /** Writes a private temporary file and returns its path (removed by the caller). */
  writeTempFile?: (name: string, text: string) => string;
  /** Removes what {@link writeTempFile} made. */
  removeTempFile?: (file: string) => void;
}

/** Runs `command` with `env`; never throws for a non-zero exit (the result says it). */
export function runProgram(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs = 120_000,
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { env: env as NodeJS.ProcessEnv, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code =
          error === null
            ? 0
            : typeof (error as { code?: unknown }).code === "number"
              ? (error as { code: number }).code
              : 127;
        const why = error && code === 127 ? `${command}: ${error.message}\n` : "";
        resolve({ code, stdout, stderr: `${stderr}${why}` });
      },
    );
  });
}

/** The real process: its environment, stdout/stderr, files, programs and Kafka connections. */
export function processIo(): KafkaCliIo {
  return {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    readFile: (p) => fs.readFileSync(p, "utf8"),
    connect: (o) => KafkaClient.connect(o),
    run: (command, args, options) => runProgram(command, args, process.env, options?.timeoutMs),
    httpGet: async (url, timeoutMs) => {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) throw new Error(`${url} answered ${res.status}`);
      return res.text();
    },
    clock: Date.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    hostname: () => os.hostname(),
    writeTempFile: (name, text) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oci-geo-streaming-"));
      const file = path.join(dir, name);
      fs.writeFileSync(file, text, { mode: 0o600 });
      return file;
    },
    removeTempFile: (file) => fs.rmSync(path.dirname(file), { recursive: true, force: true }),
  };
}

/** The optional parts of an io, with the process's defaults where a test gave none. */
export function withDefaults(io: KafkaCliIo): Required<KafkaCliIo> {
  const real = processIo();
  return {
    ...real,
    ...Object.fromEntries(Object.entries(io).filter(([, v]) => v !== undefined)),
    run: io.run ?? ((command, args, options) => runProgram(command, args, io.env, options?.timeoutMs)),
    // A test's own temp files: remove the file only, never the folder it chose.
    removeTempFile:
      io.removeTempFile ??
      (io.writeTempFile ? (file: string) => fs.rmSync(file, { force: true }) : real.removeTempFile),
  } as Required<KafkaCliIo>;
}

/** Runs a command as the process's main: its result is the exit code; a crash prints the stack, exit 1. */
export function runAsMain(name: string, run: (argv: string[], io: KafkaCliIo) => Promise<number>): void {
  run(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${name}: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
