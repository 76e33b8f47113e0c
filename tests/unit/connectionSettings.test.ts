/**
 * Connection settings of failover and failback beyond OCI's SASL_SSL/PLAIN: SCRAM, mutual TLS with
 * PEM key stores (file, key + chain in one file as Kafka reads it, inline properties with
 * continuation lines), SASL_PLAINTEXT, and what is refused; the description never shows a secret.
 */
import { expect } from "chai";
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

import { failbackClusterSettings as clusterSettings } from "../../lib/ops/cli/failback";
import {
  describeSettings,
  ENV,
  parseJaas,
  pemBlocks,
  resolveConnectionSettings,
} from "../../lib/ops/failover/connection";

const CERT = fs.readFileSync(path.join(__dirname, "..", "fixtures", "tls", "cert.pem"), "utf8");
const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const KEY = privateKey.export({ type: "pkcs8", format: "pem" }) as string;
const ENCRYPTED_KEY = privateKey.export({
  type: "pkcs8",
  format: "pem",
  cipher: "aes-256-cbc",
  passphrase: "key-pass-77",
}) as string;
const CA = CERT; // any certificate will do as a CA bundle here

const FILES: Record<string, string> = {
  "/ca.pem": CA,
  "/client.pem": CERT,
  "/client.key": KEY,
  "/client-encrypted.key": ENCRYPTED_KEY,
  "/keystore.pem": KEY + CERT + CA,
};
const readFile = (p: string): string => {
  if (!(p in FILES)) throw new Error(`no ${p}`);
  return FILES[p];
};
const resolve = (env: Record<string, string>, properties?: string[]) =>
  resolveConnectionSettings({ env, propertiesText: properties?.join("\n"), readFile });

/** A PEM value as a Kafka properties file carries it inline: one line per PEM line, `\` continued. */
const inline = (pem: string): string => pem.trim().split("\n").join(" \\\n  ");

