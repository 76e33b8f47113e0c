/**
 * Where secrets go on an MM2 node, and how mm2.properties refers to them.
 *
 * mm2.properties holds no secret: every password is a Kafka config-provider placeholder
 * `${file:<configDir>/secrets.properties:<key>}`. Kafka 4.1's dedicated-mode MirrorMaker resolves
 * these itself — MirrorMakerConfig.workerConfig() transforms the worker configuration with the
 * `config.providers` it declares, and copies `config.providers.*` into every connector configuration
 * so the Connect worker transforms connector and task configurations (the connector configs stored in
 * the Connect config topic keep the placeholder, never the value). The secrets file is written at
 * boot by the node's secret-fetch script (values from OCI Vault, instance principal); key stores and
 * trust stores are written as files next to it.
 */

import { ClusterSpec, ReplicationModel, StoreSpec, StoreType } from "./replicationModel";

/** How a value must be escaped before it goes into the secrets file. */
export type SecretEscape =
  /** Inside the double quotes of a `sasl.jaas.config` (escape `\` and `"`), then Java-properties escaping. */
  | "jaas"
  /** Java-properties escaping only. */
  | "plain";

export type SecretSpec =
  | {
      readonly kind: "property";
      /** Key in secrets.properties, e.g. `primary.sasl.password`. */
      readonly key: string;
      /** OCID of the Vault secret holding the value. */
      readonly secretId: string;
      readonly escape: SecretEscape;
    }
  | {
      readonly kind: "file";
      /** Absolute path the decoded secret content is written to (mode 0600, owner mm2). */
      readonly path: string;
      readonly secretId: string;
    };

export const SECRETS_FILE_NAME = "secrets.properties";
export const NODE_PROPERTIES_FILE_NAME = "node.properties";
export const TLS_DIR_NAME = "tls";

export function secretsFilePath(configDir: string): string {
  return `${configDir}/${SECRETS_FILE_NAME}`;
}

export function nodePropertiesPath(configDir: string): string {
  return `${configDir}/${NODE_PROPERTIES_FILE_NAME}`;
}

/** The config-provider placeholder for a key of the secrets file. */
export function secretPlaceholder(configDir: string, key: string): string {
  return `\${file:${secretsFilePath(configDir)}:${key}}`;
}

/** The config-provider placeholder for a key of node.properties (per-node, non-secret values). */
export function nodePlaceholder(configDir: string, key: string): string {
  return `\${file:${nodePropertiesPath(configDir)}:${key}}`;
}

const STORE_EXTENSIONS: Readonly<Record<StoreType, string>> = { PKCS12: "p12", JKS: "jks", PEM: "pem" };

/** Path of a key/trust store file on the node. */
export function storePath(
  configDir: string,
  alias: string,
  which: "truststore" | "keystore",
  store: StoreSpec,
): string {
  return `${configDir}/${TLS_DIR_NAME}/${alias}.${which}.${STORE_EXTENSIONS[store.type]}`;
}

/** Keys of the secrets file used for a cluster (stable names, derived from the alias). */
export const secretKeys = {
  saslPassword: (alias: string): string => `${alias}.sasl.password`,
  truststorePassword: (alias: string): string => `${alias}.ssl.truststore.password`,
  keystorePassword: (alias: string): string => `${alias}.ssl.keystore.password`,
  keyPassword: (alias: string): string => `${alias}.ssl.key.password`,
};

function clusterSecrets(configDir: string, c: ClusterSpec): SecretSpec[] {
  if (c.kind === "oci") {
    return [
      {
        kind: "property",
        key: secretKeys.saslPassword(c.alias),
        secretId: c.authToken.secretId,
        escape: "jaas",
      },
    ];
  }
  const out: SecretSpec[] = [];
  const sec = c.security;
  if (sec.protocol !== "SSL") {
    out.push({
      kind: "property",
      key: secretKeys.saslPassword(c.alias),
      secretId: sec.password.secretId,
      escape: "jaas",
    });
  }
  const tls = sec.tls;
  if (tls?.truststore !== undefined) {
    out.push({
      kind: "file",
      path: storePath(configDir, c.alias, "truststore", tls.truststore),
      secretId: tls.truststore.content.secretId,
    });
    if (tls.truststore.password !== undefined) {
      out.push({
        kind: "property",
        key: secretKeys.truststorePassword(c.alias),
        secretId: tls.truststore.password.secretId,
        escape: "plain",
      });
    }
  }
  if (tls?.keystore !== undefined) {
    out.push({
      kind: "file",
      path: storePath(configDir, c.alias, "keystore", tls.keystore),
      secretId: tls.keystore.content.secretId,
    });
    if (tls.keystore.password !== undefined) {
      out.push({
        kind: "property",
        key: secretKeys.keystorePassword(c.alias),
        secretId: tls.keystore.password.secretId,
        escape: "plain",
      });
    }
  }
  if (tls?.keyPassword !== undefined) {
    out.push({
      kind: "property",
      key: secretKeys.keyPassword(c.alias),
      secretId: tls.keyPassword.secretId,
      escape: "plain",
    });
  }
  return out;
}

/**
 * Every secret the node must fetch, in a stable order (clusters by alias, then the order above).
 * Only clusters this fleet talks to are included: the target and the sources of flows into it.
 */
export function secretSpecs(model: ReplicationModel): SecretSpec[] {
  const used = new Set<string>([model.target]);
  for (const f of model.flows) {
    if (f.target === model.target) {
      used.add(f.source);
    }
  }
  return model.clusters.filter((c) => used.has(c.alias)).flatMap((c) => clusterSecrets(model.configDir, c));
}
