/**
 * Local rehearsal on real Kafka: the Kafka runtime from Maven Central, local clusters that
 * emulate OCI Streaming, the real MirrorMaker 2, and the workload tools.
 *
 * Operator/test tooling: it starts JVMs and needs Java 17 and Maven; nothing here runs at import.
 */
export {
  ensureKafkaRuntime,
  defaultKafkaCacheDir,
  type KafkaRuntime,
  type EnsureKafkaRuntimeOptions,
} from "./kafkaRuntime";
export {
  startCluster,
  harnessTopicNames,
  type LocalCluster,
  type StartClusterOptions,
  type HarnessTopics,
  type TopicDescription,
} from "./cluster";
export {
  startMirrorMaker,
  waitForTopicRecords,
  trustStoreFor,
  logTail,
  type MirrorMakerHandle,
  type StartMirrorMakerOptions,
  type JvmTrustStore,
} from "./mirrorMaker";
export { removeProperties } from "./mm2Properties";
export {
  prepareRenderedMirrorMaker,
  startRenderedNode,
  startEmulatedRegions,
  createConnectHarness,
  perNodeProperties,
  regionOfAlias,
  rehearsalDrArgs,
  runPutSecret,
  type PrepareRenderedMirrorMakerOptions,
  type PreparedMirrorMaker,
  type RenderedNode,
  type RehearsalStream,
  type EmulatedRegions,
  type StartRenderedNodeOptions,
} from "./renderedConfig";
export {
  prepareModelMirrorMaker,
  startModelNode,
  ociClusterSpec,
  externalClusterSpec,
  rehearsalSecretId,
  type PrepareModelMirrorMakerOptions,
  type PreparedModelMirrorMaker,
} from "./modelConfig";
export {
  adminOps,
  adminOpsOrThrow,
  produce,
  verify,
  pipe,
  runJavaTool,
  formatProperties,
  AdminOperationError,
  JavaToolError,
  type AdminOp,
  type AdminResult,
  type ProduceOptions,
  type ProduceResult,
  type VerifyOptions,
  type VerifyResult,
  type PipeOptions,
  type PipeResult,
  type ToolClientConfig,
  type ToolError,
  type CheckpointRecord,
  type OffsetSyncRecord,
} from "./tools";
export {
  killAllManagedProcesses,
  runningManagedProcesses,
  type ManagedProcess,
  type ProcessExit,
} from "./processes";
