/**
 * The alarms a region gets, as data: what each watches (an MQL query over the metrics the nodes
 * post, or OCI Streaming's own throttling metrics), when it fires, and what its notification says —
 * the meaning and the first runbook step. Pure; lib/components/monitoring turns them into `oci.monitoring.Alarm`s.
 *
 * MQL (Monitoring Query Language): `metric[interval]{dimension = "value", …}.groupBy(dim).statistic()`
 * followed by a comparison (`> 300`), or `.absent(<period>)` for an absence alarm (Oracle recommends a
 * `groupBy` on absence alarms, so that each group fires on its own).
 *
 * Absence, as OCI evaluates it ("Creating an Absence Alarm" and "Customizing the Absence Detection
 * Period for an Alarm Query", https://docs.oracle.com/iaas/Content/Monitoring/Tasks/create-alarm-absence.htm
 * and …/create-edit-alarm-query-absence-detection-period.htm): `absent()` is 1 for a stream that had
 * data and has none in the interval; after the absence detection period of continuous 1s (2 hours
 * unless the query says `absent(20h)`; 1m to 3d) it returns nothing, so the alarm goes quiet; and a
 * stream that never had data is not a stream, so it is never absent. Hence: every absence alarm here
 * gives its period ({@link ABSENCE_DETECTION_PERIOD}); what must be seen from the first minute (no
 * heartbeat ever written) is a threshold on a value posted at every run (`replicated_heartbeat_found`),
 * not an absence; and a node whose poster never ran is seen through OCI's own per-instance metric
 * (`oci_computeagent` CpuUtilization, posted by the Oracle Cloud Agent), not the node's poster.
 */
import { PRODUCT_METRICS } from "./metrics";

/**
 * How long an absence alarm keeps firing for a stream that stopped: OCI's maximum, 3 days (the
 * default, 2 hours, would silence a node down overnight). A node replaced for good (a new `node`)
 * leaves its old stream absent for that long.
 */
export const ABSENCE_DETECTION_PERIOD = "3d";

/** OCI's bounds of an absence detection period, in minutes (1m to 3d). */
export const ABSENCE_DETECTION_LIMITS = { minMinutes: 1, maxMinutes: 3 * 24 * 60 } as const;

/**
 * The namespace, metric and dimension of OCI's own per-instance metric that says a VM runs: the
 * Oracle Cloud Agent's Compute Instance Monitoring plugin posts `CpuUtilization` every minute in
 * `oci_computeagent` with the instance's OCID as `resourceId` ("Compute Instance Metrics",
 * https://docs.oracle.com/iaas/Content/Compute/References/computemetrics.htm; the query form is
 * OCI's own absence example). The fleet's nodes run that plugin (lib/components/replication/fleet.ts).
 */
export const INSTANCE_METRIC = {
  namespace: "oci_computeagent",
  name: "CpuUtilization",
  dimension: "resourceId",
} as const;

/** The absence query of one instance's `CpuUtilization` (see {@link INSTANCE_METRIC}). */
export function instanceDownQuery(instanceId: string): string {
  const m = INSTANCE_METRIC;
  return `${m.name}[1m]{${m.dimension} = "${instanceId}"}.groupBy(${m.dimension}).absent(${ABSENCE_DETECTION_PERIOD})`;
}

/** The stand-in of an instance's OCID in an `instance-down-<i>` spec's query (the component fills it). */
export const INSTANCE_ID_PLACEHOLDER = (index: number) => `<instance ${index}>`;

export type AlarmSeverity = "CRITICAL" | "ERROR" | "WARNING" | "INFO";

export interface AlarmSpec {
  /** Stable key (the resource name's suffix). */
  key: string;
  displayName: string;
  /** The metric namespace the query reads (the product's, or `oci_streaming`). */
  namespace: string;
  query: string;
  severity: AlarmSeverity;
  /** How long the condition must hold before the alarm fires (ISO 8601, PT1M..PT1H). */
  pendingDuration: string;
  /** The notification's text: what it means and the first runbook step. */
  body: string;
  /**
   * Set on `instance-down-<i>`: the fleet's instance whose OCID replaces
   * {@link INSTANCE_ID_PLACEHOLDER} in {@link query} (known once the instance exists).
   */
  instance?: number;
}

