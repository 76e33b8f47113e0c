import { expect } from "chai";
import {
  alarmSpecs,
  AlarmInputs,
  dashboardQueries,
  dimensionsProblem,
  metricNameProblem,
  metricNamespaceProblem,
  parseMql,
  ParsedMql,
  POST_METRIC_DATA_LIMITS,
  POSTED_JMX_METRICS,
  postMetricDataBatches,
  PRODUCT_METRICS,
  type MetricSample,
} from "../../lib/core/telemetry";
import { alarmQueryProblem } from "../../dev/oci-model/services/monitoring";
import {
  ABSENCE_DETECTION_PERIOD,
  absenceDetectionMinutes,
  INSTANCE_ID_PLACEHOLDER,
  instanceDownQuery,
} from "../../lib/core/telemetry/alarms";
import {
  essentialStreams,
  essentialWorstCaseMs,
  METRICS_BUDGET,
  runDeadlineMs,
  runWorstCase,
} from "../../lib/core/telemetry/budget";
import { metricsServiceUnit, metricsTimerUnit } from "../../lib/core/cloudinit/scripts";
import { libraryOptions } from "../../lib/ops/kafka/client";
import { bounded } from "../../lib/ops/cli/metrics";
import { firingGroups } from "../../dev/rehearsal/alarmJoin";

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const INPUTS: AlarmInputs = {
  namespace: "geo_streaming",
  deployment: "geo-dr-replication",
  rpoTargetSeconds: 300,
  lagPendingMinutes: 5,
  heartbeatMaxAgeSeconds: 60,
  fleet: true,
  poolLabel: "geo-dr (eu-amsterdam-1)",
};
const CATALOGUE = new Set<string>([...Object.values(PRODUCT_METRICS), ...POSTED_JMX_METRICS]);

describe("telemetry: OCI's rules for custom metrics (PostMetricData)", () => {
  const namespaces: [unknown, boolean][] = [
    ["geo_streaming", true],
    ["Geo1", true],
    ["oci_streaming", false],
    ["OCI_x", false],
    ["oracle_things", false],
    ["1geo", false],
    ["geo-streaming", false],
    ["geo.streaming", false],
    ["", false],
    [undefined, false],
    ["g".repeat(256), false],
  ];
  for (const [ns, ok] of namespaces) {
    it(`namespace ${JSON.stringify(ns)} is ${ok ? "accepted" : "refused"}`, () => {
      expect(metricNamespaceProblem(ns) === undefined).to.equal(ok);
    });
  }
  it("names the reserved prefix when it refuses oci_ and oracle_", () => {
    expect(metricNamespaceProblem("oci_x")).to.match(/oci_.*reserves/);
    expect(metricNamespaceProblem("oracle_x")).to.match(/oracle_.*reserves/);
  });

  const names: [string, boolean][] = [
    ["replication_lag_seconds", true],
    ["PutMessagesThrottling.Count", true],
    ["a$b-c", true],
    ["kafka:lag", false],
    // MetricDataDetails.name: "starts with an alphabetical character".
    ["9lives", false],
    ["_lag", false],
    ["$lag", false],
    [".lag", false],
    ["L", true],
    ["with space", false],
    ["", false],
  ];
  for (const [n, ok] of names) {
    it(`metric name ${JSON.stringify(n)} is ${ok ? "accepted" : "refused"}`, () => {
      expect(metricNameProblem(n) === undefined).to.equal(ok);
    });
  }

  const dims: [string, Record<string, string>, boolean][] = [
    ["one dimension", { node: "mm2-0" }, true],
    ["no dimension", {}, false],
    ["21 dimensions", Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`d${i}`, "v"])), false],
    ["20 dimensions", Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`d${i}`, "v"])), true],
    ["a key with a period", { "a.b": "v" }, false],
    ["a key with a space", { "a b": "v" }, false],
    ["an empty value", { node: "" }, false],
    ["a 513-character value", { node: "x".repeat(513) }, false],
    ["a 512-character value", { node: "x".repeat(512) }, true],
  ];
  for (const [what, d, ok] of dims) {
    it(`${what} is ${ok ? "accepted" : "refused"}`, () => {
      expect(dimensionsProblem(d) === undefined).to.equal(ok);
    });
  }
});

