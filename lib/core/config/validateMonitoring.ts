/**
 * Validation of {@link MonitoringArgs}: every check throws a {@link ValidationError} naming the
 * field and the fix, before anything is registered. Pure.
 */
import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../errors";
import { metricNamespaceProblem } from "../telemetry/metrics";
import { MonitoringArgs } from "./args";
import { laterValidationError, refuseUnsetModeKeys } from "./primitives";
import { DEFAULTS } from "./settings";

/** The monitoring arguments with defaults applied. */
export interface ResolvedMonitoring {
  enabled: boolean;
  metricNamespace: string;
  rpoTargetSeconds: number;
  lagAlarmMinutes: number;
  heartbeatMaxAgeSeconds: number;
  notificationTopicId?: pulumi.Input<string>;
  subscriptions: { protocol: SubscriptionProtocol; endpoint: pulumi.Input<string>; field: string }[];
  operatorGroup?: string;
}

/**
 * A Notifications (ONS) topic's OCID. OCI's OCID syntax is ocid1.<resource type>.<realm>.[region][.future use].<unique id>
 * ("Resource Identifiers", docs.oracle.com/iaas/Content/General/Concepts/identifiers.htm); ONS
 * names the resource type of a topic `onstopic` (ocid1.onstopic.oc1.phx.aaaa…, as the topic's
 * details page and its notification footers show).
 */
export const ONS_TOPIC_OCID = /^ocid1\.onstopic\.[a-z0-9-]*\.[a-z0-9-]*\.[A-Za-z0-9._-]+$/;
const EMAIL = /^[^\s@"]+@[^\s@"]+\.[^\s@"]+$/;
const HTTPS = /^https:\/\/[^\s/"]+(\/\S*)?$/;
const GROUP = /^[A-Za-z0-9._@+-]{1,100}$/;

function wholeNumber(field: string, value: unknown, min: number, max: number, fix: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, `${String(value)} is not a whole number from ${min} to ${max}. ${fix}`);
  }
  return value;
}

/** The host a subscription of each URL protocol must name (ONS delivers to these services only). */
export const SUBSCRIPTION_HOSTS: Partial<Record<SubscriptionProtocol, RegExp>> = {
  // PagerDuty's Events API integration URL: https://events.pagerduty.com/integration/<key>/enqueue
  PAGERDUTY: /^events\.(eu\.)?pagerduty\.com$/,
  // Slack incoming webhooks: https://hooks.slack.com/services/T…/B…/…
  SLACK: /^hooks\.slack\.com$/,
};

export type SubscriptionProtocol = "EMAIL" | "PAGERDUTY" | "SLACK" | "CUSTOM_HTTPS";

/**
 * Why ONS would not deliver to `url` as a `protocol` subscription (never the URL itself in the
 * message: it is the credential); undefined when it is fine.
 */
export function endpointProblem(protocol: SubscriptionProtocol, url: string): string | undefined {
  if (typeof url !== "string" || !HTTPS.test(url)) {
    return "is not an https URL (https://host/path, no spaces or quotes). Give the service's https endpoint";
  }
  const host = new URL(url).hostname;
  const want = SUBSCRIPTION_HOSTS[protocol];
  if (want !== undefined && !want.test(host)) {
    return protocol === "SLACK"
      ? `names the host ${host}, not hooks.slack.com: give the Slack incoming-webhook URL (https://hooks.slack.com/services/…)`
      : `names the host ${host}, not events.pagerduty.com: give the PagerDuty Events API integration URL (https://events.pagerduty.com/integration/<key>/enqueue)`;
  }
  return undefined;
}

