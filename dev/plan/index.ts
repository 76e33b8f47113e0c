/**
 * The offline plan: an OCI-faithful Pulumi mock engine and a runner that evaluates a Pulumi
 * program per stack under it (no cloud, no Pulumi CLI).
 */
export {
  ANSWERED_INVOKES,
  DEFAULT_MOCK_REGION,
  MockRejection,
  OciMocks,
  ociKind,
} from "../oci-model/ociMocks";
export type { InstallOptions, OciMocksOptions, ResourceRecord } from "../oci-model/ociMocks";
export { PlanError, planDocument, planStacks, referenceOutputsOf, runStack, stacksInOrder } from "./runStack";
export type {
  PlannedResource,
  PlanResource,
  PlanStacksOptions,
  RunStackOptions,
  StackPlan,
} from "./runStack";
export { PLAN_ARTIFACTS, writeArtifacts } from "./artifacts";
export type { ArtifactSpec, WrittenArtifact } from "./artifacts";
export { keySettings, renderOutputs, renderTree } from "./planText";
export { SECRET_MASK, isWireSecret, maskWire, wireSecret } from "../oci-model/wire";
