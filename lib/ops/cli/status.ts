/**
 * `oci-geo-streaming status`: the pair's replication health from anywhere with Kafka access — per
 * flow and partition the lag (records, seconds), the replicated heartbeat's age, each group's
 * checkpoint age, the Connect tasks' states, and what losing the source now would cost. See
 * lib/ops/status/measure.ts for how each is measured.
 *
 * Exit codes: 0 healthy; 3 unhealthy (the reasons are printed); 1 the target cannot be read or a
 * setting is wrong; 2 a usage error. With `--watch` it refreshes every `--interval` seconds and
 * exits with the last verdict after `--count` refreshes (or when interrupted).
 */
import type { KafkaClient, KafkaClientOptions } from "../kafka/client";
import { describeSettings, connectionVariablesHelp, resolveConnectionSettings } from "../failover/connection";
import { DEFAULT_THRESHOLDS, formatStatus, problemsOf, type Thresholds } from "../status/health";
import { measureFlow, type FlowSpec, type FlowStatus } from "../status/measure";
import { nodeConfigFromMm2Properties } from "../status/mm2Config";
import { DEFAULT_CONFIG_DIR } from "../../core/mm2/replicationModel";
import { numberValue, parseCommand, UsageError, parseOrExit } from "./args";
import { CliError, clusterEnvName, clusterSettings, type Cluster } from "./clusters";
import { runAsMain, type KafkaCliIo } from "./kafkaCliIo";

export const COMMAND = "oci-geo-streaming status";
/** A MirrorMaker node's own configuration: read when no connection is given and it exists. */
export const DEFAULT_NODE_MM2_PROPERTIES = `${DEFAULT_CONFIG_DIR}/mm2.properties`;
export const UNHEALTHY_EXIT_CODE = 3;

export const USAGE = `usage: ${COMMAND} [--mm2-properties <file>] [--json] [--watch [--interval <s>] [--count <n>]]
       ${COMMAND} --primary-alias <a> --dr-alias <a> [--flow primary->dr|dr->primary|both]
                  [--primary-config <file>] [--dr-config <file>] [--status-topic <topic>]
                  [--topic <t>]... [--policy prefixed|identity] [--separator .]
       [--max-lag-seconds ${DEFAULT_THRESHOLDS.maxLagSeconds}] [--max-heartbeat-age-seconds ${DEFAULT_THRESHOLDS.maxHeartbeatAgeSeconds}]

Prints each replication flow's health: per partition the lag (records not on the target yet, and the
age of the oldest of them), the age of the newest replicated heartbeat, each consumer group's newest
checkpoint, the Connect tasks' states, and "if the source were lost now: about N records, S seconds of
writes". When the source cannot be read (the disaster) it says so and reports what the target alone
knows. Exit 0 healthy, 3 unhealthy, 1 cannot read the target or a bad setting, 2 usage error.

On a MirrorMaker node: --mm2-properties /etc/mm2/mm2.properties (the default there, when no alias is
given) reads the flows, the policy and both clusters' connections (secrets included) from the node's
own files; nothing to type or export.

From elsewhere: the clusters' connections from the environment or --primary-config/--dr-config files
(the password is never a flag), the primary's variables with PRIMARY_ and the dr's with DR_:
${connectionVariablesHelp((n) => clusterEnvName("dr", n))
  .split("\n")
  .map((l) => `  ${l}`)
  .join("\n")}`;

const OPTIONS = {
  "mm2-properties": { type: "string" },
  "primary-alias": { type: "string" },
  "dr-alias": { type: "string" },
  flow: { type: "string" },
  "primary-config": { type: "string" },
  "dr-config": { type: "string" },
  "status-topic": { type: "string" },
  topic: { type: "string", multiple: true },
  policy: { type: "string" },
  separator: { type: "string" },
  "max-lag-seconds": { type: "string" },
  "max-heartbeat-age-seconds": { type: "string" },
  json: { type: "boolean" },
  watch: { type: "boolean" },
  interval: { type: "string" },
  count: { type: "string" },
} as const;

/** Where each flow's two clusters come from. */
export interface Plan {
  flows: {
    spec: FlowSpec;
    source: KafkaClientOptions | undefined;
    target: KafkaClientOptions | undefined;
    names: [string, string];
  }[];
}

