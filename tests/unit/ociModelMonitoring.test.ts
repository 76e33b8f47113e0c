/**
 * What the OCI model refuses for the monitoring resources (Notifications, Monitoring, Logging,
 * Object Storage, the IAM statements and matching rules they need): each fact with an accepted
 * control and the refusal, so that a model without the fact fails here.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Obj } from "../../dev/oci-model/handlerContext";
import { MockRejection, OciModel } from "../../dev/oci-model/tenancyModel";
import { createIn } from "../support/ociModelResources";
import { makeOcid } from "../../dev/oci-model/ocid";
import { matchingRuleProblem, policyStatementProblem } from "../../dev/oci-model/services/identity";
import { objectStorageNamespace } from "../../dev/oci-model/services/objectStorage";
import { absenceValues, type HeldStream } from "../../dev/oci-model/services/monitoring";
import { alarmSpecs } from "../../lib/core/telemetry/alarms";
import { fleetMonitoringStatements, operatorStatements } from "../../lib/components/monitoring/policies";

const REGION = "eu-amsterdam-1";
const COMPARTMENT = makeOcid("compartment", undefined, "c1");
const T = {
  topic: "oci:Ons/notificationTopic:NotificationTopic",
  sub: "oci:Ons/subscription:Subscription",
  alarm: "oci:Monitoring/alarm:Alarm",
  logGroup: "oci:Logging/logGroup:LogGroup",
  log: "oci:Logging/log:Log",
  uac: "oci:Logging/unifiedAgentConfiguration:UnifiedAgentConfiguration",
  bucket: "oci:ObjectStorage/bucket:Bucket",
  object: "oci:ObjectStorage/storageObject:StorageObject",
  dg: "oci:Identity/dynamicGroup:DynamicGroup",
  policy: "oci:Identity/policy:Policy",
};

let model: OciModel;
function create(type: string, inputs: Obj, region = REGION): string {
  return createIn(model, type, inputs, region);
}
function refused(type: string, inputs: Obj, why: RegExp, region = REGION): void {
  expect(() => create(type, inputs, region)).to.throw(MockRejection, why);
}

const topicArgs = (name = "geo-dr-monitoring-alarms-abc123") => ({ compartmentId: COMPARTMENT, name });

describe("OCI model: Notifications", () => {
  beforeEach(() => (model = new OciModel({ tenancyName: "acme" })));

  it("takes a topic name of letters, digits, - and _; refuses others", () => {
    create(T.topic, topicArgs("ok_name-1"));
    refused(T.topic, topicArgs("has space"), /letters, digits, hyphens and underscores/);
    refused(T.topic, topicArgs("a.b"), /letters, digits, hyphens and underscores/);
    refused(T.topic, topicArgs("x".repeat(257)), /1 to 256/);
  });
  it("refuses a second topic of the same name anywhere in the tenancy", () => {
    create(T.topic, topicArgs("alarms"));
    create(T.topic, topicArgs("other"), "eu-frankfurt-1");
    refused(T.topic, topicArgs("alarms"), /unique across the tenancy/, "eu-frankfurt-1");
  });

  const endpoints: [string, string, boolean][] = [
    ["EMAIL", "ops@example.com", true],
    ["EMAIL", "not-an-email", false],
    ["CUSTOM_HTTPS", "https://hooks.example.com/oci?token=x", true],
    ["CUSTOM_HTTPS", "http://hooks.example.com/oci", false],
    ["PAGERDUTY", "https://events.pagerduty.com/integration/abc123/enqueue", true],
    ["PAGERDUTY", "https://events.pagerduty.com/v2/enqueue", false],
    ["PAGERDUTY", "https://example.com/integration/abc/enqueue", false],
    ["SLACK", "https://hooks.slack.com/services/T000/B000/XXXX", true],
    ["SLACK", "https://example.slack.com/services/T000", false],
    ["SMS", "+4915112345678", true],
    ["SMS", "015112345678", false],
    ["WEBHOOK", "https://example.com", false],
  ];
  for (const [protocol, endpoint, ok] of endpoints) {
    it(`${ok ? "takes" : "refuses"} a ${protocol} subscription to ${endpoint}`, () => {
      model = new OciModel();
      const topicId = create(T.topic, topicArgs());
      const args = { compartmentId: COMPARTMENT, topicId, protocol, endpoint };
      if (ok) create(T.sub, args);
      else expect(() => create(T.sub, args)).to.throw(MockRejection);
    });
  }
  it("never repeats a refused endpoint (it may be a webhook's credential)", () => {
    const topicId = create(T.topic, topicArgs());
    const secretUrl = "https://hooks.slack.com/nope/SECRET-TOKEN";
    try {
      create(T.sub, { compartmentId: COMPARTMENT, topicId, protocol: "SLACK", endpoint: secretUrl });
      expect.fail("accepted");
    } catch (e) {
      expect((e as Error).message).to.not.include("SECRET-TOKEN");
    }
  });
  it("refuses a subscription to a topic that does not exist or lives in another region", () => {
    refused(
      T.sub,
      {
        compartmentId: COMPARTMENT,
        topicId: makeOcid("onstopic", REGION, "none"),
        protocol: "EMAIL",
        endpoint: "a@b.co",
      },
      /not a topic/,
    );
    const fra = create(T.topic, topicArgs("fra-topic"), "eu-frankfurt-1");
    refused(
      T.sub,
      { compartmentId: COMPARTMENT, topicId: fra, protocol: "EMAIL", endpoint: "a@b.co" },
      /eu-frankfurt-1/,
    );
  });
  it("leaves an EMAIL subscription PENDING until confirmed, a Slack one ACTIVE", () => {
    const topicId = create(T.topic, topicArgs());
    const email = create(T.sub, {
      compartmentId: COMPARTMENT,
      topicId,
      protocol: "EMAIL",
      endpoint: "a@b.co",
    });
    const slack = create(T.sub, {
      compartmentId: COMPARTMENT,
      topicId,
      protocol: "SLACK",
      endpoint: "https://hooks.slack.com/services/T/B/X",
    });
    expect(model.lookup(email)!.outputs.state).to.equal("PENDING");
    expect(model.lookup(slack)!.outputs.state).to.equal("ACTIVE");
  });
});

describe("OCI model: Monitoring alarms", () => {
  let topicId: string;
  beforeEach(() => {
    model = new OciModel();
    topicId = create(T.topic, topicArgs());
  });
  const alarm = (over: Obj = {}): Obj => ({
    compartmentId: COMPARTMENT,
    metricCompartmentId: COMPARTMENT,
    displayName: "lag",
    namespace: "geo_streaming",
    query: 'replication_lag_seconds[1m]{deployment = "d"}.groupBy(flow).max() > 300',
    severity: "CRITICAL",
    pendingDuration: "PT5M",
    destinations: [topicId],
    isEnabled: true,
    ...over,
  });

  it("takes a well-formed alarm, and one on Oracle's oci_streaming namespace", () => {
    create(T.alarm, alarm());
    create(
      T.alarm,
      alarm({
        namespace: "oci_streaming",
        query: "PutMessagesThrottling.Count[1m].groupBy(resourceId).sum() > 0",
      }),
    );
    create(T.alarm, alarm({ query: "node_up[1m].groupBy(node).absent()" }));
    create(T.alarm, alarm({ query: "node_up[1m].groupBy(node).absent(3d)" }));
    create(T.alarm, alarm({ query: "node_up[1m].groupBy(node).absent(72h)" }));
    create(
      T.alarm,
      alarm({
        namespace: "oci_computeagent",
        query: 'CpuUtilization[1m]{resourceId = "ocid1.instance.oc1.x"}.groupBy(resourceId).absent(20h)',
      }),
    );
  });
  const bad: [string, Obj, RegExp][] = [
    ["a namespace with a hyphen", { namespace: "geo-streaming" }, /namespace/],
    ["severity FATAL", { severity: "FATAL" }, /severity/],
    ["pendingDuration PT0M", { pendingDuration: "PT0M" }, /PT1M to PT1H/],
    ["pendingDuration PT61M", { pendingDuration: "PT61M" }, /PT1M to PT1H/],
    ["pendingDuration 5m", { pendingDuration: "5m" }, /PT1M to PT1H/],
    ["no destination", { destinations: [] }, /at least one/],
    [
      "a destination that is not a topic",
      { destinations: [makeOcid("vcn", REGION, "x")] },
      /not an existing/,
    ],
    [
      "a destination topic that does not exist",
      { destinations: [makeOcid("onstopic", REGION, "gone")] },
      /not an existing/,
    ],
    ["a query without interval", { query: "replication_lag_seconds.max() > 1" }, /interval/],
    ["a query with a 2h interval", { query: "m[2h].max() > 1" }, /1m to 60m/],
    ["a query without statistic", { query: "m[1m].groupBy(flow) > 1" }, /statistic/],
    ["a query without trigger rule", { query: "m[1m].max()" }, /trigger rule/],
    ["a query with a broken filter", { query: "m[1m]{deployment = d}.max() > 1" }, /key = "value"/],
    ["a query with an unknown function", { query: "m[1m].maximum() > 1" }, /not an MQL function/],
    ["absent() with a threshold", { query: "m[1m].absent() > 1" }, /absent\(\) takes no trigger rule/],
    // "Valid values range from one minute (1m) to three days (3d or 72h)" (Customizing the Absence
    // Detection Period for an Alarm Query).
    ["an absence detection period of 4d", { query: "m[1m].groupBy(node).absent(4d)" }, /1m to 3d/],
    ["an absence detection period of 73h", { query: "m[1m].groupBy(node).absent(73h)" }, /1m to 3d/],
    ["an absence detection period of 0m", { query: "m[1m].groupBy(node).absent(0m)" }, /1m to 3d/],
    ["an absence detection period of 2w", { query: "m[1m].groupBy(node).absent(2w)" }, /1m to 3d/],
  ];
  for (const [what, over, why] of bad) {
    it(`refuses ${what}`, () => refused(T.alarm, alarm(over), why));
  }
});

/**
 * Absence as OCI evaluates it ("Creating an Absence Alarm",
 * https://docs.oracle.com/iaas/Content/Monitoring/Tasks/create-alarm-absence.htm; "Customizing the
 * Absence Detection Period for an Alarm Query",
 * https://docs.oracle.com/iaas/Content/Monitoring/Tasks/create-edit-alarm-query-absence-detection-period.htm).
 */
