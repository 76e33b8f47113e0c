import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { endpointProblem, resolveMonitoring } from "../../lib/core/config/validateMonitoring";
import { ValidationError } from "../../lib/core/errors";
import { validateGeoReplicatedStreamArgs } from "../../lib/components/geoReplicatedStream";
import type { MonitoringArgs } from "../../lib/core/config/args";
import { validDr } from "../support/cases";

function refusal(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error("accepted");
}

describe("monitoring arguments", () => {
  it("applies the defaults: on, geo_streaming, RPO 300 s for 5 minutes, heartbeat 60 s, no subscription", () => {
    const m = resolveMonitoring(undefined);
    expect(m).to.deep.include({
      enabled: true,
      metricNamespace: "geo_streaming",
      rpoTargetSeconds: 300,
      lagAlarmMinutes: 5,
      heartbeatMaxAgeSeconds: 60,
      subscriptions: [],
    });
  });

  const bad: [string, MonitoringArgs, string, RegExp][] = [
    [
      "an oci_ namespace",
      { metricNamespace: "oci_x" },
      "monitoring.metricNamespace",
      /reserves.*geo_streaming/,
    ],
    ["an oracle_ namespace", { metricNamespace: "oracle_x" }, "monitoring.metricNamespace", /reserves/],
    [
      "a hyphenated namespace",
      { metricNamespace: "geo-x" },
      "monitoring.metricNamespace",
      /letters, digits and underscores/,
    ],
    ["lagAlarmMinutes 0", { lagAlarmMinutes: 0 }, "monitoring.lagAlarmMinutes", /1 to 60.*PT1M to PT1H/],
    ["lagAlarmMinutes 61", { lagAlarmMinutes: 61 }, "monitoring.lagAlarmMinutes", /1 to 60/],
    ["lagAlarmMinutes 2.5", { lagAlarmMinutes: 2.5 }, "monitoring.lagAlarmMinutes", /whole number/],
    ["rpoTargetSeconds 0", { rpoTargetSeconds: 0 }, "monitoring.rpoTargetSeconds", /whole number from 1/],
    [
      "heartbeatMaxAgeSeconds 2",
      { heartbeatMaxAgeSeconds: 2 },
      "monitoring.heartbeatMaxAgeSeconds",
      /at least 5 seconds/,
    ],
    [
      "a bad email",
      { emails: ["ops@example.com", "ops at example"] },
      "monitoring.emails[1]",
      /not an email address/,
    ],
    [
      "a plain-text Slack URL",
      { slackWebhookUrls: ["https://hooks.slack.com/services/T/B/X"] },
      "monitoring.slackWebhookUrls[0]",
      /Pulumi secret/,
    ],
    [
      "a plain-text PagerDuty URL",
      { pagerDutyUrls: ["https://events.pagerduty.com/integration/k/enqueue"] },
      "monitoring.pagerDutyUrls[0]",
      /unencrypted/,
    ],
    [
      "a plain-text HTTPS URL",
      { httpsUrls: ["https://x.example/hook"] },
      "monitoring.httpsUrls[0]",
      /Pulumi secret/,
    ],
    [
      "a bad operator group",
      { operatorGroup: "dr operators" },
      "monitoring.operatorGroup",
      /not an IAM group name/,
    ],
  ];
  for (const [what, m, field, why] of bad) {
    it(`refuses ${what}, naming ${field}`, () => {
      const e = refusal(() => resolveMonitoring(m));
      expect(e.field).to.equal(field);
      expect(e.message).to.match(why);
    });
    it(`refuses ${what} through the component's validation too`, () => {
      const e = refusal(() => validateGeoReplicatedStreamArgs({ ...validDr(), monitoring: m }));
      expect(e.field).to.equal(field);
    });
  }

  const urls: [Parameters<typeof endpointProblem>[0], string, RegExp | undefined][] = [
    ["SLACK", "https://hooks.slack.com/services/T0/B0/XYZ", undefined],
    ["SLACK", "https://example.com/services/T0", /not hooks\.slack\.com/],
    ["SLACK", "http://hooks.slack.com/services/T0", /not an https URL/],
    ["PAGERDUTY", "https://events.pagerduty.com/integration/abc/enqueue", undefined],
    ["PAGERDUTY", "https://events.eu.pagerduty.com/integration/abc/enqueue", undefined],
    ["PAGERDUTY", "https://pagerduty.example.com/integration/abc/enqueue", /not events\.pagerduty\.com/],
    ["CUSTOM_HTTPS", "https://hooks.example.com/oci", undefined],
    ["CUSTOM_HTTPS", "ftp://hooks.example.com/oci", /not an https URL/],
    ["CUSTOM_HTTPS", "https://hooks.example.com/with space", /not an https URL/],
  ];
  for (const [protocol, url, why] of urls) {
    it(`${why ? "refuses" : "takes"} the ${protocol} endpoint ${url}${why ? "" : ""}`, () => {
      const p = endpointProblem(protocol, url);
      if (why === undefined) expect(p).to.equal(undefined);
      else {
        expect(p).to.match(why);
        expect(p).to.not.include(url.split("//")[1] ?? url);
      }
    });
  }

  it("checks a secret URL once known, naming the field and keeping the value secret", async () => {
    const m = resolveMonitoring({
      slackWebhookUrls: [pulumi.secret("https://hooks.slack.com/services/T/B/ok")],
      pagerDutyUrls: [pulumi.secret("https://not-pagerduty.example/integration/k/enqueue")],
      emails: ["a@b.co"],
    });
    expect(m.subscriptions.map((s) => [s.protocol, s.field])).to.deep.equal([
      ["EMAIL", "monitoring.emails[0]"],
      ["PAGERDUTY", "monitoring.pagerDutyUrls[0]"],
      ["SLACK", "monitoring.slackWebhookUrls[0]"],
    ]);
    const slack = pulumi.output(m.subscriptions[2].endpoint);
    expect(await (slack as unknown as { isSecret: Promise<boolean> }).isSecret).to.equal(true);
    const failed = await new Promise<unknown>((resolve) => {
      pulumi.output(m.subscriptions[1].endpoint).apply((v) => {
        resolve(v);
        return v;
      });
      setTimeout(() => resolve("pending"), 200);
    }).catch((e: unknown) => e);
    // The apply never yields the bad URL: its check throws, which fails the deployment…
    expect(failed).to.equal("pending");
    // …while a good one comes through (the control).
    const good = await new Promise<unknown>((resolve) => {
      slack.apply((v) => {
        resolve(v);
        return v;
      });
      setTimeout(() => resolve("pending"), 200);
    });
    expect(good).to.equal("https://hooks.slack.com/services/T/B/ok");
  });
});