export interface StatusCliOptions {
  mm2Properties?: string;
  primaryAlias?: string;
  drAlias?: string;
  flow: "primary->dr" | "dr->primary" | "both";
  primaryConfig?: string;
  drConfig?: string;
  statusTopic?: string;
  topics?: string[];
  policy: FlowSpec["policy"];
  thresholds: Thresholds;
  json: boolean;
  watch: boolean;
  intervalSeconds: number;
  count?: number;
}

const PASSWORD_REFUSED = `a password on the command line leaks into ps, shell history and logs. Set ${clusterEnvName("dr", "OCI_GEO_KAFKA_PASSWORD")} / ${clusterEnvName("primary", "OCI_GEO_KAFKA_PASSWORD")} or put it in the --dr-config / --primary-config file`;

/** Parses the command line; throws a {@link UsageError} on bad input. */
export function parseStatusArgs(argv: string[], nodeDefault?: string): StatusCliOptions | "help" {
  const parsed = parseCommand(argv, {
    command: COMMAND,
    usage: USAGE,
    options: OPTIONS,
    refused: Object.fromEntries(["--password", "--token"].map((f) => [f, PASSWORD_REFUSED])),
  });
  if (parsed === "help") return "help";
  const v = parsed.values;
  const flow = (v.flow ?? "primary->dr") as StatusCliOptions["flow"];
  if (!["primary->dr", "dr->primary", "both"].includes(flow)) {
    throw new UsageError(`--flow must be primary->dr, dr->primary or both, not ${flow}`);
  }
  const policyType = v.policy ?? "prefixed";
  if (policyType !== "prefixed" && policyType !== "identity") {
    throw new UsageError(`--policy must be prefixed or identity, not ${policyType}`);
  }
  const aliases = v["primary-alias"] !== undefined || v["dr-alias"] !== undefined;
  const mm2Properties = v["mm2-properties"] ?? (aliases ? undefined : nodeDefault);
  if (mm2Properties === undefined && (v["primary-alias"] === undefined || v["dr-alias"] === undefined)) {
    throw new UsageError(
      `give --mm2-properties <file> (on a MirrorMaker node; ${DEFAULT_NODE_MM2_PROPERTIES} is read when it exists), or --primary-alias and --dr-alias (the MM2 cluster aliases, e.g. fra and ams)`,
    );
  }
  const num = (name: keyof typeof OPTIONS, fallback: number) =>
    v[name] === undefined
      ? fallback
      : numberValue(`--${name}`, v[name] as string, {
          min: 1,
          integer: true,
          what: "must be a whole number of at least 1",
        });
  return {
    mm2Properties,
    primaryAlias: v["primary-alias"],
    drAlias: v["dr-alias"],
    flow,
    primaryConfig: v["primary-config"],
    drConfig: v["dr-config"],
    statusTopic: v["status-topic"],
    topics: v.topic !== undefined && v.topic.length > 0 ? v.topic : undefined,
    policy: { type: policyType, separator: v.separator ?? "." },
    thresholds: {
      maxLagSeconds: num("max-lag-seconds", DEFAULT_THRESHOLDS.maxLagSeconds),
      maxHeartbeatAgeSeconds: num("max-heartbeat-age-seconds", DEFAULT_THRESHOLDS.maxHeartbeatAgeSeconds),
    },
    json: v.json ?? false,
    watch: v.watch ?? false,
    intervalSeconds: num("interval", 10),
    count: v.count === undefined ? undefined : num("count", 1),
  };
}

/** The flows of a MirrorMaker node and their clusters' settings, from its own mm2.properties. */
export function nodePlan(
  mm2Properties: string,
  io: KafkaCliIo,
  topics?: string[],
  clientId = "oci-geo-streaming-status",
): Plan {
  const node = nodeConfigFromMm2Properties(io.readFile(mm2Properties), io.readFile);
  const settings = (alias: string) =>
    resolveConnectionSettings({
      env: {},
      propertiesText: node.clients[alias],
      readFile: io.readFile,
      clientId,
    });
  return {
    flows: node.flows.map((spec) => ({
      spec: { ...spec, topics },
      source: settings(spec.source),
      target: settings(spec.target),
      names: [spec.source, spec.target],
    })),
  };
}

