/**
 * When a measured flow is unhealthy, and how its health reads: a table for people, JSON for tools.
 * Pure.
 */
import type { FlowStatus } from "./measure";

export interface Thresholds {
  /**
   * The largest acceptable replication lag in seconds (the RPO target). Default: 300. The
   * component's `rpoTargetSeconds` is the same number.
   */
  maxLagSeconds: number;
  /**
   * The oldest acceptable replicated heartbeat. MM2 emits one per second per source by default;
   * older means the path is broken somewhere (source, network, MM2, target). Default: 60.
   */
  maxHeartbeatAgeSeconds: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { maxLagSeconds: 300, maxHeartbeatAgeSeconds: 60 };

export interface Problem {
  flow: string;
  what:
    "source-unreachable" | "task-failed" | "no-heartbeat" | "heartbeat-stale" | "lag" | "nothing-replicated";
  detail: string;
}

/** Every reason a flow is unhealthy (an empty list: healthy). */
export function problemsOf(status: FlowStatus, t: Thresholds = DEFAULT_THRESHOLDS): Problem[] {
  const out: Problem[] = [];
  const p = (what: Problem["what"], detail: string) => out.push({ flow: status.flow, what, detail });
  if (!status.sourceReachable) {
    p(
      "source-unreachable",
      `the source ${status.source} cannot be read: ${status.sourceError ?? "unknown error"}`,
    );
  }
  for (const task of status.tasks.filter((x) => x.state === "FAILED")) {
    p("task-failed", `${task.kind} ${task.id} is FAILED${task.trace ? `: ${task.trace}` : ""}`);
  }
  if (status.heartbeatAgeSeconds === null) {
    p(
      "no-heartbeat",
      `no replicated heartbeat on ${status.target}: MirrorMaker has not copied ${status.source}'s heartbeats yet`,
    );
  } else if (status.heartbeatAgeSeconds > t.maxHeartbeatAgeSeconds) {
    p(
      "heartbeat-stale",
      `the newest replicated heartbeat is ${status.heartbeatAgeSeconds} s old (more than ${t.maxHeartbeatAgeSeconds} s): replication has stopped somewhere between ${status.source} and ${status.target}`,
    );
  }
  for (const part of status.partitions) {
    if (part.lagSeconds !== undefined && part.lagSeconds > t.maxLagSeconds) {
      p(
        "lag",
        `${part.topic}:${part.partition} is ${part.lagSeconds} s behind (${part.lagRecords} records; target ${t.maxLagSeconds} s)`,
      );
    }
  }
  if (status.partitions.length === 0) {
    p("nothing-replicated", `${status.target} holds no remote copy of a ${status.source} topic`);
  }
  return out;
}

const fmt = (v: number | undefined | null, unit = "") =>
  v === undefined || v === null ? "?" : `${v}${unit}`;

/** The health table of flows, as lines. */
export function formatStatus(flows: FlowStatus[], t: Thresholds = DEFAULT_THRESHOLDS): string[] {
  const lines: string[] = [];
  for (const s of flows) {
    const problems = problemsOf(s, t);
    lines.push(
      `${s.flow}: ${problems.length === 0 ? "HEALTHY" : "UNHEALTHY"}  (measured ${new Date(s.measuredAt).toISOString()})`,
    );
    if (!s.sourceReachable) {
      lines.push(`  source ${s.source} UNREACHABLE: ${s.sourceError}`);
      lines.push(
        `  what ${s.target} alone knows: the newest copied record of each partition (writes after it may be lost)`,
      );
    }
    lines.push(
      `  heartbeat age ${fmt(s.heartbeatAgeSeconds, " s")}; tasks ${
        s.tasks.length === 0 ? "unknown" : s.tasks.map((x) => `${x.id}=${x.state}`).join(", ")
      }`,
    );
    lines.push(`  ${"topic:partition".padEnd(28)} ${"lag".padStart(10)} ${"lag s".padStart(8)}  last copied`);
    for (const p of s.partitions) {
      lines.push(
        `  ${`${p.topic}:${p.partition}`.padEnd(28)} ${fmt(p.lagRecords).padStart(10)} ${fmt(p.lagSeconds).padStart(8)}  ${
          p.lastReplicatedAt === undefined ? "never" : new Date(p.lastReplicatedAt).toISOString()
        }`,
      );
    }
    for (const c of s.checkpoints) {
      lines.push(`  checkpoint of group ${c.group}: ${c.ageSeconds} s old`);
    }
    lines.push(
      s.rpo.records !== undefined
        ? `  if ${s.source} were lost now: about ${s.rpo.records} records, ${s.rpo.seconds} s of writes`
        : `  if ${s.source} were lost now: unknown (the source cannot be read); copied up to the times above`,
    );
    for (const pr of problems) lines.push(`  ! ${pr.detail}`);
  }
  return lines;
}
