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
 *
 * Absence ({@link absenceValues}), from "Creating an Absence Alarm"
 * (https://docs.oracle.com/iaas/Content/Monitoring/Tasks/create-alarm-absence.htm) and "Customizing
 * the Absence Detection Period for an Alarm Query"
 * (https://docs.oracle.com/iaas/Content/Monitoring/Tasks/create-edit-alarm-query-absence-detection-period.htm):
 *  - "The absent() statistic … returns 1 (true) when the metric is absent for the entire interval …
 *    When the metric is present during the interval, the statistic returns 0 (false)";
 *  - "After continuous 1 values for the duration of the absence detection period, the statistic
 *    stops returning values"; "The default absence detection period is two hours"; "Valid values
 *    range from one minute (1m) to three days (3d or 72h)", written `absent(20h)`;
 *  - with groupBy "the alarm monitors grouped metric streams only": a group with no stream — one
 *    that never reported — has no value, so it is never absent.
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

/** The default absence detection period, and OCI's bounds of a custom one (minutes). */
export const ABSENCE_DETECTION = { defaultMinutes: 120, minMinutes: 1, maxMinutes: 3 * 24 * 60 } as const;

/** Minutes of `absent(<args>)`'s period: the default when empty; undefined when not a period. */
function absencePeriodMinutes(args: string): number | undefined {
  if (args.trim() === "") return ABSENCE_DETECTION.defaultMinutes;
  const m = /^\s*(\d+)\s*([mhd])\s*$/.exec(args);
  if (!m) return undefined;
  return Number(m[1]) * { m: 1, h: 60, d: 1440 }[m[2] as "m" | "h" | "d"];
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
    if (call[1] === "absent") {
      const minutes = absencePeriodMinutes(call[2]);
      if (
        minutes === undefined ||
        minutes < ABSENCE_DETECTION.minMinutes ||
        minutes > ABSENCE_DETECTION.maxMinutes
      ) {
        return `absent(${call[2]}): the absence detection period is 1m to 3d (72h)`;
      }
    }
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

/** A metric stream as Monitoring holds it: its dimensions and its datapoints' times. */
export interface HeldStream {
  name: string;
  dimensions: Record<string, string>;
  datapoints: { timestamp: string }[];
}

/**
 * What an absence query `metric[Nm]{k = "v", …}.groupBy(a, …).absent(P)` returns at `at` (ms), per
 * group of the streams it selects (the key: the groupBy values, JSON): 0 when a datapoint falls in
 * the last interval, 1 when none does but the group had data no longer than the detection period
 * ago, and no entry — no value, never absent — when the group has been absent longer, or never
 * reported at all. See the module comment for OCI's words.
 */
export function absenceValues(query: string, streams: readonly HeldStream[], at: number): Map<string, 0 | 1> {
  const problem = alarmQueryProblem(query);
  if (problem) throw new Error(problem);
  const m =
    /^([A-Za-z0-9._$-]+)\[(\d+)([mh])\](?:\{([^}]*)\})?(?:\.groupBy\(([^()]*)\))?\.absent\(([^()]*)\)$/.exec(
      query.trim(),
    );
  if (!m) throw new Error(`not an absence query this model evaluates: ${query}`);
  const intervalMs = Number(m[2]) * (m[3] === "h" ? 60 : 1) * 60_000;
  const detectionMs = absencePeriodMinutes(m[6])! * 60_000;
  const filters = (m[4] ?? "")
    .split(",")
    .map((f) => /^\s*([A-Za-z0-9_$-]+)\s*=\s*"([^"]*)"\s*$/.exec(f))
    .filter((f): f is RegExpExecArray => f !== null);
  const groupBy = (m[5] ?? "")
    .split(",")
    .map((g) => g.trim())
    .filter(Boolean);
  const last = new Map<string, number>();
  for (const s of streams) {
    if (s.name !== m[1] || !filters.every((f) => s.dimensions[f[1]] === f[2])) continue;
    const key = JSON.stringify(groupBy.map((g) => s.dimensions[g] ?? null));
    for (const d of s.datapoints) {
      const t = Date.parse(d.timestamp);
      if (t <= at) last.set(key, Math.max(last.get(key) ?? -Infinity, t));
    }
  }
  const out = new Map<string, 0 | 1>();
  for (const [key, t] of last) {
    if (t > at - intervalMs) out.set(key, 0);
    else if (at - intervalMs - t <= detectionMs) out.set(key, 1);
  }
  return out;
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
