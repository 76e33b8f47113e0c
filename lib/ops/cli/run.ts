/**
 * `oci-geo-streaming run --instance <ocid> [--region r] -- status|failover [args…]`: runs an operator
 * command on a MirrorMaker node through OCI's Run Command (the Oracle Cloud Agent's "Compute Instance
 * Run Command" plugin) and shows its output — no SSH, no Bastion session, no credential typed: the
 * node reads its connections and secrets from its own /etc/mm2 files.
 *
 * Built on the OCI CLI the operator already has (and its authentication: ~/.oci/config, --profile,
 * or the environment): `oci instance-agent command create`, then `command-execution get` until the
 * execution is SUCCEEDED, FAILED, TIMED_OUT or CANCELED. The agent runs the command as `ocarun`; the
 * node's sudoers rule lets that user run exactly /usr/local/bin/oci-geo-streaming as root.
 *
 * Text output is what the agent returns: Run Command keeps only the first part of a long output
 * (the execution's `text-sha256` is of the whole): when the text shown does not hash to it, the
 * command says the output was cut.
 *
 * Exit codes: the remote command's exit code when it ran; 1 the OCI CLI failed, or the execution
 * timed out or was canceled; 2 usage error.
 */
import { createHash } from "node:crypto";
import { numberValue, parseCommand, UsageError, parseOrExit } from "./args";
import { runAsMain, withDefaults, type KafkaCliIo } from "./kafkaCliIo";
import { shQuote } from "../../core/cloudinit/scripts";
import { TOOLS_COMMAND } from "../../core/telemetry/artifacts";

export const COMMAND = "oci-geo-streaming run";
/** The commands that may run on a node this way. */
export const REMOTE_COMMANDS = ["status", "failover"] as const;
const TERMINAL = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELED"]);

export const USAGE = `usage: ${COMMAND} --instance <instance OCID> [--region <region>] [--compartment-id <ocid>]
         [--profile <oci profile>] [--timeout <s>] -- ${REMOTE_COMMANDS.join("|")} [args…]

Runs '${TOOLS_COMMAND} <command> <args>' as root on a MirrorMaker node through OCI Run Command and
prints its output: e.g. '-- status', '-- failover --source fra --dry-run'. The node reads its own
/etc/mm2 files: no connection or credential is passed. Needs the OCI CLI (oci) with a user allowed
to 'manage instance-agent-command-family' in the node's compartment. --compartment-id defaults to
the instance's (read with 'oci compute instance get'); --timeout (default 300) bounds the command on
the node. Exit code: the remote command's; 1 when it did not run to the end.`;

const OPTIONS = {
  instance: { type: "string" },
  region: { type: "string" },
  "compartment-id": { type: "string" },
  profile: { type: "string" },
  timeout: { type: "string" },
} as const;

export interface RunCliOptions {
  instanceId: string;
  region?: string;
  compartmentId?: string;
  profile?: string;
  timeoutSeconds: number;
  remote: string[];
}

export function parseRunArgs(argv: string[]): RunCliOptions | "help" {
  const end = argv.indexOf("--");
  const parsed = parseCommand(end < 0 ? argv : argv.slice(0, end), {
    command: COMMAND,
    usage: USAGE,
    options: OPTIONS,
  });
  if (parsed === "help") return "help";
  const v = parsed.values;
  if (!v.instance || !/^ocid1\.instance\./.test(v.instance)) {
    throw new UsageError(
      "--instance <instance OCID> is required (ocid1.instance.…: a MirrorMaker node, output mm2InstanceIds)",
    );
  }
  const remote = end < 0 ? [] : argv.slice(end + 1);
  if (!REMOTE_COMMANDS.includes(remote[0] as (typeof REMOTE_COMMANDS)[number])) {
    throw new UsageError(`name the command after --: ${REMOTE_COMMANDS.join(" or ")} (e.g. -- status)`);
  }
  if (remote.some((a) => /^--(password|token)(=|$)/.test(a))) {
    throw new UsageError(
      "a password on the command line would be stored with the command in OCI; the node reads its own secrets",
    );
  }
  return {
    instanceId: v.instance,
    region: v.region,
    compartmentId: v["compartment-id"],
    profile: v.profile,
    timeoutSeconds:
      v.timeout === undefined
        ? 300
        : numberValue("--timeout", v.timeout, {
            min: 10,
            max: 86_400,
            integer: true,
            what: "must be 10 to 86400 seconds",
          }),
    remote,
  };
}