describe("OCI model: Monitoring absence (absent() and its detection period)", () => {
  const T0 = Date.UTC(2026, 11, 1, 0, 0, 0);
  const MIN = 60_000;
  /** node a posted every minute for an hour, up to T0; node b never posted. */
  const held: HeldStream[] = [
    {
      name: "node_up",
      dimensions: { deployment: "d", node: "a" },
      datapoints: Array.from({ length: 60 }, (_, i) => ({ timestamp: new Date(T0 - i * MIN).toISOString() })),
    },
  ];
  const at = (q: string, t: number) => Object.fromEntries(absenceValues(q, held, t));
  const A = JSON.stringify(["a"]);

  it("is 0 while the stream reports, 1 once a whole interval has no datapoint", () => {
    const q = 'node_up[1m]{deployment = "d"}.groupBy(node).absent(3d)';
    expect(at(q, T0 + 30_000)).to.deep.equal({ [A]: 0 });
    expect(at(q, T0 + 5 * MIN)).to.deep.equal({ [A]: 1 });
  });
  it("stops returning a value after the detection period: 2 hours by default, absent(3d) keeps it for 3 days", () => {
    const byDefault = 'node_up[1m]{deployment = "d"}.groupBy(node).absent()';
    const threeDays = 'node_up[1m]{deployment = "d"}.groupBy(node).absent(3d)';
    expect(at(byDefault, T0 + 119 * MIN)).to.deep.equal({ [A]: 1 });
    expect(at(byDefault, T0 + 3 * 60 * MIN)).to.deep.equal({}); // the alarm goes quiet
    expect(at(threeDays, T0 + 3 * 60 * MIN)).to.deep.equal({ [A]: 1 });
    expect(at(threeDays, T0 + 71 * 60 * MIN)).to.deep.equal({ [A]: 1 });
    expect(at(threeDays, T0 + 74 * 60 * MIN)).to.deep.equal({});
  });
  it("never calls a stream that never reported absent (node b: no value at all)", () => {
    const q = 'node_up[1m]{deployment = "d"}.groupBy(node).absent(3d)';
    expect(Object.keys(at(q, T0 + 5 * MIN))).to.deep.equal([A]);
    expect(at('node_up[1m]{deployment = "other"}.groupBy(node).absent(3d)', T0 + 5 * MIN)).to.deep.equal({});
  });
  it("the product's node-down query: fires for a node that stopped, keeps firing past 2 hours", () => {
    const nodeDown = alarmSpecs({
      namespace: "geo_streaming",
      deployment: "d",
      rpoTargetSeconds: 300,
      lagPendingMinutes: 5,
      heartbeatMaxAgeSeconds: 60,
      fleet: true,
      poolLabel: "p",
    }).find((s) => s.key === "node-down")!;
    expect(at(nodeDown.query, T0 + 10 * MIN)).to.deep.equal({ [A]: 1 });
    expect(at(nodeDown.query, T0 + 24 * 60 * MIN), "still firing a day later").to.deep.equal({ [A]: 1 });
  });
});

