/** Representative user-data inputs for the contract tests (not a test file). */
import type { UserDataInput } from "../../lib/cloudinit";
import { activeActiveModel, drModel, ociToExternalModel, onpremToOciModel } from "../unit/mm2Fixtures";

export const USER_DATA_CASES: [string, UserDataInput][] = [
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