/** The shell text the agent runs on the node (every argument single-quoted). */
export function remoteScript(remote: string[]): string {
  return `sudo -n ${TOOLS_COMMAND} ${remote.map(shQuote).join(" ")} 2>&1`;
}

/** The `--content` JSON of the command. */
export function commandContent(remote: string[]): string {
  return JSON.stringify({
    source: { sourceType: "TEXT", text: remoteScript(remote) },
    output: { outputType: "TEXT" },
  });
}

interface Execution {
  state: string;
  exitCode?: number;
  text?: string;
  textSha256?: string;
  message?: string;
}

function parseExecution(stdout: string): Execution {
  const data = (JSON.parse(stdout) as { data?: Record<string, unknown> }).data ?? {};
  const content = (data.content ?? {}) as Record<string, unknown>;
  return {
    state: String(data["lifecycle-state"] ?? "UNKNOWN"),
    exitCode: typeof content["exit-code"] === "number" ? content["exit-code"] : undefined,
    text: typeof content.text === "string" ? content.text : undefined,
    textSha256: typeof content["text-sha256"] === "string" ? content["text-sha256"] : undefined,
    message: typeof content.message === "string" ? content.message : undefined,
  };
}

/** The OCI CLI's service error, as it prints it on stderr: `ServiceError:` then a JSON object. */
export interface OciServiceError {
  status?: number;
  code?: string;
  message?: string;
}

/**
 * The service error in the OCI CLI's stderr (`ServiceError:\n{ "code": …, "status": 404, … }`),
 * or undefined when stderr holds none (a CLI, network or configuration failure). Read as JSON, not
 * by searching the text: "404" may appear anywhere (an OCID, a request id, a path).
 */
export function parseServiceError(stderr: string): OciServiceError | undefined {
  const at = stderr.indexOf("ServiceError:");
  if (at < 0) return undefined;
  const start = stderr.indexOf("{", at);
  const end = stderr.lastIndexOf("}");
  if (start < 0 || end < start) return undefined;
  try {
    const e = JSON.parse(stderr.slice(start, end + 1)) as Record<string, unknown>;
    return {
      status: typeof e.status === "number" ? e.status : undefined,
      code: typeof e.code === "string" ? e.code : undefined,
      message: typeof e.message === "string" ? e.message : undefined,
    };
  } catch {
    return undefined;
  }
}

/**
 * How long a 404 NotAuthorizedOrNotFound on the execution is taken as "the agent has not picked the
 * command up yet" (the Run Command plugin polls for new commands; the execution exists once it
 * has). Past it, the same answer means the caller may not read the execution, or no agent takes
 * the command: waiting the whole deadline (the command's timeout + 2 min) would only hide that.
 */
export const PICKUP_GRACE_MS = 90_000;

function notVisibleMessage(compartmentId: string, instanceId: string, seconds: number): string {
  return (
    `the command's execution is still not visible after ${seconds} s (404 NotAuthorizedOrNotFound). ` +
    `Either you may not read it: add the policy statement "Allow group <your group> to manage instance-agent-command-family in compartment id ${compartmentId}" ` +
    `(monitoring.operatorGroup has the deployment write it); or no agent takes the command: check that the Compute Instance Run Command plugin is enabled on ${instanceId} ` +
    "and that its dynamic group may use instance-agent-command-execution-family"
  );
}

