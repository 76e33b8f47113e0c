/** Representative user-data inputs for the contract tests (not a test file). */
import type { OperationsNodeInput, UserDataInput } from "../../lib/core/cloudinit";
import { activeActiveModel, drModel, ociToExternalModel, onpremToOciModel } from "../unit/mm2Fixtures";

/** The operations part of a node (metrics, logs, the operator commands from the tools bucket). */
export function operations(over: Partial<OperationsNodeInput> = {}): OperationsNodeInput {
  return {
    metricNamespace: "geo_streaming",
    compartmentId: "ocid1.compartment.oc1..aaaaaaaa5x2rexample",
    region: "eu-amsterdam-1",
    deployment: "geo-dr-replication",
    arch: "x86_64",
    tools: {
      namespace: "axaxnpcrorw5",
      bucket: "geo-dr-replication-tools-a1b2c3",
      object: `tools/oci-geo-streaming-0.1.0-${"ab".repeat(32)}.cjs`,
      sha256: "ab".repeat(32),
      version: "0.1.0",
    },
    ...over,
  };
}

export const USER_DATA_CASES: [string, UserDataInput][] = [
  [
    "1 node with operations",
    { model: drModel({ fleet: { nodes: 1, coresPerNode: 2 } }), nodeMemoryGbs: 8, operations: operations() },
  ],
  [
    "3 nodes with operations, arm, mirrors",
    {
      model: drModel({ fleet: { nodes: 3, coresPerNode: 4 } }),
      nodeMemoryGbs: 16,
      fleetSubnetCidr: "10.20.2.0/24",
      operations: operations({
        arch: "aarch64",
        nodeDownloadBaseUrl: "https://mirror.example.com/node",
        jmxExporterDownloadBaseUrl: "https://mirror.example.com/maven2",
      }),
    },
  ],
  ["1 node", { model: drModel({ fleet: { nodes: 1, coresPerNode: 2 } }), nodeMemoryGbs: 8 }],
  [
    "3 nodes",
    {
      model: drModel({ fleet: { nodes: 3, coresPerNode: 4 } }),
      nodeMemoryGbs: 16,
      fleetSubnetCidr: "10.20.2.0/24",
    },
  ],
  [
    "custom mirror URL",
    {
      model: drModel({ fleet: { nodes: 1, coresPerNode: 2 } }),
      nodeMemoryGbs: 4,
      kafkaDownloadBaseUrl: "https://objectstorage.eu-amsterdam-1.oraclecloud.com/n/acme/b/mirror/o/kafka",
    },
  ],
  [
    "active-active, 2 nodes",
    { model: activeActiveModel(), nodeMemoryGbs: 16, fleetSubnetCidr: "10.20.2.0/24" },
  ],
  ["on-prem SCRAM/TLS into OCI", { model: onpremToOciModel(), nodeMemoryGbs: 8 }],
  ["OCI into external mTLS", { model: ociToExternalModel(), nodeMemoryGbs: 8 }],
];
