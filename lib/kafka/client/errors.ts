/**
 * Kafka error codes and the errors this client raises. Every error names the API (with the
 * version used), the broker, and Kafka's error code name; none contains credentials.
 */

/** Kafka's error codes (`org.apache.kafka.common.protocol.Errors`) that this client may meet. */
const ERROR_NAMES = new Map<number, string>([
  [-1, "UNKNOWN_SERVER_ERROR"],
  [0, "NONE"],
  [1, "OFFSET_OUT_OF_RANGE"],
  [2, "CORRUPT_MESSAGE"],
  [3, "UNKNOWN_TOPIC_OR_PARTITION"],
  [4, "INVALID_FETCH_SIZE"],
  [5, "LEADER_NOT_AVAILABLE"],
  [6, "NOT_LEADER_OR_FOLLOWER"],
  [7, "REQUEST_TIMED_OUT"],
  [8, "BROKER_NOT_AVAILABLE"],
  [9, "REPLICA_NOT_AVAILABLE"],
  [10, "MESSAGE_TOO_LARGE"],
  [11, "STALE_CONTROLLER_EPOCH"],
  [12, "OFFSET_METADATA_TOO_LARGE"],
  [13, "NETWORK_EXCEPTION"],
  [14, "COORDINATOR_LOAD_IN_PROGRESS"],
  [15, "COORDINATOR_NOT_AVAILABLE"],
  [16, "NOT_COORDINATOR"],
  [17, "INVALID_TOPIC_EXCEPTION"],
  [18, "RECORD_LIST_TOO_LARGE"],
  [19, "NOT_ENOUGH_REPLICAS"],
  [20, "NOT_ENOUGH_REPLICAS_AFTER_APPEND"],
  [21, "INVALID_REQUIRED_ACKS"],
  [22, "ILLEGAL_GENERATION"],
  [23, "INCONSISTENT_GROUP_PROTOCOL"],
  [24, "INVALID_GROUP_ID"],
  [25, "UNKNOWN_MEMBER_ID"],
  [26, "INVALID_SESSION_TIMEOUT"],
  [27, "REBALANCE_IN_PROGRESS"],
  [28, "INVALID_COMMIT_OFFSET_SIZE"],
  [29, "TOPIC_AUTHORIZATION_FAILED"],
  [30, "GROUP_AUTHORIZATION_FAILED"],
  [31, "CLUSTER_AUTHORIZATION_FAILED"],
  [32, "INVALID_TIMESTAMP"],
  [33, "UNSUPPORTED_SASL_MECHANISM"],
  [34, "ILLEGAL_SASL_STATE"],
  [35, "UNSUPPORTED_VERSION"],
  [36, "TOPIC_ALREADY_EXISTS"],
  [37, "INVALID_PARTITIONS"],
  [38, "INVALID_REPLICATION_FACTOR"],
  [39, "INVALID_REPLICA_ASSIGNMENT"],
  [40, "INVALID_CONFIG"],
  [41, "NOT_CONTROLLER"],
  [42, "INVALID_REQUEST"],
  [43, "UNSUPPORTED_FOR_MESSAGE_FORMAT"],
  [44, "POLICY_VIOLATION"],
  [45, "OUT_OF_ORDER_SEQUENCE_NUMBER"],
  [46, "DUPLICATE_SEQUENCE_NUMBER"],
  [47, "INVALID_PRODUCER_EPOCH"],
  [48, "INVALID_TXN_STATE"],
  [49, "INVALID_PRODUCER_ID_MAPPING"],
  [50, "INVALID_TRANSACTION_TIMEOUT"],
  [51, "CONCURRENT_TRANSACTIONS"],
  [52, "TRANSACTION_COORDINATOR_FENCED"],
  [53, "TRANSACTIONAL_ID_AUTHORIZATION_FAILED"],
  [54, "SECURITY_DISABLED"],
  [55, "OPERATION_NOT_ATTEMPTED"],
  [56, "KAFKA_STORAGE_ERROR"],
  [57, "LOG_DIR_NOT_FOUND"],
  [58, "SASL_AUTHENTICATION_FAILED"],
  [59, "UNKNOWN_PRODUCER_ID"],
  [60, "REASSIGNMENT_IN_PROGRESS"],
  [61, "DELEGATION_TOKEN_AUTH_DISABLED"],
  [62, "DELEGATION_TOKEN_NOT_FOUND"],
  [63, "DELEGATION_TOKEN_OWNER_MISMATCH"],
  [64, "DELEGATION_TOKEN_REQUEST_NOT_ALLOWED"],
  [65, "DELEGATION_TOKEN_AUTHORIZATION_FAILED"],
  [66, "DELEGATION_TOKEN_EXPIRED"],
  [67, "INVALID_PRINCIPAL_TYPE"],
  [68, "NON_EMPTY_GROUP"],
  [69, "GROUP_ID_NOT_FOUND"],
  [70, "FETCH_SESSION_ID_NOT_FOUND"],
  [71, "INVALID_FETCH_SESSION_EPOCH"],
  [72, "LISTENER_NOT_FOUND"],
  [73, "TOPIC_DELETION_DISABLED"],
  [74, "FENCED_LEADER_EPOCH"],
  [75, "UNKNOWN_LEADER_EPOCH"],
  [76, "UNSUPPORTED_COMPRESSION_TYPE"],
  [77, "STALE_BROKER_EPOCH"],
  [78, "OFFSET_NOT_AVAILABLE"],
  [79, "MEMBER_ID_REQUIRED"],
  [80, "PREFERRED_LEADER_NOT_AVAILABLE"],
  [81, "GROUP_MAX_SIZE_REACHED"],
  [82, "FENCED_INSTANCE_ID"],
  [87, "INVALID_RECORD"],
  [88, "UNSTABLE_OFFSET_COMMIT"],
  [89, "THROTTLING_QUOTA_EXCEEDED"],
  [100, "UNKNOWN_TOPIC_ID"],
  [106, "FETCH_SESSION_TOPIC_ID_ERROR"],
  [110, "FENCED_MEMBER_EPOCH"],
  [113, "STALE_MEMBER_EPOCH"],
]);

