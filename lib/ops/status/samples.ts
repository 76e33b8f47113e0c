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

/** The end-to-end signals of the measured flows. */
export function statusSamples(flows: readonly FlowStatus[], base: NodeDimensions): MetricSample[] {
  const m = PRODUCT_METRICS;
  const out: MetricSample[] = [];
  for (const f of flows) {
    const dims = { ...base, flow: f.flow };
    const at = f.measuredAt;
    const push = (name: string, value: number | undefined | null, extra: Record<string, string> = {}) => {
      if (value !== undefined && value !== null)
        out.push({ name, dimensions: { ...dims, ...extra }, value, timestamp: at });
    };
    push(m.sourceReachable, f.sourceReachable ? 1 : 0);
    push(m.tasksFailed, f.tasks.filter((t) => t.state === "FAILED").length);
    push(m.heartbeatAgeSeconds, f.heartbeatAgeSeconds);
    push(m.rpoRecords, f.rpo.records);
    push(m.rpoSeconds, f.rpo.seconds);
    for (const p of f.partitions) {
      const where = { topic: p.topic, partition: String(p.partition) };
      push(m.lagRecords, p.lagRecords, where);
      push(m.lagSeconds, p.lagSeconds, where);
    }
    for (const c of f.checkpoints) push(m.checkpointAgeSeconds, c.ageSeconds, { group: c.group });
  }
  return out;
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

/** The node's liveness, and whether its MirrorMaker answered the scrape. */
export function nodeSamples(base: NodeDimensions, mm2Up: boolean, now: number): MetricSample[] {
  return [
    { name: PRODUCT_METRICS.nodeUp, dimensions: { ...base }, value: 1, timestamp: now },
    { name: PRODUCT_METRICS.mm2Up, dimensions: { ...base }, value: mm2Up ? 1 : 0, timestamp: now },
  ];
}
