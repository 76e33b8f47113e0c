/**
 * The OCI model — Monitoring: alarms (CreateAlarmDetails,
 * https://docs.oracle.com/en-us/iaas/api/#/en/monitoring/20180401/datatypes/CreateAlarmDetails).
 *
 *  - namespace: "A valid namespace value starts with an alphabetical character and includes only
 *    alphanumeric characters and underscores" (an alarm may read Oracle's `oci_*` namespaces);
 *  - severity: CRITICAL, ERROR, WARNING or INFO;
 *  - pendingDuration: ISO 8601, "Minimum: PT1M. Maximum: PT1H";
 *  - destinations: at least one, each a Notifications topic (or a stream) that exists;
 *  - query: MQL that "must specify a metric, statistic, interval, and trigger rule (threshold or
 *    absence)"; the interval of an alarm query is 1m to 60m (1h) ("Monitoring Query Language (MQL)
 *    Reference", https://docs.oracle.com/en-us/iaas/Content/Monitoring/Reference/mql.htm).
 * The query check here is written from the documentation, independently of the package's own
 * parser (lib/core/telemetry/alarms.ts), so that the two can disagree.
 */
import type { Obj, ResourceContext, ResourceHandler } from "../handlerContext";
import { parseOcid } from "../ocid";
import { TOPIC_TYPE } from "./notifications";

export const ALARM_SEVERITIES = ["CRITICAL", "ERROR", "WARNING", "INFO"] as const;
const NAMESPACE = /^[A-Za-z][A-Za-z0-9_]*$/;
const STATISTICS = new Set([
  "absent",
  "avg",
  "count",
  "first",
  "last",
  "max",
  "mean",
  "min",
  "percentile",
  "rate",
  "sum",
]);
const FUNCTIONS = new Set([...STATISTICS, "groupBy", "grouping"]);

/** Minutes of an ISO 8601 duration PTnM / PTnH / PTnS, or undefined when not one. */
export function isoMinutes(d: unknown): number | undefined {
  const m = typeof d === "string" ? /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(d) : null;
  if (!m || (m[1] === undefined && m[2] === undefined && m[3] === undefined)) return undefined;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) + Number(m[3] ?? 0) / 60;
}

/** Why Monitoring refuses `query` as an alarm query; undefined when it takes it. */
export function alarmQueryProblem(query: unknown): string | undefined {
  if (typeof query !== "string" || query.trim() === "") return "query is required";
  const q = query.trim();
  const head = /^([A-Za-z0-9._$-]+)\[(\d+)([mh])\]/.exec(q);
  if (!head) return "an alarm query starts with a metric and an interval, metric[1m]";
  const minutes = Number(head[2]) * (head[3] === "h" ? 60 : 1);
  if (minutes < 1 || minutes > 60) return `interval [${head[2]}${head[3]}]: an alarm's interval is 1m to 60m`;
  let rest = q.slice(head[0].length);
  if (rest.startsWith("{")) {
    const end = rest.indexOf("}");
    if (end < 0) return "unbalanced { in the dimension filter";
    const body = rest.slice(1, end).trim();
    if (body !== "") {
      for (const cond of body.split(/,|&&|\|\|/)) {
        if (!/^\s*[A-Za-z0-9_$-]+\s*(=|!=|=~)\s*"[^"]*"\s*$/.test(cond)) {
          return `dimension condition ${JSON.stringify(cond.trim())} is not key = "value"`;
        }
      }
    }
    rest = rest.slice(end + 1);
  }
  let statistic: string | undefined;
  for (;;) {
    const call = /^\.([A-Za-z]+)\(([^()]*)\)/.exec(rest);
    if (!call) break;
    if (!FUNCTIONS.has(call[1])) return `${call[1]}() is not an MQL function`;
    if (STATISTICS.has(call[1])) statistic = call[1];
    rest = rest.slice(call[0].length);
  }
  if (statistic === undefined) return "an alarm query needs a statistic (max(), sum(), absent(), …)";
  rest = rest.trim();
  if (statistic === "absent")
    return rest === "" ? undefined : `absent() takes no trigger rule (found ${JSON.stringify(rest)})`;
  if (rest === "") return "an alarm query needs a trigger rule (a threshold such as > 0, or absent())";
  if (
    !/^(>=|<=|==|!=|>|<)\s*-?\d+(\.\d+)?$/.test(rest) &&
    !/^(not\s+)?in\s*\(\s*-?\d+(\.\d+)?\s*,\s*-?\d+(\.\d+)?\s*\)$/.test(rest)
  ) {
    return `trigger rule ${JSON.stringify(rest)} is not a threshold (> 0) or a range (in (a, b))`;
  }
  return undefined;
}

function alarm(ctx: ResourceContext): Obj {
  const { inputs: inp, read, common, reject, sameRegion } = ctx;
  if (!read) {
    if (typeof inp.namespace !== "string" || !NAMESPACE.test(inp.namespace)) {
      reject(
        `400-InvalidParameter: namespace ${JSON.stringify(inp.namespace)} must start with a letter and hold only letters, digits and underscores`,
      );
    }
    if (!(ALARM_SEVERITIES as readonly unknown[]).includes(inp.severity)) {
      reject(
        `400-InvalidParameter: severity ${JSON.stringify(inp.severity)} is not one of ${ALARM_SEVERITIES.join(", ")}`,
      );
    }
    if (inp.pendingDuration !== undefined) {
      const min = isoMinutes(inp.pendingDuration);
      if (min === undefined || min < 1 || min > 60) {
        reject(
          `400-InvalidParameter: pendingDuration ${JSON.stringify(inp.pendingDuration)} must be PT1M to PT1H`,
        );
      }
    }
    const problem = alarmQueryProblem(inp.query);
    if (problem) reject(`400-InvalidParameter: query ${JSON.stringify(inp.query)}: ${problem}`);
    const destinations = (inp.destinations as unknown[] | undefined) ?? [];
    if (destinations.length === 0) reject("400-InvalidParameter: destinations must name at least one topic");
    for (const d of destinations) {
      const kind = typeof d === "string" ? parseOcid(d)?.kind : undefined;
      const known = sameRegion("destinations", d);
      if (
        (kind !== "onstopic" && kind !== "stream") ||
        !known ||
        (known.type !== TOPIC_TYPE && known.type !== "existing" && kind === "onstopic")
      ) {
        reject(
          `404-NotAuthorizedOrNotFound: destination ${String(d)} is not an existing Notifications topic or stream`,
        );
      }
    }
  }
  return {
    ...common,
    state: "ACTIVE",
    isEnabled: inp.isEnabled ?? true,
    messageFormat: inp.messageFormat ?? "RAW",
  };
}

/** Resource handlers of this service, by type token. */
export const MONITORING: Record<string, ResourceHandler> = {
  "oci:Monitoring/alarm:Alarm": alarm,
};