export interface AlarmInputs {
  /** The custom namespace the nodes post to. */
  namespace: string;
  /** The `deployment` dimension of this region's nodes (the replication layer's name). */
  deployment: string;
  /** Lag above this many seconds is a breach of the RPO target. */
  rpoTargetSeconds: number;
  /** Minutes the lag must stay above the target before the alarm fires. */
  lagPendingMinutes: number;
  /** A replicated heartbeat older than this means replication has stopped. */
  heartbeatMaxAgeSeconds: number;
  /** Whether this region runs MirrorMaker (the fleet's alarms exist only then). */
  fleet: boolean;
  /** The fleet's number of instances (one `instance-down-<i>` alarm each); default 0. */
  fleetSize?: number;
  /** The stream pool's name in the texts (its throttling alarms exist in every region). */
  poolLabel: string;
}

const STATUS = "sudo oci-geo-streaming status";
const RUN = "oci-geo-streaming run --instance <a node's OCID> -- status";

/** The alarms of one region (see the module comment). */
export function alarmSpecs(i: AlarmInputs): AlarmSpec[] {
  const d = `deployment = "${i.deployment}"`;
  const m = PRODUCT_METRICS;
  const fleet: AlarmSpec[] = [
    {
      key: "replication-lag",
      displayName: `${i.deployment}: replication lag above the RPO target (${i.rpoTargetSeconds} s)`,
      namespace: i.namespace,
      query: `${m.lagSeconds}[1m]{${d}}.groupBy(flow).max() > ${i.rpoTargetSeconds}`,
      severity: "CRITICAL",
      pendingDuration: `PT${i.lagPendingMinutes}M`,
      body: `The oldest record not yet copied by MirrorMaker is more than ${i.rpoTargetSeconds} s old (the RPO target) and has been for ${i.lagPendingMinutes} minutes: losing the source now would lose more than the target allows. First step: on a node (${RUN}) read which partitions lag and whether a task failed; then check OCI Streaming throttling on both pools and the nodes' CPU.`,
    },
    {
      key: "heartbeat-stale",
      displayName: `${i.deployment}: replicated heartbeat older than ${i.heartbeatMaxAgeSeconds} s`,
      namespace: i.namespace,
      query: `${m.heartbeatAgeSeconds}[1m]{${d}}.groupBy(flow).max() > ${i.heartbeatMaxAgeSeconds}`,
      severity: "CRITICAL",
      pendingDuration: "PT2M",
      body: `MirrorMaker's heartbeat connector writes a heartbeat of the flow on the target every second (and copies the source's own, where something writes them); the newest is older than ${i.heartbeatMaxAgeSeconds} s, so MirrorMaker has stopped or cannot write to the target pool (a lost source raises source-unreachable instead). First step: ${STATUS} on a node (or ${RUN}); FAILED or UNASSIGNED tasks point at MirrorMaker (journalctl -u mm2, or the mm2 log in OCI Logging), a healthy MirrorMaker at the target pool.`,
    },
    {
      key: "heartbeat-absent",
      displayName: `${i.deployment}: no replicated heartbeat found`,
      namespace: i.namespace,
      // A threshold on a value posted at every run, not absent(): a flow whose heartbeat was never
      // written has no heartbeat-age stream, and OCI never calls a stream that never existed absent.
      query: `${m.heartbeatFound}[1m]{${d}}.groupBy(flow).max() < 1`,
      severity: "CRITICAL",
      pendingDuration: "PT10M",
      body: `For 10 minutes no node found a heartbeat of the flow on the target: MirrorMaker never ran, never reached the target pool, or stopped long enough ago that its heartbeats are gone. (Right after a deployment it fires until MirrorMaker's first start is done.) First step: ${RUN}, journalctl -u mm2 on a node; if no node posts at all, the node-down and instance-down alarms say so.`,
    },
    {
      key: "task-failed",
      displayName: `${i.deployment}: a MirrorMaker connector or task FAILED`,
      namespace: i.namespace,
      query: `${m.tasksFailed}[1m]{${d}}.groupBy(flow).max() > 0`,
      severity: "CRITICAL",
      pendingDuration: "PT1M",
      body: `The Connect workers' status topic reports a FAILED connector or task: its partitions are not replicated. First step: ${STATUS} prints the failure's first line; the full trace is in the mm2 log (OCI Logging, or journalctl -u mm2). A restart of mm2.service on one node restarts its tasks once the cause is fixed.`,
    },
    {
      key: "node-down",
      displayName: `${i.deployment}: a MirrorMaker node stopped reporting`,
      namespace: i.namespace,
      query: `${m.nodeUp}[1m]{${d}}.groupBy(node).absent(${ABSENCE_DETECTION_PERIOD})`,
      severity: "ERROR",
      pendingDuration: "PT5M",
      body: `A node has posted no metrics for 5 minutes (it keeps firing for up to ${ABSENCE_DETECTION_PERIOD}, OCI's longest absence detection period): the VM, its metrics timer (systemctl status mm2-metrics.timer) or its path to OCI Monitoring is down. The other nodes take over its tasks; the fleet has less headroom until it is back. A node whose poster never ran is not seen here: instance-down watches the VM itself. First step: check the instance in the Console (state, Oracle Cloud Agent), then ${RUN} on it.`,
    },
    {
      key: "source-unreachable",
      displayName: `${i.deployment}: no MirrorMaker node can read the source cluster`,
      namespace: i.namespace,
      // max over the nodes: it fires only when not one node can read the source.
      query: `${m.sourceReachable}[1m]{${d}}.groupBy(flow).max() < 1`,
      severity: "CRITICAL",
      pendingDuration: "PT2M",
      body: `For 2 minutes no node of ${i.deployment} could read the source cluster: nothing is being replicated, and the lag and RPO cannot be measured (MirrorMaker's own heartbeat on the target stays fresh, so the heartbeat alarms do not fire for this). The source region, its stream pool or the path to it (peering, DNS, credentials) is down. First step: ${STATUS} on a node (or ${RUN}) says why the source cannot be read and how far each partition was copied; if the primary region is lost, follow the failover runbook (sudo oci-geo-streaming failover --source <alias> --dry-run on a node).`,
    },
  ];
  const throttling = (api: "Put" | "Get"): AlarmSpec => ({
    key: `${api.toLowerCase()}-throttling`,
    displayName: `${i.poolLabel}: OCI Streaming throttles ${api}Messages`,
    namespace: "oci_streaming",
    query: `${api}MessagesThrottling.Count[1m].groupBy(resourceId).sum() > 0`,
    severity: "WARNING",
    pendingDuration: "PT5M",
    body:
      api === "Put"
        ? `OCI Streaming refused writes to a stream of ${i.poolLabel} (1 MB/s per partition) for 5 minutes: producers and MirrorMaker slow down and lag grows. First step: find the stream (resourceId) in the Console's Streaming metrics; more partitions (a new stream) or a lower write rate is the fix.`
        : `OCI Streaming refused reads from a stream of ${i.poolLabel} (5 reads per second per partition and consumer group) for 5 minutes. First step: find the stream (resourceId); MirrorMaker's fetches wait 250 ms to stay below the limit, so look for other consumers of the same group.`,
  });
  const instances: AlarmSpec[] = Array.from({ length: i.fleet ? (i.fleetSize ?? 0) : 0 }, (_, n) => ({
    key: `instance-down-${n}`,
    displayName: `${i.deployment}: MirrorMaker instance ${n} reports no CPU (oci_computeagent)`,
    namespace: INSTANCE_METRIC.namespace,
    query: instanceDownQuery(INSTANCE_ID_PLACEHOLDER(n)),
    severity: "ERROR",
    pendingDuration: "PT5M",
    instance: n,
    body: `OCI has had no CpuUtilization of the fleet's instance ${n} for 5 minutes (posted by the Oracle Cloud Agent, not by the node's own poster; it keeps firing for up to ${ABSENCE_DETECTION_PERIOD}): the VM is stopped, hung or gone, or its Cloud Agent is down. First step: the instance's state and its Oracle Cloud Agent in the Console; then node-down and ${RUN} on it once it runs.`,
  }));
  return [...(i.fleet ? fleet : []), ...instances, throttling("Put"), throttling("Get")];
}

