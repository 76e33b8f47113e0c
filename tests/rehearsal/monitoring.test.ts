/**
 * Running it, on the emulated regions with the real MirrorMaker 2 and the real JMX exporter: the
 * exporter jar the nodes download (Maven Central, checked against the pinned SHA-256) attached to
 * MM2's JVM with the rules the user-data writes (`jmxExporterConfig()`); the nodes' metrics poster
 * (`oci-geo-streaming metrics --post`, lib/ops/cli/metrics.ts) run as a process against the node's own
 * files, posting through a stand-in `oci` that answers with the OCI model's PostMetricData
 * (dev/oci-model/services/telemetryIngestion.ts, written from OCI's documentation, not from the
 * product's rules); every alarm query of the dr region joined with what was posted and scraped;
 * lag and heartbeat age while MM2 is paused (SIGSTOP) and resumed (SIGCONT); and `status` (and
 * `npm run status`) turning unhealthy within a bound after MM2 stops, healthy after it restarts.
 *
 * Numbers are printed (`[monitoring] …` lines): the README's rehearsal section quotes a run.
 */
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { alarmSpecs, dashboardQueries } from "../../lib/core/telemetry/alarms";
import {
  DEFAULT_METRIC_NAMESPACE,
  POSTED_JMX_METRICS,
  PRODUCT_METRICS,
} from "../../lib/core/telemetry/metrics";
import { JMX_EXPORTER_SHA256 } from "../../lib/core/telemetry/artifacts";
import { monitoringProperties } from "../../lib/core/cloudinit/userData";
import { DEFAULT_THRESHOLDS } from "../../lib/ops/status/health";
import { translateOffsets } from "../../lib/ops/failover/checkpoints";
import { KafkaClient } from "../../lib/ops/kafka/client";
import { freePort, type LocalCluster } from "../../dev/rehearsal/cluster";
import { ensureKafkaRuntime, repoRoot, type KafkaRuntime } from "../../dev/rehearsal/kafkaRuntime";
import { logTail, type MirrorMakerHandle } from "../../dev/rehearsal/mirrorMaker";
import {
  prepareRenderedMirrorMaker,
  startEmulatedRegions,
  startRenderedNode,
  type EmulatedRegions,
  type PreparedMirrorMaker,
} from "../../dev/rehearsal/renderedConfig";
import {
  ensureJmxExporterJar,
  exporterJvmOption,
  scrapeExporter,
  sha256File,
} from "../../dev/rehearsal/jmxExporter";
import { installOciStandIn, type OciStandIn } from "../../dev/rehearsal/ociCliStandIn";
import { firingGroups, joinQueries, type JoinQuery, type PostedStream } from "../../dev/rehearsal/alarmJoin";
import { startGroupConsumer, startPacedProducer, type ToolProcess } from "../../dev/rehearsal/rehearsalTools";

const TOPIC = "orders";
// Six partitions make more than 50 metric streams: the poster must split them over requests.
const PARTITIONS = 6;
const GROUP = "billing";
const RATE = 20;
const DEPLOYMENT = "rehearsal-dr";
const REGION = "eu-amsterdam-1";
const COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaarehearsalrehearsalrehearsal";
const TS_NODE = require.resolve("ts-node/register/transpile-only");
const ROOT = repoRoot();

