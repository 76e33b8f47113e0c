/**
 * Monitoring under the mock engine: what a dr region with MirrorMaker, a region without it, and a
 * deployment with monitoring off register; the alarms' queries against the metric catalogue; the
 * webhook URLs never in plaintext; a bad URL stopping every registration.
 */
import { expect } from "chai";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { gunzipSync } from "node:zlib";
import {
  byType,
  mocks,
  outputOf,
  registrationErrors,
  resetRegistry,
  resources,
  settle,
  type ResourceRecord,
} from "../support/mockRuntime";
import { scanAll } from "../support/secretScan";
import { GeoReplicatedStream } from "../../lib/components/geoReplicatedStream";
import { GeoReplicatedStreamArgs, MonitoringArgs } from "../../lib/core/config/args";
import { MM2_LOG_FILE } from "../../lib/core/cloudinit";
import { parseMql, ParsedMql, POSTED_JMX_METRICS, PRODUCT_METRICS } from "../../lib/core/telemetry";
import { makeOcid } from "../../dev/oci-model/ocid";
import { isWireSecret } from "../../dev/oci-model/wire";
import { validDr, withReplication } from "../support/cases";

const SLACK = "https://hooks.slack.com/services/T0SECRET/B0SECRET/slack-secret-token";
const PAGERDUTY = "https://events.pagerduty.com/integration/pd-secret-key-123/enqueue";
const HTTPS = "https://hooks.example.com/oci?token=https-secret-token";
const EMAIL = "dr-oncall@example.com";
const CATALOGUE = new Set<string>([...Object.values(PRODUCT_METRICS), ...POSTED_JMX_METRICS]);
const T = {
  topic: "oci:Ons/notificationTopic:NotificationTopic",
  sub: "oci:Ons/subscription:Subscription",
  alarm: "oci:Monitoring/alarm:Alarm",
  logGroup: "oci:Logging/logGroup:LogGroup",
  log: "oci:Logging/log:Log",
  uac: "oci:Logging/unifiedAgentConfiguration:UnifiedAgentConfiguration",
  bucket: "oci:ObjectStorage/bucket:Bucket",
  object: "oci:ObjectStorage/storageObject:StorageObject",
  policy: "oci:Identity/policy:Policy",
  dg: "oci:Identity/dynamicGroup:DynamicGroup",
  instance: "oci:Core/instance:Instance",
};
const MONITORING_TYPES = [T.topic, T.sub, T.alarm, T.logGroup, T.log, T.uac, T.bucket, T.object];

function drArgs(monitoring?: MonitoringArgs, fleet = true): GeoReplicatedStreamArgs {
  const a = validDr();
  if (fleet) {
    withReplication(a, { homeRegionProvider: new oci.Provider("home", { region: "eu-frankfurt-1" }) });
  }
  if (monitoring) a.monitoring = monitoring;
  return a;
}

async function build(args: GeoReplicatedStreamArgs): Promise<GeoReplicatedStream> {
  const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
  const dr = new GeoReplicatedStream("geo-dr", args, { provider: ams });
  if (dr.replication) await outputOf(dr.replication.userData);
  if (dr.monitoring) await outputOf(dr.monitoring.alarmIds);
  await settle();
  return dr;
}

const full: MonitoringArgs = {
  emails: [EMAIL],
  slackWebhookUrls: [pulumi.secret(SLACK)],
  pagerDutyUrls: [pulumi.secret(PAGERDUTY)],
  httpsUrls: [pulumi.secret(HTTPS)],
  operatorGroup: "dr-operators",
};

function userDataOf(instance: ResourceRecord): string {
  const md = instance.inputs.metadata as Record<string, string>;
  return gunzipSync(Buffer.from(md.user_data, "base64")).toString("utf8");
}

