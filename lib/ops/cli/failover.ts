/**
 * `oci-geo-streaming failover --source fra [--group g]... [--dry-run] [--json] [--config file]`
 * (in a clone: `npm run failover -- …`)
 *
 * Commits, on the dr cluster, each consumer group's offsets translated from MirrorMaker 2's
 * checkpoints, so that the group's consumers resume on the remote topics (`fra.<topic>`). Connection
 * settings come from the environment or a properties file (see lib/ops/failover/connection.ts); the
 * password (auth token) is never a command-line argument.
 *
 * Exit codes: 0 done; 1 connection or unexpected error; 2 usage error, or a group was refused
 * (active members on dr, other offsets already there) or its commit failed; 3 a named group has no
 * checkpoint.
 */
import { KafkaCliIo, runAsMain } from "./kafkaCliIo";
import { parseCommand, USAGE_EXIT_CODE, UsageError, parseOrExit } from "./args";

import { KafkaClient, type KafkaClientOptions } from "../kafka/client";
import {
  connectionVariablesHelp,
  describeSettings,
  ENV,
  resolveConnectionSettings,
} from "../failover/connection";
import {
  executeFailover,
  FailoverError,
  formatProgress,
  planFailover,
  type FailoverPlan,
  type FailoverResult,
} from "../failover/failover";
import type { PolicyNames } from "../../core/mm2/topics";
import { countByStatus, parseGroupRunLimits, type GroupRunLimits } from "../groupCommits";
import { nodeConfigFromMm2Properties } from "../status/mm2Config";
import { DEFAULT_NODE_MM2_PROPERTIES, nodeDefaultIfPresent } from "./status";

export const COMMAND = "oci-geo-streaming failover";

export const USAGE = `usage: ${COMMAND} --source <alias> [--group <group>]... [--dry-run] [--json]
         [--config <client.properties>] [--policy prefixed|identity] [--separator .] [--overwrite]
         [--concurrency <n>] [--max-rate <groups per second>]
       ${COMMAND} [--source <alias>] --mm2-properties <file> [--group <group>]... [--dry-run] [--json]

Translates consumer-group offsets from MirrorMaker 2's checkpoints (<alias>.checkpoints.internal on
the dr cluster) and commits them on the dr cluster. Without --group: every group in the checkpoints.
A group with active members on dr is refused. --dry-run prints the plan and commits nothing; --json
prints the plan and result as JSON on stdout (progress lines go to stderr).

Within OCI's limits: the checkpoints are read once, at most 4 reads per second (OCI: 5 per partition
and consumer group); one OffsetFetch (plan) and one OffsetCommit per group:
  --concurrency <n>         groups in flight at once (default 4)
  --max-rate <n>            groups started per second, so OffsetFetch/OffsetCommit requests per
                            second (default 10, OCI's documented default for each; 0: no cap, for
                            self-managed Kafka or a pool whose limits were raised)

On a MirrorMaker node: --mm2-properties ${DEFAULT_NODE_MM2_PROPERTIES} (the default there when neither
--config nor ${ENV.bootstrapServers} is given) takes the dr cluster's connection, its secrets, the
policy and the source alias from the node's own files: 'sudo oci-geo-streaming failover --dry-run'.

Connection (dr cluster), from the environment or --config (environment wins):
${connectionVariablesHelp()}

Exit codes: 0 done; 1 connection or unexpected error; 2 usage error, or a group was refused or its
commit failed; 3 a named group has no checkpoint.`;

export interface FailoverCliOptions {
  /** Required unless a node's mm2.properties names exactly one flow. */
  sourceAlias?: string;
  /** A MirrorMaker node's mm2.properties: the connection, policy and source alias from there. */
  mm2Properties?: string;
  groups?: string[];
  dryRun: boolean;
  json: boolean;
  overwrite: boolean;
  configFile?: string;
  policy: PolicyNames;
  /** Groups in flight at once and started per second. */
  limits: GroupRunLimits;
}

const OPTIONS = {
  source: { type: "string" },
  group: { type: "string", multiple: true },
  "dry-run": { type: "boolean" },
  json: { type: "boolean" },
  overwrite: { type: "boolean" },
  config: { type: "string" },
  policy: { type: "string" },
  separator: { type: "string" },
  "mm2-properties": { type: "string" },
  concurrency: { type: "string" },
  "max-rate": { type: "string" },
} as const;

const PASSWORD_REFUSED = `a password on the command line leaks into ps, shell history and logs. Set ${ENV.password} or put it in the --config file`;