const log = (line: string) => console.log(`      [monitoring] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface StatusRound {
  healthy: boolean;
  flows: {
    flow: string;
    measuredAt: number;
    heartbeatAgeSeconds: number | null;
    partitions: { partition: number; lagRecords?: number; lagSeconds?: number }[];
    rpo: { records?: number; seconds?: number };
  }[];
  problems: { what: string; detail: string }[];
}

/** The largest per-partition lag in records and the heartbeat age of a round's only flow. */
function summary(r: StatusRound): { lagRecords: number; lagSeconds: number; heartbeat: number | null } {
  const f = r.flows[0];
  return {
    lagRecords: f.partitions.reduce((n, p) => n + (p.lagRecords ?? 0), 0),
    lagSeconds: Math.max(0, ...f.partitions.map((p) => p.lagSeconds ?? 0)),
    heartbeat: f.heartbeatAgeSeconds,
  };
}

describe("rehearsal: running it — metrics, alarms and status against real MM2 and the real JMX exporter", function () {
  this.timeout(900_000);

  let runtime: KafkaRuntime;
  let regions: EmulatedRegions | undefined;
  let prepared: PreparedMirrorMaker;
  let mm: MirrorMakerHandle | undefined;
  let jar: string;
  let jvmOption: string;
  let jmxUrl: string;
  let workDir: string;
  let oci: OciStandIn;
  let monitoringFile: string;
  const tools: ToolProcess[] = [];
  const standInCallsOf = () => oci.calls();

  /** Environment of the product's commands: the node's view (CA trusted process-wide, like the JDK). */
  function nodeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: `${oci.binDir}${path.delimiter}${process.env.PATH ?? ""}`,
      HOME: process.env.HOME ?? "",
      NODE_EXTRA_CA_CERTS: regions!.target.caPemPath!,
      ...extra,
    };
  }

  /** The clusters' connections in the environment, as an operator "from anywhere" sets them. */
  function operatorEnv(): NodeJS.ProcessEnv {
    const set = (prefix: string, c: LocalCluster) => ({
      [`OCI_GEO_${prefix}_KAFKA_BOOTSTRAP_SERVERS`]: c.bootstrapServers,
      [`OCI_GEO_${prefix}_KAFKA_USERNAME`]: c.username!,
      [`OCI_GEO_${prefix}_KAFKA_PASSWORD`]: c.password!,
      [`OCI_GEO_${prefix}_KAFKA_CA_PEM`]: c.caPemPath!,
    });
    return {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      ...set("PRIMARY", regions!.source),
      ...set("DR", regions!.target),
    };
  }

  const statusArgs = () => [
    "--primary-alias",
    prepared.sourceAlias,
    "--dr-alias",
    prepared.targetAlias,
    "--status-topic",
    regions!.target.harnessTopics!.status,
  ];

  /** `node lib/ops/cli/<file>` with ts-node, as `npm run` runs the scripts; exit code and output. */
  function runCli(file: string, args: string[], env: NodeJS.ProcessEnv) {
    const r = spawnSync(
      process.execPath,
      ["-r", TS_NODE, path.join(ROOT, "lib", "ops", "cli", file), ...args],
      {
        cwd: ROOT,
        env,
        encoding: "utf8",
        timeout: 180_000,
      },
    );
    return { code: r.status, out: r.stdout, err: r.stderr };
  }

  function statusOnce(): StatusRound {
    const r = runCli("status.ts", [...statusArgs(), "--json"], operatorEnv());
    expect(r.code, r.err).to.be.oneOf([0, 3]);
    return JSON.parse(r.out.trim().split("\n").pop()!) as StatusRound;
  }

  function postMetrics() {
    const r = runCli(
      "metrics.ts",
      [
        "--post",
        "--mm2-properties",
        prepared.propertiesFiles[0],
        "--monitoring",
        monitoringFile,
        "--jmx-url",
        jmxUrl,
        "--node",
        "rehearsal-node-1",
      ],
      nodeEnv(),
    );
    return r;
  }

  async function startNode(): Promise<MirrorMakerHandle> {
    return startRenderedNode(prepared, 0, {
      runtime,
      jvmOptions: [jvmOption],
      logFile: path.join(workDir, `mm2-${Date.now()}.log`),
    });
  }

  before(async function () {
    runtime = await ensureKafkaRuntime();
    jar = await ensureJmxExporterJar();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocigeo-monitoring-"));
    log("starting the emulated regions (fra -> ams)…");
    regions = await startEmulatedRegions({ runtime });
    prepared = await prepareRenderedMirrorMaker({
      source: regions.source,
      target: regions.target,
      workDir,
      streams: [{ name: TOPIC, partitions: PARTITIONS }],
      overrides: { refreshIntervalSeconds: 5 },
    });
    const port = await freePort();
    jmxUrl = `http://127.0.0.1:${port}/metrics`;
    ({ jvmOption } = exporterJvmOption({ jar, configDir: prepared.configDir, host: "127.0.0.1", port }));
    mm = await startNode();
    tools.push(
      startPacedProducer({
        cluster: regions.source,
        topic: TOPIC,
        partitions: PARTITIONS,
        runId: "mon",
        rate: RATE,
        workDir,
      }),
      startGroupConsumer({ cluster: regions.source, topic: TOPIC, group: GROUP, workDir }),
    );
    log(
      `MM2 with the exporter (${jvmOption.split("=")[0]}); ${RATE} records/s; waiting for ${GROUP}'s checkpoint…`,
    );
    const dr = await KafkaClient.connect({
      bootstrapServers: regions.target.bootstrapServers,
      sasl: { username: regions.target.username!, password: regions.target.password! },
      tls: { caPem: fs.readFileSync(regions.target.caPemPath!, "utf8") },
    });
    try {
      const deadline = Date.now() + 180_000;
      while (
        translateOffsets(await dr.readAll(`${prepared.sourceAlias}.checkpoints.internal`), GROUP).size <
        PARTITIONS
      ) {
        if (Date.now() > deadline) throw new Error(`no checkpoint of ${GROUP} in 180 s\n${logTail(mm)}`);
        await sleep(2_000);
      }
    } finally {
      await dr.close();
    }
    oci = installOciStandIn(path.join(workDir, "oci-bin"), REGION);
    monitoringFile = path.join(prepared.configDir, "monitoring.properties");
    fs.writeFileSync(
      monitoringFile,
      monitoringProperties(
        {
          metricNamespace: DEFAULT_METRIC_NAMESPACE,
          compartmentId: COMPARTMENT,
          region: REGION,
          deployment: DEPLOYMENT,
          arch: "x86_64",
          tools: {
            namespace: "rehearsal",
            bucket: "tools",
            object: "x",
            sha256: "0".repeat(64),
            version: "0",
          },
        },
        prepared.configDir,
      ),
    );
    // The exporter's first samples of the checkpoint connector come once its task runs.
    const deadline = Date.now() + 60_000;
    while (!/mm2_checkpoint_checkpoint_latency_ms_max\{/.test(await scrapeExporter(jmxUrl).catch(() => ""))) {
      if (Date.now() > deadline) break;
      await sleep(2_000);
    }
  });

  after(async function () {
    await Promise.all(tools.map((t) => t.process.stop(5_000)));
    await mm?.stop();
    await regions?.stop();
    if (process.env.OCI_GEO_REHEARSAL_KEEP !== "1") fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("attaches the pinned exporter jar from Maven Central with the user-data's own rules", async function () {
    expect(sha256File(jar)).to.equal(JMX_EXPORTER_SHA256);
    const text = await scrapeExporter(jmxUrl);
    // Kafka 4.1's MBeans carry the source alias (KIP-911): the rules must still match them.
    expect(text, text.slice(0, 3000)).to.match(
      /^mm2_source_replication_latency_ms_max\{[^}]*source="fra"[^}]*target="ams"[^}]*topic="fra\.orders"/m,
    );
    for (const family of POSTED_JMX_METRICS) {
      expect(text, `${family} missing from the scrape`).to.match(new RegExp(`^${family}\\{`, "m"));
    }
    expect(text).to.match(
      /^mm2_connect_task_status\{[^}]*connector="MirrorSourceConnector"[^}]*status="running"/m,
    );
  });

  let accepted: PostedStream[] = [];
  let scrapeText = "";

  it("metrics --post: every request through the PostMetricData stand-in, nothing refused", async function () {
    const r = postMetrics();
    scrapeText = await scrapeExporter(jmxUrl);
    expect(r.code, `${r.err}\n${r.out}`).to.equal(0);
    const calls = standInCallsOf();
    expect(calls.length, r.err).to.be.greaterThan(0);
    for (const c of calls) {
      expect(c.args.slice(0, 3)).to.deep.equal(["monitoring", "metric-data", "post"]);
      expect(c.exitCode, JSON.stringify(c.refused)).to.equal(0);
      expect(c.refused, JSON.stringify(c.refused)).to.deep.equal([]);
    }
    accepted = calls.flatMap((c) => c.accepted);
    // More than one request, none above OCI's 50 streams (the model refuses such a request whole).
    // The poster posts in phases, most important first (node and target before the source is
    // probed), each phase packed into as few requests as 50 streams a request allow.
    expect(accepted.length).to.be.greaterThan(50);
    for (const c of calls) expect(c.accepted.length).to.be.at.most(50);
    const requests = [
      ...r.err.matchAll(/metrics: posted request \d+ \(([^)]+)\): \d+ of (\d+) streams accepted/g),
    ];
    expect(requests.length, r.err).to.equal(calls.length);
    expect(requests[0][1], "the first request").to.equal("node and target");
    const perPhase = new Map<string, number>();
    for (const [, phase, n] of requests) perPhase.set(phase, (perPhase.get(phase) ?? 0) + Number(n));
    expect(calls.length).to.equal([...perPhase.values()].reduce((sum, n) => sum + Math.ceil(n / 50), 0));
    const posted = /metrics: (\d+) stream\(s\) posted/.exec(r.err);
    expect(posted, r.err).to.not.equal(null);
    expect(accepted.length).to.equal(Number(posted![1]));
    log(
      `metrics --post: ${accepted.length} streams in ${calls.length} request(s), 0 refused; ${r.err.trim().split("\n").pop()}`,
    );
    const names = [...new Set(accepted.map((s) => s.name))].sort();
    for (const m of Object.values(PRODUCT_METRICS)) expect(names, `${m} not posted`).to.include(m);
  });

  it("every metric and dimension an alarm's MQL (and a dashboard tile) uses is posted and scraped", function () {
    expect(accepted.length, "the post test must run first").to.be.greaterThan(0);
    const specs = alarmSpecs({
      namespace: DEFAULT_METRIC_NAMESPACE,
      deployment: DEPLOYMENT,
      rpoTargetSeconds: 300,
      lagPendingMinutes: 5,
      heartbeatMaxAgeSeconds: 60,
      fleet: true,
      poolLabel: "ams pool",
    });
    // oci_streaming's throttling metrics are OCI's own, not the fleet's: nothing here produces them.
    const ours = specs.filter((s) => s.namespace === DEFAULT_METRIC_NAMESPACE);
    expect(ours.map((s) => s.key)).to.include.members([
      "replication-lag",
      "heartbeat-stale",
      "heartbeat-absent",
      "task-failed",
      "node-down",
    ]);
    const queries: JoinQuery[] = [
      ...ours.map((s) => ({ label: `alarm ${s.key}`, namespace: s.namespace, query: s.query })),
      // A dashboard tile has no comparison; the join reads it as a query with one.
      ...dashboardQueries(DEFAULT_METRIC_NAMESPACE, DEPLOYMENT).map((d) => ({
        label: `dashboard ${d.title}`,
        namespace: DEFAULT_METRIC_NAMESPACE,
        query: `${d.query} > 0`,
      })),
    ];
    const problems = joinQueries(queries, accepted, { text: scrapeText, jmxFamilies: POSTED_JMX_METRICS });
    expect(problems.map((p) => `${p.label}: ${p.problem}`)).to.deep.equal([]);
    log(`join: ${queries.length} queries (${ours.length} alarms) fed by the posted streams and the scrape`);
  });

  it("control: a query over a metric, a dimension or a deployment that is not produced fails the join, by name", function () {
    const d = `deployment = "${DEPLOYMENT}"`;
    const controls: JoinQuery[] = [
      {
        label: "absent metric",
        namespace: DEFAULT_METRIC_NAMESPACE,
        query: `replication_lag_bytes[1m]{${d}}.groupBy(flow).max() > 0`,
      },
      {
        label: "absent dimension",
        namespace: DEFAULT_METRIC_NAMESPACE,
        query: `${PRODUCT_METRICS.rpoSeconds}[1m]{${d}}.groupBy(group).max() > 0`,
      },
      {
        label: "other deployment",
        namespace: DEFAULT_METRIC_NAMESPACE,
        query: `${PRODUCT_METRICS.nodeUp}[1m]{deployment = "prod-dr"}.groupBy(node).absent()`,
      },
      {
        label: "other namespace",
        namespace: "geo_streaming_other",
        query: `${PRODUCT_METRICS.nodeUp}[1m]{${d}}.groupBy(node).absent()`,
      },
      {
        label: "JMX label",
        namespace: DEFAULT_METRIC_NAMESPACE,
        query: `mm2_source_record_rate[1m]{${d}}.groupBy(group).sum() > 0`,
      },
    ];
    const problems = joinQueries(controls, accepted, { text: scrapeText, jmxFamilies: POSTED_JMX_METRICS });
    expect(problems.map((p) => p.label)).to.deep.equal(controls.map((c) => c.label));
    expect(problems[0].problem).to.contain("replication_lag_bytes was never posted");
    expect(problems[1].problem).to.contain("no group dimension");
    // And a scrape without a posted JMX family fails even when the post had it.
    const scrapeless = joinQueries(
      [
        {
          label: "jmx",
          namespace: DEFAULT_METRIC_NAMESPACE,
          query: `mm2_source_record_rate[1m]{${d}}.groupBy(topic).sum() > 0`,
        },
      ],
      accepted,
      { text: "", jmxFamilies: POSTED_JMX_METRICS },
    );
    expect(scrapeless.map((p) => p.problem)).to.deep.equal([
      "JMX family mm2_source_record_rate is not in the exporter's scrape",
    ]);
  });

  it("lag and heartbeat age rise while MM2 is paused (SIGSTOP) and fall when it resumes (SIGCONT)", async function () {
    const before = summary(statusOnce());
    log(
      `before the pause: lag ${before.lagRecords} records / ${before.lagSeconds} s, heartbeat ${before.heartbeat} s`,
    );
    mm!.kill("SIGSTOP");
    const pausedAt = Date.now();
    let paused: ReturnType<typeof summary>[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        await sleep(7_000);
        paused.push(summary(statusOnce()));
      }
    } finally {
      mm!.kill("SIGCONT");
    }
    const resumedAt = Date.now();
    const pauseS = ((resumedAt - pausedAt) / 1000).toFixed(1);
    log(
      `paused ${pauseS} s: ${paused.map((p) => `lag ${p.lagRecords} rec / ${p.lagSeconds} s, heartbeat ${p.heartbeat} s`).join(" → ")}`,
    );
    // Rising: each sample above the one before, and the last well above the baseline.
    for (let i = 1; i < paused.length; i++) {
      expect(paused[i].lagRecords, JSON.stringify(paused)).to.be.greaterThan(paused[i - 1].lagRecords);
      expect(paused[i].heartbeat!, JSON.stringify(paused)).to.be.greaterThan(paused[i - 1].heartbeat!);
    }
    const last = paused[paused.length - 1];
    expect(last.lagRecords).to.be.greaterThan(before.lagRecords + RATE * 10);
    expect(last.lagSeconds).to.be.greaterThan(before.lagSeconds + 10);
    expect(last.heartbeat!).to.be.greaterThan((before.heartbeat ?? 0) + 10);
    // Falling: back under 5 s of lag and heartbeat age once MM2 runs again.
    const deadline = Date.now() + 120_000;
    let after = summary(statusOnce());
    while (after.lagSeconds > 5 || (after.heartbeat ?? Infinity) > 5) {
      expect(Date.now(), `not recovered: ${JSON.stringify(after)}\n${logTail(mm!)}`).to.be.below(deadline);
      await sleep(2_000);
      after = summary(statusOnce());
    }
    log(
      `resumed: lag ${after.lagRecords} rec / ${after.lagSeconds} s, heartbeat ${after.heartbeat} s, ${((Date.now() - resumedAt) / 1000).toFixed(1)} s after SIGCONT`,
    );
    expect(after.lagRecords).to.be.below(last.lagRecords);
    expect(after.heartbeat!).to.be.below(last.heartbeat!);
    paused = [];
  });

  it("npm run status prints the health table and exits 0 while MM2 runs", function () {
    const r = spawnSync("npm", ["run", "--silent", "status", "--", ...statusArgs()], {
      cwd: ROOT,
      env: operatorEnv(),
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).to.equal(0);
    expect(r.stdout).to.contain("fra->ams: HEALTHY");
    expect(r.stdout).to.match(/topic:partition +lag +lag s +last copied/);
    for (let p = 0; p < PARTITIONS; p++)
      expect(r.stdout).to.match(new RegExp(`orders:${p} +\\d+ +[\\d.]+ +20\\d\\d-`));
    expect(r.stdout).to.match(new RegExp(`checkpoint of group ${GROUP}: [\\d.]+ s old`));
    expect(r.stdout).to.match(/if fra were lost now: about \d+ records, [\d.]+ s of writes/);
    log(
      `npm run status (healthy):\n${r.stdout
        .trimEnd()
        .split("\n")
        .map((l) => `        ${l}`)
        .join("\n")}`,
    );
  });

  it("status turns unhealthy (exit 3) within heartbeat max age + one interval after MM2 stops, and healthy after it restarts", async function () {
    const interval = 5;
    const H = DEFAULT_THRESHOLDS.maxHeartbeatAgeSeconds;
    // The bound, from the product's thresholds: the newest heartbeat is at most MM2's heartbeat
    // interval (1 s) old at the stop; it is stale once H s old; a --watch round sees that within
    // one interval plus one measurement (≤ 4 s here).
    const boundS = H + 1 + interval + 4;
    const watch = spawn(
      process.execPath,
      [
        "-r",
        TS_NODE,
        path.join(ROOT, "lib", "ops", "cli", "status.ts"),
        ...statusArgs(),
        "--json",
        "--watch",
        "--interval",
        String(interval),
      ],
      { cwd: ROOT, env: operatorEnv(), stdio: ["ignore", "pipe", "pipe"] },
    );
    const rounds: { at: number; round: StatusRound }[] = [];
    let pending = "";
    let stderr = "";
    watch.stdout.on("data", (b: Buffer) => {
      const lines = (pending + b.toString("utf8")).split("\n");
      pending = lines.pop() ?? "";
      for (const l of lines)
        if (l.trim().startsWith("{")) rounds.push({ at: Date.now(), round: JSON.parse(l) as StatusRound });
    });
    watch.stderr.on("data", (b: Buffer) => (stderr += b.toString("utf8")));
    const waitFor = async (
      pred: (r: StatusRound) => boolean,
      after: number,
      timeoutMs: number,
      what: string,
    ) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = rounds.find((x) => x.round.flows[0].measuredAt >= after && pred(x.round));
        if (hit) return hit;
        if (Date.now() > deadline || watch.exitCode !== null) {
          throw new Error(`${what}: not seen in ${timeoutMs} ms (${rounds.length} rounds; stderr ${stderr})`);
        }
        await sleep(500);
      }
    };
    try {
      await waitFor((r) => r.healthy, 0, 60_000, "a healthy round before the stop");
      // Measured from the SIGTERM (systemctl stop): MM2's heartbeats end there, its exit comes later.
      const stoppedAt = Date.now();
      const stopped = await mm!.stop();
      mm = undefined;
      log(
        `MM2 stopped (SIGTERM; exit ${stopped.code ?? stopped.signal} after ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s)`,
      );
      const unhealthy = await waitFor(
        (r) => !r.healthy,
        stoppedAt,
        (boundS + 30) * 1000,
        "an unhealthy round",
      );
      const detectS = (unhealthy.round.flows[0].measuredAt - stoppedAt) / 1000;
      const why = unhealthy.round.problems.map((p) => p.what);
      log(
        `unhealthy ${detectS.toFixed(1)} s after the stop (bound ${boundS} s = heartbeat max age ${H} + 1 + interval ${interval} + 4): ${unhealthy.round.problems.map((p) => p.detail).join("; ")}`,
      );
      expect(why).to.include("heartbeat-stale");
      expect(detectS).to.be.at.most(boundS);
      // Not before the threshold: the verdict comes from the heartbeat's age, not from chance.
      expect(detectS).to.be.at.least(H - 1 - interval);

      // npm run status, once MM2 is stopped: the table, the reason, exit 3.
      const r = spawnSync("npm", ["run", "--silent", "status", "--", ...statusArgs()], {
        cwd: ROOT,
        env: operatorEnv(),
        encoding: "utf8",
        timeout: 120_000,
      });
      expect(r.status, `${r.stdout}\n${r.stderr}`).to.equal(3);
      expect(r.stdout).to.contain("fra->ams: UNHEALTHY");
      expect(r.stdout).to.match(/! the newest replicated heartbeat is [\d.]+ s old \(more than 60 s\)/);
      log(
        `npm run status (stopped), exit ${r.status}:\n${r.stdout
          .trimEnd()
          .split("\n")
          .map((l) => `        ${l}`)
          .join("\n")}`,
      );

      // The poster still runs on a node whose MM2 is down: node_up, mm2_jmx_up = 0, the stale heartbeat.
      const before = oci.calls().length;
      const post = postMetrics();
      expect(post.code, post.err).to.equal(0);
      const streams = oci
        .calls()
        .slice(before)
        .flatMap((c) => c.accepted);
      const value = (name: string) => streams.find((s) => s.name === name)?.datapoints[0].value;
      expect(value(PRODUCT_METRICS.nodeUp)).to.equal(1);
      expect(value(PRODUCT_METRICS.mm2Up)).to.equal(0);
      expect(value(PRODUCT_METRICS.heartbeatAgeSeconds)!).to.be.greaterThan(H);
      expect(
        oci
          .calls()
          .slice(before)
          .every((c) => c.refused.length === 0),
      ).to.equal(true);

      const restartedAt = Date.now();
      mm = await startNode();
      const healthy = await waitFor(
        (x) => x.healthy,
        restartedAt,
        180_000,
        "a healthy round after the restart",
      );
      log(
        `healthy again ${((healthy.round.flows[0].measuredAt - restartedAt) / 1000).toFixed(1)} s after the restart (MM2 start-up included)`,
      );
    } finally {
      watch.kill("SIGTERM");
    }
  });

  const fleetAlarms = () =>
    alarmSpecs({
      namespace: DEFAULT_METRIC_NAMESPACE,
      deployment: DEPLOYMENT,
      rpoTargetSeconds: 300,
      lagPendingMinutes: 5,
      heartbeatMaxAgeSeconds: DEFAULT_THRESHOLDS.maxHeartbeatAgeSeconds,
      fleet: true,
      poolLabel: "ams pool",
    }).filter((a) => a.namespace === DEFAULT_METRIC_NAMESPACE);
  const firing = (posted: PostedStream[]) =>
    fleetAlarms().flatMap((a) => firingGroups(a.query, a.namespace, posted).map((g) => `${a.key} ${g}`));

  it("the primary lost (its broker SIGKILLed): the node's next post fires an alarm; none fired while healthy", async function () {
    expect(accepted.length, "the post test must run first").to.be.greaterThan(0);
    // Control: the healthy post fires nothing.
    expect(firing(accepted)).to.deep.equal([]);
    regions!.source.process.kill("SIGKILL");
    await regions!.source.process.exited;
    const before = oci.calls().length;
    const post = postMetrics();
    const posted = oci
      .calls()
      .slice(before)
      .flatMap((c) => c.accepted);
    log(
      `primary lost: metrics --post exit ${post.code}; ${posted.length} streams; ${post.err.trim().split("\n").slice(-2).join(" | ")}`,
    );
    expect(posted.find((s) => s.name === PRODUCT_METRICS.sourceReachable)?.datapoints[0].value).to.equal(0);
    const fired = firing(posted);
    log(`alarms whose condition holds on that post: ${fired.join(", ") || "none"}`);
    expect(fired, "no alarm fires when the source region is lost").to.not.deep.equal([]);
    // MirrorMaker's heartbeat connector writes on the target and keeps going, tasks stay RUNNING, and
    // the lag cannot be measured: only the source's reachability tells (the alarm added for it).
    expect(fired.map((f) => f.split(" ")[0])).to.include("source-unreachable");
  });
});

