/**
 * TLS material for the emulated OCI Streaming endpoints, generated at run time with the JDK's
 * keytool (`ocigeo.rehearsal.Pki`, no openssl needed).
 *
 * One CA per Node.js process signs a certificate for every emulated cluster. Because all clusters
 * share that CA, a client that trusts it (one truststore, or the JVM-wide
 * `javax.net.ssl.trustStore`) reaches every cluster with no per-cluster TLS settings, which is how
 * a real OCI client works: the pools present publicly trusted certificates and the rendered
 * mm2.properties carries no truststore at all.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import type { KafkaRuntime } from "./kafkaRuntime";
import { onProcessCleanup } from "./processes";
import { runJavaTool } from "./tools";

export interface RehearsalCa {
  dir: string;
  /** PEM of the CA certificate. */
  caPemPath: string;
  /** PKCS12 truststore holding only the CA certificate. */
  truststorePath: string;
  truststorePassword: string;
  truststoreType: "PKCS12";
}

export interface ServerKeystore {
  keystorePath: string;
  keystorePassword: string;
  keystoreType: "PKCS12";
  certPemPath: string;
}

const KEYTOOL_EXPORT = "--add-exports=java.base/sun.security.tools.keytool=ALL-UNNAMED";

async function runPki(runtime: KafkaRuntime, args: string[]): Promise<void> {
  const result = await runJavaTool(runtime, "ocigeo.rehearsal.Pki", args, {
    jvmOptions: [KEYTOOL_EXPORT, "-XX:TieredStopAtLevel=1"],
    timeoutMs: 60_000,
  });
  if (result.exitCode !== 0) {
    throw new Error(
      `certificate generation failed (exit ${result.exitCode}):\n${result.stderr}\n${result.stdout}`,
    );
  }
}

let caPromise: Promise<RehearsalCa> | undefined;

/** The process-wide rehearsal CA (created on first use, deleted when the process exits). */
export function rehearsalCa(runtime: KafkaRuntime): Promise<RehearsalCa> {
  if (!caPromise) {
    caPromise = (async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocigeo-ca-"));
      onProcessCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
      const password = randomBytes(12).toString("hex");
      await runPki(runtime, ["ca", dir, password]);
      return {
        dir,
        caPemPath: path.join(dir, "ca.pem"),
        truststorePath: path.join(dir, "truststore.p12"),
        truststorePassword: password,
        truststoreType: "PKCS12" as const,
      };
    })();
    caPromise.catch(() => (caPromise = undefined));
  }
  return caPromise;
}

/** A PKCS12 keystore (alias `server`, chain to the rehearsal CA) valid for `hostnames` (DNS names or IPs). */
export async function issueServerKeystore(
  runtime: KafkaRuntime,
  ca: RehearsalCa,
  outDir: string,
  hostnames: string[],
): Promise<ServerKeystore> {
  // The CA key is protected with the truststore password (both are throwaway, per process).
  await runPki(runtime, ["server", ca.dir, outDir, ca.truststorePassword, hostnames.join(",")]);
  return {
    keystorePath: path.join(outDir, "server.p12"),
    keystorePassword: ca.truststorePassword,
    keystoreType: "PKCS12",
    certPemPath: path.join(outDir, "server.pem"),
  };
}

export interface ClientKeystore {
  /** PKCS12 keystore (alias `client`), password = the CA's truststore password. */
  keystorePath: string;
  keystorePassword: string;
  /** Kafka's PEM key store: the unencrypted PKCS#8 key, then the chain (client certificate, CA). */
  keystorePemPath: string;
  /** The chain alone (PEM). */
  certPemPath: string;
}

/** A client certificate (`CN=<commonName>`, extended key usage clientAuth) signed by the rehearsal CA. */
export async function issueClientKeystore(
  runtime: KafkaRuntime,
  ca: RehearsalCa,
  outDir: string,
  commonName: string,
): Promise<ClientKeystore> {
  await runPki(runtime, ["client", ca.dir, outDir, ca.truststorePassword, commonName]);
  return {
    keystorePath: path.join(outDir, "client.p12"),
    keystorePassword: ca.truststorePassword,
    keystorePemPath: path.join(outDir, "client-keystore.pem"),
    certPemPath: path.join(outDir, "client.pem"),
  };
}
