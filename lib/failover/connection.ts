/**
 * Connection settings of the operator tools (failover, failback), from the environment or a Kafka
 * client properties file — never from the command line, so that the auth token never shows in
 * `ps`, shell history or CI logs.
 *
 * Environment (each overrides the file):
 *  - `OCI_GEO_KAFKA_BOOTSTRAP_SERVERS` — the pool's `kafkaSettings.bootstrapServers` (FQDN:9092)
 *  - `OCI_GEO_KAFKA_USERNAME` — `<tenancy>/<user>/<streamPoolOCID>`
 *  - `OCI_GEO_KAFKA_PASSWORD` — the auth token
 *  - `OCI_GEO_KAFKA_CA_PEM` — path of a PEM CA bundle (default: the system CAs, right for OCI)
 *  - `OCI_GEO_KAFKA_SECURITY_PROTOCOL` — `SASL_SSL` (default), `SSL`, `SASL_PLAINTEXT`, `PLAINTEXT`
 *
 * File (`--config <file>`, Java properties, the same a Kafka CLI tool takes): `bootstrap.servers`,
 * `security.protocol`, `sasl.mechanism` (PLAIN only), `sasl.jaas.config` (PlainLoginModule
 * `username="…" password="…"`), and for a private CA `ssl.truststore.type=PEM` with
 * `ssl.truststore.location` (a PEM file) or `ssl.truststore.certificates` (inline PEM).
 */
import type { KafkaClientOptions } from "../kafka/client";
import { parseProperties } from "../mm2/properties";

export const ENV = {
  bootstrapServers: "OCI_GEO_KAFKA_BOOTSTRAP_SERVERS",
  username: "OCI_GEO_KAFKA_USERNAME",
  password: "OCI_GEO_KAFKA_PASSWORD",
  caPem: "OCI_GEO_KAFKA_CA_PEM",
  securityProtocol: "OCI_GEO_KAFKA_SECURITY_PROTOCOL",
} as const;

export class ConnectionSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConnectionSettingsError";
  }
}

const PROTOCOLS = ["SASL_SSL", "SSL", "SASL_PLAINTEXT", "PLAINTEXT"] as const;
type Protocol = (typeof PROTOCOLS)[number];

/** `username="…" password="…"` of a PlainLoginModule JAAS line (Java-escaped quotes allowed). */
export function parsePlainJaas(jaas: string): { username?: string; password?: string } {
  if (!/PlainLoginModule/.test(jaas)) {
    throw new ConnectionSettingsError(
      "sasl.jaas.config must use org.apache.kafka.common.security.plain.PlainLoginModule (OCI Streaming speaks SASL/PLAIN)",
    );
  }
  const field = (name: string): string | undefined => {
    const m = new RegExp(`\\b${name}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(jaas);
    return m ? m[1].replace(/\\(.)/g, "$1") : undefined;
  };
  return { username: field("username"), password: field("password") };
}

/**
 * Resolves the client options from environment and file contents (pure: the caller reads files).
 * `readFile` is used for PEM paths.
 */
export function resolveConnectionSettings(input: {
  env: Record<string, string | undefined>;
  /** Text of the `--config` properties file, if one was given. */
  propertiesText?: string;
  readFile: (path: string) => string;
  clientId?: string;
}): KafkaClientOptions {
  const file =
    input.propertiesText !== undefined ? parseProperties(input.propertiesText) : new Map<string, string>();
  const env = (k: keyof typeof ENV): string | undefined => {
    const v = input.env[ENV[k]];
    return v !== undefined && v.trim() !== "" ? v.trim() : undefined;
  };
  const bootstrap = env("bootstrapServers") ?? file.get("bootstrap.servers");
  if (!bootstrap) {
    throw new ConnectionSettingsError(
      `no bootstrap servers: set ${ENV.bootstrapServers} or bootstrap.servers in the --config file`,
    );
  }
  const protocolText = (env("securityProtocol") ?? file.get("security.protocol") ?? "SASL_SSL").toUpperCase();
  if (!(PROTOCOLS as readonly string[]).includes(protocolText)) {
    throw new ConnectionSettingsError(
      `security.protocol ${protocolText} is not one of ${PROTOCOLS.join(", ")}`,
    );
  }
  const protocol = protocolText as Protocol;
  const mechanism = file.get("sasl.mechanism");
  if (mechanism !== undefined && mechanism.toUpperCase() !== "PLAIN") {
    throw new ConnectionSettingsError(
      `sasl.mechanism ${mechanism} is not supported: only PLAIN (OCI Streaming's)`,
    );
  }
  const jaas = file.get("sasl.jaas.config");
  const fromJaas = jaas ? parsePlainJaas(jaas) : {};
  const username = env("username") ?? fromJaas.username;
  // The password: environment or file only (never an argument).
  const password =
    input.env[ENV.password] !== undefined && input.env[ENV.password] !== ""
      ? input.env[ENV.password]
      : fromJaas.password;

  const sasl = protocol === "SASL_SSL" || protocol === "SASL_PLAINTEXT";
  if (sasl && (!username || !password)) {
    throw new ConnectionSettingsError(
      `${protocol} needs a username and a password: set ${ENV.username} and ${ENV.password} (or sasl.jaas.config in the --config file); the password is never taken from the command line`,
    );
  }
  let caPem: string | undefined;
  const caPath = env("caPem");
  if (caPath) {
    caPem = input.readFile(caPath);
  } else if (file.get("ssl.truststore.certificates")) {
    caPem = file.get("ssl.truststore.certificates");
  } else if (file.get("ssl.truststore.location")) {
    const type = (file.get("ssl.truststore.type") ?? "JKS").toUpperCase();
    if (type !== "PEM") {
      throw new ConnectionSettingsError(
        `ssl.truststore.type ${type}: only a PEM truststore can be used here (ssl.truststore.type=PEM), or set ${ENV.caPem}`,
      );
    }
    caPem = input.readFile(file.get("ssl.truststore.location")!);
  }
  const tls = protocol === "SASL_SSL" || protocol === "SSL" ? (caPem ? { caPem } : {}) : false;
  return {
    bootstrapServers: bootstrap,
    sasl: sasl ? { username: username!, password: password! } : undefined,
    tls,
    clientId: input.clientId ?? "oci-geo-streaming-failover",
  };
}

/** Options for messages: the settings with the password masked. */
export function describeSettings(options: KafkaClientOptions): string {
  const servers = Array.isArray(options.bootstrapServers)
    ? options.bootstrapServers.join(",")
    : options.bootstrapServers;
  const tls = options.tls === false ? "no TLS" : options.tls?.caPem ? "TLS (given CA)" : "TLS (system CAs)";
  return `${servers} as ${options.sasl?.username ?? "(no SASL)"}, ${tls}`;
}
