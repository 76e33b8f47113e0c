/**
 * A minimal Kafka protocol client (node built-ins only) for OCI Streaming and Apache Kafka:
 * see {@link KafkaClient}.
 */
export {
  KafkaClient,
  type ConsumedRecord,
  type GroupDescription,
  type KafkaClientOptions,
  type ListedGroupInfo,
  type PartitionInfo,
  type ReadAllOptions,
  type TopicPartitionOffsets,
} from "./client";
export { BrokerConnection, type ConnectionOptions, type SaslPlainCredentials } from "./connection";
export {
  errorName,
  KafkaAuthenticationError,
  KafkaClientError,
  KafkaConnectionError,
  KafkaProtocolError,
  KafkaUnsupportedVersionError,
} from "./errors";
export { APIS, KAFKA_2_0_MAX_VERSIONS, type ApiName, type ApiSpec, type GroupMember } from "./protocol";
export {
  CorruptRecordError,
  decodeRecordBatch,
  decodeRecordBatches,
  UnsupportedCompressionError,
  type CompressionCodec,
  type KafkaRecord,
  type RecordBatch,
  type RecordHeader,
} from "./records";
export { crc32c, KafkaWireError, Reader, Writer, zigzagDecode64, zigzagEncode64 } from "./wire";
