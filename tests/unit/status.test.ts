/**
 * The pure parts of `oci-geo-streaming status` (lib/ops/status): the health rules, Connect's status
 * records, the remote copies a target holds, and a node's flows and connections read from the
 * mm2.properties the fleet renders (secrets through its own secrets file, as FileConfigProvider).
 */
import { expect } from "chai";
import { renderMm2Properties } from "../../lib/core/mm2";
import { resolveConnectionSettings } from "../../lib/ops/failover/connection";
import { problemsOf, formatStatus, DEFAULT_THRESHOLDS } from "../../lib/ops/status/health";
import { parseStatusRecord, remoteCopies, type FlowStatus } from "../../lib/ops/status/measure";
import { nodeConfigFromMm2Properties, resolveFilePlaceholders } from "../../lib/ops/status/mm2Config";
import { parseStatusArgs } from "../../lib/ops/cli/status";
import { UsageError } from "../../lib/ops/cli/args";
import { drModel, FAKE_TOKEN } from "./mm2Fixtures";

function healthy(): FlowStatus {
  return {
    flow: "fra->ams",
    source: "fra",
    target: "ams",
    measuredAt: Date.parse("2026-12-01T12:00:00Z"),
    sourceReachable: true,
    partitions: [
      {
        topic: "orders",
        remoteTopic: "fra.orders",
        partition: 0,
        sourceEnd: 100,
        targetEnd: 100,
        lagRecords: 0,
        lagSeconds: 0,
      },
      {
        topic: "orders",
        remoteTopic: "fra.orders",
        partition: 1,
        sourceEnd: 50,
        targetEnd: 48,
        lagRecords: 2,
        lagSeconds: 1.5,
      },
    ],
    heartbeatAgeSeconds: 2,
    checkpoints: [{ group: "billing", ageSeconds: 30 }],
    tasks: [{ id: "MirrorSourceConnector-0", kind: "task", state: "RUNNING" }],
    rpo: { records: 2, seconds: 1.5 },
  };
}

describe("status: the health rules", () => {
  it("a caught-up flow with a fresh heartbeat and running tasks is healthy, and says what a loss would cost", () => {
    expect(problemsOf(healthy())).to.deep.equal([]);
    const text = formatStatus([healthy()]).join("\n");
    expect(text).to.contain("fra->ams: HEALTHY");
    expect(text).to.contain("if fra were lost now: about 2 records, 1.5 s of writes");
    expect(text).to.contain("checkpoint of group billing: 30 s old");
  });

  const cases: [string, (s: FlowStatus) => void, string, RegExp][] = [
    [
      "source unreachable",
      (s) => Object.assign(s, { sourceReachable: false, sourceError: "connect ECONNREFUSED", rpo: {} }),
      "source-unreachable",
      /source fra cannot be read: connect ECONNREFUSED/,
    ],
    [
      "a failed task",
      (s) =>
        (s.tasks[0] = {
          id: "MirrorSourceConnector-0",
          kind: "task",
          state: "FAILED",
          trace: "org.apache.kafka…",
        }),
      "task-failed",
      /task MirrorSourceConnector-0 is FAILED: org\.apache\.kafka…/,
    ],
    [
      "no heartbeat at all",
      (s) => (s.heartbeatAgeSeconds = null),
      "no-heartbeat",
      /no replicated heartbeat on ams/,
    ],
    [
      "a stale heartbeat",
      (s) => (s.heartbeatAgeSeconds = DEFAULT_THRESHOLDS.maxHeartbeatAgeSeconds + 1),
      "heartbeat-stale",
      /replication has stopped somewhere between fra and ams/,
    ],
    [
      "lag above the RPO target",
      (s) =>
        Object.assign(s.partitions[1], { lagSeconds: DEFAULT_THRESHOLDS.maxLagSeconds + 5, lagRecords: 900 }),
      "lag",
      /orders:1 is 305 s behind \(900 records; target 300 s\)/,
    ],
    [
      "nothing replicated",
      (s) => (s.partitions = []),
      "nothing-replicated",
      /ams holds no remote copy of a fra topic/,
    ],
  ];
  for (const [title, edit, what, detail] of cases) {
    it(`is unhealthy with ${title}`, () => {
      const s = healthy();
      edit(s);
      const problems = problemsOf(s);
      expect(problems.map((p) => p.what)).to.deep.equal([what]);
      expect(problems[0].detail).to.match(detail);
      expect(formatStatus([s]).join("\n")).to.contain("fra->ams: UNHEALTHY");
    });
  }

  it("with the source unreachable, says what the target alone knows and that the RPO is unknown", () => {
    const s = healthy();
    Object.assign(s, { sourceReachable: false, sourceError: "timeout", rpo: {} });
    const text = formatStatus([s]).join("\n");
    expect(text).to.contain("source fra UNREACHABLE: timeout");
    expect(text).to.contain("if fra were lost now: unknown (the source cannot be read)");
  });
});

