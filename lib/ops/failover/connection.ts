/**
 * Connection settings of the operator tools (failover, failback), from the environment or a Kafka
 * client properties file — never from the command line, so that passwords and keys never show in
 * `ps`, shell history or CI logs.
 *
 * Environment (each overrides the file):
 *  - `OCI_GEO_KAFKA_BOOTSTRAP_SERVERS` — the pool's `kafkaSettings.bootstrapServers` (FQDN:9092)
 *  - `OCI_GEO_KAFKA_SECURITY_PROTOCOL` — `SASL_SSL` (default), `SSL`, `SASL_PLAINTEXT`, `PLAINTEXT`
 *  - `OCI_GEO_KAFKA_SASL_MECHANISM` — `PLAIN` (default, OCI), `SCRAM-SHA-256`, `SCRAM-SHA-512`
 *  - `OCI_GEO_KAFKA_USERNAME` — OCI: `<tenancy>/<user>/<streamPoolOCID>`
 *  - `OCI_GEO_KAFKA_PASSWORD` — OCI: the auth token
 *  - `OCI_GEO_KAFKA_CA_PEM` — path of a PEM CA bundle, trusted instead of the system CAs (default:
 *    the system CAs, right for OCI)
 *  - `OCI_GEO_KAFKA_CLIENT_CERT_PEM` — mutual TLS: path of the client certificate chain (PEM); the
 *    file may hold the private key too (Kafka's PEM key store: PKCS#8 key + chain)
 *  - `OCI_GEO_KAFKA_CLIENT_KEY_PEM` — path of the private key (PEM), when not in the cert file
 *  - `OCI_GEO_KAFKA_CLIENT_KEY_PASSWORD` — passphrase of an encrypted private key
 *
 * File (`--config <file>`, Java properties, the same a Kafka CLI tool takes): `bootstrap.servers`,
 * `security.protocol`, `sasl.mechanism`, `sasl.jaas.config` (PlainLoginModule for PLAIN,
 * ScramLoginModule for SCRAM, `username="…" password="…"`), a PEM truststore
 * (`ssl.truststore.type=PEM` with `ssl.truststore.location` or inline `ssl.truststore.certificates`)
 * and a PEM key store (`ssl.keystore.type=PEM` with `ssl.keystore.location` — key and chain in one
 * file — or inline `ssl.keystore.key` + `ssl.keystore.certificate.chain`; `ssl.key.password` for an
 * encrypted key).
 */
import { X509Certificate } from "node:crypto";

import type { KafkaClientOptions, SaslMechanism } from "../kafka/client";
import { parseProperties } from "../../core/mm2/properties";

export const ENV = {
  bootstrapServers: "OCI_GEO_KAFKA_BOOTSTRAP_SERVERS",
  username: "OCI_GEO_KAFKA_USERNAME",
  password: "OCI_GEO_KAFKA_PASSWORD",
  caPem: "OCI_GEO_KAFKA_CA_PEM",
  securityProtocol: "OCI_GEO_KAFKA_SECURITY_PROTOCOL",
  saslMechanism: "OCI_GEO_KAFKA_SASL_MECHANISM",
  clientCertPem: "OCI_GEO_KAFKA_CLIENT_CERT_PEM",
  clientKeyPem: "OCI_GEO_KAFKA_CLIENT_KEY_PEM",
  clientKeyPassword: "OCI_GEO_KAFKA_CLIENT_KEY_PASSWORD",
} as const;

/** Variables whose value is a secret: read as given (not trimmed), never echoed. */
const SECRET_ENV = new Set<keyof typeof ENV>(["password", "clientKeyPassword"]);

export class ConnectionSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConnectionSettingsError";
  }
}

const PROTOCOLS = ["SASL_SSL", "SSL", "SASL_PLAINTEXT", "PLAINTEXT"] as const;
type Protocol = (typeof PROTOCOLS)[number];
const MECHANISMS: readonly SaslMechanism[] = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];

