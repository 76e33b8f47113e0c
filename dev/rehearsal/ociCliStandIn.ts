/**
 * A stand-in `oci` executable for the rehearsal: it answers the one call the nodes' metrics poster
 * makes — `oci monitoring metric-data post --metric-data file://<json> --endpoint <ingestion URL>
 * --auth instance_principal` — through the OCI model's PostMetricData
 * (dev/oci-model/services/telemetryIngestion.ts), prints what the OCI CLI prints
 * (`{"data": {"failed-metrics": […], "failed-metrics-count": n}}`, or a `ServiceError` on stderr and
 * exit 1), and records every call (accepted streams and refusals) as one JSON line in a file.
 * Anything else it refuses like the CLI refuses an unknown command (exit 2).
 *
 * {@link installOciStandIn} writes the executable into a private folder to put first on PATH.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import { postMetricData, type StoredMetric } from "../oci-model/services/telemetryIngestion";

/** One recorded call. */
export interface OciStandInCall {
  at: number;
  args: string[];
  exitCode: number;
  /** Streams the model accepted. */
  accepted: StoredMetric[];
  /** Objects the model refused (per object), or the request's error. */
  refused: { message: string; metricData?: unknown }[];
}

export interface OciStandIn {
  /** The folder holding `oci` (put it first on PATH). */
  binDir: string;
  /** The JSON-lines record of calls. */
  recordFile: string;
  /** Every call so far. */
  calls(): OciStandInCall[];
}

const ENV_RECORD = "OCI_STANDIN_RECORD";
const ENV_REGION = "OCI_STANDIN_REGION";

/** Writes `<dir>/oci` answering as the region `region`'s telemetry-ingestion endpoint. */
export function installOciStandIn(dir: string, region: string): OciStandIn {
  fs.mkdirSync(dir, { recursive: true });
  const recordFile = path.join(dir, "oci-calls.jsonl");
  fs.writeFileSync(recordFile, "");
  const tsNode = require.resolve("ts-node/register/transpile-only");
  const script = `#!/bin/sh
# Rehearsal stand-in for the OCI CLI (dev/rehearsal/ociCliStandIn.ts); not the real oci.
${ENV_RECORD}=${JSON.stringify(recordFile)} ${ENV_REGION}=${JSON.stringify(region)} exec ${JSON.stringify(process.execPath)} -r ${JSON.stringify(tsNode)} ${JSON.stringify(__filename)} "$@"
`;
  const bin = path.join(dir, "oci");
  fs.writeFileSync(bin, script, { mode: 0o755 });
  return {
    binDir: dir,
    recordFile,
    calls: () =>
      fs
        .readFileSync(recordFile, "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as OciStandInCall),
  };
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}

/** The stand-in's main: returns the exit code. */
export function main(args: string[], env: NodeJS.ProcessEnv, now: number): number {
  const record = (call: Omit<OciStandInCall, "at" | "args">) => {
    if (env[ENV_RECORD])
      fs.appendFileSync(env[ENV_RECORD], `${JSON.stringify({ at: now, args, ...call })}\n`);
  };
  const serviceError = (status: number, code: string, message: string) => {
    process.stderr.write(
      `ServiceError:\n${JSON.stringify({ code, message, operation_name: "post_metric_data", status }, null, 4)}\n`,
    );
    record({ exitCode: 1, accepted: [], refused: [{ message: `${status} ${code}: ${message}` }] });
    return 1;
  };
  if (args.slice(0, 3).join(" ") !== "monitoring metric-data post") {
    process.stderr.write(
      `Usage: oci [OPTIONS] COMMAND [ARGS]...\n\nError: the rehearsal's oci stand-in answers only "monitoring metric-data post", not ${JSON.stringify(args.slice(0, 3).join(" "))}\n`,
    );
    record({ exitCode: 2, accepted: [], refused: [{ message: `unsupported command ${args.join(" ")}` }] });
    return 2;
  }
  const auth = flag(args, "--auth");
  if (auth !== "instance_principal") {
    // A node has no ~/.oci/config: without the instance principal the CLI finds no credentials.
    process.stderr.write(
      "ERROR: Could not find config file at /root/.oci/config\n(a MirrorMaker node signs with --auth instance_principal)\n",
    );
    record({ exitCode: 1, accepted: [], refused: [{ message: `--auth ${String(auth)}` }] });
    return 1;
  }
  const data = flag(args, "--metric-data");
  if (data === undefined) {
    process.stderr.write("Error: Missing option(s) --metric-data.\n");
    record({ exitCode: 2, accepted: [], refused: [{ message: "no --metric-data" }] });
    return 2;
  }
  let metricData: unknown;
  try {
    const text = data.startsWith("file://") ? fs.readFileSync(data.slice("file://".length), "utf8") : data;
    metricData = JSON.parse(text);
  } catch (e) {
    process.stderr.write(`Parameter 'metric_data' must be in JSON format. ${(e as Error).message}\n`);
    record({
      exitCode: 2,
      accepted: [],
      refused: [{ message: `--metric-data not JSON: ${(e as Error).message}` }],
    });
    return 2;
  }
  const endpoint = flag(args, "--endpoint") ?? `https://telemetry.${env[ENV_REGION]}.oraclecloud.com`;
  const result = postMetricData({ endpoint, region: env[ENV_REGION] ?? "", metricData }, now);
  if (result.status !== 200) return serviceError(result.status, result.code, result.message);
  process.stdout.write(
    `${JSON.stringify(
      {
        data: {
          "failed-metrics": result.failedMetrics.map((f) => ({
            message: f.message,
            "metric-data": f.metricData,
          })),
          "failed-metrics-count": result.failedMetricsCount,
        },
      },
      null,
      2,
    )}\n`,
  );
  record({ exitCode: 0, accepted: result.accepted, refused: result.failedMetrics });
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), process.env, Date.now());
}
