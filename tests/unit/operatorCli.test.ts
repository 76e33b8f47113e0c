/**
 * `oci-geo-streaming metrics` and `oci-geo-streaming run` against a stand-in `oci` executable on a
 * private PATH: the exact arguments each OCI CLI call gets, what the commands print, and their exit
 * codes. The stand-in records every call (arguments NUL-separated) and answers from files the test
 * writes.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createHash } from "node:crypto";
import * as net from "node:net";
import { runMetricsCli, postCommand } from "../../lib/ops/cli/metrics";
import { parseServiceError, PICKUP_GRACE_MS, runRunCli, remoteScript } from "../../lib/ops/cli/run";
import type { KafkaCliIo } from "../../lib/ops/cli/kafkaCliIo";
import { KafkaClient } from "../../lib/ops/kafka/client";
import { METRICS_BUDGET, runDeadlineMs } from "../../lib/core/telemetry/budget";
import { renderMm2Properties } from "../../lib/core/mm2";
import { POST_METRIC_DATA_LIMITS, type MetricDataDetails } from "../../lib/core/telemetry";
import { drModel } from "./mm2Fixtures";

const STANDIN = `#!/bin/bash
dir="$STANDIN_DIR"
n=$(( $(cat "$dir/n" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$dir/n"
printf '%s\\0' "$@" > "$dir/call-$n"
case "$1 $2 $3" in
  "compute instance get") echo "ocid1.compartment.oc1..standin" ;;
  "instance-agent command create") cat "$dir/create.json" ;;
  "instance-agent command-execution get")
    k=$(( $(cat "$dir/polls" 2>/dev/null || echo 0) + 1 )); echo "$k" > "$dir/polls"
    if [ "$k" -le "$(cat "$dir/not-yet" 2>/dev/null || echo 0)" ]; then { cat "$dir/poll-error" 2>/dev/null || printf 'ServiceError:\n{\n    "code": "NotAuthorizedOrNotFound",\n    "message": "Authorization failed or requested resource not found.",\n    "opc-request-id": "A1B2/C3D4",\n    "operation_name": "get_instance_agent_command_execution",\n    "status": 404\n}\n'; } >&2; exit 1; fi
    cat "$dir/execution.json" ;;
  "monitoring metric-data post")
    cp "\${5#file://}" "$dir/posted-$n.json"
    cat "$dir/post-answer.json" 2>/dev/null
    exit "$(cat "$dir/post-exit" 2>/dev/null || echo 0)" ;;
  *) echo "stand-in oci: unexpected $*" >&2; exit 99 ;;
esac
`;

let dir: string;
let out: string[];
let err: string[];

function calls(): string[][] {
  const n = Number(fs.readFileSync(path.join(dir, "n"), "utf8"));
  return Array.from({ length: n }, (_, i) =>
    fs
      .readFileSync(path.join(dir, `call-${i + 1}`), "utf8")
      .split("\0")
      .slice(0, -1),
  );
}

function io(files: Record<string, string> = {}, extra: Partial<KafkaCliIo> = {}): KafkaCliIo {
  return {
    env: { PATH: `${path.join(dir, "bin")}:${process.env.PATH}`, STANDIN_DIR: dir },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readFile: (p) => {
      if (files[p] === undefined) throw new Error(`ENOENT: ${p}`);
      return files[p];
    },
    connect: () => Promise.reject(new Error("connection refused")),
    sleep: () => Promise.resolve(),
    hostname: () => "mm2-0",
    ...extra,
  };
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "oci-standin-"));
  fs.mkdirSync(path.join(dir, "bin"));
  fs.writeFileSync(path.join(dir, "bin", "oci"), STANDIN, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, "n"), "0");
  out = [];
  err = [];
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const MONITORING = [
  "namespace=geo_streaming",
  "compartmentId=ocid1.compartment.oc1..aaaa",
  "region=eu-amsterdam-1",
  "deployment=geo-dr-replication",
  "jmxUrl=http://127.0.0.1:9404/metrics",
  "",
].join("\n");
const NO_FLOWS = "clusters = primary, dr\n";
const JMX = (partitions: number) =>
  [
    "# TYPE mm2_source_replication_latency_ms_max gauge",
    ...Array.from(
      { length: partitions },
      (_, p) =>
        `mm2_source_replication_latency_ms_max{source="primary",target="dr",topic="orders",partition="${p}",} ${p === 0 ? "NaN" : p * 10}`,
    ),
    "# TYPE jvm_memory_bytes_used gauge",
    'jvm_memory_bytes_used{area="heap",} 1.0E8',
    "",
  ].join("\n");

function posted(): MetricDataDetails[][] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith("posted-"))
    .sort((a, b) => Number(a.slice(7, -5)) - Number(b.slice(7, -5)))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as MetricDataDetails[]);
}

describe("oci-geo-streaming metrics (stand-in oci)", () => {
  const files = { "/etc/mm2/monitoring.properties": MONITORING, "/etc/mm2/mm2.properties": NO_FLOWS };

  it("posts MirrorMaker's scrape and the node's liveness with the instance principal, 50 streams a request, NaN left out", async () => {
    fs.writeFileSync(path.join(dir, "post-answer.json"), '{"data":{"failed-metrics-count":0}}');
    const code = await runMetricsCli(["--post"], io(files, { httpGet: () => Promise.resolve(JMX(60)) }));
    expect(code, err.join("\n")).to.equal(0);
    const c = calls();
    expect(c).to.have.length(3);
    for (const call of c) {
      expect(call.slice(0, 4)).to.deep.equal(["monitoring", "metric-data", "post", "--metric-data"]);
      expect(call[4]).to.match(/^file:\/\//);
      expect(call.slice(5)).to.deep.equal([
        "--endpoint",
        "https://telemetry-ingestion.eu-amsterdam-1.oraclecloud.com",
        "--auth",
        "instance_principal",
      ]);
      expect(fs.existsSync(call[4].slice(7)), "the temporary file is removed").to.equal(false);
    }
    const batches = posted();
    // node_up + mm2_jmx_up first (no flows: no target or source samples), then 59 partitions.
    expect(batches.map((b) => b.length)).to.deep.equal([2, 50, 9]);
    expect(batches[0].map((s) => s.name)).to.deep.equal(["mm2_jmx_up", "node_up"]);
    expect(batches[1].length).to.equal(POST_METRIC_DATA_LIMITS.maxStreamsPerRequest);
    const streams = batches.flat();
    expect(
      streams.every(
        (s) => s.namespace === "geo_streaming" && s.compartmentId === "ocid1.compartment.oc1..aaaa",
      ),
    ).to.equal(true);
    expect(streams.some((s) => s.name === "jvm_memory_bytes_used")).to.equal(false);
    expect(streams.some((s) => s.dimensions.partition === "0")).to.equal(false);
    const up = streams.find((s) => s.name === "mm2_jmx_up")!;
    expect(up.dimensions).to.deep.equal({ deployment: "geo-dr-replication", node: "mm2-0" });
    expect(up.datapoints[0].value).to.equal(1);
    expect(err.join("\n")).to.match(
      /61 stream\(s\) posted to geo_streaming; 1 sample\(s\) not sent \(1 NaN\)/,
    );
  });

  it("exits 1 when OCI refuses a post or part of one, and says so", async () => {
    fs.writeFileSync(path.join(dir, "post-exit"), "1");
    expect(await runMetricsCli(["--post"], io(files, { httpGet: () => Promise.resolve(JMX(2)) }))).to.equal(
      1,
    );
    expect(err.join("\n")).to.match(/PostMetricData failed \(oci exit 1\)/);
    fs.writeFileSync(path.join(dir, "post-exit"), "0");
    fs.writeFileSync(
      path.join(dir, "post-answer.json"),
      '{"data":{"failed-metrics-count":2,"failed-metrics":[]}}',
    );
    err = [];
    expect(await runMetricsCli(["--post"], io(files, { httpGet: () => Promise.resolve(JMX(2)) }))).to.equal(
      1,
    );
    expect(err.join("\n")).to.match(/OCI refused 2 of 2 streams/);
  });

  it("counts only the streams OCI accepted, names the refused ones, and exits 1 (NON_ATOMIC failedMetrics)", async () => {
    fs.writeFileSync(
      path.join(dir, "post-answer.json"),
      JSON.stringify({
        data: {
          "failed-metrics-count": 1,
          "failed-metrics": [
            {
              message: "Metric name is invalid",
              "metric-data": {
                name: "mm2_jmx_up",
                dimensions: { deployment: "geo-dr-replication", node: "mm2-0" },
              },
            },
          ],
        },
      }),
    );
    const code = await runMetricsCli(["--post"], io(files, { httpGet: () => Promise.resolve(JMX(2)) }));
    expect(code).to.equal(1);
    const said = err.join("\n");
    expect(said).to.match(/posted request 1 \(node and target\): 1 of 2 streams accepted/);
    expect(said).to.match(/posted request 2 \(MirrorMaker JMX\): 0 of 1 streams accepted/);
    expect(said).to.match(
      /refused: mm2_jmx_up \{"deployment":"geo-dr-replication","node":"mm2-0"\}: Metric name is invalid/,
    );
    expect(said).to.match(/metrics: 1 stream\(s\) posted to geo_streaming; 2 refused by OCI;/);
    expect(said).to.not.match(/3 stream\(s\) posted/);
  });

  it("reports MirrorMaker down (mm2_jmx_up 0) when the exporter does not answer, and still posts node_up", async () => {
    const code = await runMetricsCli(
      ["--post"],
      io(files, { httpGet: () => Promise.reject(new Error("ECONNREFUSED")) }),
    );
    expect(code).to.equal(0);
    const streams = posted().flat();
    expect(streams.map((s) => [s.name, s.datapoints[0].value])).to.deep.equal([
      ["mm2_jmx_up", 0],
      ["node_up", 1],
    ]);
    expect(err.join("\n")).to.match(/JMX exporter did not answer at http:\/\/127\.0\.0\.1:9404\/metrics/);
  });

  it("exits 1 when a flow cannot be measured, after posting what it has", async () => {
    const props = renderMm2Properties({ ...drModel(), configDir: "/etc/mm2" });
    const withFlow = {
      ...files,
      "/etc/mm2/mm2.properties": props,
      "/etc/mm2/secrets.properties": "primary.sasl.password=x\ndr.sasl.password=x\n",
    };
    const code = await runMetricsCli(["--post"], io(withFlow, { httpGet: () => Promise.resolve(JMX(2)) }));
    expect(code).to.equal(1);
    expect(err.join("\n")).to.match(/cannot measure the flows: cannot read the target dr/);
    expect(
      posted()
        .flat()
        .map((s) => s.name),
    ).to.include("node_up");
  });

  it("a source that never answers (a loopback port that accepts and stays silent): node and target posted first, then source_reachable 0, well within the unit's timeout", async function () {
    this.timeout(METRICS_BUDGET.unitTimeoutSeconds * 1000);
    // The disaster as the node sees it: TCP gets no Kafka (nor TLS) answer. Only loopback is used.
    const held: net.Socket[] = [];
    const silent = net.createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const props = renderMm2Properties({ ...drModel(), configDir: "/etc/mm2" }).replace(
      /^primary\.bootstrap\.servers=.*$/m,
      `primary.bootstrap.servers=127.0.0.1:${port}`,
    );
    const withFlow = {
      ...files,
      "/etc/mm2/mm2.properties": props,
      "/etc/mm2/secrets.properties": "primary.sasl.password=x\ndr.sasl.password=x\n",
    };
    // The target answers (an empty cluster); the source is the real client against the silent port.
    const target = {
      listTopics: () => Promise.resolve([]),
      close: () => Promise.resolve(),
    } as unknown as KafkaClient;
    const connected: { requestTimeoutMs?: number; retries?: number }[] = [];
    const connect: KafkaCliIo["connect"] = (o) => {
      connected.push({ requestTimeoutMs: o.requestTimeoutMs, retries: o.retries });
      return String(o.bootstrapServers).includes(`:${port}`)
        ? KafkaClient.connect(o)
        : Promise.resolve(target);
    };
    fs.writeFileSync(path.join(dir, "post-answer.json"), '{"data":{"failed-metrics-count":0}}');
    const started = Date.now();
    try {
      const code = await runMetricsCli(
        ["--post"],
        io(withFlow, { connect, httpGet: () => Promise.reject(new Error("ECONNREFUSED")) }),
      );
      expect(code, err.join("\n")).to.equal(0);
    } finally {
      held.forEach((s) => s.destroy());
      silent.close();
    }
    const seconds = (Date.now() - started) / 1000;
    // The Kafka client's timeouts are set, not its defaults (30 s requests, 6 retries).
    expect(connected).to.deep.equal([
      { requestTimeoutMs: METRICS_BUDGET.kafkaRequestTimeoutMs, retries: METRICS_BUDGET.kafkaRetries },
      { requestTimeoutMs: METRICS_BUDGET.kafkaRequestTimeoutMs, retries: METRICS_BUDGET.kafkaRetries },
    ]);
    const [first, second, ...rest] = posted();
    expect(rest).to.deep.equal([]);
    // Post 1, before the source is probed: the node is up, and no heartbeat was found (never written).
    expect(first.map((s) => [s.name, s.datapoints[0].value])).to.deep.equal(
      [
        ["mm2_jmx_up", 0],
        ["node_up", 1],
        ["connect_tasks_failed", 0],
        ["replicated_heartbeat_found", 0],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    // Post 2: the source could not be read within its deadline.
    expect(second.map((s) => [s.name, s.dimensions.flow, s.datapoints[0].value])).to.deep.equal([
      ["source_reachable", "primary->dr", 0],
    ]);
    expect(err.join("\n")).to.match(/the source primary cannot be read/);
    expect(seconds).to.be.below(METRICS_BUDGET.sourceDeadlineMs / 1000 + 5);
    expect(seconds * 1000).to.be.below(runDeadlineMs());
    console.log(
      `      measured: metrics --post with a silent source took ${seconds.toFixed(1)} s (unit timeout ${METRICS_BUDGET.unitTimeoutSeconds} s)`,
    );
  });

  it("prints the requests with --print and calls no oci", async () => {
    const code = await runMetricsCli(
      ["--print", "--node", "n9"],
      io(files, { httpGet: () => Promise.resolve(JMX(3)) }),
    );
    expect(code).to.equal(0);
    expect(calls()).to.deep.equal([]);
    const printed = JSON.parse(out.join("\n")) as { endpoint: string; batches: MetricDataDetails[][] };
    expect(printed.endpoint).to.equal("https://telemetry-ingestion.eu-amsterdam-1.oraclecloud.com");
    expect(printed.batches.flat().every((s) => s.dimensions.node === "n9")).to.equal(true);
  });

  it("exits 1 naming the missing setting, 2 on a usage error", async () => {
    expect(
      await runMetricsCli(["--post"], io({ "/etc/mm2/monitoring.properties": "namespace=geo\n" })),
    ).to.equal(1);
    expect(err.join("\n")).to.match(/monitoring\.properties has no compartmentId/);
    expect(await runMetricsCli([], io(files))).to.equal(2);
    expect(await runMetricsCli(["--post", "--print"], io(files))).to.equal(2);
    expect(calls()).to.deep.equal([]);
  });

  it("builds the one post command the node runs", () => {
    expect(postCommand("/tmp/x.json", "us-ashburn-1")).to.deep.equal([
      "monitoring",
      "metric-data",
      "post",
      "--metric-data",
      "file:///tmp/x.json",
      "--endpoint",
      "https://telemetry-ingestion.us-ashburn-1.oraclecloud.com",
      "--auth",
      "instance_principal",
    ]);
  });
});

describe("oci-geo-streaming run (stand-in oci)", () => {
  const INSTANCE = "ocid1.instance.oc1.ams.aaaainstance";
  const execution = (
    state: string,
    exitCode: number | undefined,
    text: string,
    sha = createHash("sha256").update(text).digest("hex"),
  ) =>
    JSON.stringify({
      data: { "lifecycle-state": state, content: { "exit-code": exitCode, text, "text-sha256": sha } },
    });

  beforeEach(() =>
    fs.writeFileSync(
      path.join(dir, "create.json"),
      '{"data":{"id":"ocid1.instanceagentcommand.oc1.ams.cmd1"}}',
    ),
  );

  it("reads the compartment, sends the command, waits for the agent and returns the node's exit code and output", async () => {
    fs.writeFileSync(path.join(dir, "not-yet"), "2");
    fs.writeFileSync(
      path.join(dir, "execution.json"),
      execution("FAILED", 3, "flow primary->dr UNHEALTHY\n"),
    );
    const code = await runRunCli(
      ["--instance", INSTANCE, "--region", "eu-amsterdam-1", "--", "status", "--json"],
      io(),
    );
    expect(code).to.equal(3);
    expect(out).to.deep.equal(["flow primary->dr UNHEALTHY"]);
    const c = calls();
    expect(c[0]).to.deep.equal([
      "compute",
      "instance",
      "get",
      "--instance-id",
      INSTANCE,
      "--query",
      'data."compartment-id"',
      "--raw-output",
      "--region",
      "eu-amsterdam-1",
    ]);
    expect(c[1].slice(0, 5)).to.deep.equal([
      "instance-agent",
      "command",
      "create",
      "--compartment-id",
      "ocid1.compartment.oc1..standin",
    ]);
    const arg = (call: string[], flag: string) => call[call.indexOf(flag) + 1];
    expect(JSON.parse(arg(c[1], "--target"))).to.deep.equal({ instanceId: INSTANCE });
    expect(JSON.parse(arg(c[1], "--content"))).to.deep.equal({
      source: { sourceType: "TEXT", text: "sudo -n /usr/local/bin/oci-geo-streaming 'status' '--json' 2>&1" },
      output: { outputType: "TEXT" },
    });
    expect(arg(c[1], "--timeout-in-seconds")).to.equal("300");
    expect(c.slice(2).map((x) => x.slice(0, 3).join(" "))).to.deep.equal([
      "instance-agent command-execution get",
      "instance-agent command-execution get",
      "instance-agent command-execution get",
    ]);
    expect(c[4]).to.deep.equal([
      "instance-agent",
      "command-execution",
      "get",
      "--command-id",
      "ocid1.instanceagentcommand.oc1.ams.cmd1",
      "--instance-id",
      INSTANCE,
      "--region",
      "eu-amsterdam-1",
    ]);
  });

  it("takes --compartment-id without a lookup, and quotes every remote argument", async () => {
    fs.writeFileSync(path.join(dir, "execution.json"), execution("SUCCEEDED", 0, "dry run: 2 groups\n"));
    const code = await runRunCli(
      [
        "--instance",
        INSTANCE,
        "--compartment-id",
        "ocid1.compartment.oc1..given",
        "--profile",
        "OPS",
        "--",
        "failover",
        "--source",
        "fra'; rm -rf /",
        "--dry-run",
      ],
      io(),
    );
    expect(code).to.equal(0);
    const c = calls();
    expect(c[0].slice(0, 5)).to.deep.equal([
      "instance-agent",
      "command",
      "create",
      "--compartment-id",
      "ocid1.compartment.oc1..given",
    ]);
    expect(c[0].slice(-2)).to.deep.equal(["--profile", "OPS"]);
    expect(remoteScript(["failover", "--source", "fra'; rm -rf /"])).to.equal(
      "sudo -n /usr/local/bin/oci-geo-streaming 'failover' '--source' 'fra'\\''; rm -rf /' 2>&1",
    );
  });

  it("says when Run Command cut the output (its text-sha256 is of more)", async () => {
    fs.writeFileSync(path.join(dir, "execution.json"), execution("SUCCEEDED", 0, "partial", "0".repeat(64)));
    expect(await runRunCli(["--instance", INSTANCE, "--compartment-id", "c", "--", "status"], io())).to.equal(
      0,
    );
    expect(err.join("\n")).to.match(/cut by Run Command/);
  });

  it("exits 1 when the command timed out on the node, or the OCI CLI fails", async () => {
    fs.writeFileSync(path.join(dir, "execution.json"), execution("TIMED_OUT", undefined, ""));
    expect(await runRunCli(["--instance", INSTANCE, "--compartment-id", "c", "--", "status"], io())).to.equal(
      1,
    );
    expect(err.join("\n")).to.match(/ended TIMED_OUT without an exit code/);
    fs.writeFileSync(path.join(dir, "create.json"), "");
    fs.rmSync(path.join(dir, "create.json"));
    err = [];
    expect(await runRunCli(["--instance", INSTANCE, "--compartment-id", "c", "--", "status"], io())).to.equal(
      1,
    );
    expect(err.join("\n")).to.match(/creating the Run Command failed/);
  });

  it("stops after the pickup grace on a lasting 404 NotAuthorizedOrNotFound, naming the policy to add", async () => {
    fs.writeFileSync(path.join(dir, "not-yet"), "1000");
    fs.writeFileSync(path.join(dir, "execution.json"), execution("SUCCEEDED", 0, "ok\n"));
    let now = 0;
    const clock = () => now;
    const sleep = (ms: number) => {
      now += ms;
      return Promise.resolve();
    };
    const code = await runRunCli(
      [
        "--instance",
        INSTANCE,
        "--compartment-id",
        "ocid1.compartment.oc1..ops",
        "--timeout",
        "3600",
        "--",
        "status",
      ],
      io({}, { clock, sleep }),
    );
    expect(code).to.equal(1);
    // Stopped once the grace was over, not after the command's hour-long deadline.
    expect(now).to.be.at.most(PICKUP_GRACE_MS + 3_000);
    expect(err.join("\n")).to.match(
      /still not visible after 9\d s \(404 NotAuthorizedOrNotFound\).*Allow group <your group> to manage instance-agent-command-family in compartment id ocid1\.compartment\.oc1\.\.ops/,
    );
  });

  it("does not take a 404 elsewhere in stderr (a request id, a non-service error) as 'not picked up yet'", async () => {
    fs.writeFileSync(path.join(dir, "not-yet"), "1");
    fs.writeFileSync(
      path.join(dir, "poll-error"),
      'ServiceError:\n{\n "code": "NotAuthenticated", "message": "The required information to complete authentication was not provided.", "opc-request-id": "404404", "status": 401\n}\n',
    );
    expect(await runRunCli(["--instance", INSTANCE, "--compartment-id", "c", "--", "status"], io())).to.equal(
      1,
    );
    expect(err.join("\n")).to.match(
      /reading the execution failed: 401 NotAuthenticated: The required information/,
    );
    fs.writeFileSync(
      path.join(dir, "poll-error"),
      "RequestException: connection to host 404.example.com timed out\n",
    );
    fs.writeFileSync(path.join(dir, "polls"), "0");
    err = [];
    expect(await runRunCli(["--instance", INSTANCE, "--compartment-id", "c", "--", "status"], io())).to.equal(
      1,
    );
    expect(err.join("\n")).to.match(/reading the execution failed \(oci exit 1\): RequestException/);
  });

  it("parses the OCI CLI's service error as JSON", () => {
    expect(
      parseServiceError(
        'Traceback…\nServiceError:\n{\n "code": "NotAuthorizedOrNotFound",\n "status": 404\n}\n',
      ),
    ).to.deep.equal({ status: 404, code: "NotAuthorizedOrNotFound", message: undefined });
    expect(parseServiceError("ServiceError: 404 NotAuthorizedOrNotFound")).to.equal(undefined);
    expect(parseServiceError("error 404")).to.equal(undefined);
  });

  it("refuses without calling oci: no instance, no command, a password on the command line", async () => {
    for (const argv of [
      ["--", "status"],
      ["--instance", INSTANCE],
      ["--instance", INSTANCE, "--", "rm"],
      ["--instance", INSTANCE, "--", "failover", "--password=x"],
    ]) {
      err = [];
      expect(await runRunCli(argv, io()), argv.join(" ")).to.equal(2);
      expect(err).to.have.length(1);
    }
    expect(calls()).to.deep.equal([]);
  });
});
