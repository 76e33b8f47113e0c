/**
 * Automation API for a primary/dr pair: preview, deploy and destroy the two stacks in the safe
 * order, read their outputs, and switch the replication direction for failback. Built on Pulumi's
 * `LocalWorkspace` with this package's stack program inline; the workspace is injectable.
 *
 * Nothing here starts the Pulumi CLI before the pair has passed validation: the default workspace
 * is created on first use.
 */
export {
  DEFAULT_PROJECT_NAME,
  DIY_ORGANIZATION,
  PROGRAM_CONFIG_KEYS,
  managedConfigKeys,
  pairIdentity,
  stackArgsFor,
  stackConfigFor,
  validatePair,
} from "./pairConfig";
export type {
  PairConfig,
  PairIdentity,
  PairReplication,
  ReplicationDirection,
  SiteConfig,
  SiteMirrorMaker,
  StackConfigMap,
  StackConfigValue,
} from "./pairConfig";
export { DEFAULT_PROGRAM, localPairWorkspace, PulumiCliNotFoundError } from "./workspace";
export type {
  LocalPairWorkspaceOptions,
  OutputCallback,
  PairWorkspace,
  StackPreviewResult,
  StackUpdateResult,
  StackUpResult,
  WorkspaceOperationOptions,
} from "./workspace";
export {
  completeFailback,
  deployPair,
  destroyPair,
  directionSwitchOrder,
  PairStepError,
  previewPair,
  readOutputs,
  setReplicationDirection,
  startFailback,
} from "./operations";
export type {
  DeployPairOptions,
  DeployPairResult,
  DestroyPairResult,
  DirectionStep,
  PairOperationOptions,
  PairOutputs,
  PreviewPairResult,
  SetDirectionResult,
  StackStep,
} from "./operations";