describe("status: Connect's status records and the remote copies", () => {
  it("reads connector and task states (JSON values), ignores topic status and tombstones", () => {
    const v = (o: unknown) => Buffer.from(JSON.stringify(o));
    expect(
      parseStatusRecord(
        "status-task-MirrorSourceConnector-0",
        v({ state: "FAILED", trace: "boom\n\tat x", worker_id: "10.0.0.1:8083", generation: 3 }),
      ),
    ).to.deep.equal([
      {
        id: "MirrorSourceConnector-0",
        kind: "task",
        state: "FAILED",
        workerId: "10.0.0.1:8083",
        trace: "boom",
      },
    ]);
    expect(
      parseStatusRecord("status-connector-MirrorHeartbeatConnector", v({ state: "RUNNING", worker_id: "w" })),
    ).to.deep.equal([{ id: "MirrorHeartbeatConnector", kind: "connector", state: "RUNNING", workerId: "w" }]);
    expect(
      parseStatusRecord("status-topic-orders:connector-MirrorSourceConnector", v({ topic: {} })),
    ).to.deep.equal([]);
    expect(parseStatusRecord("status-task-X-0", null)).to.deep.equal([]);
  });

  it("finds the remote copies of the source's topics, leaving heartbeats, internal and other sources' topics out", () => {
    const flow = { source: "fra", target: "ams", policy: { type: "prefixed" as const, separator: "." } };
    expect(
      remoteCopies(flow, [
        "fra.orders",
        "fra.heartbeats",
        "fra.checkpoints.internal",
        "orders",
        "lon.orders",
        "fra.payments",
        "mm2-offset-syncs.fra.internal",
      ]),
    ).to.deep.equal(["orders", "payments"]);
  });
});

describe("status: a node's flows and connections from its own mm2.properties", () => {
  const props = renderMm2Properties({ ...drModel(), configDir: "/etc/mm2" });
  // As put-secret.sh's jaas mode stores it: escaped for the JAAS password, then for the properties file.
  const stored = FAKE_TOKEN.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\\/g, "\\\\");
  const secrets = `primary.sasl.password=${stored}\ndr.sasl.password=${stored}\n`;
  const files: Record<string, string> = {
    "/etc/mm2/secrets.properties": secrets,
    "/etc/mm2/node.properties": "rest.advertised.host.name=10.20.2.13\n",
  };
  const readFile = (p: string) => {
    if (files[p] === undefined) throw new Error(`ENOENT ${p}`);
    return files[p];
  };

  it("finds the enabled flow, its policy and the target workers' status topic", () => {
    const node = nodeConfigFromMm2Properties(props, readFile);
    expect(node.flows).to.deep.equal([
      {
        source: "primary",
        target: "dr",
        policy: { type: "prefixed", separator: "." },
        statusTopic: "ocid1.connectharness.oc1.eu-amsterdam-1.amaaaaaadrharness-status",
      },
    ]);
  });

  it("resolves each cluster's secrets as FileConfigProvider does, so the operator types none", () => {
    const node = nodeConfigFromMm2Properties(props, readFile);
    for (const alias of ["primary", "dr"]) {
      const text = node.clients[alias];
      expect(text).to.match(/^bootstrap\.servers=cell-1\.streaming\.eu-/m);
      expect(text).to.contain("security.protocol=SASL_SSL");
      expect(text).to.not.contain("${file:");
      // What the command connects with: the token exactly as the Vault holds it.
      const settings = resolveConnectionSettings({ env: {}, propertiesText: text, readFile });
      expect(settings.sasl?.password).to.equal(FAKE_TOKEN);
      expect(settings.sasl?.username).to.match(/^acme\/mm2-replicator\/ocid1\.streampool\./);
    }
  });

  it("names the missing secret when the node's secrets file lacks it", () => {
    expect(() => resolveFilePlaceholders("x=${file:/etc/mm2/secrets.properties:nope}", readFile)).to.throw(
      /\/etc\/mm2\/secrets\.properties has no nope/,
    );
  });
});

describe("status: the command line", () => {
  it("needs the node's mm2.properties or both aliases, and checks numbers and the flow", () => {
    expect(() => parseStatusArgs([])).to.throw(UsageError, /--mm2-properties <file>/);
    expect(() =>
      parseStatusArgs(["--primary-alias", "fra", "--dr-alias", "ams", "--flow", "sideways"]),
    ).to.throw(UsageError, /--flow must be/);
    expect(() => parseStatusArgs(["--mm2-properties", "f", "--interval", "0"])).to.throw(
      UsageError,
      /--interval must be a whole number/,
    );
    expect(() => parseStatusArgs(["--mm2-properties", "f", "--password", "x"])).to.throw(
      UsageError,
      /leaks into ps/,
    );
    const o = parseStatusArgs([
      "--primary-alias",
      "fra",
      "--dr-alias",
      "ams",
      "--max-lag-seconds=120",
      "--json",
    ]);
    expect(o).to.include({ flow: "primary->dr", json: true, watch: false });
    expect(o !== "help" && o.thresholds).to.deep.equal({ maxLagSeconds: 120, maxHeartbeatAgeSeconds: 60 });
  });
});
