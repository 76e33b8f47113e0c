/**
 * `oci-geo-streaming failback <status|reverse|wait|translate|restore> [options]`
 * (in a clone: `npm run failback -- …`)
 *
 * The failback after a failover, one resumable step at a time; where it stands is kept in a state
 * file (`--state`, default out/failback/state.json), written atomically after each step. Every step
 * is idempotent: run it again to resume. Steps (in order; a step whose predecessors are not done is
 * refused unless `--force`):
 *  - reverse:   capture the forward flow's offset syncs and dr's commits on the remote copies, then
 *               `automation.startFailback(pair)` (the primary's MM2 pulls from dr).
 *  - wait:      poll until the primary's `<dr>.T` copies end with dr's last records (stop dr's
 *               producers first).
 *  - translate: commit the consumer groups' offsets on the primary (lib/ops/failback/translate.ts).
 *  - restore:   `automation.completeFailback(pair)` (dr pulls from the primary again).
 *
 * Kafka connection settings come from the environment (OCI_GEO_DR_KAFKA_* and
 * OCI_GEO_PRIMARY_KAFKA_*, the names lib/ops/failover/connection.ts documents with DR_/PRIMARY_ added)
 * or from `--dr-config` / `--primary-config` properties files; never a password flag.
 *
 * Exit codes: 0 done; 1 state file, connection or unexpected error; 2 usage error or refused (step
 * order, a group refused or failed); 3 `wait` timed out; 4 a Pulumi stack update failed (see the
 * message; run the step again to resume).
 */
import { CliError, clusterEnvName, clusterSettings, type Cluster } from "./clusters";
import { KafkaCliIo, runAsMain } from "./kafkaCliIo";
import { listValue, numberValue, parseCommand, UsageError, parseOrExit } from "./args";

import {
  completeFailback,
  PairStepError,
  startFailback,
  type PairConfig,
  type PairWorkspace,
  type SetDirectionResult,
} from "../../program/automation";
import { connectionVariablesHelp, describeSettings, ENV } from "../failover/connection";
import { countByStatus, parseGroupRunLimits, type GroupRunLimits } from "../groupCommits";
import { KafkaClient, type KafkaClientOptions } from "../kafka/client";
import type { PolicyNames } from "../../core/mm2/topics";
import { regionAlias } from "../../core/oci/regions";
import { checkCaughtUp, defaultReplicatedTopics, waitForCatchUp } from "../failback/caughtUp";
import {
  DEFAULT_STATE_FILE,
  FAILBACK_STEPS,
  formatStatus,
  loadState,
  markFinished,
  markStarted,
  orderProblem,
  saveState,
  STEP_DESCRIPTIONS,
  type FailbackState,
  type FailbackStep,
} from "../failback/state";
import {
  captureForward,
  executeFailback,
  FailbackTranslateError,
  formatFailbackProgress,
  planFailback,
  staleCheckpoints,
  type FailbackGroupResult,
  type FailbackPlan,
} from "../failback/translate";

export { clusterEnvName, type Cluster };

const envList = (cluster: Cluster): string =>
  connectionVariablesHelp((n) => clusterEnvName(cluster, n))
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");

export const COMMAND = "oci-geo-streaming failback";

export const USAGE = `usage: ${COMMAND} <step> [options]

steps (in order; each resumable, recorded in --state):
${["status", ...FAILBACK_STEPS].map((s) => `  ${s.padEnd(10)} ${s === "status" ? "where the failback stands and the next step" : STEP_DESCRIPTIONS[s as FailbackStep]}`).join("\n")}

options:
  --state <file>            state file (default ${DEFAULT_STATE_FILE})
  --pair <file.json>        reverse, restore: the pair (automation.PairConfig as JSON)
  --primary-alias <alias>   MM2 alias of the primary (e.g. fra); default from --pair or the state
  --dr-alias <alias>        MM2 alias of dr (e.g. ams); default from --pair or the state
  --topic <t>               wait: a dr topic to check (repeatable, or comma-separated); default all
                            of dr's topics that are not remote copies or MM2/Kafka internal
  --timeout <s>             wait: give up after this long (default 600); --poll <s> (default 5)
  --group <g>               translate: a group (repeatable); default every group in the reverse
                            checkpoints or with commits on dr's remote copies
  --checkpoint-wait <s>     translate: wait up to this long for the reverse checkpoints to reach the
                            groups' last commits on dr (default 0: go on, reporting stale ones)
  --overwrite               translate: commit translations even where they move a commit backwards
  --dry-run                 translate: plan only, commit nothing (the step stays not done)
  --concurrency <n>         translate: groups in flight at once (default 4)
  --max-rate <n>            groups started per second, so OffsetFetch/OffsetCommit requests per
                            second (default 10, OCI's documented default for each; 0: no cap, for
                            self-managed Kafka or a pool whose limits were raised)
  --no-capture              reverse: skip capturing the forward offset syncs (no dr connection)
  --force                   run a step although an earlier one is not done
  --json                    machine output on stdout (progress on stderr)
  --separator <s>           replication policy separator (default .); the prefixed policy only

Kafka connections (never a flag for the password), environment or properties file:
  dr       --dr-config <client.properties>, or
${envList("dr")}
  primary  --primary-config <client.properties>, or
${envList("primary")}`;