/** Parses the command line; throws a {@link UsageError} on bad input. */
export function parseFailoverArgs(argv: string[], nodeDefault?: string): FailoverCliOptions | "help" {
  const parsed = parseCommand(argv, {
    command: COMMAND,
    usage: USAGE,
    options: OPTIONS,
    refused: Object.fromEntries(
      ["--password", "--token", "--sasl-password"].map((f) => [f, PASSWORD_REFUSED]),
    ),
  });
  if (parsed === "help") return "help";
  const v = parsed.values;
  const policyType = v.policy ?? "prefixed";
  if (policyType !== "prefixed" && policyType !== "identity")
    throw new UsageError(`--policy must be prefixed or identity, not ${policyType}`);
  const mm2Properties = v["mm2-properties"] ?? (v.config === undefined ? nodeDefault : undefined);
  if (v["mm2-properties"] !== undefined && v.config !== undefined) {
    throw new UsageError("give --mm2-properties (a node's own connection) or --config, not both");
  }
  if (!v.source && mm2Properties === undefined)
    throw new UsageError("--source <alias> is required (the MM2 alias of the failed cluster, e.g. fra)");
  const limits = parseGroupRunLimits(v.concurrency, v["max-rate"]);
  if (typeof limits === "string") throw new UsageError(limits);
  return {
    sourceAlias: v.source,
    mm2Properties,
    groups: v.group !== undefined && v.group.length > 0 ? v.group : undefined,
    dryRun: v["dry-run"] ?? false,
    json: v.json ?? false,
    overwrite: v.overwrite ?? false,
    configFile: v.config,
    policy: { type: policyType, separator: v.separator ?? "." },
    limits,
  };
}

export type FailoverCliIo = KafkaCliIo;

function planJson(plan: FailoverPlan): unknown {
  return plan;
}

/** Runs the command; returns the exit code. */
export async function runFailoverCli(argv: string[], io: FailoverCliIo): Promise<number> {
  const parsed = parseOrExit(
    () => parseFailoverArgs(argv, io.env[ENV.bootstrapServers] ? undefined : nodeDefaultIfPresent(io)),
    io,
    COMMAND,
    USAGE,
  );
  if ("exit" in parsed) return parsed.exit;
  const opts = parsed.options;
  let settings: KafkaClientOptions;
  let sourceAlias: string;
  let policy = opts.policy;
  try {
    if (opts.mm2Properties !== undefined) {
      const node = nodeConfigFromMm2Properties(io.readFile(opts.mm2Properties), io.readFile);
      const flows = node.flows.filter((f) => opts.sourceAlias === undefined || f.source === opts.sourceAlias);
      if (flows.length !== 1) {
        const all = node.flows.map((f) => `${f.source}->${f.target}`).join(", ") || "none";
        io.err(
          `failover: ${opts.mm2Properties} has ${flows.length === 0 ? "no flow" : "several flows"}${opts.sourceAlias ? ` from ${opts.sourceAlias}` : ""} (flows: ${all}); name the failed cluster with --source`,
        );
        return USAGE_EXIT_CODE;
      }
      const flow = flows[0];
      sourceAlias = flow.source;
      policy = flow.policy;
      settings = resolveConnectionSettings({
        env: {},
        propertiesText: node.clients[flow.target],
        readFile: io.readFile,
        clientId: "oci-geo-streaming-failover",
      });
      io.err(
        `failover: connection of ${flow.target} and policy from ${opts.mm2Properties} (flow ${flow.source}->${flow.target})`,
      );
    } else {
      sourceAlias = opts.sourceAlias!;
      settings = resolveConnectionSettings({
        env: io.env,
        propertiesText: opts.configFile !== undefined ? io.readFile(opts.configFile) : undefined,
        readFile: io.readFile,
      });
    }
  } catch (error) {
    io.err(`failover: ${(error as Error).message}`);
    return 1;
  }
  const progress = opts.json ? io.err : io.out;
  let dr: KafkaClient;
  try {
    dr = await io.connect(settings);
  } catch (error) {
    io.err(
      `failover: cannot connect to the dr cluster (${describeSettings(settings)}): ${(error as Error).message}`,
    );
    return 1;
  }
  try {
    const plan = await planFailover({
      dr,
      sourceAlias,
      groups: opts.groups,
      policy,
      limits: opts.limits,
    });
    progress(
      `failover ${opts.dryRun ? "(DRY RUN) " : ""}from ${sourceAlias}: ${plan.groups.length} group(s), ${plan.checkpointRecords} checkpoint record(s) in ${plan.checkpointsTopic}`,
    );
    if (!opts.json) {
      for (const g of plan.groups) {
        for (const p of g.partitions) {
          const current = p.currentOffset === undefined ? "none" : String(p.currentOffset);
          io.out(
            `  ${g.group} ${p.topic}:${p.partition} -> ${p.offset} (source offset ${p.upstreamOffset}; on dr now: ${current})`,
          );
        }
      }
    }
    let result: FailoverResult;
    let code = 0;
    try {
      result = await executeFailover(plan, {
        dr,
        dryRun: opts.dryRun,
        overwrite: opts.overwrite,
        limits: opts.limits,
        onProgress: (p) => progress(formatProgress(p)),
      });
    } catch (error) {
      if (!(error instanceof FailoverError)) throw error;
      result = error.result;
      code = 2;
      io.err(`failover: ${error.message}`);
    }
    if (code === 0 && result.groups.some((g) => g.status === "no-checkpoints")) code = 3;
    if (opts.json) io.out(JSON.stringify({ plan: planJson(plan), result }, null, 2));
    progress(`done: ${countByStatus(result.groups)}`);
    return code;
  } catch (error) {
    io.err(`failover: ${(error as Error).message}`);
    return 1;
  } finally {
    await dr.close();
  }
}

if (require.main === module) {
  runAsMain("failover", runFailoverCli);
}
