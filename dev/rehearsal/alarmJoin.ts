/**
 * The join of the alarms' MQL with what the rehearsal's fleet really produced: for every query, its
 * metric must have been posted (accepted by the PostMetricData stand-in) in the query's namespace,
 * with a stream whose dimensions match every `{dim = "value"}` filter and carry every `groupBy`
 * dimension — else the alarm would watch nothing (an absence alarm would fire forever, a threshold
 * alarm never). Metrics that come from the JMX exporter must also be in its scrape, with labels for
 * the same dimensions. Pure.
 */
import parsePrometheusTextFormat from "parse-prometheus-text-format";

import { parseMql } from "../../lib/core/telemetry/alarms";

/** A posted stream (what the stand-in accepted). */
export interface ProducedStream {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

export interface JoinQuery {
  /** Who uses it (an alarm's key, a dashboard tile). */
  label: string;
  namespace: string;
  query: string;
}

export interface JoinProblem {
  label: string;
  query: string;
  problem: string;
}

/** Labels of every sample of each family in a Prometheus text scrape. */
export function scrapeFamilies(text: string): Map<string, Record<string, string>[]> {
  const out = new Map<string, Record<string, string>[]>();
  for (const f of parsePrometheusTextFormat(text)) {
    out.set(
      f.name,
      f.metrics.map((m) => ({ ...(m.labels ?? {}) })),
    );
  }
  return out;
}

/**
 * What in `queries` the produced streams do not satisfy, one problem per query (empty: every query
 * is fed). `jmxFamilies`: metric names that come from the exporter, checked in `scrape` too.
 */
export function joinQueries(
  queries: readonly JoinQuery[],
  produced: readonly ProducedStream[],
  scrape: { text: string; jmxFamilies: readonly string[] },
): JoinProblem[] {
  const families = scrapeFamilies(scrape.text);
  const problems: JoinProblem[] = [];
  for (const q of queries) {
    const bad = (problem: string) => problems.push({ label: q.label, query: q.query, problem });
    const parsed = parseMql(q.query);
    if (typeof parsed === "string") {
      bad(`not MQL the join reads: ${parsed}`);
      continue;
    }
    const named = produced.filter((s) => s.namespace === q.namespace && s.name === parsed.metric);
    if (named.length === 0) {
      bad(`metric ${parsed.metric} was never posted in namespace ${q.namespace}`);
      continue;
    }
    const filtered = named.filter((s) =>
      Object.entries(parsed.filters).every(([k, v]) => s.dimensions[k] === v),
    );
    if (filtered.length === 0) {
      const seen = [
        ...new Set(named.map((s) => JSON.stringify(pick(s.dimensions, Object.keys(parsed.filters))))),
      ];
      bad(
        `no posted ${parsed.metric} stream matches ${JSON.stringify(parsed.filters)} (posted: ${seen.join(", ")})`,
      );
      continue;
    }
    const missing = parsed.groupBy.filter((d) => !filtered.some((s) => s.dimensions[d] !== undefined));
    if (missing.length > 0) {
      bad(`posted ${parsed.metric} streams have no ${missing.join(", ")} dimension (groupBy)`);
      continue;
    }
    if (scrape.jmxFamilies.includes(parsed.metric)) {
      const samples = families.get(parsed.metric);
      if (!samples || samples.length === 0) {
        bad(`JMX family ${parsed.metric} is not in the exporter's scrape`);
        continue;
      }
      // `flow`, `deployment` and `node` are the poster's own dimensions; the rest must be labels.
      const own = new Set(["flow", "deployment", "node"]);
      const needed = [...parsed.groupBy, ...Object.keys(parsed.filters)].filter((d) => !own.has(d));
      const unlabelled = needed.filter((d) => !samples.some((l) => l[d] !== undefined));
      if (unlabelled.length > 0) bad(`the scrape's ${parsed.metric} has no ${unlabelled.join(", ")} label`);
    }
  }
  return problems;
}

function pick(o: Record<string, string>, keys: string[]): Record<string, string | undefined> {
  return Object.fromEntries(keys.map((k) => [k, o[k]]));
}

/** A posted stream with its values (what the stand-in accepted). */
export interface PostedStream extends ProducedStream {
  datapoints: { value: number }[];
}

/**
 * Whether an alarm query's condition holds on one post's data (the interval and the pending
 * duration aside: the data of one run stands for every minute of them): the groups (by the query's
 * `groupBy` dimensions) whose statistic passes the comparison, or `["(absent)"]` for an `absent()`
 * query no posted stream feeds. Statistics: max, min, mean, sum, count.
 */
export function firingGroups(query: string, namespace: string, posted: readonly PostedStream[]): string[] {
  const parsed = parseMql(query);
  if (typeof parsed === "string") throw new Error(parsed);
  const streams = posted.filter(
    (s) =>
      s.namespace === namespace &&
      s.name === parsed.metric &&
      Object.entries(parsed.filters).every(([k, v]) => s.dimensions[k] === v),
  );
  const statistic = parsed.calls[parsed.calls.length - 1].name;
  if (statistic === "absent") return streams.length === 0 ? ["(absent)"] : [];
  const groups = new Map<string, number[]>();
  for (const s of streams) {
    const key = JSON.stringify(parsed.groupBy.map((d) => s.dimensions[d]));
    groups.set(key, [...(groups.get(key) ?? []), ...s.datapoints.map((d) => d.value)]);
  }
  const stat = (v: number[]): number => {
    switch (statistic) {
      case "max":
        return Math.max(...v);
      case "min":
        return Math.min(...v);
      case "sum":
        return v.reduce((a, b) => a + b, 0);
      case "mean":
        return v.reduce((a, b) => a + b, 0) / v.length;
      case "count":
        return v.length;
      default:
        throw new Error(`statistic ${statistic}() is not evaluated here`);
    }
  };
  const { op, value } = parsed.comparison!;
  const passes = (x: number) =>
    op === ">"
      ? x > value
      : op === ">="
        ? x >= value
        : op === "<"
          ? x < value
          : op === "<="
            ? x <= value
            : op === "=="
              ? x === value
              : x !== value;
  return [...groups].filter(([, v]) => passes(stat(v))).map(([k]) => k);
}