/** `NOT_LEADER_OR_FOLLOWER` for 6, `UNKNOWN_ERROR_CODE_<n>` for codes not in the table. */
export function errorName(code: number): string {
  return ERROR_NAMES.get(code) ?? `UNKNOWN_ERROR_CODE_${code}`;
}

/** Codes after which a request may succeed when retried (after a metadata/coordinator refresh). */
const RETRIABLE = new Set([3, 5, 6, 7, 8, 9, 13, 14, 15, 16, 19, 20, 56, 74, 75, 78, 80, 89]);

export function isRetriable(code: number): boolean {
  return RETRIABLE.has(code);
}

/** Codes that mean "ask someone else": the leader or coordinator moved. */
export function needsRediscovery(code: number): boolean {
  return code === 6 || code === 5 || code === 15 || code === 16 || code === 74 || code === 75;
}

/** Base class of every error raised by the client. */
export class KafkaClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KafkaClientError";
  }
}

/** A broker answered with a non-zero error code. */
export class KafkaProtocolError extends KafkaClientError {
  readonly codeName: string;
  readonly retriable: boolean;

  constructor(
    /** API name and version, e.g. `OffsetCommit v8`. */
    public readonly api: string,
    /** `<nodeId>@host:port` or `host:port` (bootstrap). */
    public readonly broker: string,
    public readonly code: number,
    /** What the error is about (topic/partition/group), and the broker's message if any. */
    detail?: string,
  ) {
    const name = errorName(code);
    super(`${api} to broker ${broker} failed: ${name} (${code})${detail ? `: ${detail}` : ""}`);
    this.name = "KafkaProtocolError";
    this.codeName = name;
    this.retriable = isRetriable(code);
  }
}

/** The connection failed, timed out or was closed while a request was outstanding. */
export class KafkaConnectionError extends KafkaClientError {
  constructor(
    message: string,
    public readonly broker: string,
    public readonly api?: string,
    public readonly cause?: unknown,
  ) {
    super(message);
    this.name = "KafkaConnectionError";
  }
}

/** SASL authentication was refused (wrong credentials, mechanism not enabled). */
export class KafkaAuthenticationError extends KafkaProtocolError {
  constructor(api: string, broker: string, code: number, detail?: string) {
    super(api, broker, code, detail);
    this.name = "KafkaAuthenticationError";
  }
}

/** The broker and this client share no version of an API the client needs. */
export class KafkaUnsupportedVersionError extends KafkaClientError {
  constructor(
    public readonly api: string,
    public readonly broker: string,
    detail: string,
  ) {
    super(`${api}: broker ${broker} ${detail}`);
    this.name = "KafkaUnsupportedVersionError";
  }
}
