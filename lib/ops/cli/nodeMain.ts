/**
 * The entry point of the MirrorMaker nodes' bundle (`/usr/local/bin/oci-geo-streaming` there): the
 * commands a node runs — failover, status, metrics — and none that needs the Pulumi Automation API
 * (failback's reverse and restore run where Pulumi runs). dev/build/bundle.ts bundles it into one
 * file with its dependencies; the node verifies the file's SHA-256 before installing it.
 */
import { dispatch, PROGRAM, type Command } from "./dispatch";
import { runFailoverCli } from "./failover";
import { runMetricsCli } from "./metrics";
import { runStatusCli } from "./status";
import { runAsMain, type KafkaCliIo } from "./kafkaCliIo";

/** The node's commands (main.ts lists them too). */
export const NODE_COMMANDS: Record<string, Command> = {
  failover: { summary: "move consumer groups to dr (offsets from MM2's checkpoints)", run: runFailoverCli },
  status: {
    summary: "replication health: lag, heartbeat, checkpoints, tasks, the RPO right now",
    run: runStatusCli,
  },
  metrics: {
    summary: "on a MirrorMaker node: post its metrics to OCI Monitoring (or print them)",
    run: runMetricsCli,
  },
};

export function nodeMain(argv: string[], io: KafkaCliIo): Promise<number> {
  return dispatch(NODE_COMMANDS, argv, io);
}

if (require.main === module) {
  runAsMain(PROGRAM, nodeMain);
}