export interface FailbackCliOptions {
  step: "status" | FailbackStep;
  stateFile: string;
  pairFile?: string;
  primaryAlias?: string;
  drAlias?: string;
  topics?: string[];
  groups?: string[];
  timeoutMs: number;
  pollMs: number;
  checkpointWaitMs: number;
  overwrite: boolean;
  dryRun: boolean;
  /** translate: groups in flight at once and started per second. */
  limits: GroupRunLimits;
  capture: boolean;
  force: boolean;
  json: boolean;
  drConfig?: string;
  primaryConfig?: string;
  policy: PolicyNames;
}

const SECRET_FLAGS = [
  "--password",
  "--token",
  "--sasl-password",
  "--auth-token",
  "--dr-password",
  "--primary-password",
];

const OPTIONS = {
  state: { type: "string" },
  pair: { type: "string" },
  "primary-alias": { type: "string" },
  "dr-alias": { type: "string" },
  topic: { type: "string", multiple: true },
  group: { type: "string", multiple: true },
  timeout: { type: "string" },
  poll: { type: "string" },
  "checkpoint-wait": { type: "string" },
  overwrite: { type: "boolean" },
  "dry-run": { type: "boolean" },
  concurrency: { type: "string" },
  "max-rate": { type: "string" },
  "no-capture": { type: "boolean" },
  force: { type: "boolean" },
  json: { type: "boolean" },
  "dr-config": { type: "string" },
  "primary-config": { type: "string" },
  separator: { type: "string" },
} as const;

/** Parses the command line; throws a {@link UsageError} naming the option on bad input. */
export function parseFailbackArgs(argv: string[]): FailbackCliOptions | "help" {
  const why = `a password on the command line leaks into ps, shell history and logs. Set ${clusterEnvName("dr", ENV.password)} / ${clusterEnvName("primary", ENV.password)} or put it in the --dr-config / --primary-config file`;
  // --topics is another name of --topic (in order with it).
  const args = argv.map((a) => a.replace(/^--topics(?==|$)/, "--topic"));
  const parsed = parseCommand(args, {
    command: COMMAND,
    usage: USAGE,
    options: OPTIONS,
    maxPositionals: Number.POSITIVE_INFINITY,
    refused: Object.fromEntries(SECRET_FLAGS.map((f) => [f, why])),
  });
  if (parsed === "help") return "help";
  const v = parsed.values;
  const seconds = (flag: keyof typeof OPTIONS, text: string | undefined, fallbackMs: number): number =>
    text === undefined
      ? fallbackMs
      : Math.round(
          numberValue(`--${flag}`, text, { min: 0, what: "must be a number of seconds >= 0" }) * 1000,
        );
  const raw = parsed.positionals[0];
  if (raw === undefined) throw new UsageError(`a step is required: status, ${FAILBACK_STEPS.join(", ")}`);
  if (raw !== "status" && !(FAILBACK_STEPS as readonly string[]).includes(raw)) {
    throw new UsageError(`unknown step '${raw}': use status, ${FAILBACK_STEPS.join(", ")}`);
  }
  if (parsed.positionals.length > 1) {
    throw new UsageError(`one step at a time: got '${raw}' and '${parsed.positionals[1]}'`);
  }
  const topics = (v.topic ?? []).flatMap(listValue);
  const groups = v.group ?? [];
  const limits = parseGroupRunLimits(v.concurrency, v["max-rate"]);
  if (typeof limits === "string") throw new UsageError(limits);
  return {
    step: raw as FailbackCliOptions["step"],
    stateFile: v.state ?? DEFAULT_STATE_FILE,
    pairFile: v.pair,
    primaryAlias: v["primary-alias"],
    drAlias: v["dr-alias"],
    timeoutMs: seconds("timeout", v.timeout, 600_000),
    pollMs: Math.max(100, seconds("poll", v.poll, 5_000)),
    checkpointWaitMs: seconds("checkpoint-wait", v["checkpoint-wait"], 0),
    overwrite: v.overwrite ?? false,
    dryRun: v["dry-run"] ?? false,
    limits,
    capture: !(v["no-capture"] ?? false),
    force: v.force ?? false,
    json: v.json ?? false,
    drConfig: v["dr-config"],
    primaryConfig: v["primary-config"],
    policy: { type: "prefixed", separator: v.separator ?? "." },
    topics: topics.length > 0 ? topics : undefined,
    groups: groups.length > 0 ? groups : undefined,
  };
}

