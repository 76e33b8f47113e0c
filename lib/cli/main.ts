#!/usr/bin/env node
/**
 * `oci-geo-streaming <command> [options]`: the installed CLI (package.json `bin`, run from the
 * built dist/cli/main.js with plain node). In a clone, `npm run failover -- …` and
 * `npm run failback -- …` run the same commands from the sources.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { USAGE_EXIT_CODE } from "./args";
import { runFailbackCli } from "./failback";
import { runFailoverCli } from "./failover";
import { runStatusCli } from "./status";
import { KafkaCliIo, runAsMain } from "./kafkaCliIo";

export const PROGRAM = "oci-geo-streaming";

interface Command {
  summary: string;
  run: (argv: string[], io: KafkaCliIo) => Promise<number>;
}

/** The commands, in the order `--help` lists them. */
export const COMMANDS: Record<string, Command> = {
  failover: { summary: "move consumer groups to dr (offsets from MM2's checkpoints)", run: runFailoverCli },
  failback: { summary: "return to the primary, one resumable step at a time", run: runFailbackCli },
  status: {
    summary: "replication health: lag, heartbeat, checkpoints, tasks, the RPO right now",
    run: runStatusCli,
  },
};

export const USAGE = `usage: ${PROGRAM} <command> [options]
       ${PROGRAM} --help | --version

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join("\n")}

'${PROGRAM} <command> --help' shows a command's options.`;

/** The package's version (package.json next to dist/ or lib/). */
export function packageVersion(): string {
  const file = path.join(__dirname, "..", "..", "package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], io: KafkaCliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "--help" || first === "-h") {
    io.out(USAGE);
    return 0;
  }
  if (first === "--version" || first === "-V") {
    io.out(packageVersion());
    return 0;
  }
  const command = first === undefined ? undefined : COMMANDS[first];
  if (command === undefined) {
    const what = first === undefined ? "a command is required" : `unknown command '${first}'`;
    io.err(`${PROGRAM}: ${what}: use ${Object.keys(COMMANDS).join(", ")} (see ${PROGRAM} --help)`);
    return USAGE_EXIT_CODE;
  }
  return command.run(rest, io);
}

if (require.main === module) {
  // Only unexpected errors escape main (a user's mistake is a one-line message and an exit code).
  runAsMain(PROGRAM, main);
}
