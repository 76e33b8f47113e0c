/**
 * The Kafka runtime of the local rehearsal: the broker, Connect, MirrorMaker 2 and client jars of
 * {@link KAFKA_VERSION} from Maven Central, plus the OCI-emulation and workload classes compiled
 * from `dev/rehearsal/java`, all in one cache folder.
 *
 * First run: Maven resolves and copies the jars (progress lines go to `log`). Later runs: a stamp
 * file (Kafka version + hash of the Maven project) matches and nothing is executed.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

import { KAFKA_VERSION } from "../../lib/core/kafkaVersion";

export interface KafkaRuntime {
  kafkaVersion: string;
  cacheDir: string;
  /** `-cp` value: the compiled rehearsal jar and every runtime dependency. */
  classpath: string;
  /** The `java` executable (`$JAVA_HOME/bin/java` when JAVA_HOME is set). */
  java: string;
  /** log4j2 configuration (classpath resource) for brokers and MirrorMaker: INFO to stdout. */
  serverLog4jConfig: string;
  /** log4j2 configuration (classpath resource) for the workload tools: WARN to stderr. */
  toolsLog4jConfig: string;
}

export interface EnsureKafkaRuntimeOptions {
  /** Default: `$OCI_GEO_KAFKA_CACHE`, else `<repo>/.cache/kafka-<version>`. */
  cacheDir?: string;
  /** Default and normal value: {@link KAFKA_VERSION}. */
  kafkaVersion?: string;
  /** Progress sink; default writes to stderr. */
  log?: (line: string) => void;
  /** Maven executable; default `mvn`. */
  mvn?: string;
  /** Rebuild even if the stamp matches. */
  force?: boolean;
}

const STAMP = "stamp.json";
// Maven prints some colour codes even in batch mode.
const ANSI_COLOR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
const JAR = "oci-geo-rehearsal.jar";

function defaultLog(line: string): void {
  process.stderr.write(`[kafka-runtime] ${line}\n`);
}

/** Root of this repository (the development tools run from source: `dev/rehearsal`). */
export function repoRoot(): string {
  return path.resolve(__dirname, "..", "..");
}

/** The Maven project that builds the rehearsal runtime. */
export function rehearsalJavaProjectDir(): string {
  const dir = path.join(__dirname, "java");
  if (!fs.existsSync(path.join(dir, "pom.xml"))) {
    throw new Error(`Maven project of the rehearsal not found in ${dir}`);
  }
  return dir;
}

export function defaultKafkaCacheDir(kafkaVersion: string = KAFKA_VERSION): string {
  const fromEnv = process.env.OCI_GEO_KAFKA_CACHE;
  if (fromEnv && fromEnv.trim() !== "") return path.resolve(fromEnv);
  return path.join(repoRoot(), ".cache", `kafka-${kafkaVersion}`);
}

export function javaExecutable(): string {
  const home = process.env.JAVA_HOME;
  return home ? path.join(home, "bin", "java") : "java";
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

/** Hash of everything Maven builds from: the POM and the source tree. */
function projectHash(projectDir: string, kafkaVersion: string): string {
  const hash = createHash("sha256");
  hash.update(`kafka=${kafkaVersion}\n`);
  const files = [path.join(projectDir, "pom.xml"), ...listFiles(path.join(projectDir, "src"))];
  for (const file of files) {
    hash.update(path.relative(projectDir, file));
    hash.update("\0");
    hash.update(fs.readFileSync(file));
    hash.update("\0");
  }
  return hash.digest("hex");
}

function runtimeFor(cacheDir: string, kafkaVersion: string): KafkaRuntime {
  return {
    kafkaVersion,
    cacheDir,
    classpath: [path.join(cacheDir, JAR), path.join(cacheDir, "lib", "*")].join(path.delimiter),
    java: javaExecutable(),
    serverLog4jConfig: "ocigeo-server-log4j2.properties",
    toolsLog4jConfig: "ocigeo-tools-log4j2.properties",
  };
}

function stampMatches(cacheDir: string, expected: { kafkaVersion: string; projectHash: string }): boolean {
  try {
    const stamp = JSON.parse(fs.readFileSync(path.join(cacheDir, STAMP), "utf8")) as Record<string, unknown>;
    return (
      stamp.kafkaVersion === expected.kafkaVersion &&
      stamp.projectHash === expected.projectHash &&
      fs.existsSync(path.join(cacheDir, JAR)) &&
      fs.existsSync(path.join(cacheDir, "lib"))
    );
  } catch {
    return false;
  }
}

function runMaven(mvn: string, args: string[], cwd: string, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(mvn, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const tail: string[] = [];
    let downloads = 0;
    const onLine = (line: string): void => {
      const clean = line.replace(ANSI_COLOR, "").trimEnd();
      if (clean === "") return;
      tail.push(clean);
      if (tail.length > 60) tail.shift();
      if (/^\[INFO\] Downloaded from /.test(clean)) {
        downloads++;
        // One line per jar (POMs are counted but not shown).
        const jar = /([^/\s]+\.jar) \(([^)]*)\)/.exec(clean);
        if (jar) log(`downloaded #${downloads}: ${jar[1]} (${jar[2]})`);
      } else if (/^\[(ERROR|WARNING)\]|BUILD (SUCCESS|FAILURE)|--- .* ---|Compiling \d+ source/.test(clean)) {
        log(clean);
      }
    };
    let buffered = { out: "", err: "" };
    const feed = (key: "out" | "err") => (chunk: Buffer) => {
      const text = buffered[key] + chunk.toString("utf8");
      const lines = text.split("\n");
      buffered = { ...buffered, [key]: lines.pop() ?? "" };
      lines.forEach(onLine);
    };
    child.stdout?.on("data", feed("out"));
    child.stderr?.on("data", feed("err"));
    child.once("error", (error) =>
      reject(
        new Error(`cannot run Maven (${mvn}): ${error.message}. Install Maven 3.8+ or pass options.mvn.`),
      ),
    );
    child.once("close", (code) => {
      onLine(buffered.out);
      onLine(buffered.err);
      if (code === 0) resolve();
      else reject(new Error(`Maven failed (exit ${code}): mvn ${args.join(" ")}\n${tail.join("\n")}`));
    });
  });
}