/** The flows to measure and their clusters' settings. */
function planFlows(opts: StatusCliOptions, io: KafkaCliIo): Plan {
  if (opts.mm2Properties !== undefined) {
    return nodePlan(opts.mm2Properties, io, opts.topics);
  }
  const alias: Record<Cluster, string> = { primary: opts.primaryAlias!, dr: opts.drAlias! };
  const config: Record<Cluster, string | undefined> = { primary: opts.primaryConfig, dr: opts.drConfig };
  const directions: [Cluster, Cluster][] =
    opts.flow === "both"
      ? [
          ["primary", "dr"],
          ["dr", "primary"],
        ]
      : opts.flow === "dr->primary"
        ? [["dr", "primary"]]
        : [["primary", "dr"]];
  return {
    flows: directions.map(([s, t]) => ({
      spec: {
        source: alias[s],
        target: alias[t],
        policy: opts.policy,
        topics: opts.topics,
        statusTopic: opts.statusTopic,
      },
      source: clusterSettings(s, config[s], io, "oci-geo-streaming-status"),
      target: clusterSettings(t, config[t], io, "oci-geo-streaming-status"),
      names: [s, t],
    })),
  };
}

/** Measures every flow once. */
export async function measureAll(plan: Plan, io: KafkaCliIo): Promise<FlowStatus[]> {
  const out: FlowStatus[] = [];
  for (const f of plan.flows) {
    if (!f.target) {
      throw new CliError(
        `no ${f.names[1]} connection: set ${clusterEnvName(f.names[1] as Cluster, "OCI_GEO_KAFKA_BOOTSTRAP_SERVERS")} or pass --${f.names[1]}-config`,
        1,
      );
    }
    let target: KafkaClient;
    try {
      target = await io.connect(f.target);
    } catch (e) {
      throw new CliError(
        `cannot read the target ${f.spec.target} (${describeSettings(f.target)}): ${(e as Error).message}`,
        1,
      );
    }
    let source: KafkaClient | Error;
    try {
      source = f.source ? await io.connect(f.source) : new Error(`no ${f.names[0]} connection given`);
    } catch (e) {
      source = e as Error;
    }
    try {
      out.push(await measureFlow({ target, source, now: Date.now }, f.spec));
    } finally {
      await target.close();
      if (!(source instanceof Error)) await source.close();
    }
  }
  return out;
}

/** {@link DEFAULT_NODE_MM2_PROPERTIES} when this host has it (a MirrorMaker node). */
export function nodeDefaultIfPresent(io: KafkaCliIo): string | undefined {
  try {
    io.readFile(DEFAULT_NODE_MM2_PROPERTIES);
    return DEFAULT_NODE_MM2_PROPERTIES;
  } catch {
    return undefined;
  }
}

/** Runs the command; returns the exit code. */
export async function runStatusCli(argv: string[], io: KafkaCliIo): Promise<number> {
  const parsed = parseOrExit(() => parseStatusArgs(argv, nodeDefaultIfPresent(io)), io, COMMAND, USAGE);
  if ("exit" in parsed) return parsed.exit;
  const o = parsed.options;
  try {
    const plan = planFlows(o, io);
    let code = 0;
    for (let round = 1; ; round++) {
      const flows = await measureAll(plan, io);
      const problems = flows.flatMap((f) => problemsOf(f, o.thresholds));
      code = problems.length === 0 ? 0 : UNHEALTHY_EXIT_CODE;
      if (o.json) {
        io.out(JSON.stringify({ healthy: code === 0, flows, problems }));
      } else {
        for (const line of formatStatus(flows, o.thresholds)) io.out(line);
      }
      if (!o.watch || (o.count !== undefined && round >= o.count)) break;
      await new Promise((r) => setTimeout(r, o.intervalSeconds * 1000));
      if (!o.json) io.out("");
    }
    return code;
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`status: ${e.message}`);
      return e.code;
    }
    if (
      e instanceof Error &&
      /ConnectionSettingsError|no .* \(named in mm2.properties\)|ENOENT/.test(`${e.name} ${e.message}`)
    ) {
      io.err(`status: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) {
  runAsMain(COMMAND, runStatusCli);
}
