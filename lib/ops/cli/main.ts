#!/usr/bin/env node
/**
 * `oci-geo-streaming <command> [options]`: the installed CLI (package.json `bin`, run from the
 * built dist/ops/cli/main.js with plain node). In a clone, `npm run failover -- …` and
 * `npm run failback -- …` run the same commands from the sources. The MirrorMaker nodes run a
 * bundle of nodeMain.ts (the commands a node needs, without the Automation API).
 */
import { dispatch, packageVersion, PROGRAM, usageOf, type Command } from "./dispatch";
import { runFailbackCli } from "./failback";
import { NODE_COMMANDS } from "./nodeMain";
import { runRunCli } from "./run";
import { KafkaCliIo, runAsMain } from "./kafkaCliIo";

export { packageVersion, PROGRAM };

/** The commands, in the order `--help` lists them. */
export const COMMANDS: Record<string, Command> = {
  failover: NODE_COMMANDS.failover,
  failback: { summary: "return to the primary, one resumable step at a time", run: runFailbackCli },
  status: NODE_COMMANDS.status,
  metrics: NODE_COMMANDS.metrics,
  run: {
    summary: "run status or failover on a MirrorMaker node through OCI Run Command",
    run: runRunCli,
  },
};

export const USAGE = usageOf(COMMANDS);

/** Runs the CLI; returns the exit code. */
export function main(argv: string[], io: KafkaCliIo): Promise<number> {
  return dispatch(COMMANDS, argv, io);
}

if (require.main === module) {
  // Only unexpected errors escape main (a user's mistake is a one-line message and an exit code).
  runAsMain(PROGRAM, main);
}
