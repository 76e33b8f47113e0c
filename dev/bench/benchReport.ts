/**
 * The printed result of `npm run bench`: one row per (partition count, configuration), then the
 * ratios a/b and a/c (and a against each tuning candidate) per partition count. Pure formatting.
 */
import type { BenchReport, StepResult, VariantInfo } from "./bench";

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function num(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? "-" : value.toFixed(digits);
}

function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return "-";
  return `${(a / b).toFixed(2)}x`;
}

function stepOf(report: BenchReport, variant: string, partitions: number): StepResult | undefined {
  return report.steps.find((s) => s.variant === variant && s.partitions === partitions);
}

/** The table, the ratios and the notes, as printed at the end of a run. */
export function formatReport(report: BenchReport): string {
  const s = report.settings;
  const out: string[] = [];
  const variants: VariantInfo[] = [
    ...report.variants.filter((v) => v.kind === "rendered"),
    ...report.variants.filter((v) => v.kind === "candidate"),
    ...report.variants.filter((v) => v.kind === "quickstart"),
    ...report.variants.filter((v) => v.kind === "pipe"),
  ];
  out.push(
    `npm run bench — Kafka ${report.kafkaVersion} MirrorMaker 2, two emulated OCI Streaming pools on one host ` +
      `(fra → ams, SASL_SSL/PLAIN), ${report.host.cpus} CPUs, load ${report.host.loadAverageStart[0].toFixed(1)} at start` +
      `${s.quick ? ", --quick" : ""}${s.ociWriteQuota ? ", write quota P MiB/s on ams" : ", no write quota"}`,
  );
  out.push(
    `throughput: backlog (${s.partitions.map((p) => `P=${p}: ${s.backlogMiB[p]} MiB`).join(", ")}, ${s.valueBytes} B values) ` +
      "produced while the replicator was paused; MiB/s = key+value bytes / (first → last arrival on ams)",
  );
  out.push(
    `lag: paced producer (${s.partitions.map((p) => `P=${p}: ${s.lagRate[p]}/s`).join(", ")} for ${s.lagSeconds} s); ` +
      "arrival on ams − producer timestamp",
  );
  out.push(
    "reads/s: partition reads per second and partition counted by the fra broker (OCI allows 5 per partition and consumer group), while the backlog drained | during the paced phase",
  );
  out.push("");
  const header = [
    pad("P", 3, true),
    pad("configuration", 18),
    pad("tasks", 5, true),
    pad("MiB/s", 7, true),
    pad("reads/s", 7, true),
    pad("lag p50", 8, true),
    pad("lag p99", 8, true),
    pad("reads/s", 7, true),
    "  notes",
  ].join("  ");
  const groupStart = header.indexOf("MiB/s");
  const pacedStart = header.indexOf("lag p50");
  out.push(`${" ".repeat(groupStart)}${pad("backlog", pacedStart - groupStart)}paced`);
  out.push(header);
  out.push("-".repeat(header.length + 10));
  for (const p of s.partitions) {
    for (const v of variants) {
      const step = stepOf(report, v.id, p);
      const notes = step?.error
        ? `FAILED: ${step.error.split("\n")[0].slice(0, 80)}`
        : (step?.notes ?? []).join("; ");
      out.push(
        [
          pad(String(p), 3, true),
          pad(v.label, 18),
          pad(v.tasksMax === undefined ? "-" : String(v.tasksMax), 5, true),
          pad(num(step?.throughput?.mibPerSec, 1), 7, true),
          pad(num(step?.throughput?.readsPerSecPerPartition, 1), 7, true),
          pad(step?.lag ? `${step.lag.p50} ms` : "-", 8, true),
          pad(step?.lag ? `${step.lag.p99} ms` : "-", 8, true),
          pad(num(step?.lag?.readsPerSecPerPartition, 1), 7, true),
          notes ? `  ${notes}` : "",
        ].join("  "),
      );
    }
  }
  out.push("");
  const readLimit = variants.map((v) => {
    const reads = report.steps
      .filter((st) => st.variant === v.id)
      .flatMap((st) => [st.throughput?.readsPerSecPerPartition, st.lag?.readsPerSecPerPartition])
      .filter((r): r is number => r !== undefined);
    if (reads.length === 0) return `${v.label} -`;
    const max = Math.max(...reads);
    return `${v.label} ${max.toFixed(1)}${max > 5 ? " OVER" : ""}`;
  });
  out.push(
    `OCI read limit (5 reads/s per partition and group), highest reads/s seen: ${readLimit.join(", ")}`,
  );
  out.push("");
  const candidates = variants.filter((v) => v.kind === "candidate");
  const others = [
    ...variants.filter((v) => v.kind === "quickstart"),
    ...variants.filter((v) => v.kind === "pipe"),
    ...candidates,
  ];
  out.push(
    "ratios of (a) to each configuration (throughput: >1 = (a) replicates faster; lag p50/p99: <1 = (a) has less lag)",
  );
  out.push([pad("", 34), ...s.partitions.map((p) => pad(`P=${p}`, 8, true))].join(""));
  for (const o of others) {
    const id = o.kind === "quickstart" ? "b" : o.kind === "pipe" ? "c" : o.id;
    const rows: [string, (st: StepResult | undefined) => number | undefined][] = [
      ["throughput", (st) => st?.throughput?.mibPerSec],
      ["lag p50", (st) => st?.lag?.p50],
      ["lag p99", (st) => st?.lag?.p99],
    ];
    for (const [what, get] of rows) {
      out.push(
        [
          pad(`a/${id} ${what}`, 34),
          ...s.partitions.map((p) =>
            pad(ratio(get(stepOf(report, "a", p)), get(stepOf(report, o.id, p))), 8, true),
          ),
        ].join(""),
      );
    }
  }
  out.push("");
  for (const v of variants) out.push(`${pad(v.label, 18)} ${v.description}`);
  out.push(
    `run took ${(report.durationMs / 60_000).toFixed(1)} min; load average at the end ${report.host.loadAverageEnd[0].toFixed(1)}`,
  );
  return out.join("\n");
}