const inFlight = new Map<string, Promise<KafkaRuntime>>();

/**
 * Resolves the Kafka jars and builds the rehearsal classes into the cache folder if needed, and
 * returns the runtime (classpath, java, log configs). Cheap when the cache is current.
 */
export function ensureKafkaRuntime(options: EnsureKafkaRuntimeOptions = {}): Promise<KafkaRuntime> {
  const kafkaVersion = options.kafkaVersion ?? KAFKA_VERSION;
  const cacheDir = path.resolve(options.cacheDir ?? defaultKafkaCacheDir(kafkaVersion));
  const key = `${cacheDir}|${kafkaVersion}|${options.force === true}`;
  const pending = inFlight.get(key);
  if (pending) return pending;
  const promise = buildIfNeeded(cacheDir, kafkaVersion, options);
  inFlight.set(key, promise);
  promise.catch(() => inFlight.delete(key));
  return promise;
}

async function buildIfNeeded(
  cacheDir: string,
  kafkaVersion: string,
  options: EnsureKafkaRuntimeOptions,
): Promise<KafkaRuntime> {
  const log = options.log ?? defaultLog;
  const projectDir = rehearsalJavaProjectDir();
  const expected = { kafkaVersion, projectHash: projectHash(projectDir, kafkaVersion) };
  if (!options.force && stampMatches(cacheDir, expected)) return runtimeFor(cacheDir, kafkaVersion);

  const started = Date.now();
  const staging = `${cacheDir}.staging-${process.pid}-${Date.now()}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  log(
    `Kafka ${kafkaVersion}: building the rehearsal runtime into ${cacheDir} (first run downloads ~100 jars)`,
  );
  try {
    log(
      "step 1/2: mvn package (compile the OCI emulation and workload tools) + dependency:copy-dependencies",
    );
    await runMaven(
      options.mvn ?? "mvn",
      [
        "-B",
        `-Dkafka.version=${kafkaVersion}`,
        `-Drehearsal.build.dir=${path.join(staging, "build")}`,
        `-DoutputDirectory=${path.join(staging, "lib")}`,
        "package",
        "dependency:copy-dependencies",
      ],
      projectDir,
      log,
    );
    log("step 2/2: installing the cache");
    fs.copyFileSync(path.join(staging, "build", JAR), path.join(staging, JAR));
    fs.rmSync(path.join(staging, "build"), { recursive: true, force: true });
    const jars = fs.readdirSync(path.join(staging, "lib")).filter((f) => f.endsWith(".jar"));
    const kafkaJar = `kafka_2.13-${kafkaVersion}.jar`;
    if (!jars.includes(kafkaJar)) throw new Error(`${kafkaJar} missing from the resolved jars`);
    fs.writeFileSync(
      path.join(staging, STAMP),
      JSON.stringify({ ...expected, jars: jars.length, builtAt: new Date().toISOString() }, null, 2),
    );
    fs.rmSync(cacheDir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(cacheDir), { recursive: true });
    try {
      fs.renameSync(staging, cacheDir);
    } catch (error) {
      // Another process installed the cache at the same moment: use it if it is current.
      if (!stampMatches(cacheDir, expected)) throw error;
    }
    log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${jars.length} jars`);
    return runtimeFor(cacheDir, kafkaVersion);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