export interface FailbackCliIo extends KafkaCliIo {
  now?: () => Date;
  /** The Automation API workspace (tests); default: a LocalWorkspace (needs the pulumi CLI). */
  workspace?: PairWorkspace;
  sleep?: (ms: number) => Promise<void>;
}

/** The connection settings of one cluster, or undefined when none are given (env or file). */
export function failbackClusterSettings(
  cluster: Cluster,
  opts: Pick<FailbackCliOptions, "drConfig" | "primaryConfig">,
  io: Pick<FailbackCliIo, "env" | "readFile">,
): KafkaClientOptions | undefined {
  return clusterSettings(
    cluster,
    cluster === "dr" ? opts.drConfig : opts.primaryConfig,
    io,
    "oci-geo-streaming-failback",
  );
}

async function connectTo(
  cluster: Cluster,
  opts: FailbackCliOptions,
  io: FailbackCliIo,
  required: boolean,
): Promise<KafkaClient | undefined> {
  const settings = failbackClusterSettings(cluster, opts, io);
  if (!settings) {
    if (!required) return undefined;
    throw new CliError(
      `no ${cluster} connection: set ${clusterEnvName(cluster, ENV.bootstrapServers)} (and the username/password variables) or pass --${cluster}-config <client.properties>`,
      1,
    );
  }
  try {
    return await io.connect(settings);
  } catch (e) {
    throw new CliError(
      `cannot connect to the ${cluster} cluster (${describeSettings(settings)}): ${(e as Error).message}`,
      1,
    );
  }
}