describe("connection settings: SCRAM, mutual TLS, SASL_PLAINTEXT", () => {
  it("SCRAM-SHA-512 over SASL_PLAINTEXT from a properties file (ScramLoginModule)", () => {
    const o = resolve({}, [
      "bootstrap.servers=onprem-1:9092",
      "security.protocol=SASL_PLAINTEXT",
      "sasl.mechanism=SCRAM-SHA-512",
      'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="mm2" password="s3cr3t";',
    ]);
    expect(o.sasl).to.deep.equal({ mechanism: "SCRAM-SHA-512", username: "mm2", password: "s3cr3t" });
    expect(o.tls).to.equal(false);
    expect(describeSettings(o)).to.equal("onprem-1:9092 as mm2 (SASL SCRAM-SHA-512), no TLS");
  });

  it("SCRAM-SHA-256 over SASL_SSL from the environment, with a private CA", () => {
    const o = resolve({
      [ENV.bootstrapServers]: "kafka.corp:9093",
      [ENV.saslMechanism]: "scram-sha-256",
      [ENV.username]: "mm2",
      [ENV.password]: " spaces kept ",
      [ENV.caPem]: "/ca.pem",
    });
    expect(o.sasl).to.deep.equal({ mechanism: "SCRAM-SHA-256", username: "mm2", password: " spaces kept " });
    expect(o.tls).to.deep.equal({ caPem: CA });
  });

  it("mutual TLS: ssl.keystore.location holding the PKCS#8 key and the chain (Kafka's PEM key store)", () => {
    const o = resolve({}, [
      "bootstrap.servers=onprem-1:9093",
      "security.protocol=SSL",
      "ssl.truststore.type=PEM",
      "ssl.truststore.location=/ca.pem",
      "ssl.keystore.type=PEM",
      "ssl.keystore.location=/keystore.pem",
    ]);
    expect(o.sasl).to.equal(undefined);
    expect(o.tls).to.deep.equal({ caPem: CA, certPem: CERT + CA, keyPem: KEY });
    const text = describeSettings(o);
    expect(text).to.equal(
      "onprem-1:9093 as (client certificate), TLS (given CA, client certificate CN=failback-client)",
    );
  });

  it("mutual TLS: inline ssl.keystore.key + ssl.keystore.certificate.chain, line breaks restored", () => {
    const o = resolve({}, [
      "bootstrap.servers=onprem-1:9093",
      "security.protocol=SSL",
      `ssl.keystore.key=${inline(ENCRYPTED_KEY)}`,
      `ssl.keystore.certificate.chain=${inline(CERT)}`,
      "ssl.key.password=key-pass-77",
    ]);
    expect(o.tls).to.deep.equal({ certPem: CERT, keyPem: ENCRYPTED_KEY, keyPassword: "key-pass-77" });
    expect(describeSettings(o)).to.not.include("key-pass-77");
  });

  it("mutual TLS from the environment: a cert file holding the key, or cert and key apart; env wins", () => {
    expect(
      resolve({
        [ENV.bootstrapServers]: "h:9093",
        [ENV.securityProtocol]: "SSL",
        [ENV.clientCertPem]: "/keystore.pem",
      }).tls,
    ).to.deep.equal({
      certPem: CERT + CA,
      keyPem: KEY,
    });
    const apart = resolve(
      {
        [ENV.clientCertPem]: "/client.pem",
        [ENV.clientKeyPem]: "/client-encrypted.key",
        [ENV.clientKeyPassword]: "key-pass-77",
      },
      [
        "bootstrap.servers=h:9093",
        "security.protocol=SSL",
        "ssl.keystore.type=PEM",
        "ssl.keystore.location=/nowhere",
      ],
    );
    expect(apart.tls).to.deep.equal({ certPem: CERT, keyPem: ENCRYPTED_KEY, keyPassword: "key-pass-77" });
  });

  it("SASL and a client certificate together (SASL_SSL + mTLS)", () => {
    const o = resolve({
      [ENV.bootstrapServers]: "h:9093",
      [ENV.username]: "u",
      [ENV.password]: "p",
      [ENV.clientCertPem]: "/client.pem",
      [ENV.clientKeyPem]: "/client.key",
    });
    expect(o.sasl?.mechanism).to.equal("PLAIN");
    expect(o.tls).to.deep.equal({ certPem: CERT, keyPem: KEY });
  });

  it("refuses what cannot work, naming the setting and never a secret", () => {
    const bad = (env: Record<string, string>, props?: string[]) => () => resolve(env, props);
    expect(bad({}, ["bootstrap.servers=h", "sasl.mechanism=GSSAPI"])).to.throw(/GSSAPI is not supported/);
    expect(
      bad({}, [
        "bootstrap.servers=h",
        "sasl.mechanism=SCRAM-SHA-512",
        'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";',
      ]),
    ).to.throw(/ScramLoginModule for sasl.mechanism SCRAM-SHA-512/);
    expect(
      bad({ [ENV.bootstrapServers]: "h", [ENV.securityProtocol]: "SSL", [ENV.clientKeyPem]: "/client.key" }),
    ).to.throw(new RegExp(`${ENV.clientKeyPem} needs ${ENV.clientCertPem}`));
    expect(
      bad({ [ENV.bootstrapServers]: "h", [ENV.securityProtocol]: "SSL", [ENV.clientCertPem]: "/client.pem" }),
    ).to.throw(/expected one PEM private key, found 0/);
    const encrypted = bad({
      [ENV.bootstrapServers]: "h",
      [ENV.securityProtocol]: "SSL",
      [ENV.clientCertPem]: "/client.pem",
      [ENV.clientKeyPem]: "/client-encrypted.key",
    });
    expect(encrypted).to.throw(new RegExp(`encrypted: set ${ENV.clientKeyPassword}`));
    expect(
      bad({}, ["bootstrap.servers=h", "security.protocol=SSL", "ssl.keystore.location=/k.p12"]),
    ).to.throw(/ssl.keystore.type JKS: only a PEM keystore/);
    expect(
      bad({}, ["bootstrap.servers=h", "security.protocol=SSL", `ssl.keystore.key=${inline(KEY)}`]),
    ).to.throw(/go together/);
    expect(
      bad({ [ENV.bootstrapServers]: "h", [ENV.securityProtocol]: "PLAINTEXT", [ENV.caPem]: "/ca.pem" }),
    ).to.throw(/uses no TLS/);
    expect(
      bad({ [ENV.bootstrapServers]: "h", [ENV.securityProtocol]: "SSL", [ENV.caPem]: "/client.key" }),
    ).to.throw(/no PEM certificate found/);
    for (const f of [
      bad({ [ENV.bootstrapServers]: "h", [ENV.securityProtocol]: "SASL_PLAINTEXT", [ENV.username]: "u" }),
      encrypted,
    ]) {
      try {
        f();
      } catch (e) {
        expect((e as Error).message).to.not.match(/BEGIN|MIG/);
      }
    }
  });

  it("SASL_PLAINTEXT with PLAIN; the JAAS parser keeps escaped quotes", () => {
    const o = resolve({
      [ENV.bootstrapServers]: "h",
      [ENV.securityProtocol]: "sasl_plaintext",
      [ENV.username]: "u",
      [ENV.password]: "p",
    });
    expect(o).to.deep.include({ tls: false, sasl: { mechanism: "PLAIN", username: "u", password: "p" } });
    expect(
      parseJaas(
        'org.apache.kafka.common.security.scram.ScramLoginModule required username="a\\"b" password="c";',
        "SCRAM-SHA-256",
      ),
    ).to.deep.equal({ username: 'a"b', password: "c" });
  });

  it("re-wraps PEM blocks whatever their line breaks", () => {
    const joined = CERT.replace(/\n/g, " ");
    expect(pemBlocks(joined).map((b) => b.text)).to.deep.equal([CERT]);
    expect(pemBlocks(KEY + CERT).map((b) => b.label)).to.deep.equal(["PRIVATE KEY", "CERTIFICATE"]);
  });

  it("failback: the new variables exist per cluster (OCI_GEO_PRIMARY_KAFKA_…), messages name that cluster's", () => {
    const env = {
      OCI_GEO_PRIMARY_KAFKA_BOOTSTRAP_SERVERS: "onprem:9093",
      OCI_GEO_PRIMARY_KAFKA_SECURITY_PROTOCOL: "SSL",
      OCI_GEO_PRIMARY_KAFKA_CLIENT_CERT_PEM: "/keystore.pem",
      OCI_GEO_DR_KAFKA_BOOTSTRAP_SERVERS: "dr:9092",
      OCI_GEO_DR_KAFKA_SECURITY_PROTOCOL: "SSL",
      OCI_GEO_DR_KAFKA_CLIENT_CERT_PEM: "/client.pem",
      OCI_GEO_DR_KAFKA_CLIENT_KEY_PEM: "/client-encrypted.key",
    };
    expect(clusterSettings("primary", {}, { env, readFile })?.tls).to.deep.equal({
      certPem: CERT + CA,
      keyPem: KEY,
    });
    expect(() => clusterSettings("dr", {}, { env, readFile })).to.throw(
      /^dr connection: .*set OCI_GEO_DR_KAFKA_CLIENT_KEY_PASSWORD/,
    );
  });
});
