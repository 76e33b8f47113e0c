/**
 * The Prometheus JMX exporter of the rehearsal: the very jar the MirrorMaker nodes download
 * (io.prometheus.jmx:jmx_prometheus_javaagent:{@link JMX_EXPORTER_VERSION}, resolved from Maven
 * Central by Maven into `.cache/`), checked against the product's pinned SHA-256, attached to the
 * rehearsal's MirrorMaker JVM as the node's systemd unit attaches it (`-javaagent:<jar>=<host>:<port>:
 * <config>`, there through KAFKA_OPTS), with the rules the user-data writes (`jmxExporterConfig()`).
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

import {
  JMX_EXPORTER_JAR,
  JMX_EXPORTER_SHA256,
  JMX_EXPORTER_VERSION,
  jmxExporterConfig,
} from "../../lib/core/telemetry/artifacts";
import { repoRoot } from "./kafkaRuntime";

/** SHA-256 of a file, hex. */
export function sha256File(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Throws unless `file` has the product's pinned SHA-256 (what fetch-verified.sh checks on a node). */
export function verifyExporterJar(file: string, expected: string = JMX_EXPORTER_SHA256): void {
  const actual = sha256File(file);
  if (actual !== expected) {
    throw new Error(
      `${file}: SHA-256 ${actual} is not the pinned ${expected} (lib/core/telemetry/artifacts.ts JMX_EXPORTER_SHA256)`,
    );
  }
}

function mavenCopy(artifact: string, outputDirectory: string, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = ["-B", "dependency:copy", `-Dartifact=${artifact}`, `-DoutputDirectory=${outputDirectory}`];
    log(`mvn ${args.join(" ")}`);
    const child = spawn("mvn", args, { cwd: outputDirectory, stdio: ["ignore", "pipe", "pipe"] });
    let tail = "";
    const keep = (b: Buffer) => {
      tail = (tail + b.toString("utf8")).slice(-6000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.once("error", (e) => reject(new Error(`cannot run Maven: ${e.message}`)));
    child.once("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`Maven failed (exit ${code}) copying ${artifact}:\n${tail}`)),
    );
  });
}

let pending: Promise<string> | undefined;

/**
 * The exporter jar in `.cache/jmx-exporter-<version>/`, resolved from Maven Central on first use and
 * verified against the pinned SHA-256 every time. Returns its path.
 */
export function ensureJmxExporterJar(
  options: { cacheDir?: string; log?: (line: string) => void } = {},
): Promise<string> {
  if (pending && options.cacheDir === undefined) return pending;
  const log = options.log ?? ((l: string) => process.stderr.write(`[jmx-exporter] ${l}\n`));
  const dir = options.cacheDir ?? path.join(repoRoot(), ".cache", `jmx-exporter-${JMX_EXPORTER_VERSION}`);
  const run = (async () => {
    const jar = path.join(dir, JMX_EXPORTER_JAR);
    if (!fs.existsSync(jar)) {
      fs.mkdirSync(dir, { recursive: true });
      log(`resolving io.prometheus.jmx:jmx_prometheus_javaagent:${JMX_EXPORTER_VERSION} from Maven Central`);
      await mavenCopy(`io.prometheus.jmx:jmx_prometheus_javaagent:${JMX_EXPORTER_VERSION}`, dir, log);
    }
    verifyExporterJar(jar);
    return jar;
  })();
  if (options.cacheDir === undefined) {
    pending = run;
    run.catch(() => (pending = undefined));
  }
  return run;
}

/**
 * The JVM option that attaches the exporter, and the rules file it reads: exactly
 * `jmxExporterConfig()` (the text the user-data writes to `<configDir>/jmx-exporter.yaml`).
 */
export function exporterJvmOption(options: { jar: string; configDir: string; host: string; port: number }): {
  jvmOption: string;
  configFile: string;
} {
  const configFile = path.join(options.configDir, "jmx-exporter.yaml");
  fs.writeFileSync(configFile, jmxExporterConfig(), { mode: 0o644 });
  return {
    jvmOption: `-javaagent:${options.jar}=${options.host}:${options.port}:${configFile}`,
    configFile,
  };
}

/** One scrape of the exporter's text (Prometheus exposition format). */
export async function scrapeExporter(url: string, timeoutMs = 5_000): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.text();
}