/** Validates `monitoring` and applies its defaults. */
export function resolveMonitoring(m: MonitoringArgs | undefined): ResolvedMonitoring {
  const a = m ?? {};
  refuseUnsetModeKeys(a, "monitoring.", { notificationTopicId: "creating a topic" });
  if (typeof a.notificationTopicId === "string" && !ONS_TOPIC_OCID.test(a.notificationTopicId)) {
    throw new ValidationError(
      "monitoring.notificationTopicId",
      `"${a.notificationTopicId}" is not a Notifications topic OCID (ocid1.onstopic.<realm>.<region>..<id>): every alarm would be refused after the network, pool, IAM and fleet exist. Copy the topic's OCID from Notifications > Topics, or leave the key out to have a topic created`,
    );
  }
  const enabled = a.enabled ?? DEFAULTS.monitoringEnabled;
  const metricNamespace = a.metricNamespace ?? DEFAULTS.metricNamespace;
  const nsProblem = metricNamespaceProblem(metricNamespace);
  if (nsProblem !== undefined) {
    throw new ValidationError(
      "monitoring.metricNamespace",
      `${nsProblem}: OCI Monitoring refuses such a custom namespace. Use e.g. "geo_streaming"`,
    );
  }
  const rpoTargetSeconds = wholeNumber(
    "monitoring.rpoTargetSeconds",
    a.rpoTargetSeconds ?? DEFAULTS.rpoTargetSeconds,
    1,
    7 * 24 * 3600,
    "Give the largest acceptable replication lag in seconds",
  );
  const lagAlarmMinutes = wholeNumber(
    "monitoring.lagAlarmMinutes",
    a.lagAlarmMinutes ?? DEFAULTS.lagAlarmMinutes,
    1,
    60,
    "OCI alarms wait PT1M to PT1H before firing",
  );
  const heartbeatMaxAgeSeconds = wholeNumber(
    "monitoring.heartbeatMaxAgeSeconds",
    a.heartbeatMaxAgeSeconds ?? DEFAULTS.heartbeatMaxAgeSeconds,
    5,
    24 * 3600,
    "MirrorMaker emits a heartbeat every second; give at least 5 seconds",
  );
  const subscriptions: ResolvedMonitoring["subscriptions"] = [];
  (a.emails ?? []).forEach((e, i) => {
    if (!EMAIL.test(e)) {
      throw new ValidationError(`monitoring.emails[${i}]`, `${JSON.stringify(e)} is not an email address`);
    }
    subscriptions.push({ protocol: "EMAIL", endpoint: e, field: `monitoring.emails[${i}]` });
  });
  const secretUrls = (
    key: "pagerDutyUrls" | "slackWebhookUrls" | "httpsUrls",
    protocol: SubscriptionProtocol,
  ) => {
    (a[key] ?? []).forEach((u, i) => {
      const field = `monitoring.${key}[${i}]`;
      if (typeof u === "string") {
        throw new ValidationError(
          field,
          "is a plain string, which would be stored unencrypted in the state (the URL is the credential). Pass it as a Pulumi secret (config.requireSecret or pulumi.secret)",
        );
      }
      subscriptions.push({
        protocol,
        field,
        endpoint: pulumi.output(u).apply((v) => {
          const problem = endpointProblem(protocol, v);
          if (problem !== undefined) throw laterValidationError(field, problem);
          return v;
        }),
      });
    });
  };
  secretUrls("pagerDutyUrls", "PAGERDUTY");
  secretUrls("slackWebhookUrls", "SLACK");
  secretUrls("httpsUrls", "CUSTOM_HTTPS");
  if (a.operatorGroup !== undefined && !GROUP.test(a.operatorGroup)) {
    throw new ValidationError(
      "monitoring.operatorGroup",
      `${JSON.stringify(a.operatorGroup)} is not an IAM group name. Give the group's name (letters, digits, . _ @ + -)`,
    );
  }
  return {
    enabled,
    metricNamespace,
    rpoTargetSeconds,
    lagAlarmMinutes,
    heartbeatMaxAgeSeconds,
    notificationTopicId: a.notificationTopicId,
    subscriptions,
    operatorGroup: a.operatorGroup,
  };
}
