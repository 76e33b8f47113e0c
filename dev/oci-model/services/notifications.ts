/**
 * The OCI model — Notifications (ONS): topics and subscriptions.
 *
 * CreateTopicDetails (https://docs.oracle.com/en-us/iaas/api/#/en/notification/20181201/datatypes/CreateTopicDetails):
 * "The name of the topic being created. The topic name must be unique across the tenancy … Valid
 * characters: alphanumeric, hyphens (-), and underscores (_)"; 1 to 256 characters.
 * CreateSubscriptionDetails: protocol one of CUSTOM_HTTPS, EMAIL, HTTPS (deprecated), ORACLE_FUNCTIONS,
 * PAGERDUTY, SLACK, SMS; the endpoint's form depends on it ("Supported protocols and endpoint
 * formats", https://docs.oracle.com/en-us/iaas/Content/Notification/Tasks/create-subscription.htm):
 * an email address; an https URL; PagerDuty `https://events.pagerduty.com/integration/<key>/enqueue`;
 * Slack `https://hooks.slack.com/services/…`; an E.164 phone number for SMS.
 */
import type { Obj, ResourceContext, ResourceHandler } from "../handlerContext";
import { parseOcid } from "../ocid";

export const TOPIC_TYPE = "oci:Ons/notificationTopic:NotificationTopic";
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

function topic(ctx: ResourceContext): Obj {
  const { inputs: inp, read, id, region, common, reject, model } = ctx;
  const name = inp.name;
  if (!read) {
    if (typeof name !== "string" || !TOPIC_NAME.test(name)) {
      reject(
        `400-InvalidParameter: name ${JSON.stringify(name)}: 1 to 256 letters, digits, hyphens and underscores`,
      );
    }
    const clash = model.ofType(TOPIC_TYPE).find(([other, t]) => other !== id && t.outputs.name === name);
    if (clash) {
      reject(
        `409-Conflict: a topic named ${String(name)} already exists in the tenancy (${clash[0]}); topic names are unique across the tenancy`,
      );
    }
  }
  return {
    ...common,
    topicId: id,
    shortTopicId: id.slice(-10),
    apiEndpoint: `https://cell1.notification.${region}.oci.oraclecloud.com/20181201/topics/${id}/messages`,
    etag: id.slice(-16),
    state: "ACTIVE",
  };
}

export const SUBSCRIPTION_PROTOCOLS = [
  "CUSTOM_HTTPS",
  "EMAIL",
  "HTTPS",
  "ORACLE_FUNCTIONS",
  "PAGERDUTY",
  "SLACK",
  "SMS",
] as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Why ONS refuses `endpoint` for `protocol`; undefined when it takes it. */
export function subscriptionEndpointProblem(protocol: string, endpoint: unknown): string | undefined {
  if (typeof endpoint !== "string" || endpoint === "") return "endpoint is required";
  const url = (() => {
    try {
      return new URL(endpoint);
    } catch {
      return undefined;
    }
  })();
  const https = url !== undefined && url.protocol === "https:";
  switch (protocol) {
    case "EMAIL":
      return EMAIL.test(endpoint) ? undefined : "an EMAIL endpoint is an email address";
    case "CUSTOM_HTTPS":
    case "HTTPS":
      return https ? undefined : `a ${protocol} endpoint is an https:// URL`;
    case "PAGERDUTY":
      return https &&
        /^events\.(eu\.)?pagerduty\.com$/.test(url!.hostname) &&
        /^\/integration\/[^/]+\/enqueue$/.test(url!.pathname)
        ? undefined
        : "a PAGERDUTY endpoint is https://events.pagerduty.com/integration/<integration key>/enqueue";
    case "SLACK":
      return https && url!.hostname === "hooks.slack.com" && url!.pathname.startsWith("/services/")
        ? undefined
        : "a SLACK endpoint is https://hooks.slack.com/services/…";
    case "SMS":
      return /^\+[1-9]\d{6,14}$/.test(endpoint) ? undefined : "an SMS endpoint is an E.164 phone number (+…)";
    case "ORACLE_FUNCTIONS":
      return parseOcid(endpoint)?.kind === "fnfunc"
        ? undefined
        : "an ORACLE_FUNCTIONS endpoint is a function OCID";
  }
  return `protocol ${protocol} is not one of ${SUBSCRIPTION_PROTOCOLS.join(", ")}`;
}

function subscription(ctx: ResourceContext): Obj {
  const { inputs: inp, read, common, reject, sameRegion, model } = ctx;
  const protocol = String(inp.protocol ?? "");
  if (!read) {
    if (!(SUBSCRIPTION_PROTOCOLS as readonly string[]).includes(protocol)) {
      reject(
        `400-InvalidParameter: protocol ${JSON.stringify(inp.protocol)} is not one of ${SUBSCRIPTION_PROTOCOLS.join(", ")}`,
      );
    }
    // Never the endpoint itself in the message: it may be a webhook's credential.
    const problem = subscriptionEndpointProblem(protocol, inp.endpoint);
    if (problem) reject(`400-InvalidParameter: ${problem}`);
    const t = sameRegion("topicId", inp.topicId);
    if (!t || (t.type !== TOPIC_TYPE && t.type !== "existing")) {
      reject(`404-NotAuthorizedOrNotFound: topicId ${String(inp.topicId)} is not a topic`);
    }
    void model;
  }
  return {
    ...common,
    createdTime: common.timeCreated,
    deliveryPolicy: inp.deliveryPolicy ?? "",
    etag: "",
    // EMAIL and CUSTOM_HTTPS subscriptions wait for the recipient's confirmation.
    state: protocol === "EMAIL" || protocol === "CUSTOM_HTTPS" ? "PENDING" : "ACTIVE",
  };
}

/** Resource handlers of this service, by type token. */
export const NOTIFICATIONS: Record<string, ResourceHandler> = {
  [TOPIC_TYPE]: topic,
  "oci:Ons/subscription:Subscription": subscription,
};