describe("telemetry: postMetricDataBatches", () => {
  const sample = (name: string, i: number, extra: Partial<MetricSample> = {}): MetricSample => ({
    name,
    dimensions: { deployment: "d", node: "n", partition: String(i) },
    value: i,
    timestamp: NOW - 1000,
    ...extra,
  });

  it("puts at most 50 streams in a request, each stream once with all its datapoints", () => {
    const samples = Array.from({ length: 120 }, (_, i) => sample("replication_lag_records", i));
    samples.push(sample("replication_lag_records", 3, { value: 99, timestamp: NOW - 500 }));
    const { batches, dropped } = postMetricDataBatches(samples, {
      namespace: "geo_streaming",
      compartmentId: "ocid1.compartment.oc1..x",
      now: NOW,
    });
    expect(dropped).to.deep.equal([]);
    expect(batches.map((b) => b.length)).to.deep.equal([50, 50, 20]);
    expect(POST_METRIC_DATA_LIMITS.maxStreamsPerRequest).to.equal(50);
    const streams = batches.flat();
    expect(new Set(streams.map((s) => JSON.stringify([s.name, s.dimensions]))).size).to.equal(120);
    const p3 = streams.find((s) => s.dimensions.partition === "3")!;
    expect(p3.datapoints.map((d) => d.value)).to.deep.equal([3, 99]);
    expect(p3.datapoints[0].timestamp).to.equal(new Date(NOW - 1000).toISOString());
    expect(p3).to.include({ namespace: "geo_streaming", compartmentId: "ocid1.compartment.oc1..x" });
  });

  it("orders streams and dimension keys the same whatever the input order", () => {
    const a = [sample("x", 1), sample("y", 2), sample("x", 3)];
    const opts = { namespace: "geo_streaming", compartmentId: "c", now: NOW };
    const one = postMetricDataBatches(a, opts).batches;
    const two = postMetricDataBatches([...a].reverse(), opts).batches;
    expect(JSON.stringify(one.flat().map((s) => [s.name, s.dimensions]))).to.equal(
      JSON.stringify(two.flat().map((s) => [s.name, s.dimensions])),
    );
    expect(Object.keys(one[0][0].dimensions)).to.deep.equal(["deployment", "node", "partition"]);
  });

  const drops: [string, Partial<MetricSample>, RegExp][] = [
    ["NaN", { value: NaN }, /not a finite number/],
    ["Infinity", { value: Infinity }, /not a finite number/],
    ["2 hours old", { timestamp: NOW - 2 * 3_600_000 }, /2 hours old/],
    ["10 minutes ahead", { timestamp: NOW + 10 * 60_000 }, /10 minutes ahead/],
    ["a bad name", { name: "a:b" }, /must start with a letter and hold only/],
    ["a name not starting with a letter", { name: "1xx" }, /must start with a letter/],
    ["no dimensions", { dimensions: {} }, /0 dimensions/],
  ];
  for (const [what, change, reason] of drops) {
    it(`drops a sample with ${what}, saying why, and sends the rest`, () => {
      const { batches, dropped } = postMetricDataBatches(
        [sample("ok_metric", 1), sample("ok_metric", 2, change)],
        {
          namespace: "geo_streaming",
          compartmentId: "c",
          now: NOW,
        },
      );
      expect(dropped).to.have.length(1);
      expect(dropped[0].reason).to.match(reason);
      expect(batches.flat().map((s) => s.dimensions.partition)).to.deep.equal(["1"]);
    });
  }
  it("keeps samples just inside the time window", () => {
    const { dropped } = postMetricDataBatches(
      [
        sample("m", 1, { timestamp: NOW - 2 * 3_600_000 + 1 }),
        sample("m", 2, { timestamp: NOW + 10 * 60_000 - 1 }),
      ],
      { namespace: "geo_streaming", compartmentId: "c", now: NOW },
    );
    expect(dropped).to.deep.equal([]);
  });
  it("refuses a namespace OCI would refuse, before building anything", () => {
    expect(() => postMetricDataBatches([], { namespace: "oci_x", compartmentId: "c", now: NOW })).to.throw(
      /reserves/,
    );
  });
});