describe("the PostMetricData stand-in refuses what OCI refuses (controls, no Kafka)", function () {
  this.timeout(60_000);
  let oci: OciStandIn;
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocigeo-oci-standin-"));
    oci = installOciStandIn(path.join(dir, "bin"), REGION);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const endpoint = `https://telemetry-ingestion.${REGION}.oraclecloud.com`;
  const good = (over: Record<string, unknown> = {}, dp: Record<string, unknown> = {}) => ({
    namespace: "geo_streaming",
    compartmentId: COMPARTMENT,
    name: "node_up",
    dimensions: { deployment: "d", node: "n" },
    datapoints: [{ timestamp: new Date().toISOString(), value: 1, ...dp }],
    ...over,
  });
  /** One `oci monitoring metric-data post` through the stand-in; `opts` varies the endpoint or drops --auth. */
  function post(metricData: unknown, opts: { endpoint?: string; auth?: boolean } = {}) {
    const file = path.join(dir, `md-${Date.now()}-${Math.random()}.json`);
    fs.writeFileSync(file, JSON.stringify(metricData));
    const r = spawnSync(
      path.join(oci.binDir, "oci"),
      [
        "monitoring",
        "metric-data",
        "post",
        "--metric-data",
        `file://${file}`,
        "--endpoint",
        opts.endpoint ?? endpoint,
        ...(opts.auth === false ? [] : ["--auth", "instance_principal"]),
      ],
      { encoding: "utf8" },
    );
    return { code: r.status, out: r.stdout, err: r.stderr };
  }

  it("accepts a well-formed stream, and refuses each broken one by object with OCI's reason", function () {
    const ok = post([good()]);
    expect(ok.code, ok.err).to.equal(0);
    expect(JSON.parse(ok.out).data["failed-metrics-count"]).to.equal(0);
    const broken = [
      good({ namespace: "oci_geo" }),
      good({ name: "node:up" }),
      good({ name: "1node" }),
      good({ dimensions: {} }),
      good({ dimensions: { "a key": "v" } }),
      good({ dimensions: { k: "x".repeat(513) } }),
      good({ dimensions: Object.fromEntries([...Array(21).keys()].map((i) => [`k${i}`, "v"])) }),
      good({}, { value: null }),
      good({}, { timestamp: new Date(Date.now() - 2 * 3_600_000 - 1000).toISOString() }),
      good({}, { timestamp: new Date(Date.now() + 11 * 60_000).toISOString() }),
    ];
    const r = post([good(), ...broken]);
    expect(r.code, r.err).to.equal(0);
    const data = JSON.parse(r.out).data as {
      "failed-metrics-count": number;
      "failed-metrics": { message: string }[];
    };
    expect(data["failed-metrics-count"]).to.equal(broken.length);
    expect(data["failed-metrics"].map((f) => f.message.split(":")[0])).to.deep.equal(
      broken.map(() => "InvalidParameter"),
    );
  });

  it("refuses a request of 51 streams, the query endpoint, and no instance principal — whole requests, exit 1", function () {
    const many = [...Array(51).keys()].map((i) => good({ dimensions: { deployment: "d", node: `n${i}` } }));
    const r = post(many);
    expect(r.code).to.equal(1);
    expect(r.err).to.contain("51 unique metric streams");
    expect(post(many.slice(0, 50)).code).to.equal(0);
    const wrong = post([good()], { endpoint: `https://telemetry.${REGION}.oraclecloud.com` });
    expect(wrong.code).to.equal(1);
    expect(wrong.err).to.contain("telemetry-ingestion");
    const noAuth = post([good()], { auth: false });
    expect(noAuth.code).to.equal(1);
  });
});