describe("monitoring (mock engine)", () => {
  beforeEach(() => resetRegistry());

  it("the dr plan holds the topic, its subscriptions, the alarms, the agent configuration and the policies", async () => {
    const dr = await build(drArgs(full));
    const topics = byType(T.topic);
    expect(topics).to.have.length(1);
    expect(topics[0].inputs.name).to.equal("oci-geo-streaming-test-geo-dr-monitoring-alarms");
    const topicId = topics[0].id;

    const subs = byType(T.sub);
    expect(subs.map((s) => s.inputs.protocol)).to.deep.equal(["EMAIL", "PAGERDUTY", "SLACK", "CUSTOM_HTTPS"]);
    expect(subs.every((s) => s.inputs.topicId === topicId)).to.equal(true);

    const alarms = byType(T.alarm);
    expect(alarms.map((a) => a.name.replace("geo-dr-monitoring-alarm-", ""))).to.deep.equal([
      "replication-lag",
      "heartbeat-stale",
      "heartbeat-absent",
      "task-failed",
      "node-down",
      "source-unreachable",
      "put-throttling",
      "get-throttling",
      // Registered once the instances' OCIDs are known (their queries name them).
      "instance-down-0",
      "instance-down-1",
    ]);
    const instanceIds = byType(T.instance).map((i) => i.id);
    for (const a of alarms) {
      expect(a.inputs.destinations, a.name).to.deep.equal([topicId]);
      expect(a.inputs.metricCompartmentId).to.equal(validDr().compartmentId);
      expect(a.inputs.body, a.name).to.match(/First step/);
      const q = parseMql(String(a.inputs.query));
      expect(q, `${a.name}: ${String(q)}`).to.be.an("object");
      const metric = (q as ParsedMql).metric;
      if (a.inputs.namespace === "oci_streaming") {
        expect(metric).to.match(/^(Put|Get)MessagesThrottling\.Count$/);
      } else if (a.inputs.namespace === "oci_computeagent") {
        // OCI's own per-instance metric, one alarm per instance, with an explicit detection period.
        const n = Number(a.name.slice(-1));
        expect(a.inputs.query).to.equal(
          `CpuUtilization[1m]{resourceId = "${instanceIds[n]}"}.groupBy(resourceId).absent(3d)`,
        );
      } else {
        expect(a.inputs.namespace).to.equal("geo_streaming");
        expect(CATALOGUE.has(metric), metric).to.equal(true);
        expect((q as ParsedMql).filters).to.deep.equal({ deployment: "geo-dr-replication" });
      }
    }
    // The alarms name the deployment the nodes post as (monitoring.properties of the user-data).
    const instances = byType(T.instance);
    expect(instances).to.have.length(2);
    const ud = userDataOf(instances[0]);
    expect(ud).to.contain("deployment=geo-dr-replication").and.contain("namespace=geo_streaming");

    const [uac] = byType(T.uac);
    const [log] = byType(T.log);
    const [dg] = byType(T.dg);
    const sc = uac.inputs.serviceConfiguration as {
      configurationType: string;
      sources: { paths: string[] }[];
      destination: { logObjectId: string };
    };
    expect(sc.configurationType).to.equal("LOGGING");
    expect(sc.sources[0].paths).to.deep.equal([MM2_LOG_FILE]);
    expect(sc.destination.logObjectId).to.equal(log.id);
    expect(uac.inputs.groupAssociation).to.deep.equal({ groupLists: [dg.id] });
    expect(log.inputs.logType).to.equal("CUSTOM");

    const [bucket] = byType(T.bucket);
    const [object] = byType(T.object);
    expect(bucket.inputs.accessType).to.equal("NoPublicAccess");
    expect(object.inputs.bucket).to.equal(bucket.inputs.name);
    expect(String(object.inputs.object)).to.match(/^tools\/oci-geo-streaming-[^/]+-[0-9a-f]{64}\.cjs$/);
    expect(ud).to.contain(
      `oci-object://${String(bucket.inputs.namespace)}/${String(bucket.inputs.name)}/${String(object.inputs.object)}`,
    );

    const policies = Object.fromEntries(
      byType(T.policy).map((p) => [p.name, p.inputs.statements as string[]]),
    );
    const compartment = validDr().compartmentId as string;
    expect(policies["geo-dr-monitoring-fleet-policy"]).to.deep.equal([
      `Allow dynamic-group 'Default'/'${String(dg.inputs.name)}' to use metrics in compartment id ${compartment} where target.metrics.namespace='geo_streaming'`,
      `Allow dynamic-group 'Default'/'${String(dg.inputs.name)}' to read objects in compartment id ${compartment} where target.bucket.name='${String(bucket.inputs.name)}'`,
      `Allow dynamic-group 'Default'/'${String(dg.inputs.name)}' to use log-content in compartment id ${compartment}`,
      `Allow dynamic-group 'Default'/'${String(dg.inputs.name)}' to use instance-agent-command-execution-family in compartment id ${compartment} where request.instance.id=target.instance.id`,
    ]);
    expect(policies["geo-dr-monitoring-operator-policy"]).to.deep.equal([
      `Allow group 'Default'/'dr-operators' to manage instance-agent-command-family in compartment id ${compartment}`,
      `Allow group 'Default'/'dr-operators' to read instances in compartment id ${compartment}`,
    ]);

    for (const i of instances) {
      const plugins = (i.inputs.agentConfig as { pluginsConfigs: { name: string; desiredState: string }[] })
        .pluginsConfigs;
      expect(plugins.map((p) => `${p.name}=${p.desiredState}`)).to.deep.equal([
        "Bastion=ENABLED",
        "Compute Instance Run Command=ENABLED",
        "Custom Logs Monitoring=ENABLED",
        "Compute Instance Monitoring=ENABLED",
      ]);
    }

    // Every monitoring resource under the monitoring component (or the replication layer for the
    // tools), with the region's provider; the policies with the home region's.
    const monitoringUrn = resources().find((r) => r.type === "oci-geo-streaming:monitoring:Monitoring")!.urn;
    for (const r of [...byType(T.topic), ...subs, ...alarms, uac, log, ...byType(T.logGroup)]) {
      expect(r.parent, r.name).to.equal(monitoringUrn);
      expect(r.provider, r.name).to.match(/::ams::/);
    }
    expect(
      byType(T.policy)
        .filter((p) => p.name.startsWith("geo-dr-monitoring"))
        .every((p) => /::home::/.test(p.provider ?? "")),
    ).to.equal(true);

    type MonitoringOutput = {
      topicId: string;
      alarmIds: Record<string, string>;
      logId: string;
      toolsBucketName: string;
    };
    const outputs = (await outputOf(dr.outputs().monitoring)).value as unknown as MonitoringOutput;
    expect(outputs.topicId).to.equal(topicId);
    expect(Object.keys(outputs.alarmIds)).to.have.length(10); // 8 + instance-down for each of the 2 nodes
    expect(outputs.logId).to.equal(log.id);
    expect(outputs.toolsBucketName).to.equal(bucket.inputs.name);
  });

  it("webhook URLs are never in plaintext: inputs, outputs, user-data (the email address, not a secret, is found: the control)", async () => {
    await build(drArgs(full));
    expect(
      scanAll([SLACK, PAGERDUTY, HTTPS, "slack-secret-token", "pd-secret-key-123", "https-secret-token"]),
    ).to.deep.equal([]);
    expect(scanAll([EMAIL]).length).to.be.greaterThan(0);
    for (const s of byType(T.sub)) {
      const secret = s.inputs.protocol !== "EMAIL";
      expect(isWireSecret(s.wireInputs.endpoint), `${s.name} input`).to.equal(secret);
      expect(isWireSecret(s.wireOutputs.endpoint), `${s.name} output`).to.equal(secret);
    }
  });

  it("a URL given as a plain (non-secret) Output is made secret by the component", async () => {
    await build(drArgs({ slackWebhookUrls: [pulumi.output(SLACK)] }));
    expect(byType(T.sub)).to.have.length(1);
    expect(scanAll([SLACK, "slack-secret-token"])).to.deep.equal([]);
  });

  it("a region without MirrorMaker has only the topic and the two throttling alarms", async () => {
    await build(drArgs(undefined, false));
    expect(byType(T.topic)).to.have.length(1);
    expect(byType(T.alarm).map((a) => a.inputs.namespace)).to.deep.equal(["oci_streaming", "oci_streaming"]);
    for (const t of [T.sub, T.logGroup, T.log, T.uac, T.bucket, T.object, T.policy]) {
      expect(byType(t), t).to.have.length(0);
    }
  });

  it("monitoring.enabled false creates none of it, and the nodes get no exporter and no operator tools", async () => {
    await build(drArgs({ enabled: false }));
    for (const t of MONITORING_TYPES) expect(byType(t), t).to.have.length(0);
    expect(byType(T.policy).some((p) => p.name.startsWith("geo-dr-monitoring"))).to.equal(false);
    for (const i of byType(T.instance)) {
      const ud = userDataOf(i);
      expect(ud)
        .to.not.contain("install-tools.sh")
        .and.not.contain("javaagent")
        .and.not.contain("mm2-metrics")
        .and.not.contain("oci-geo-streaming-install");
      expect((i.inputs.agentConfig as { pluginsConfigs: unknown[] }).pluginsConfigs).to.deep.equal([
        { name: "Bastion", desiredState: "ENABLED" },
      ]);
    }
  });

  it("a given topic is used, not created", async () => {
    const given = makeOcid("onstopic", "eu-amsterdam-1", "given");
    mocks.model.setExisting({ [given]: { compartmentId: validDr().compartmentId, name: "ops-alarms" } });
    try {
      await build(drArgs({ notificationTopicId: given, emails: [EMAIL] }, false));
      expect(byType(T.topic)).to.have.length(0);
      expect(
        byType(T.alarm).every((a) => JSON.stringify(a.inputs.destinations) === JSON.stringify([given])),
      ).to.equal(true);
      expect(byType(T.sub)[0].inputs.topicId).to.equal(given);
    } finally {
      mocks.model.setExisting({});
    }
  });

  for (const [what, m, message] of [
    [
      "a Slack URL not on hooks.slack.com",
      { slackWebhookUrls: [pulumi.secret("https://evil.example/services/x")] },
      "monitoring.slackWebhookUrls[0]: names the host evil.example, not hooks.slack.com: give the Slack incoming-webhook URL (https://hooks.slack.com/services/…)",
    ],
    [
      "a PagerDuty URL not on events.pagerduty.com",
      { pagerDutyUrls: [pulumi.secret("https://pd.example/integration/k/enqueue")] },
      "monitoring.pagerDutyUrls[0]: names the host pd.example, not events.pagerduty.com: give the PagerDuty Events API integration URL (https://events.pagerduty.com/integration/<key>/enqueue)",
    ],
    [
      "an http:// URL",
      { httpsUrls: [pulumi.secret("http://hooks.example.com/x")] },
      "monitoring.httpsUrls[0]: is not an https URL (https://host/path, no spaces or quotes). Give the service's https endpoint",
    ],
  ] as [string, MonitoringArgs, string][]) {
    it(`${what} (a secret, checked once known) stops every registration with the field's own error, once`, async () => {
      const errors = await registrationErrors(
        () =>
          new GeoReplicatedStream("geo-dr", drArgs(m), {
            provider: new oci.Provider("ams", { region: "eu-amsterdam-1" }),
          }),
      );
      // What the user reads: the field's ValidationError, not wrapped in the serialization context
      // of the resources that waited for it (`error serializing property "outputs": … "vcnId": …`).
      expect(errors).to.deep.equal([message]);
      expect(errors.join("\n")).to.not.contain("evil.example/services");
      expect(
        resources()
          .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))
          .map((r) => r.name),
      ).to.deep.equal([]);
    });
  }
});