describe("telemetry: alarm queries", () => {
  const every = [
    ...alarmSpecs(INPUTS).map((a) => ({ what: `alarm ${a.key}`, query: a.query, alarm: true })),
    ...dashboardQueries("geo_streaming", "geo-dr-replication").map((q) => ({
      what: `dashboard ${q.title}`,
      query: q.query,
      alarm: false,
    })),
  ];
  for (const q of every) {
    it(`${q.what}: parses, names a catalogued metric and renders back to itself`, () => {
      const p = parseMql(q.query, { alarm: q.alarm });
      expect(p, String(p)).to.be.an("object");
      const parsed = p as ParsedMql;
      if (!q.query.startsWith("PutMessages") && !q.query.startsWith("GetMessages")) {
        expect(CATALOGUE.has(parsed.metric), parsed.metric).to.equal(true);
        expect(parsed.filters).to.deep.equal({ deployment: "geo-dr-replication" });
      }
      const rendered =
        `${parsed.metric}[${parsed.interval}]` +
        (Object.keys(parsed.filters).length
          ? `{${Object.entries(parsed.filters)
              .map(([k, v]) => `${k} = "${v}"`)
              .join(", ")}}`
          : "") +
        parsed.calls.map((c) => `.${c.name}(${c.args})`).join("") +
        (parsed.comparison ? ` ${parsed.comparison.op} ${parsed.comparison.value}` : "");
      expect(rendered).to.equal(q.query);
      if (q.alarm) expect(alarmQueryProblem(q.query)).to.equal(undefined);
    });
  }

  it("derives the lag alarm from the RPO target and its minutes", () => {
    const lag = alarmSpecs({ ...INPUTS, rpoTargetSeconds: 120, lagPendingMinutes: 7 }).find(
      (a) => a.key === "replication-lag",
    )!;
    expect((parseMql(lag.query) as ParsedMql).comparison).to.deep.equal({ op: ">", value: 120 });
    expect(lag.pendingDuration).to.equal("PT7M");
    expect(lag.body)
      .to.match(/120 s/)
      .and.match(/First step/);
  });
  it("gives a region without MirrorMaker only the two throttling alarms, on oci_streaming", () => {
    const specs = alarmSpecs({ ...INPUTS, fleet: false });
    expect(specs.map((s) => s.key)).to.deep.equal(["put-throttling", "get-throttling"]);
    expect(specs.every((s) => s.namespace === "oci_streaming")).to.equal(true);
  });
  it("writes every alarm body with its meaning and a first runbook step, within OCI's pending bounds", () => {
    for (const s of alarmSpecs(INPUTS)) {
      expect(s.body, s.key).to.match(/First step/);
      const min = Number(/^PT(\d+)M$/.exec(s.pendingDuration)![1]);
      expect(min, s.key).to.be.within(1, 60);
    }
  });

  const bad: [string, RegExp][] = [
    ["replication_lag_seconds.max() > 1", /not MQL/],
    ["replication_lag_seconds[0m].max() > 1", /1m to 60m/],
    ["replication_lag_seconds[90m].max() > 1", /1m to 60m/],
    ["replication_lag_seconds[1m]{deployment = x}.max() > 1", /not dim = "value"/],
    ["replication_lag_seconds[1m].groupBy(flow) > 1", /statistic/],
    ["replication_lag_seconds[1m].max()", /needs a comparison/],
    ["replication_lag_seconds[1m].absent() > 0", /absent\(\) takes no comparison/],
    ["node_up[1m].groupBy(node).absent(4d)", /1m to 3d/],
    ["node_up[1m].groupBy(node).absent(0m)", /1m to 3d/],
    ["node_up[1m].groupBy(node).absent(2w)", /number and m, h or d/],
  ];
  for (const [query, why] of bad) {
    it(`refuses ${query}`, () => {
      const p = parseMql(query);
      expect(p).to.be.a("string");
      expect(p as string).to.match(why);
    });
  }
});

