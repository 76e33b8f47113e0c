/**
 * The one command-line parser of every command (lib/ops/cli and dev/cli), on Node's `util.parseArgs`:
 * `--x v` and `--x=v` alike, `--help`/`-h` everywhere, and a user's mistake (unknown flag, missing
 * or empty value, stray argument, bad number) raised as a {@link UsageError} that the command
 * prints as one line and exits 2 for, without a stack trace. Unexpected errors stay errors.
 */
import { parseArgs } from "node:util";

/** Exit code of a usage error. */
export const USAGE_EXIT_CODE = 2;

/** A mistake on the command line; the message says what and how to fix it. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface OptionSpec {
  type: "string" | "boolean";
  /** Repeatable (`--group a --group b`). */
  multiple?: boolean;
  /** One-letter alias (`-h` is taken by --help). */
  short?: string;
}

export interface CommandSpec<O extends Record<string, OptionSpec>> {
  /** The command as a user types it (`oci-geo-streaming failover`), for the `--help` hint. */
  command?: string;
  usage: string;
  options: O;
  /** How many positional arguments are allowed (default 0). */
  maxPositionals?: number;
  /** Flags refused with a reason (e.g. a password on the command line), checked before anything. */
  refused?: Record<string, string>;
}

type OptionValue<S extends OptionSpec> = S["type"] extends "string"
  ? S["multiple"] extends true
    ? string[]
    : string
  : S["multiple"] extends true
    ? boolean[]
    : boolean;

export interface ParsedCommand<O extends Record<string, OptionSpec>> {
  values: { [K in keyof O]?: OptionValue<O[K]> };
  positionals: string[];
}

const NODE_ERROR = /^ERR_PARSE_ARGS_/;

/**
 * Parses `argv` by `spec`; returns "help" when `--help`/`-h` is given (before a `--`). Throws a
 * {@link UsageError} on a bad command line.
 */
export function parseCommand<O extends Record<string, OptionSpec>>(
  argv: readonly string[],
  spec: CommandSpec<O>,
): ParsedCommand<O> | "help" {
  const end = argv.indexOf("--");
  const flags = end < 0 ? argv : argv.slice(0, end);
  for (const [flag, why] of Object.entries(spec.refused ?? {})) {
    if (flags.some((a) => a === flag || a.startsWith(`${flag}=`))) {
      throw new UsageError(`${flag} is not accepted: ${why}`);
    }
  }
  if (flags.some((a) => a === "--help" || a === "-h")) {
    return "help";
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: spec.options as Record<string, OptionSpec>,
      strict: true,
      allowPositionals: true,
    }) as typeof parsed;
  } catch (e) {
    throw toUsageError(e);
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === "" || (Array.isArray(value) && value.includes(""))) {
      throw new UsageError(`--${name} needs a value`);
    }
  }
  const max = spec.maxPositionals ?? 0;
  if (parsed.positionals.length > max) {
    throw new UsageError(`unexpected argument '${parsed.positionals[max]}'`);
  }
  return parsed as ParsedCommand<O>;
}

function toUsageError(e: unknown): unknown {
  const code = (e as { code?: string }).code;
  if (typeof code !== "string" || !NODE_ERROR.test(code)) {
    return e;
  }
  const message = (e as Error).message;
  const flag = /'(?:-\w, )?(--?[\w-]+)/.exec(message)?.[1] ?? "";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    return new UsageError(`unknown option ${flag}`);
  }
  if (/does not take an argument/.test(message)) {
    return new UsageError(`${flag} takes no value`);
  }
  if (/ambiguous/.test(message)) {
    return new UsageError(`${flag} needs a value (one starting with '-' is written ${flag}=<value>)`);
  }
  if (/argument missing/.test(message)) {
    return new UsageError(`${flag} needs a value`);
  }
  return new UsageError(message.split("\n")[0]);
}

/** A number option's value; `what` completes "<flag> …" ("needs a positive number", …). */
export function numberValue(
  flag: string,
  text: string,
  rule: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean; what: string },
): number {
  const n = Number(text);
  const ok =
    text.trim() !== "" &&
    Number.isFinite(n) &&
    (!rule.integer || Number.isInteger(n)) &&
    (rule.min === undefined || (rule.exclusiveMin ? n > rule.min : n >= rule.min)) &&
    (rule.max === undefined || n <= rule.max);
  if (!ok) {
    throw new UsageError(`${flag} ${rule.what}, not ${text}`);
  }
  return n;
}

/** Comma-separated values, trimmed, empty ones dropped. */
export function listValue(text: string): string[] {
  return text
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
}

/** The one line a usage error prints, `<prefix>: <what> (see <command> --help)`. */
export function usageErrorLine(prefix: string, e: UsageError, command = prefix): string {
  return `${prefix}: ${e.message} (see ${command} --help)`;
}

/**
 * A command's arguments parsed for its run function: `{ options }`, or `{ exit }` when there is
 * nothing more to do — 0 after printing the usage for `--help`, {@link USAGE_EXIT_CODE} after the
 * one line of a {@link UsageError}. Any other error is not the user's and propagates.
 */
export function parseOrExit<T>(
  parse: () => T | "help",
  io: { out(text: string): void; err(text: string): void },
  command: string,
  usage: string,
): { options: T } | { exit: number } {
  let parsed: T | "help";
  try {
    parsed = parse();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(usageErrorLine(command, error));
    return { exit: USAGE_EXIT_CODE };
  }
  if (parsed === "help") {
    io.out(usage);
    return { exit: 0 };
  }
  return { options: parsed };
}

/**
 * Runs a command as the process's main: its result is the exit code; a {@link UsageError} prints
 * one line and exits 2; anything else is unexpected and prints its stack, exit 1.
 */
export function runCommand(prefix: string, run: (argv: string[]) => Promise<number>, command = prefix): void {
  const fail = (e: unknown): void => {
    if (e instanceof UsageError) {
      process.stderr.write(`${usageErrorLine(prefix, e, command)}\n`);
      process.exitCode = USAGE_EXIT_CODE;
    } else {
      process.stderr.write(`${prefix}: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  };
  try {
    run(process.argv.slice(2)).then((code) => {
      process.exitCode = code;
    }, fail);
  } catch (e) {
    fail(e);
  }
}