describe("OCI model: Logging", () => {
  let dgId: string;
  beforeEach(() => {
    model = new OciModel();
    dgId = create(
      T.dg,
      {
        compartmentId: model.tenancyId(),
        name: "fleet",
        matchingRule: `ANY {instance.id = '${makeOcid("instance", REGION, "i")}'}`,
      },
      "us-ashburn-1",
    );
  });
  const group = (displayName = "geo-logs") => ({ compartmentId: COMPARTMENT, displayName });
  const uac = (logObjectId: string, over: Obj = {}): Obj => ({
    compartmentId: COMPARTMENT,
    displayName: "agent",
    isEnabled: true,
    serviceConfiguration: {
      configurationType: "LOGGING",
      sources: [
        {
          sourceType: "LOG_TAIL",
          name: "mm2",
          paths: ["/var/log/mm2/connect.log"],
          parser: { parserType: "NONE" },
        },
      ],
      destination: { logObjectId },
    },
    groupAssociation: { groupLists: [dgId] },
    ...over,
  });

  it("keeps log group names unique per compartment (and region)", () => {
    create(T.logGroup, group());
    create(T.logGroup, { ...group(), compartmentId: makeOcid("compartment", undefined, "c2") });
    create(T.logGroup, group(), "eu-frankfurt-1");
    refused(T.logGroup, group(), /already named geo-logs/);
  });
  it("takes a CUSTOM log in an existing group; refuses a missing group, a bad type or retention, a duplicate name", () => {
    const g = create(T.logGroup, group());
    create(T.log, { logGroupId: g, displayName: "mm2", logType: "CUSTOM", retentionDuration: 30 });
    refused(
      T.log,
      { logGroupId: makeOcid("loggroup", REGION, "none"), displayName: "x", logType: "CUSTOM" },
      /not a log group/,
    );
    refused(T.log, { logGroupId: g, displayName: "y", logType: "APP" }, /CUSTOM or SERVICE/);
    refused(
      T.log,
      { logGroupId: g, displayName: "z", logType: "CUSTOM", retentionDuration: 45 },
      /steps of 30/,
    );
    refused(
      T.log,
      { logGroupId: g, displayName: "z", logType: "CUSTOM", retentionDuration: 210 },
      /30 to 180/,
    );
    refused(T.log, { logGroupId: g, displayName: "mm2", logType: "CUSTOM" }, /already named mm2/);
  });
  it("takes the agent configuration of MM2's log; refuses relative paths, a missing log, no sources, unknown groups", () => {
    const g = create(T.logGroup, group());
    const log = create(T.log, { logGroupId: g, displayName: "mm2", logType: "CUSTOM" });
    create(T.uac, uac(log));
    const sc = uac(log).serviceConfiguration as Obj;
    refused(
      T.uac,
      uac(log, {
        serviceConfiguration: {
          ...sc,
          sources: [{ sourceType: "LOG_TAIL", name: "mm2", paths: ["var/log/x.log"] }],
        },
      }),
      /not absolute/,
    );
    refused(T.uac, uac(log, { serviceConfiguration: { ...sc, sources: [] } }), /at least one source/);
    refused(T.uac, uac(makeOcid("log", REGION, "gone")), /does not exist/);
    refused(
      T.uac,
      uac(log, { groupAssociation: { groupLists: [makeOcid("dynamicgroup", undefined, "nope")] } }),
      /not an existing group/,
    );
    refused(
      T.uac,
      uac(log, { serviceConfiguration: { ...sc, configurationType: "METRICS" } }),
      /LOGGING or MONITORING/,
    );
  });
});