export async function runRunCli(argv: string[], io0: KafkaCliIo): Promise<number> {
  const parsed = parseOrExit(() => parseRunArgs(argv), io0, COMMAND, USAGE);
  if ("exit" in parsed) return parsed.exit;
  const io = withDefaults(io0);
  const o = parsed.options;
  const common = [
    ...(o.region ? ["--region", o.region] : []),
    ...(o.profile ? ["--profile", o.profile] : []),
  ];
  const oci = async (args: string[], what: string): Promise<string> => {
    const r = await io.run("oci", [...args, ...common], { timeoutMs: 120_000 });
    if (r.code !== 0) {
      throw new Error(
        `${what} failed (oci exit ${r.code}): ${r.stderr.trim().split("\n").slice(-4).join(" ")}`,
      );
    }
    return r.stdout;
  };
  try {
    let compartmentId = o.compartmentId;
    if (compartmentId === undefined) {
      compartmentId = (
        await oci(
          [
            "compute",
            "instance",
            "get",
            "--instance-id",
            o.instanceId,
            "--query",
            'data."compartment-id"',
            "--raw-output",
          ],
          "reading the instance's compartment",
        )
      ).trim();
    }
    const created = JSON.parse(
      await oci(
        [
          "instance-agent",
          "command",
          "create",
          "--compartment-id",
          compartmentId,
          "--target",
          JSON.stringify({ instanceId: o.instanceId }),
          "--content",
          commandContent(o.remote),
          "--timeout-in-seconds",
          String(o.timeoutSeconds),
          "--display-name",
          `oci-geo-streaming ${o.remote[0]}`,
        ],
        "creating the Run Command",
      ),
    ) as { data?: { id?: string } };
    const commandId = created.data?.id;
    if (!commandId) throw new Error("the OCI CLI answered no command id");
    io.err(`run: command ${commandId} sent to ${o.instanceId}: ${remoteScript(o.remote)}`);
    const started = io.clock();
    const deadline = started + (o.timeoutSeconds + 120) * 1000;
    let last = "";
    let lastLine = 0;
    for (;;) {
      let exec: Execution;
      const r = await io.run(
        "oci",
        [
          "instance-agent",
          "command-execution",
          "get",
          "--command-id",
          commandId,
          "--instance-id",
          o.instanceId,
          ...common,
        ],
        { timeoutMs: 60_000 },
      );
      const serviceError = r.code === 0 ? undefined : parseServiceError(r.stderr);
      if (r.code === 0) {
        exec = parseExecution(r.stdout);
      } else if (serviceError?.status === 404 && serviceError.code === "NotAuthorizedOrNotFound") {
        if (io.clock() - started > PICKUP_GRACE_MS) {
          io.err(
            `run: ${notVisibleMessage(compartmentId, o.instanceId, Math.round((io.clock() - started) / 1000))}`,
          );
          return 1;
        }
        exec = { state: "ACCEPTED" }; // the agent has not picked the command up yet
      } else if (serviceError !== undefined) {
        throw new Error(
          `reading the execution failed: ${serviceError.status ?? "?"} ${serviceError.code ?? "?"}: ${serviceError.message ?? ""}`.trim(),
        );
      } else {
        throw new Error(`reading the execution failed (oci exit ${r.code}): ${r.stderr.trim()}`);
      }
      const elapsed = Math.round((io.clock() - started) / 1000);
      if (exec.state !== last || io.clock() - lastLine >= 15_000) {
        io.err(`run: ${exec.state} (+${elapsed} s)`);
        last = exec.state;
        lastLine = io.clock();
      }
      if (TERMINAL.has(exec.state)) {
        if (exec.text !== undefined && exec.text !== "") io.out(exec.text.replace(/\n$/, ""));
        if (exec.text !== undefined && exec.textSha256 !== undefined) {
          const sha = createHash("sha256").update(exec.text).digest("hex");
          if (sha !== exec.textSha256.toLowerCase()) {
            io.err(
              "run: the output above was cut by Run Command (its text-sha256 is of a longer output); run the command with --json, or on the node",
            );
          }
        }
        if (exec.message) io.err(`run: agent: ${exec.message}`);
        if ((exec.state === "SUCCEEDED" || exec.state === "FAILED") && exec.exitCode !== undefined)
          return exec.exitCode;
        io.err(`run: the command ended ${exec.state} without an exit code`);
        return 1;
      }
      if (io.clock() > deadline) {
        io.err(
          `run: no result after ${elapsed} s; the command may still run (oci instance-agent command-execution get --command-id ${commandId} --instance-id ${o.instanceId})`,
        );
        return 1;
      }
      await io.sleep(3_000);
    }
  } catch (e) {
    io.err(`run: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  runAsMain(COMMAND, runRunCli);
}