/** The parts of an MQL query this package writes (one metric, equality filters, chained calls). */
export interface ParsedMql {
  metric: string;
  interval: string;
  filters: Record<string, string>;
  calls: { name: string; args: string }[];
  groupBy: string[];
  comparison?: { op: string; value: number };
}

const MQL =
  /^([A-Za-z][A-Za-z0-9._$-]*)\[(\d+)([mhd])\](?:\{([^}]*)\})?((?:\.[A-Za-z]+\([^()]*\))+)\s*(?:(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?))?$/;
const STATISTICS = new Set([
  "max",
  "min",
  "mean",
  "sum",
  "count",
  "rate",
  "percentile",
  "last",
  "first",
  "absent",
]);

/**
 * Reads an MQL query of the shape alarms use, or says why it is not one: a metric, an interval of
 * 1 minute to 60 minutes (or hours, days), equality dimension filters, `groupBy` and a statistic,
 * then a comparison — or `absent()` as the last call, without one. With `alarm: false` (a
 * dashboard's query) the comparison is optional.
 */
export function parseMql(query: string, options: { alarm?: boolean } = {}): ParsedMql | string {
  const alarm = options.alarm ?? true;
  const m = MQL.exec(query.trim());
  if (!m) {
    return `${JSON.stringify(query)} is not MQL of the form metric[1m]{dim = "value"}.groupBy(dim).max() > 0`;
  }
  const [, metric, n, unit, filterText, callText, op, value] = m;
  if (unit === "m" && (Number(n) < 1 || Number(n) > 60)) return `interval [${n}${unit}] must be 1m to 60m`;
  const filters: Record<string, string> = {};
  if (filterText !== undefined && filterText.trim() !== "") {
    for (const part of filterText.split(",")) {
      const f = /^\s*([A-Za-z][A-Za-z0-9_$-]*)\s*=\s*"([^"]*)"\s*$/.exec(part);
      if (!f) return `dimension filter ${JSON.stringify(part.trim())} is not dim = "value"`;
      filters[f[1]] = f[2];
    }
  }
  const calls = [...callText.matchAll(/\.([A-Za-z]+)\(([^()]*)\)/g)].map((c) => ({ name: c[1], args: c[2] }));
  const last = calls[calls.length - 1];
  if (!STATISTICS.has(last.name))
    return `the query must end with a statistic (max(), sum(), absent(), …), not ${last.name}()`;
  if (last.name === "absent" && last.args.trim() !== "") {
    const problem = absenceDetectionPeriodProblem(last.args.trim());
    if (problem !== undefined) return problem;
  }
  if (last.name === "absent" ? op !== undefined : alarm && op === undefined) {
    return last.name === "absent"
      ? "absent() takes no comparison"
      : "an alarm query needs a comparison (> 0)";
  }
  const groupBy = calls
    .filter((c) => c.name === "groupBy")
    .flatMap((c) => c.args.split(",").map((a) => a.trim()))
    .filter(Boolean);
  return {
    metric,
    interval: `${n}${unit}`,
    filters,
    calls,
    groupBy,
    ...(op !== undefined ? { comparison: { op, value: Number(value) } } : {}),
  };
}

