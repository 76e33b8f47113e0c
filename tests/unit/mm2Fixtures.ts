/**
 * Shared models for the MM2 / cloud-init tests. Not a test file itself (no `.test.ts`).
 */
import type { ExternalClusterSpec, OciClusterSpec, ReplicationModelInput } from "../../lib/core/mm2";

/** A recognisable fake credential: it must never appear in anything rendered. */
export const FAKE_TOKEN = 'FAKE-t0ken"quote\\back$dollar{brace};semi)(<FAKE>';

export const primary: OciClusterSpec = {
  kind: "oci",
  alias: "primary",
  bootstrapServers: "cell-1.streaming.eu-frankfurt-1.oci.oraclecloud.com:9092",
  tenancyName: "acme",
  userName: "mm2-replicator",
  streamPoolId: "ocid1.streampool.oc1.eu-frankfurt-1.amaaaaaaprimarypool",
  authToken: { secretId: "ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaaprimarytoken" },
  connectHarnessId: "ocid1.connectharness.oc1.eu-frankfurt-1.amaaaaaaprimaryharness",
  topics: [
    { name: "orders", partitions: 6 },
    { name: "payments", partitions: 3 },
  ],
};

export const dr: OciClusterSpec = {
  kind: "oci",
  alias: "dr",
  bootstrapServers: "cell-1.streaming.eu-amsterdam-1.oci.oraclecloud.com:9092",
  tenancyName: "acme",
  userName: "mm2-replicator",
  streamPoolId: "ocid1.streampool.oc1.eu-amsterdam-1.amaaaaaadrpool",
  authToken: { secretId: "ocid1.vaultsecret.oc1.eu-amsterdam-1.amaaaaaadrtoken" },
  connectHarnessId: "ocid1.connectharness.oc1.eu-amsterdam-1.amaaaaaadrharness",
  topics: [{ name: "audit", partitions: 2 }],
};

export const onprem: ExternalClusterSpec = {
  kind: "external",
  alias: "onprem",
  bootstrapServers: "kafka-1.dc1.example.com:9093,kafka-2.dc1.example.com:9093",
  security: {
    protocol: "SASL_SSL",
    mechanism: "SCRAM-SHA-512",
    username: "mm2",
    password: { secretId: "ocid1.vaultsecret.oc1.eu-amsterdam-1.amaaaaaaonprempassword" },
    tls: {
      truststore: {
        type: "PKCS12",
        content: { secretId: "ocid1.vaultsecret.oc1.eu-amsterdam-1.amaaaaaaonpremtrust" },
        password: { secretId: "ocid1.vaultsecret.oc1.eu-amsterdam-1.amaaaaaaonpremtrustpw" },
      },
    },
  },
  topics: [{ name: "ledger", partitions: 12 }],
};

export const mtls: ExternalClusterSpec = {
  kind: "external",
  alias: "dc2",
  bootstrapServers: "kafka.dc2.example.com:9094",
  security: {
    protocol: "SSL",
    tls: {
      truststore: {
        type: "PEM",
        content: { secretId: "ocid1.vaultsecret.oc1.eu-amsterdam-1.amaaaaaadc2ca" },
      },
      keystore: {
        type: "PKCS12",
        content: { secretId: "ocid1.vaultsecret.oc1.eu-amsterdam-1.amaaaaaadc2ks" },
        password: { secretId: "ocid1.vaultsecret.oc1.eu-amsterdam-1.amaaaaaadc2kspw" },
      },
      keyPassword: { secretId: "ocid1.vaultsecret.oc1.eu-amsterdam-1.amaaaaaadc2keypw" },
      endpointIdentification: false,
    },
  },
};

/** The DR stack's fleet: primary -> dr, two nodes of 2 vCPUs. */
export function drModel(overrides: Partial<ReplicationModelInput> = {}): ReplicationModelInput {
  return {
    clusters: [primary, dr],
    flows: [{ source: "primary", target: "dr" }],
    target: "dr",
    fleet: { nodes: 2, coresPerNode: 2 },
    ...overrides,
  };
}

/** Active-active between two OCI regions, rendered for the dr fleet. */
export function activeActiveModel(overrides: Partial<ReplicationModelInput> = {}): ReplicationModelInput {
  return drModel({
    flows: [
      { source: "primary", target: "dr" },
      { source: "dr", target: "primary" },
    ],
    ...overrides,
  });
}

/** On-premises Kafka (SASL_SSL/SCRAM) into OCI. */
export function onpremToOciModel(overrides: Partial<ReplicationModelInput> = {}): ReplicationModelInput {
  return {
    clusters: [onprem, dr],
    flows: [{ source: "onprem", target: "dr", topics: { include: ["ledger", "billing\\..*"] } }],
    target: "dr",
    fleet: { nodes: 1, coresPerNode: 4 },
    ...overrides,
  };
}

/** OCI into an external cluster (failback to on-premises), mTLS. */
export function ociToExternalModel(overrides: Partial<ReplicationModelInput> = {}): ReplicationModelInput {
  return {
    clusters: [dr, mtls],
    flows: [{ source: "dr", target: "dc2" }],
    target: "dc2",
    fleet: { nodes: 1, coresPerNode: 2 },
    ...overrides,
  };
}

/** Deep copy with every array reversed: same deployment, different input order. */
export function shuffled<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map((v) => shuffled(v)).reverse() as unknown as T;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).reverse();
    return Object.fromEntries(entries.map(([k, v]) => [k, shuffled(v)])) as T;
  }
  return value;
}

/**
 * Parses the option values of a JAAS configuration line (`Module flag k="v" k2="v2";`) the way
 * Kafka's JaasConfig (a java.io.StreamTokenizer with `"` as quote character) reads quoted values.
 */
export function parseJaasOptions(jaas: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([A-Za-z0-9_.-]+)="((?:[^"\\]|\\.)*)"/g;
  for (const m of jaas.matchAll(re)) {
    out.set(
      m[1],
      m[2].replace(/\\(.)/g, (_s, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c === "r" ? "\r" : c)),
    );
  }
  return out;
}