function readPair(opts: FailbackCliOptions, io: FailbackCliIo): PairConfig {
  if (!opts.pairFile) {
    throw new CliError(
      `--pair <file.json> is required for '${opts.step}' (the pair as automation.PairConfig JSON)`,
      1,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(io.readFile(opts.pairFile));
  } catch (e) {
    throw new CliError(`--pair ${opts.pairFile}: cannot be read as JSON (${(e as Error).message})`, 1);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new CliError(`--pair ${opts.pairFile}: must hold a JSON object (automation.PairConfig)`, 1);
  }
  return doc as PairConfig;
}

/** The aliases: flags, else the state, else the pair's regions. */
function aliases(
  opts: FailbackCliOptions,
  state: FailbackState,
  pair?: PairConfig,
): { primary: string; dr: string } {
  const primary =
    opts.primaryAlias ??
    state.primaryAlias ??
    (pair?.primary?.region ? regionAlias(pair.primary.region) : undefined);
  const dr = opts.drAlias ?? state.drAlias ?? (pair?.dr?.region ? regionAlias(pair.dr.region) : undefined);
  if (!primary || !dr) {
    throw new CliError(
      `the MM2 aliases are unknown: pass --primary-alias <alias> and --dr-alias <alias> (e.g. fra and ams) or --pair`,
      1,
    );
  }
  if (state.primaryAlias && state.primaryAlias !== primary) {
    throw new CliError(
      `--primary-alias ${primary} differs from ${state.primaryAlias} recorded in --state ${opts.stateFile}`,
      1,
    );
  }
  if (state.drAlias && state.drAlias !== dr) {
    throw new CliError(
      `--dr-alias ${dr} differs from ${state.drAlias} recorded in --state ${opts.stateFile}`,
      1,
    );
  }
  return { primary, dr };
}

function directionSummary(r: SetDirectionResult): { summary: string; result: unknown } {
  const steps = r.steps.map((s) => ({
    role: s.role,
    stack: s.stack,
    action: s.action,
    result: s.result.result,
    changes: s.result.resourceChanges ?? {},
  }));
  return {
    summary: `${r.direction}: ${steps.map((s) => `${s.action} ${s.role} (${s.result})`).join(", ")}`,
    result: { direction: r.direction, steps },
  };
}

/** One run of a step: the options, the io, where the failback stands, and the clients to close. */
interface StepRun {
  step: FailbackStep;
  opts: FailbackCliOptions;
  io: FailbackCliIo;
  /** The state as last saved. */
  state: FailbackState;
  /** The step runs out of order under --force (recorded in the state). */
  forced: boolean;
  now: () => Date;
  /** Progress lines: stdout, or stderr under --json. */
  progress: (line: string) => void;
  clients: KafkaClient[];
}

/** Writes the state file and keeps it as the run's state. */
function save(run: StepRun, s: FailbackState): void {
  run.state = s;
  saveState(run.opts.stateFile, s);
}

/** Connects to a cluster the step needs; the run closes it at the end. */
async function connectFor(run: StepRun, cluster: Cluster): Promise<KafkaClient> {
  const client = (await connectTo(cluster, run.opts, run.io, true))!;
  run.clients.push(client);
  return client;
}

/** Records the step as started, with the aliases it runs under. */
function start(run: StepRun, a: { primary: string; dr: string }): void {
  save(
    run,
    markStarted({ ...run.state, primaryAlias: a.primary, drAlias: a.dr }, run.step, run.forced, run.now()),
  );
}

/** Runs the command; returns the exit code. */
export async function runFailbackCli(argv: string[], io: FailbackCliIo): Promise<number> {
  const parsed = parseOrExit(() => parseFailbackArgs(argv), io, COMMAND, USAGE);
  if ("exit" in parsed) return parsed.exit;
  const opts = parsed.options;
  let state: FailbackState;
  try {
    state = loadState(opts.stateFile);
  } catch (e) {
    io.err(`failback: ${(e as Error).message}`);
    return 1;
  }
  if (opts.step === "status") {
    if (opts.json) io.out(JSON.stringify(state, null, 2));
    else formatStatus(state, opts.stateFile).forEach((l) => io.out(l));
    return 0;
  }
  const step = opts.step;
  const problem = orderProblem(state, step, opts.force);
  if (problem) {
    io.err(`failback: ${problem}`);
    return 2;
  }
  const run: StepRun = {
    step,
    opts,
    io,
    state,
    forced: opts.force && orderProblem(state, step, false) !== undefined,
    now: io.now ?? (() => new Date()),
    progress: opts.json ? io.err : io.out,
    clients: [],
  };
  try {
    if (step === "wait") return await waitStep(run);
    if (step === "translate") return await translateStep(run);
    return await directionStep(run);
  } catch (e) {
    return stepFailed(run, e);
  } finally {
    await Promise.all(run.clients.map((c) => c.close()));
  }
}

/** An error out of a step: recorded as the step's failure when it had started; the exit code. */
function stepFailed(run: StepRun, e: unknown): number {
  if (run.state.steps[run.step]?.status === "started") {
    try {
      save(run, markFinished(run.state, run.step, { ok: false, summary: (e as Error).message }, run.now()));
    } catch {
      // the original error matters more
    }
  }
  run.io.err(`failback: ${run.step}: ${(e as Error).message}`);
  return e instanceof CliError ? e.code : 1;
}

/** reverse: capture the forward flow (once), then startFailback; restore: completeFailback. */
async function directionStep(run: StepRun): Promise<number> {
  const { step, opts, io, progress } = run;
  const pair = readPair(opts, io);
  const a = aliases(opts, run.state, pair);
  if (step === "reverse") await captureOnce(run, a);
  start(run, a);
  progress(
    `${step}: ${step === "reverse" ? "startFailback (enable the primary's MM2, then disable dr's)" : "completeFailback (enable dr's MM2, then remove the primary's)"}`,
  );
  const setDirection = step === "reverse" ? startFailback : completeFailback;
  try {
    const r = await setDirection(pair, {
      workspace: io.workspace,
      onOutput: (text, role) => {
        for (const line of text.split("\n").filter((l) => l !== "")) progress(`  ${role}: ${line}`);
      },
    });
    const { summary, result } = directionSummary(r);
    save(run, markFinished(run.state, step, { ok: true, summary, result }, run.now()));
    progress(`${step} done: ${summary}`);
    if (opts.json) io.out(JSON.stringify(result, null, 2));
    return 0;
  } catch (e) {
    const completed = e instanceof PairStepError ? e.completed.map((c) => `${c.role} ${c.stack}`) : [];
    const summary = `${(e as Error).message}${completed.length ? ` (completed: ${completed.join(", ")})` : ""}`;
    save(run, markFinished(run.state, step, { ok: false, summary }, run.now()));
    io.err(`failback: ${step} failed: ${summary}. Fix the cause and run '${step}' again: it resumes`);
    return e instanceof PairStepError || (e as Error).name === "ValidationError" ? 4 : 1;
  }
}

/** reverse: the forward offset syncs and dr's commits, captured on the first run and kept after. */
async function captureOnce(run: StepRun, a: { primary: string; dr: string }): Promise<void> {
  if (run.opts.capture && !run.state.capture) {
    const dr = await connectFor(run, "dr");
    const capture = await captureForward(dr, a.primary, run.opts.policy, run.now());
    run.progress(
      `captured ${capture.syncs.length} forward offset sync(s) from ${capture.offsetSyncsTopic} and the commits of ${Object.keys(capture.commits).length} group(s) on dr's remote copies`,
    );
    save(run, { ...run.state, primaryAlias: a.primary, drAlias: a.dr, capture });
  } else if (run.state.capture) {
    run.progress(
      `forward capture kept from ${run.state.capture.takenAt} (dr's forward layer may be gone under the identity policy)`,
    );
  }
}

/** wait: poll until the primary's copies end with dr's last records. */
async function waitStep(run: StepRun): Promise<number> {
  const { opts, io, progress } = run;
  const a = aliases(opts, run.state);
  const dr = await connectFor(run, "dr");
  const primary = await connectFor(run, "primary");
  const topics = opts.topics ?? defaultReplicatedTopics(await dr.listTopics(), a, opts.policy);
  if (topics.length === 0) throw new CliError("no topic to check on dr: name them with --topic", 1);
  start(run, a);
  progress(
    `wait: ${topics.length} topic(s) on dr (${topics.join(", ")}) against ${a.dr}${opts.policy.separator}<topic> on the primary; producers on dr must be stopped`,
  );
  const report = await waitForCatchUp({
    check: () => checkCaughtUp({ dr, primary, topics, drAlias: a.dr, policy: opts.policy }),
    timeoutMs: opts.timeoutMs,
    pollMs: opts.pollMs,
    onPoll: (line) => progress(line),
    sleep: io.sleep,
  });
  const summary = report.caughtUp
    ? `caught up: ${report.partitions.length} partition(s) of ${topics.length} topic(s) after ${report.polls} poll(s)`
    : `not caught up after ${(report.elapsedMs / 1000).toFixed(0)} s: ${report.partitions.filter((p) => !p.caughtUp).length} partition(s) behind`;
  const result = { topics, partitions: report.partitions };
  save(run, markFinished(run.state, run.step, { ok: report.caughtUp, summary, result }, run.now()));
  if (opts.json) io.out(JSON.stringify(report, null, 2));
  if (!report.caughtUp) {
    io.err(
      `failback: wait timed out (--timeout ${opts.timeoutMs / 1000} s): ${summary}. Are dr's producers stopped and the primary's MM2 running? Run 'wait' again to keep waiting`,
    );
    return 3;
  }
  progress(`wait done: ${summary}`);
  return 0;
}

/** translate: plan (waiting up to --checkpoint-wait for fresh checkpoints), then commit on the primary. */
async function translateStep(run: StepRun): Promise<number> {
  const { opts, io } = run;
  const a = aliases(opts, run.state);
  const primary = await connectFor(run, "primary");
  const dr = await connectTo("dr", opts, io, false);
  if (dr) run.clients.push(dr);
  if (!opts.dryRun) start(run, a);
  const plan = await planWithFreshCheckpoints(run, () =>
    planFailback({
      primary,
      dr,
      primaryAlias: a.primary,
      drAlias: a.dr,
      groups: opts.groups,
      policy: opts.policy,
      capture: run.state.capture,
      overwrite: opts.overwrite,
      limits: opts.limits,
    }),
  );
  run.progress(
    `translate ${opts.dryRun ? "(DRY RUN) " : ""}${a.dr} -> ${a.primary}: ${plan.groups.length} group(s); ${plan.checkpointRecords} record(s) in ${plan.checkpointsTopic} on the primary; ${plan.offsetSyncs} forward offset sync(s) (${plan.forwardSource === "dr" ? `${plan.offsetSyncsTopic} on dr` : plan.forwardSource === "capture" ? "captured by 'reverse'" : "none: the remote copies on dr cannot be translated"})`,
  );
  if (!opts.json) for (const line of planLines(plan)) io.out(line);
  return commitTranslation(run, primary, plan);
}

/** Plans again every --poll while a checkpoint is stale, until --checkpoint-wait runs out. */
async function planWithFreshCheckpoints(
  run: StepRun,
  planOnce: () => Promise<FailbackPlan>,
): Promise<FailbackPlan> {
  const { opts } = run;
  let plan = await planOnce();
  const deadline = Date.now() + opts.checkpointWaitMs;
  const sleep = run.io.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (;;) {
    const stale = plan.groups.reduce((n, g) => n + staleCheckpoints(g).length, 0);
    if (stale === 0 || Date.now() + opts.pollMs > deadline) return plan;
    run.progress(
      `${stale} checkpoint(s) older than the groups' last commits on dr; waiting for MM2 (--checkpoint-wait)`,
    );
    await sleep(opts.pollMs);
    plan = await planOnce();
  }
}

/** Commits the plan group by group; records and reports the outcome; the exit code. */
async function commitTranslation(run: StepRun, primary: KafkaClient, plan: FailbackPlan): Promise<number> {
  const { opts, io } = run;
  let results: FailbackGroupResult[];
  let code = 0;
  try {
    results = await executeFailback(plan, {
      primary,
      dryRun: opts.dryRun,
      limits: opts.limits,
      onProgress: (p) => run.progress(formatFailbackProgress(p)),
    });
  } catch (e) {
    if (!(e instanceof FailbackTranslateError)) throw e;
    results = e.results;
    code = 2;
    io.err(`failback: ${e.message}`);
  }
  if (code === 0 && (results.length === 0 || results.some((r) => r.status === "no-translation"))) code = 2;
  const summary = countByStatus(results);
  if (!opts.dryRun)
    save(
      run,
      markFinished(run.state, run.step, { ok: code === 0, summary, result: { groups: results } }, run.now()),
    );
  if (opts.json) io.out(JSON.stringify({ plan, results }, null, 2));
  run.progress(`translate ${code === 0 ? "done" : "NOT done"}: ${summary}`);
  if (code !== 0 && results.length === 0) io.err("failback: no group to translate: name them with --group");
  return code;
}

/** One line per planned partition. */
export function planLines(plan: FailbackPlan): string[] {
  const lines: string[] = [];
  for (const g of plan.groups) {
    for (const p of g.partitions) {
      const from =
        p.kind === "checkpoint"
          ? `checkpoint of dr offset ${p.upstreamOffset}${p.drOffset !== undefined && p.drOffset > p.upstreamOffset ? ` (STALE: the group is at ${p.drOffset} on dr)` : ""}`
          : `dr ${p.drTopic ?? "?"} offset ${p.drOffset}, ${p.rule}${p.checked ? `, ${p.checked}` : ""}`;
      const now = p.currentOffset === undefined ? "none" : String(p.currentOffset);
      lines.push(
        `  ${g.group} ${p.topic}:${p.partition} -> ${p.offset} (translated ${p.translated} from ${from}; on the primary now: ${now})`,
      );
    }
  }
  return lines;
}

if (require.main === module) {
  runAsMain("failback", runFailbackCli);
}
