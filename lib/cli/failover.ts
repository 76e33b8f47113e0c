/**
 * `npm run failover -- --source fra [--group g]... [--dry-run] [--json] [--config file]`
 *
 * Commits, on the dr cluster, each consumer group's offsets translated from MirrorMaker 2's
 * checkpoints, so that the group's consumers resume on the remote topics (`fra.<topic>`). Connection
 * settings come from the environment or a properties file (see lib/failover/connection.ts); the
 * password (auth token) is never a command-line argument.
 *
 * Exit codes: 0 done; 1 usage or connection error; 2 a group was refused (active members on dr,
 * other offsets already there) or its commit failed; 3 a named group has no checkpoint.
 */
import { KafkaCliIo, runAsMain } from "./kafkaCliIo";

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
import type { PolicyNames } from "../mm2/topics";

export const USAGE = `usage: npm run failover -- --source <alias> [--group <group>]... [--dry-run] [--json]
                        [--config <client.properties>] [--policy prefixed|identity] [--separator .]
                        [--overwrite]

Translates consumer-group offsets from MirrorMaker 2's checkpoints (<alias>.checkpoints.internal on
the dr cluster) and commits them on the dr cluster. Without --group: every group in the checkpoints.
A group with active members on dr is refused. --dry-run prints the plan and commits nothing; --json
prints the plan and result as JSON on stdout (progress lines go to stderr).

Connection (dr cluster), from the environment or --config (environment wins):
${connectionVariablesHelp()}`;

export interface FailoverCliOptions {
  sourceAlias: string;
  groups?: string[];
  dryRun: boolean;
  json: boolean;
  overwrite: boolean;
  configFile?: string;
  policy: PolicyNames;
}

/** Parses the command line; throws a usage error on bad input. */
export function parseFailoverArgs(argv: string[]): FailoverCliOptions | "help" {
  let sourceAlias: string | undefined;
  const groups: string[] = [];
  let dryRun = false;
  let json = false;
  let overwrite = false;
  let configFile: string | undefined;
  let policyType: "prefixed" | "identity" = "prefixed";
  let separator = ".";
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    const eq = raw.startsWith("--") ? raw.indexOf("=") : -1;
    const a = eq > 0 ? raw.slice(0, eq) : raw;
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case "-h":
      case "--help":
        return "help";
      case "--source":
        sourceAlias = value();
        break;
      case "--group":
        groups.push(value());
        break;
      case "--dry-run":
        dryRun = true;
        break;
      case "--json":
        json = true;
        break;
      case "--overwrite":
        overwrite = true;
        break;
      case "--config":
        configFile = value();
        break;
      case "--policy": {
        const p = value();
        if (p !== "prefixed" && p !== "identity")
          throw new Error(`--policy must be prefixed or identity, not ${p}`);
        policyType = p;
        break;
      }
      case "--separator":
        separator = value();
        break;
      case "--password":
      case "--token":
      case "--sasl-password":
        throw new Error(
          `${a} is not accepted: a password on the command line leaks into ps, shell history and logs. Set ${ENV.password} or put it in the --config file`,
        );
      default:
        throw new Error(`unknown argument ${raw}`);
    }
  }
  if (!sourceAlias)
    throw new Error("--source <alias> is required (the MM2 alias of the failed cluster, e.g. fra)");
  return {
    sourceAlias,
    groups: groups.length > 0 ? groups : undefined,
    dryRun,
    json,
    overwrite,
    configFile,
    policy: { type: policyType, separator },
  };
}

export type FailoverCliIo = KafkaCliIo;

function planJson(plan: FailoverPlan): unknown {
  return plan;
}

/** Runs the command; returns the exit code. */
export async function runFailoverCli(argv: string[], io: FailoverCliIo): Promise<number> {
  let options: FailoverCliOptions | "help";
  try {
    options = parseFailoverArgs(argv);
  } catch (error) {
    io.err(`failover: ${(error as Error).message}\n\n${USAGE}`);
    return 1;
  }
  if (options === "help") {
    io.out(USAGE);
    return 0;
  }
  const opts = options;
  let settings: KafkaClientOptions;
  try {
    settings = resolveConnectionSettings({
      env: io.env,
      propertiesText: opts.configFile !== undefined ? io.readFile(opts.configFile) : undefined,
      readFile: io.readFile,
    });
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
      sourceAlias: opts.sourceAlias,
      groups: opts.groups,
      policy: opts.policy,
    });
    progress(
      `failover ${opts.dryRun ? "(DRY RUN) " : ""}from ${opts.sourceAlias}: ${plan.groups.length} group(s), ${plan.checkpointRecords} checkpoint record(s) in ${plan.checkpointsTopic}`,
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
    const counts = new Map<string, number>();
    for (const g of result.groups) counts.set(g.status, (counts.get(g.status) ?? 0) + 1);
    progress(`done: ${[...counts].map(([s, n]) => `${n} ${s}`).join(", ") || "no groups"}`);
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