describe("telemetry: absence alarms that do not go quiet (issue 18, item 4)", () => {
  const specs = alarmSpecs({ ...INPUTS, fleetSize: 2 });
  const OCID = "ocid1.instance.oc1.eu-amsterdam-1.anexampleinstance";

  it("every absent() names its detection period: 3d, OCI's longest (the default, 2 h, goes quiet overnight)", () => {
    const absence = specs.filter((s) => /\.absent\(/.test(s.query));
    expect(absence.map((s) => s.key)).to.deep.equal(["node-down", "instance-down-0", "instance-down-1"]);
    for (const s of absence) {
      const period = /\.absent\(([^)]*)\)$/.exec(s.query)![1];
      expect(period, s.key).to.equal(ABSENCE_DETECTION_PERIOD);
      expect(absenceDetectionMinutes(period)).to.equal(3 * 24 * 60);
      const query =
        s.instance === undefined ? s.query : s.query.replace(INSTANCE_ID_PLACEHOLDER(s.instance), OCID);
      expect(alarmQueryProblem(query), s.key).to.equal(undefined);
      expect(parseMql(query), s.key).to.be.an("object");
    }
  });

  it("instance-down reads OCI's own per-instance metric, not the node's poster, in OCI's documented form", () => {
    const down = specs.filter((s) => s.key.startsWith("instance-down-"));
    expect(down.map((s) => [s.namespace, s.instance])).to.deep.equal([
      ["oci_computeagent", 0],
      ["oci_computeagent", 1],
    ]);
    // "CpuUtilization[1m]{resourceId = "<resource_identifier>"}.groupBy(resourceId).absent(20h)"
    expect(instanceDownQuery(OCID)).to.equal(
      `CpuUtilization[1m]{resourceId = "${OCID}"}.groupBy(resourceId).absent(3d)`,
    );
    expect(
      alarmSpecs({ ...INPUTS, fleet: false, fleetSize: 2 }).some((s) => s.key.startsWith("instance")),
    ).to.equal(false);
  });

  it("heartbeat-absent fires on a flow whose heartbeat was never written (a value posted every run, not an absence)", () => {
    const hb = specs.find((s) => s.key === "heartbeat-absent")!;
    expect(hb.query).to.not.match(/absent\(/);
    const posted = (value: number) => [
      {
        namespace: "geo_streaming",
        name: PRODUCT_METRICS.heartbeatFound,
        dimensions: { deployment: "geo-dr-replication", node: "mm2-0", flow: "primary->dr" },
        datapoints: [{ value }],
      },
    ];
    expect(firingGroups(hb.query, "geo_streaming", posted(0))).to.deep.equal(['["primary->dr"]']);
    expect(firingGroups(hb.query, "geo_streaming", posted(1))).to.deep.equal([]);
  });
});

describe("telemetry: the metrics run's budget (issue 18, item 5)", () => {
  it("the unit's timeout is the budget's, and what carries every alarm's input fits before the run's deadline", () => {
    const unit = metricsServiceUnit({ command: "/usr/local/bin/oci-geo-streaming", configDir: "/etc/mm2" });
    expect(Number(/^TimeoutStartSec=(\d+)$/m.exec(unit)![1])).to.equal(METRICS_BUDGET.unitTimeoutSeconds);
    expect(runDeadlineMs()).to.be.below(METRICS_BUDGET.unitTimeoutSeconds * 1000);
    // Up to 16 flows on one node (a pair runs 1 or 2): both essential posts are one call each.
    for (const flows of [1, 2, 16]) {
      expect(essentialStreams(flows).before, `${flows} flows`).to.be.at.most(50);
      expect(essentialWorstCaseMs(flows), `${flows} flows`).to.be.at.most(runDeadlineMs());
    }
    expect(/^OnUnitActiveSec=(\d+)s$/m.exec(metricsTimerUnit())![1]).to.equal(
      String(METRICS_BUDGET.timerIntervalSeconds),
    );
  });

  it("a source probe with the poster's Kafka settings ends on its own soon after the source deadline", () => {
    const o = libraryOptions(bounded({ bootstrapServers: "source.example:9092" }));
    expect(o.requestTimeout).to.equal(METRICS_BUDGET.kafkaRequestTimeoutMs);
    expect(o.retries).to.equal(METRICS_BUDGET.kafkaRetries);
    const worstConnect =
      (o.retries + 1) * o.connectTimeout +
      Array.from({ length: o.retries }, (_, i) => o.retryDelay(undefined, "connect", i + 1)).reduce(
        (a, b) => a + b,
        0,
      );
    expect(worstConnect).to.be.at.most(METRICS_BUDGET.sourceDeadlineMs);
  });

  it("says how many 50-stream posts fit: a plan too large for one run loses its least important streams, never the run", () => {
    const small = runWorstCase(120);
    expect(small).to.include({ posts: 3, fits: true });
    const large = runWorstCase(5_000);
    expect(large.fits).to.equal(false);
    expect(large.postsThatFit).to.equal(
      Math.floor((runDeadlineMs() - 35_000) / METRICS_BUDGET.postCallTimeoutMs),
    );
  });
});
