/**
 * Runs the real MirrorMaker 2 (`org.apache.kafka.connect.mirror.MirrorMaker`, dedicated mode, as
 * `connect-mirror-maker.sh` does) from the rehearsal's Kafka runtime.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import type { LocalCluster } from "./cluster";
import { ensureKafkaRuntime, type KafkaRuntime } from "./kafkaRuntime";
import { startManagedProcess, tailFile, waitForFileMatch, type ProcessExit } from "./processes";
import { adminOps, type AdminResult } from "./tools";

export interface JvmTrustStore {
  path: string;
  password: string;
  type: string;
}

export interface StartMirrorMakerOptions {
  /** The mm2.properties to run, exactly as rendered. */
  propertiesFile: string;
  /** `--clusters`: the target alias(es) this node serves. */
  clusters: string[];
  /** stdout + stderr of MirrorMaker (appended). */
  logFile: string;
  /**
   * JVM-wide truststore (`javax.net.ssl.trustStore`): how the rehearsal lets an unmodified
   * mm2.properties (which, like on OCI, names no truststore) trust the emulated clusters' CA.
   */
  trustStore?: JvmTrustStore;
  heapMb?: number;
  jvmOptions?: string[];
  runtime?: KafkaRuntime;
  /** Process name used in diagnostics; default `mirror-maker`. */
  name?: string;
}

export interface MirrorMakerHandle {
  readonly pid: number;
  readonly logFile: string;
  readonly exited: Promise<ProcessExit>;
  readonly running: boolean;
  /** Signal to the MirrorMaker process group (default SIGTERM). SIGKILL simulates a crash. */
  kill(signal?: NodeJS.Signals): void;
  /** Graceful stop: SIGTERM, then SIGKILL after `graceMs` (default 20 s). */
  stop(graceMs?: number): Promise<ProcessExit>;
  /** The whole log so far. */
  log(): string;
  /** Waits until the log matches `pattern`; rejects on timeout or when MirrorMaker exits first. */
  waitForLog(pattern: RegExp, timeoutMs: number): Promise<string>;
}

/** The truststore MirrorMaker needs to reach emulated clusters (undefined for plain clusters). */
export function trustStoreFor(cluster: LocalCluster): JvmTrustStore | undefined {
  if (!cluster.truststorePath || !cluster.truststorePassword) return undefined;
  return {
    path: cluster.truststorePath,
    password: cluster.truststorePassword,
    type: cluster.truststoreType ?? "PKCS12",
  };
}

export async function startMirrorMaker(options: StartMirrorMakerOptions): Promise<MirrorMakerHandle> {
  const runtime = options.runtime ?? (await ensureKafkaRuntime());
  if (!fs.existsSync(options.propertiesFile)) throw new Error(`${options.propertiesFile} does not exist`);
  if (options.clusters.length === 0)
    throw new Error("startMirrorMaker: clusters must name at least one target");
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const trust = options.trustStore
    ? [
        `-Djavax.net.ssl.trustStore=${options.trustStore.path}`,
        `-Djavax.net.ssl.trustStorePassword=${options.trustStore.password}`,
        `-Djavax.net.ssl.trustStoreType=${options.trustStore.type}`,
      ]
    : [];
  const child = startManagedProcess({
    name: options.name ?? "mirror-maker",
    command: runtime.java,
    args: [
      `-Xmx${options.heapMb ?? 512}m`,
      "-XX:+ExitOnOutOfMemoryError",
      "-Djava.awt.headless=true",
      `-Dlog4j2.configurationFile=${runtime.serverLog4jConfig}`,
      ...trust,
      ...(options.jvmOptions ?? []),
      "-cp",
      runtime.classpath,
      "ocigeo.rehearsal.ParentWatch",
      "org.apache.kafka.connect.mirror.MirrorMaker",
      options.propertiesFile,
      "--clusters",
      ...options.clusters,
    ],
    logFile: options.logFile,
  });
  return {
    pid: child.pid,
    logFile: options.logFile,
    exited: child.exited,
    get running() {
      return child.running;
    },
    kill: (signal) => child.kill(signal),
    stop: (graceMs = 20_000) => child.stop(graceMs),
    log: () => {
      try {
        return fs.readFileSync(options.logFile, "utf8");
      } catch {
        return "";
      }
    },
    waitForLog: (pattern, timeoutMs) =>
      waitForFileMatch(options.logFile, pattern, {
        timeoutMs,
        exited: child.exited,
        what: `MirrorMaker log to match ${pattern}`,
      }),
  };
}

/**
 * Waits until the end offsets of `topic` on `cluster` add up to at least `records` (the topic may
 * not exist yet). Resolves with the total; rejects with the last count on timeout.
 */
export async function waitForTopicRecords(
  cluster: LocalCluster,
  topic: string,
  records: number,
  timeoutMs = 120_000,
): Promise<number> {
  const [result]: AdminResult[] = await adminOps(
    cluster.runtime,
    cluster.toolClient(),
    [{ op: "waitRecords", topic, records, timeoutMs }],
    { timeoutMs: timeoutMs + 60_000 },
  );
  if (!result.ok)
    throw new Error(`waiting for ${records} records on ${cluster.name}/${topic}: ${result.message}`);
  return Number(result.total);
}

/** Last lines of a MirrorMaker (or any) log, for assertion messages. */
export function logTail(handle: { logFile: string }, lines = 60): string {
  return tailFile(handle.logFile, lines);
}
