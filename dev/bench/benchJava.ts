/**
 * Java side of `npm run bench`: the benchmark's own two small tools in `dev/bench/java`
 * (compiled with javac into the run's work directory at start, against the rehearsal runtime's
 * classpath, so the Maven-built runtime shared with the tests is untouched), and a JVM launcher
 * that exposes the process id (the benchmark pauses a consumer with SIGSTOP/SIGCONT).
 *
 *  - `BenchConsumer`: arrival observer on the target (first/last arrival of a run's records, lag).
 *  - `JmxProbe`: reads JMX counters of a running JVM through the Attach API; the benchmark reads
 *    `kafka.server:type=BrokerTopicMetrics,name=TotalFetchRequestsPerSec,topic=<t>` (`Count`) on
 *    the source broker. Kafka 4.1's `ReplicaManager.fetchMessages` marks that meter once per
 *    partition of each fetch request (a delayed fetch's completion re-read is not counted): the
 *    count OCI Streaming limits to 5 per second per partition and consumer group.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import type { KafkaRuntime } from "../rehearsal/kafkaRuntime";
import { onProcessCleanup } from "../rehearsal/processes";
import type { JavaToolResult, ToolEvent } from "../rehearsal/tools";

export interface BenchJava {
  runtime: KafkaRuntime;
  /** The compiled bench classes followed by the runtime's classpath. */
  classpath: string;
}

const BENCH_PACKAGE = "ocigeo.rehearsal.bench";

export function benchJavaSourceDir(): string {
  const dir = path.join(__dirname, "java");
  if (!fs.existsSync(path.join(dir, "BenchConsumer.java"))) {
    throw new Error(`benchmark Java sources not found in ${dir}`);
  }
  return dir;
}

function javacFor(runtime: KafkaRuntime): string {
  const dir = path.dirname(runtime.java);
  return dir === "." || dir === "" ? "javac" : path.join(dir, "javac");
}

/** Compiles the benchmark's Java tools into `outDir` (a few seconds; needs a JDK's javac). */
export function compileBenchTools(runtime: KafkaRuntime, outDir: string): BenchJava {
  const sourceDir = benchJavaSourceDir();
  const sources = fs
    .readdirSync(sourceDir)
    .filter((f) => f.endsWith(".java"))
    .map((f) => path.join(sourceDir, f));
  fs.mkdirSync(outDir, { recursive: true });
  const result = spawnSync(
    javacFor(runtime),
    ["-nowarn", "--release", "17", "-cp", runtime.classpath, "-d", outDir, ...sources],
    { encoding: "utf8" },
  );
  if (result.error) throw new Error(`cannot run javac: ${result.error.message} (a JDK 17 is required)`);
  if (result.status !== 0) throw new Error(`javac failed:\n${result.stdout}\n${result.stderr}`);
  return { runtime, classpath: [outDir, runtime.classpath].join(path.delimiter) };
}

export interface JavaProcess {
  readonly pid: number;
  readonly events: ToolEvent[];
  /** Resolves when the JVM has exited (never rejects). */
  readonly done: Promise<JavaToolResult>;
  readonly running: boolean;
  /** Sends a signal to the JVM (SIGSTOP / SIGCONT / SIGTERM …). */
  signal(signal: NodeJS.Signals): void;
  /** Writes a line to the JVM's stdin. */
  write(line: string): void;
  /** Closes the JVM's stdin. */
  end(): void;
  /**
   * Resolves with the first event (already seen or future) matching `predicate`; rejects when the
   * JVM exits first or after `timeoutMs`.
   */
  waitFor(predicate: (e: ToolEvent) => boolean, timeoutMs: number, what: string): Promise<ToolEvent>;
}

export interface SpawnJavaOptions {
  jvmOptions?: string[];
  /** Called for every JSON line. */
  onEvent?: (event: ToolEvent) => void;
  /** SIGKILL after this long (default 20 minutes). */
  timeoutMs?: number;
}

