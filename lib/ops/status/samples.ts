/**
 * What `oci-geo-streaming metrics` posts, as {@link MetricSample}s: the end-to-end signals of
 * lib/ops/status (lag per partition in records and seconds, the replicated heartbeat's age, each group's
 * checkpoint age, the RPO, failed tasks, the source's reachability), the node's liveness, and
 * MirrorMaker's own metrics scraped from its JMX exporter. Pure.
 */
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { POSTED_JMX_METRICS, PRODUCT_METRICS, type MetricSample } from "../../core/telemetry/metrics";
import type { FlowStatus } from "./measure";

/** The dimensions every sample of a node carries. */
export interface NodeDimensions {
  deployment: string;
  node: string;
}

/** The end-to-end signals of the measured flows (every phase's, in the poster's order). */
export function statusSamples(flows: readonly FlowStatus[], base: NodeDimensions): MetricSample[] {
  return [
    ...targetSamples(flows, base),
    ...sourceSamples(flows, base),
    ...lagSamples(flows, base),
    ...checkpointSamples(flows, base),
  ];
}

/** A sample pusher for one flow's dimensions (a value undefined or null is not a sample). */
function flowPusher(f: FlowStatus, base: NodeDimensions, out: MetricSample[]) {
  const dims = { ...base, flow: f.flow };
  return (name: string, value: number | undefined | null, extra: Record<string, string> = {}) => {
    if (value !== undefined && value !== null)
      out.push({ name, dimensions: { ...dims, ...extra }, value, timestamp: f.measuredAt });
  };
}

/** Per flow, what the target alone tells: a heartbeat found (1/0, every run), its age, failed tasks. */
export function targetSamples(flows: readonly FlowStatus[], base: NodeDimensions): MetricSample[] {
  const m = PRODUCT_METRICS;
  const out: MetricSample[] = [];
  for (const f of flows) {
    const push = flowPusher(f, base, out);
    push(m.heartbeatFound, f.heartbeatAgeSeconds === null ? 0 : 1);
    push(m.tasksFailed, f.tasks.filter((t) => t.state === "FAILED").length);
    push(m.heartbeatAgeSeconds, f.heartbeatAgeSeconds);
  }
  return out;
}

/** Per flow, what needs the source: its reachability (1/0) and the RPO. */
export function sourceSamples(flows: readonly FlowStatus[], base: NodeDimensions): MetricSample[] {
  const m = PRODUCT_METRICS;
  const out: MetricSample[] = [];
  for (const f of flows) {
    const push = flowPusher(f, base, out);
    push(m.sourceReachable, f.sourceReachable ? 1 : 0);
    push(m.rpoRecords, f.rpo.records);
    push(m.rpoSeconds, f.rpo.seconds);
  }
  return out;
}

/** Lag per partition, in records and seconds (known only when the source was read). */
export function lagSamples(flows: readonly FlowStatus[], base: NodeDimensions): MetricSample[] {
  const m = PRODUCT_METRICS;
  const out: MetricSample[] = [];
  for (const f of flows) {
    const push = flowPusher(f, base, out);
    for (const p of f.partitions) {
      const where = { topic: p.topic, partition: String(p.partition) };
      push(m.lagRecords, p.lagRecords, where);
      push(m.lagSeconds, p.lagSeconds, where);
    }
  }
  return out;
}

/** Each consumer group's checkpoint age. */
export function checkpointSamples(flows: readonly FlowStatus[], base: NodeDimensions): MetricSample[] {
  const out: MetricSample[] = [];
  for (const f of flows) {
    const push = flowPusher(f, base, out);
    for (const c of f.checkpoints)
      push(PRODUCT_METRICS.checkpointAgeSeconds, c.ageSeconds, { group: c.group });
  }
  return out;
}

/** A flow the poster could not read on the target: only "no heartbeat found" is known. */
export function unreadFlowSamples(
  flows: readonly string[],
  base: NodeDimensions,
  now: number,
): MetricSample[] {
  return flows.map((flow) => ({
    name: PRODUCT_METRICS.heartbeatFound,
    dimensions: { ...base, flow },
    value: 0,
    timestamp: now,
  }));
}

/**
 * MirrorMaker's metrics from the exporter's text (Prometheus exposition format), the families of
 * {@link POSTED_JMX_METRICS} only, labels as dimensions (with `flow` from source and target). NaN
 * values stay NaN here: the batcher drops them, saying why.
 */
export function jmxSamples(text: string, base: NodeDimensions, now: number): MetricSample[] {
  const wanted = new Set(POSTED_JMX_METRICS);
  const out: MetricSample[] = [];
  for (const family of parsePrometheusTextFormat(text)) {
    if (!wanted.has(family.name)) continue;
    for (const metric of family.metrics) {
      const labels = metric.labels ?? {};
      const flow: Record<string, string> =
        labels.source && labels.target ? { flow: `${labels.source}->${labels.target}` } : {};
      out.push({
        name: family.name,
        dimensions: { ...labels, ...flow, ...base },
        value: Number(metric.value),
        timestamp: now,
      });
    }
  }
  return out;
}

/** The node's liveness (posted first, at every run), and whether its MirrorMaker answered the scrape. */
export function nodeSamples(base: NodeDimensions, mm2Up: boolean, now: number): MetricSample[] {
  return [
    { name: PRODUCT_METRICS.nodeUp, dimensions: { ...base }, value: 1, timestamp: now },
    { name: PRODUCT_METRICS.mm2Up, dimensions: { ...base }, value: mm2Up ? 1 : 0, timestamp: now },
  ];
}