describe("OCI model: Object Storage", () => {
  let file: string;
  before(() => {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "oci-model-os-")), "bundle.cjs");
    fs.writeFileSync(file, "console.log(1)\n");
  });
  after(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
  beforeEach(() => (model = new OciModel({ tenancyName: "acme" })));
  const ns = () =>
    model.invoke("oci:ObjectStorage/getNamespace:getNamespace", { compartmentId: COMPARTMENT }, REGION)
      .namespace as string;

  it("answers one namespace per tenancy, the same in every region", () => {
    expect(ns()).to.equal(objectStorageNamespace("acme"));
    expect(
      model.invoke("oci:ObjectStorage/getNamespace:getNamespace", {}, "eu-frankfurt-1").namespace,
    ).to.equal(ns());
    expect(ns()).to.not.equal(objectStorageNamespace("other"));
  });
  it("keeps bucket names unique in the namespace; refuses another namespace and bad names", () => {
    create(T.bucket, { compartmentId: COMPARTMENT, namespace: ns(), name: "tools-1" });
    refused(
      T.bucket,
      { compartmentId: COMPARTMENT, namespace: ns(), name: "tools-1" },
      /unique per namespace/,
      "eu-frankfurt-1",
    );
    refused(
      T.bucket,
      { compartmentId: COMPARTMENT, namespace: "someoneelse", name: "tools-2" },
      /NamespaceNotFound/,
    );
    refused(T.bucket, { compartmentId: COMPARTMENT, namespace: ns(), name: "bad name" }, /bucket name/);
    refused(
      T.bucket,
      { compartmentId: COMPARTMENT, namespace: ns(), name: "b", accessType: "Public" },
      /accessType/,
    );
  });
  it("puts an object in an existing bucket of its region from a readable file, and reports its length", () => {
    create(T.bucket, { compartmentId: COMPARTMENT, namespace: ns(), name: "tools" });
    const id = create(T.object, { namespace: ns(), bucket: "tools", object: "tools/x.cjs", source: file });
    expect(model.lookup(id)!.outputs.contentLength).to.equal(String(fs.statSync(file).size));
    refused(T.object, { namespace: ns(), bucket: "missing", object: "x", source: file }, /BucketNotFound/);
    refused(
      T.object,
      { namespace: ns(), bucket: "tools", object: "x", source: file },
      /is in eu-amsterdam-1/,
      "eu-frankfurt-1",
    );
    refused(
      T.object,
      { namespace: ns(), bucket: "tools", object: "x", source: `${file}.missing` },
      /cannot read source/,
    );
    refused(T.object, { namespace: ns(), bucket: "tools", object: "x" }, /exactly one of source and content/);
  });
});