/** Minutes of an absence detection period (`20h`, `3d`, `90m`), or undefined when not one. */
export function absenceDetectionMinutes(period: string): number | undefined {
  const m = /^(\d+)([mhd])$/.exec(period);
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === "d" ? 1440 : m[2] === "h" ? 60 : 1);
}

/** Why OCI refuses `period` in `absent(<period>)`; undefined when it takes it (1m to 3d). */
export function absenceDetectionPeriodProblem(period: string): string | undefined {
  const minutes = absenceDetectionMinutes(period);
  const L = ABSENCE_DETECTION_LIMITS;
  if (minutes === undefined) return `absent(${period}): the period is a number and m, h or d (absent(3d))`;
  if (minutes < L.minMinutes || minutes > L.maxMinutes) {
    return `absent(${period}): OCI takes an absence detection period of 1m to 3d (72h)`;
  }
  return undefined;
}

/** The queries of a Console dashboard (Monitoring → Metrics Explorer), with what each shows. */
export function dashboardQueries(namespace: string, deployment: string): { title: string; query: string }[] {
  const d = `deployment = "${deployment}"`;
  const m = PRODUCT_METRICS;
  return [
    { title: "RPO right now (s of writes)", query: `${m.rpoSeconds}[1m]{${d}}.groupBy(flow).max()` },
    { title: "RPO right now (records)", query: `${m.rpoRecords}[1m]{${d}}.groupBy(flow).max()` },
    { title: "lag per partition (s)", query: `${m.lagSeconds}[1m]{${d}}.groupBy(topic, partition).max()` },
    {
      title: "replicated heartbeat age (s)",
      query: `${m.heartbeatAgeSeconds}[1m]{${d}}.groupBy(flow).max()`,
    },
    {
      title: "checkpoint age per group (s)",
      query: `${m.checkpointAgeSeconds}[1m]{${d}}.groupBy(group).max()`,
    },
    { title: "failed tasks", query: `${m.tasksFailed}[1m]{${d}}.groupBy(flow).max()` },
    { title: "nodes reporting", query: `${m.nodeUp}[1m]{${d}}.groupBy(node).count()` },
    {
      title: "MirrorMaker replication latency (ms, JMX)",
      query: `mm2_source_replication_latency_ms_max[1m]{${d}}.groupBy(topic, partition).max()`,
    },
    {
      title: "records copied per second (JMX)",
      query: `mm2_source_record_rate[1m]{${d}}.groupBy(topic).sum()`,
    },
  ].map((q) => ({ ...q, title: `${q.title} — namespace ${namespace}` }));
}