/** Starts `mainClass` on the bench classpath; stdout JSON lines become events. */
export function spawnJava(
  bench: BenchJava,
  mainClass: string,
  args: string[],
  options: SpawnJavaOptions = {},
): JavaProcess {
  const jvm = [
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${bench.runtime.toolsLog4jConfig}`,
    ...(options.jvmOptions ?? ["-Xmx256m"]),
    "-cp",
    bench.classpath,
    mainClass,
  ];
  const child: ChildProcessWithoutNullStreams = spawn(bench.runtime.java, [...jvm, ...args], {
    stdio: "pipe",
  });
  let running = child.pid !== undefined;
  const unregister = onProcessCleanup(() => {
    if (running && child.pid !== undefined) {
      try {
        process.kill(child.pid, "SIGKILL");
      } catch {
        // gone
      }
    }
  });
  const events: ToolEvent[] = [];
  const listeners = new Set<(e: ToolEvent) => void>();
  let stdout = "";
  let stderr = "";
  let pending = "";
  const parse = (raw: string): void => {
    const line = raw.trim();
    if (!line.startsWith("{")) return;
    let event: ToolEvent;
    try {
      event = JSON.parse(line) as ToolEvent;
    } catch {
      return;
    }
    events.push(event);
    options.onEvent?.(event);
    for (const l of [...listeners]) l(event);
  };
  child.stdout.on("data", (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    stdout = (stdout + text).slice(-200_000);
    const lines = (pending + text).split("\n");
    pending = lines.pop() ?? "";
    lines.forEach(parse);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-100_000);
  });
  child.stdin.on("error", () => undefined);
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20 * 60_000);
  const done = new Promise<JavaToolResult>((resolve) => {
    child.once("error", (error) => {
      running = false;
      clearTimeout(timer);
      unregister();
      resolve({ exitCode: null, signal: null, events, stdout, stderr: `${stderr}\n${error.message}` });
    });
    child.once("close", (exitCode, signal) => {
      running = false;
      clearTimeout(timer);
      unregister();
      parse(pending);
      resolve({ exitCode, signal, events, stdout, stderr });
    });
  });
  return {
    pid: child.pid ?? -1,
    events,
    done,
    get running() {
      return running;
    },
    signal(sig) {
      if (running && child.pid !== undefined) process.kill(child.pid, sig);
    },
    write(line) {
      child.stdin.write(`${line}\n`);
    },
    end() {
      child.stdin.end();
    },
    waitFor(predicate, timeoutMs, what) {
      const seen = events.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`${mainClass}: timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
        const listener = (e: ToolEvent): void => {
          if (!predicate(e)) return;
          clearTimeout(t);
          listeners.delete(listener);
          resolve(e);
        };
        listeners.add(listener);
        void done.then((r) => {
          if (!listeners.has(listener)) return;
          clearTimeout(t);
          listeners.delete(listener);
          const error = r.events.find((e) => e.event === "error");
          reject(
            new Error(
              `${mainClass} exited (${r.exitCode ?? r.signal}) before ${what}: ${
                error ? JSON.stringify(error) : r.stderr.slice(-3000)
              }`,
            ),
          );
        });
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// BenchConsumer

export interface ArrivalResult {
  expected: number;
  unique: number;
  missing: number;
  duplicates: number;
  foreign: number;
  bytes: number;
  firstArrivalMs: number;
  lastArrivalMs: number;
  lagMs: { p50: number; p90: number; p99: number; max: number; mean: number };
}

export interface ArrivalObserver {
  readonly process: JavaProcess;
  /** Latest progress: unique records arrived so far. */
  readonly arrived: number;
  /** Resolves when all records arrived (or the timeout passed): the result line. */
  result(): Promise<ArrivalResult>;
  /** Kills the observer (when the measurement is abandoned). */
  stop(): void;
}

/**
 * Starts a BenchConsumer on `topic` positioned at its end; resolves once it is positioned (so every
 * record written afterwards is observed).
 */
export async function observeArrivals(
  bench: BenchJava,
  clientPropertiesFile: string,
  options: { topic: string; runId: string; records: number; timeoutMs: number },
): Promise<ArrivalObserver> {
  let arrived = 0;
  const proc = spawnJava(
    bench,
    `${BENCH_PACKAGE}.BenchConsumer`,
    [
      "--config",
      clientPropertiesFile,
      "--topic",
      options.topic,
      "--run-id",
      options.runId,
      "--records",
      String(options.records),
      "--timeout-ms",
      String(options.timeoutMs),
      "--progress-ms",
      "500",
    ],
    {
      jvmOptions: ["-Xmx256m"],
      onEvent: (e) => {
        if (e.event === "progress" && typeof e.unique === "number") arrived = e.unique;
      },
      timeoutMs: options.timeoutMs + 60_000,
    },
  );
  await proc.waitFor((e) => e.event === "ready", 90_000, `BenchConsumer ready on ${options.topic}`);
  return {
    process: proc,
    get arrived() {
      return arrived;
    },
    async result() {
      // Resolve on the result line (the JVM exits right after), so callers can sample at once.
      const event = await proc
        .waitFor((e) => e.event === "result", options.timeoutMs + 60_000, `the result on ${options.topic}`)
        .catch(async (error: unknown) => {
          const r = await proc.done;
          throw new Error(
            `BenchConsumer on ${options.topic} failed (exit ${r.exitCode}): ${
              error instanceof Error ? error.message : String(error)
            } ${r.stderr.slice(-3000)}`,
          );
        });
      return event as unknown as ArrivalResult;
    },
    stop() {
      proc.signal("SIGKILL");
    },
  };
}

// ---------------------------------------------------------------------------------------------
// JmxProbe

export interface JmxSample {
  /** Epoch ms at which the probe read the values. */
  t: number;
  /** `<canonical object name>|<attribute>` → value. */
  values: Record<string, number>;
}

export interface JmxProbe {
  sample(): Promise<JmxSample>;
  close(): Promise<void>;
}

export const FETCH_READS_QUERY = {
  pattern: "kafka.server:type=BrokerTopicMetrics,name=TotalFetchRequestsPerSec,topic=*",
  attribute: "Count",
};

/** Attaches to the local JVM `pid` and resolves once connected. */
export async function startJmxProbe(
  bench: BenchJava,
  pid: number,
  queries: { pattern: string; attribute: string }[],
): Promise<JmxProbe> {
  const args = ["--pid", String(pid)];
  for (const q of queries) args.push("--query", q.pattern, "--attribute", q.attribute);
  const proc = spawnJava(bench, `${BENCH_PACKAGE}.JmxProbe`, args, {
    jvmOptions: ["-Xmx64m", "-XX:TieredStopAtLevel=1"],
  });
  await proc
    .waitFor((e) => e.event === "ready" || e.event === "error", 60_000, "JmxProbe to attach")
    .then((e) => {
      if (e.event === "error") throw new Error(`JmxProbe: ${String(e.message)}`);
    });
  let chain: Promise<unknown> = Promise.resolve();
  return {
    sample() {
      const result = chain.then(async () => {
        const before = proc.events.length;
        proc.write("sample");
        const e = await proc.waitFor(
          (ev) => ev.event === "sample" && proc.events.indexOf(ev) >= before,
          30_000,
          "a JMX sample",
        );
        return { t: Number(e.t), values: (e.values ?? {}) as Record<string, number> };
      });
      chain = result.catch(() => undefined);
      return result;
    },
    async close() {
      proc.end();
      const t = setTimeout(() => proc.signal("SIGKILL"), 5_000);
      await proc.done;
      clearTimeout(t);
    },
  };
}

/** Partition reads of `topic` counted by the broker (see the module comment). */
export function fetchReads(sample: JmxSample, topic: string): number {
  let total = 0;
  for (const [key, value] of Object.entries(sample.values)) {
    if (!key.includes("name=TotalFetchRequestsPerSec")) continue;
    const match = /[:,]topic=([^,|]*)/.exec(key);
    if (match?.[1] === topic) total += value;
  }
  return total;
}