describe("OCI model: matching rules and policy statements", () => {
  const i = makeOcid("instance", REGION, "i1");
  const rules: [string, boolean][] = [
    [`ANY {instance.id = '${i}'}`, true],
    [`instance.id = '${i}'`, true],
    [`Any {instance.id = '${i}', instance.id = '${makeOcid("instance", REGION, "i2")}'}`, true],
    [`ALL {instance.compartment.id = '${COMPARTMENT}'}`, true],
    [`ANY {instance.id = 'mm2-0'}`, false],
    [`ANY {instance.name = 'mm2-0'}`, false],
    [`ANY {instance.id == ${i}}`, false],
    ["", false],
  ];
  for (const [rule, ok] of rules) {
    it(`${ok ? "takes" : "refuses"} the matching rule ${rule.slice(0, 60)}`, () => {
      expect(matchingRuleProblem(rule) === undefined).to.equal(ok);
    });
  }

  it("takes every statement the monitoring policies write, in both tenancy kinds", () => {
    for (const identityDomains of [true, false]) {
      const statements = [
        ...fleetMonitoringStatements({
          dynamicGroup: "geo-dr-replication-fleet-instances",
          compartmentId: COMPARTMENT,
          metricNamespace: "geo_streaming",
          toolsBucketName: "geo-dr-replication-tools-a1b2c3",
          identityDomains,
        }),
        ...operatorStatements("dr-operators", COMPARTMENT, identityDomains),
      ];
      for (const st of statements) expect(policyStatementProblem(st), st).to.equal(undefined);
    }
  });
  const statements: [string, RegExp][] = [
    [`Allow group ops to launch instances in compartment id ${COMPARTMENT}`, /verb launch/],
    [`Allow group ops to use metric in compartment id ${COMPARTMENT}`, /unknown resource type metric/],
    [
      `Allow group ops to use metrics in compartment id ${COMPARTMENT} where target.metrics.namespace=geo`,
      /condition/,
    ],
    [`Allow group ops to use metrics`, /is not "Allow/],
    [`Permit group ops to use metrics in tenancy`, /is not "Allow/],
  ];
  for (const [st, why] of statements) {
    it(`refuses ${st.slice(0, 70)}`, () => {
      expect(policyStatementProblem(st)).to.match(why);
      model = new OciModel();
      refused(
        T.policy,
        { compartmentId: model.tenancyId(), name: "p", description: "d", statements: [st] },
        why,
        "us-ashburn-1",
      );
    });
  }
});