/** `username="…" password="…"` of a PlainLoginModule or ScramLoginModule JAAS line (Java-escaped quotes allowed). */
export function parseJaas(
  jaas: string,
  mechanism: SaslMechanism = "PLAIN",
): { username?: string; password?: string } {
  const module =
    mechanism === "PLAIN"
      ? "org.apache.kafka.common.security.plain.PlainLoginModule"
      : "org.apache.kafka.common.security.scram.ScramLoginModule";
  if (!jaas.includes(module.split(".").pop()!)) {
    throw new ConnectionSettingsError(`sasl.jaas.config must use ${module} for sasl.mechanism ${mechanism}`);
  }
  const field = (name: string): string | undefined => {
    const m = new RegExp(`\\b${name}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(jaas);
    return m ? m[1].replace(/\\(.)/g, "$1") : undefined;
  };
  return { username: field("username"), password: field("password") };
}

interface PemBlock {
  label: string;
  text: string;
}

/**
 * The PEM blocks of `text`, re-wrapped at 64 columns. Kafka reads PEM from a properties value whose
 * line breaks were joined by `\` continuations; OpenSSL (Node) needs the lines back. Hand-written:
 * ten lines, and no PEM library is a dependency here.
 */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)) {
    const body = m[2].replace(/\s+/g, "");
    const lines = body.match(/.{1,64}/g) ?? [];
    out.push({ label: m[1], text: `-----BEGIN ${m[1]}-----\n${lines.join("\n")}\n-----END ${m[1]}-----\n` });
  }
  return out;
}

function certificatesIn(what: string, text: string): string {
  const certs = pemBlocks(text).filter((b) => b.label === "CERTIFICATE");
  if (certs.length === 0) throw new ConnectionSettingsError(`${what}: no PEM certificate found`);
  return certs.map((b) => b.text).join("");
}

function privateKeyIn(what: string, text: string): string {
  const keys = pemBlocks(text).filter((b) => /PRIVATE KEY$/.test(b.label));
  if (keys.length !== 1) {
    throw new ConnectionSettingsError(`${what}: expected one PEM private key, found ${keys.length}`);
  }
  return keys[0].text;
}

/**
 * Resolves the client options from environment and file contents (pure: the caller reads files).
 * `readFile` is used for PEM paths. Messages name settings and paths, never their secret values.
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
    if (SECRET_ENV.has(k)) return v !== undefined && v !== "" ? v : undefined;
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
  const sasl = protocol === "SASL_SSL" || protocol === "SASL_PLAINTEXT";
  const tls = protocol === "SASL_SSL" || protocol === "SSL";

  const mechanismText = (env("saslMechanism") ?? file.get("sasl.mechanism") ?? "PLAIN").toUpperCase();
  if (!(MECHANISMS as readonly string[]).includes(mechanismText)) {
    throw new ConnectionSettingsError(
      `sasl.mechanism ${mechanismText} is not supported: one of ${MECHANISMS.join(", ")}`,
    );
  }
  const mechanism = mechanismText as SaslMechanism;
  const jaas = file.get("sasl.jaas.config");
  const fromJaas = sasl && jaas ? parseJaas(jaas, mechanism) : {};
  const username = env("username") ?? fromJaas.username;
  // The password: environment or file only (never an argument).
  const password = env("password") ?? fromJaas.password;
  if (sasl && (!username || !password)) {
    throw new ConnectionSettingsError(
      `${protocol} needs a username and a password: set ${ENV.username} and ${ENV.password} (or sasl.jaas.config in the --config file); the password is never taken from the command line`,
    );
  }

  const pemStore = (kind: "truststore" | "keystore"): void => {
    const type = (file.get(`ssl.${kind}.type`) ?? "JKS").toUpperCase();
    if (type !== "PEM") {
      const envName = kind === "truststore" ? ENV.caPem : ENV.clientCertPem;
      throw new ConnectionSettingsError(
        `ssl.${kind}.type ${type}: only a PEM ${kind} can be used here (ssl.${kind}.type=PEM), or set ${envName}`,
      );
    }
  };
  let caPem: string | undefined;
  const caPath = env("caPem");
  if (caPath) {
    caPem = certificatesIn(`${ENV.caPem} (${caPath})`, input.readFile(caPath));
  } else if (file.get("ssl.truststore.certificates")) {
    caPem = certificatesIn("ssl.truststore.certificates", file.get("ssl.truststore.certificates")!);
  } else if (file.get("ssl.truststore.location")) {
    pemStore("truststore");
    const where = file.get("ssl.truststore.location")!;
    caPem = certificatesIn(`ssl.truststore.location (${where})`, input.readFile(where));
  }

  // Mutual TLS: the client certificate chain and its private key.
  let certPem: string | undefined;
  let keyPem: string | undefined;
  const certPath = env("clientCertPem");
  const keyPath = env("clientKeyPem");
  if (certPath || keyPath) {
    if (!certPath) throw new ConnectionSettingsError(`${ENV.clientKeyPem} needs ${ENV.clientCertPem}`);
    const certText = input.readFile(certPath);
    certPem = certificatesIn(`${ENV.clientCertPem} (${certPath})`, certText);
    keyPem = keyPath
      ? privateKeyIn(`${ENV.clientKeyPem} (${keyPath})`, input.readFile(keyPath))
      : privateKeyIn(`${ENV.clientCertPem} (${certPath}; or set ${ENV.clientKeyPem})`, certText);
  } else if (file.get("ssl.keystore.key") || file.get("ssl.keystore.certificate.chain")) {
    if (!file.get("ssl.keystore.key") || !file.get("ssl.keystore.certificate.chain")) {
      throw new ConnectionSettingsError("ssl.keystore.key and ssl.keystore.certificate.chain go together");
    }
    certPem = certificatesIn("ssl.keystore.certificate.chain", file.get("ssl.keystore.certificate.chain")!);
    keyPem = privateKeyIn("ssl.keystore.key", file.get("ssl.keystore.key")!);
  } else if (file.get("ssl.keystore.location")) {
    pemStore("keystore");
    const where = file.get("ssl.keystore.location")!;
    const text = input.readFile(where);
    certPem = certificatesIn(`ssl.keystore.location (${where})`, text);
    keyPem = privateKeyIn(`ssl.keystore.location (${where})`, text);
  }
  const keyPassword = env("clientKeyPassword") ?? file.get("ssl.key.password");
  if (keyPem && /ENCRYPTED PRIVATE KEY/.test(keyPem) && !keyPassword) {
    throw new ConnectionSettingsError(
      `the client private key is encrypted: set ${ENV.clientKeyPassword} (or ssl.key.password in the --config file)`,
    );
  }
  if (!tls && (caPem || certPem)) {
    throw new ConnectionSettingsError(
      `security.protocol ${protocol} uses no TLS: a truststore or client certificate needs SSL or SASL_SSL`,
    );
  }
  return {
    bootstrapServers: bootstrap,
    sasl: sasl ? { mechanism, username: username!, password: password! } : undefined,
    tls: tls
      ? {
          ...(caPem ? { caPem } : {}),
          ...(certPem && keyPem ? { certPem, keyPem } : {}),
          ...(keyPem && keyPassword ? { keyPassword } : {}),
        }
      : false,
    clientId: input.clientId ?? "oci-geo-streaming-failover",
  };
}

/** One line per connection variable: the environment name and its properties-file counterpart. */
export function connectionVariablesHelp(rename: (name: string) => string = (n) => n): string {
  const rows: [string, string][] = [
    [ENV.bootstrapServers, "bootstrap.servers"],
    [ENV.securityProtocol, "security.protocol: SASL_SSL (default), SSL, SASL_PLAINTEXT, PLAINTEXT"],
    [ENV.saslMechanism, "sasl.mechanism: PLAIN (default), SCRAM-SHA-256, SCRAM-SHA-512"],
    [ENV.username, 'sasl.jaas.config username="..." (PlainLoginModule or ScramLoginModule)'],
    [ENV.password, 'sasl.jaas.config password="..."   (never a flag)'],
    [ENV.caPem, "ssl.truststore.type=PEM + ssl.truststore.location (default: the system CAs)"],
    [ENV.clientCertPem, "mutual TLS: ssl.keystore.type=PEM + ssl.keystore.location (chain + PKCS#8 key)"],
    [
      ENV.clientKeyPem,
      "the key when not in the cert file; or ssl.keystore.key + ssl.keystore.certificate.chain",
    ],
    [ENV.clientKeyPassword, "ssl.key.password, for an encrypted key   (never a flag)"],
  ];
  const width = Math.max(...rows.map(([n]) => rename(n).length));
  return rows.map(([n, text]) => `  ${rename(n).padEnd(width)}  ${text}`).join("\n");
}

/** The subject of the first certificate of a PEM chain (for messages), or a placeholder. */
function subjectOf(pem: string): string {
  try {
    return new X509Certificate(pem).subject.replace(/\n/g, ", ");
  } catch {
    return "unreadable";
  }
}

/** Options for messages: no password, key or key passphrase, ever. */
export function describeSettings(options: KafkaClientOptions): string {
  const servers = Array.isArray(options.bootstrapServers)
    ? options.bootstrapServers.join(",")
    : options.bootstrapServers;
  const tls = options.tls ?? (options.sasl ? {} : false);
  const tlsText =
    tls === false
      ? "no TLS"
      : `TLS (${tls.caPem ? "given CA" : "system CAs"}${tls.certPem ? `, client certificate ${subjectOf(tls.certPem)}` : ""})`;
  const who = options.sasl
    ? `${options.sasl.username} (SASL ${options.sasl.mechanism ?? "PLAIN"})`
    : tls !== false && tls.certPem
      ? "(client certificate)"
      : "(no SASL)";
  return `${servers} as ${who}, ${tlsText}`;
}
