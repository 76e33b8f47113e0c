/**
 * The Kafka APIs this client speaks, with the version range it implements for each, and their
 * request encoders / response decoders. Field lists follow Apache Kafka's message definitions
 * (`clients/src/main/resources/common/message/<Api>{Request,Response}.json`).
 *
 * Version choice: at connect the client sends ApiVersions and uses, per API, the highest version
 * both sides support. The ranges below start at versions that Kafka 2.0 brokers already serve and
 * that Kafka 4.x still serves (4.0 removed many pre-2.1 versions, KIP-896), so the same client
 * works against OCI Streaming (an older, roughly Kafka 2.x API surface) and current Apache Kafka.
 * The maxima stop before versions that change the addressing model (Fetch 13+: topic IDs instead of
 * names; FindCoordinator 5+/OffsetFetch 8+: share-group and batched-group variants) — nothing
 * this client needs is gained by them.
 */
import { Reader, Writer } from "./wire";

export interface ApiSpec {
  key: number;
  name: string;
  /** Lowest version implemented here. */
  min: number;
  /** Highest version implemented here. */
  max: number;
  /** First flexible version (compact encodings, tagged fields, header v2), or Infinity. */
  flexibleFrom: number;
}

export const APIS = {
  Fetch: { key: 1, name: "Fetch", min: 4, max: 12, flexibleFrom: 12 },
  ListOffsets: { key: 2, name: "ListOffsets", min: 1, max: 10, flexibleFrom: 6 },
  Metadata: { key: 3, name: "Metadata", min: 4, max: 12, flexibleFrom: 9 },
  OffsetCommit: { key: 8, name: "OffsetCommit", min: 2, max: 9, flexibleFrom: 8 },
  OffsetFetch: { key: 9, name: "OffsetFetch", min: 1, max: 7, flexibleFrom: 6 },
  FindCoordinator: { key: 10, name: "FindCoordinator", min: 1, max: 4, flexibleFrom: 3 },
  DescribeGroups: { key: 15, name: "DescribeGroups", min: 0, max: 5, flexibleFrom: 5 },
  ListGroups: { key: 16, name: "ListGroups", min: 0, max: 4, flexibleFrom: 3 },
  SaslHandshake: { key: 17, name: "SaslHandshake", min: 1, max: 1, flexibleFrom: Infinity },
  ApiVersions: { key: 18, name: "ApiVersions", min: 0, max: 3, flexibleFrom: 3 },
  SaslAuthenticate: { key: 36, name: "SaslAuthenticate", min: 0, max: 2, flexibleFrom: 2 },
} as const satisfies Record<string, ApiSpec>;

export type ApiName = keyof typeof APIS;

/**
 * Caps matching the API versions of an Apache Kafka 2.0 broker (an older, OCI-like surface): used
 * by the tests to exercise the non-flexible encodings against a current broker.
 */
export const KAFKA_2_0_MAX_VERSIONS: Partial<Record<ApiName, number>> = {
  Fetch: 8,
  ListOffsets: 3,
  Metadata: 6,
  OffsetCommit: 4,
  OffsetFetch: 4,
  FindCoordinator: 2,
  DescribeGroups: 2,
  ListGroups: 2,
  ApiVersions: 2,
  SaslAuthenticate: 0,
};

export function isFlexible(api: ApiSpec, version: number): boolean {
  return version >= api.flexibleFrom;
}

export interface Request<T> {
  api: ApiSpec;
  version: number;
  encode(w: Writer): void;
  decode(r: Reader): T;
}

// ------------------------------------------------------------------------------------------------
// ApiVersions (18)

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export interface ApiVersionsResult {
  errorCode: number;
  apiKeys: ApiVersionRange[];
}

export const CLIENT_SOFTWARE_NAME = "oci-geo-streaming-kafka-client";
export const CLIENT_SOFTWARE_VERSION = "0.1.0";

export function apiVersionsRequest(version: number): Request<ApiVersionsResult> {
  return {
    api: APIS.ApiVersions,
    version,
    encode(w) {
      if (version >= 3) {
        w.string(CLIENT_SOFTWARE_NAME).string(CLIENT_SOFTWARE_VERSION).tags();
      }
    },
    decode(r) {
      const errorCode = r.int16();
      // UNSUPPORTED_VERSION: the broker answers with a v0 body listing what it supports (KIP-511).
      if (errorCode === 35) r.flexible = false;
      const apiKeys = r.array((a) => {
        const range = { apiKey: a.int16(), minVersion: a.int16(), maxVersion: a.int16() };
        a.tags();
        return range;
      });
      return { errorCode, apiKeys };
    },
  };
}

// ------------------------------------------------------------------------------------------------
// SaslHandshake (17) and SaslAuthenticate (36)

export interface SaslHandshakeResult {
  errorCode: number;
  mechanisms: string[];
}

export function saslHandshakeRequest(mechanism: string): Request<SaslHandshakeResult> {
  return {
    api: APIS.SaslHandshake,
    version: 1,
    encode(w) {
      w.string(mechanism);
    },
    decode(r) {
      return { errorCode: r.int16(), mechanisms: r.array((a) => a.string()) };
    },
  };
}

export interface SaslAuthenticateResult {
  errorCode: number;
  errorMessage: string | null;
  authBytes: Buffer;
  sessionLifetimeMs: number;
}

export function saslAuthenticateRequest(version: number, authBytes: Buffer): Request<SaslAuthenticateResult> {
  return {
    api: APIS.SaslAuthenticate,
    version,
    encode(w) {
      w.bytes(authBytes).tags();
    },
    decode(r) {
      const errorCode = r.int16();
      const errorMessage = r.nullableString();
      const bytes = r.bytes();
      const sessionLifetimeMs = version >= 1 ? r.int64("sessionLifetimeMs") : 0;
      r.tags();
      return { errorCode, errorMessage, authBytes: bytes, sessionLifetimeMs };
    },
  };
}

// ------------------------------------------------------------------------------------------------
// Metadata (3)

export interface BrokerInfo {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface PartitionMetadata {
  errorCode: number;
  partition: number;
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
}

export interface TopicMetadata {
  errorCode: number;
  name: string;
  isInternal: boolean;
  partitions: PartitionMetadata[];
}

export interface MetadataResult {
  brokers: BrokerInfo[];
  clusterId: string | null;
  controllerId: number;
  topics: TopicMetadata[];
}

const ZERO_UUID = Buffer.alloc(16);

/** `topics` null: every topic. Never asks the broker to auto-create topics. */
export function metadataRequest(version: number, topics: string[] | null): Request<MetadataResult> {
  return {
    api: APIS.Metadata,
    version,
    encode(w) {
      w.array(topics, (tw, name) => {
        if (version >= 10) tw.uuid(ZERO_UUID);
        tw.string(name);
        tw.tags();
      });
      w.bool(false); // AllowAutoTopicCreation (v4+)
      if (version >= 8 && version <= 10) w.bool(false); // IncludeClusterAuthorizedOperations
      if (version >= 8) w.bool(false); // IncludeTopicAuthorizedOperations
      w.tags();
    },
    decode(r) {
      r.int32(); // ThrottleTimeMs (v3+)
      const brokers = r.array((b) => {
        const broker = { nodeId: b.int32(), host: b.string(), port: b.int32(), rack: b.nullableString() };
        b.tags();
        return broker;
      });
      const clusterId = r.nullableString();
      const controllerId = r.int32();
      const topicList = r.array((t) => {
        const errorCode = t.int16();
        const name = t.nullableString() ?? "";
        if (version >= 10) t.uuid();
        const isInternal = t.bool();
        const partitions = t.array((p) => {
          const errorCode = p.int16();
          const partition = p.int32();
          const leader = p.int32();
          const leaderEpoch = version >= 7 ? p.int32() : -1;
          const replicas = p.array((x) => x.int32());
          const isr = p.array((x) => x.int32());
          if (version >= 5) p.array((x) => x.int32()); // OfflineReplicas
          p.tags();
          return { errorCode, partition, leader, leaderEpoch, replicas, isr };
        });
        if (version >= 8) t.int32(); // TopicAuthorizedOperations
        t.tags();
        return { errorCode, name, isInternal, partitions };
      });
      if (version >= 8 && version <= 10) r.int32(); // ClusterAuthorizedOperations
      r.tags();
      return { brokers, clusterId, controllerId, topics: topicList };
    },
  };
}

// ------------------------------------------------------------------------------------------------
// ListOffsets (2)

export const EARLIEST_TIMESTAMP = -2;
export const LATEST_TIMESTAMP = -1;

export interface ListOffsetsPartitionResult {
  partition: number;
  errorCode: number;
  timestamp: number;
  offset: number;
}

export interface ListOffsetsResult {
  topics: { name: string; partitions: ListOffsetsPartitionResult[] }[];
}

export function listOffsetsRequest(
  version: number,
  topic: string,
  partitions: number[],
  timestamp: number,
  timeoutMs: number,
): Request<ListOffsetsResult> {
  return {
    api: APIS.ListOffsets,
    version,
    encode(w) {
      w.int32(-1); // ReplicaId: a consumer
      if (version >= 2) w.int8(0); // IsolationLevel: READ_UNCOMMITTED (OCI has no transactions)
      w.array([topic], (tw, name) => {
        tw.string(name);
        tw.array(partitions, (pw, p) => {
          pw.int32(p);
          if (version >= 4) pw.int32(-1); // CurrentLeaderEpoch
          pw.int64(timestamp);
          pw.tags();
        });
        tw.tags();
      });
      if (version >= 10) w.int32(timeoutMs);
      w.tags();
    },
    decode(r) {
      if (version >= 2) r.int32(); // ThrottleTimeMs
      const topics = r.array((t) => {
        const name = t.string();
        const parts = t.array((p) => {
          const partition = p.int32();
          const errorCode = p.int16();
          const ts = p.int64("timestamp");
          const offset = p.int64("offset");
          if (version >= 4) p.int32(); // LeaderEpoch
          p.tags();
          return { partition, errorCode, timestamp: ts, offset };
        });
        t.tags();
        return { name, partitions: parts };
      });
      r.tags();
      return { topics };
    },
  };
}

// ------------------------------------------------------------------------------------------------
// Fetch (1)

export interface FetchPartitionRequest {
  partition: number;
  fetchOffset: number;
  maxBytes: number;
}

export interface FetchPartitionResult {
  partition: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  /** The raw record batches (null or empty when there is nothing). */
  records: Buffer | null;
}

export interface FetchResult {
  errorCode: number;
  topics: { name: string; partitions: FetchPartitionResult[] }[];
}

export function fetchRequest(
  version: number,
  topic: string,
  partitions: FetchPartitionRequest[],
  options: { maxWaitMs: number; minBytes: number; maxBytes: number },
): Request<FetchResult> {
  return {
    api: APIS.Fetch,
    version,
    encode(w) {
      w.int32(-1); // ReplicaId (v0-14): a consumer
      w.int32(options.maxWaitMs);
      w.int32(options.minBytes);
      w.int32(options.maxBytes); // v3+
      w.int8(0); // IsolationLevel (v4+): READ_UNCOMMITTED
      if (version >= 7) {
        w.int32(0); // SessionId: no fetch session
        w.int32(-1); // SessionEpoch: full fetch, no session created
      }
      w.array([topic], (tw, name) => {
        tw.string(name);
        tw.array(partitions, (pw, p) => {
          pw.int32(p.partition);
          if (version >= 9) pw.int32(-1); // CurrentLeaderEpoch
          pw.int64(p.fetchOffset);
          if (version >= 12) pw.int32(-1); // LastFetchedEpoch
          if (version >= 5) pw.int64(-1); // LogStartOffset (followers only)
          pw.int32(p.maxBytes);
          pw.tags();
        });
        tw.tags();
      });
      if (version >= 7) w.array([], () => undefined); // ForgottenTopicsData
      if (version >= 11) w.string(""); // RackId
      w.tags();
    },
    decode(r) {
      r.int32(); // ThrottleTimeMs
      const errorCode = version >= 7 ? r.int16() : 0;
      if (version >= 7) r.int32(); // SessionId
      const topics = r.array((t) => {
        const name = t.string();
        const parts = t.array((p) => {
          const partition = p.int32();
          const errorCode = p.int16();
          const highWatermark = p.int64("highWatermark");
          const lastStableOffset = p.int64("lastStableOffset");
          const logStartOffset = version >= 5 ? p.int64("logStartOffset") : -1;
          p.array((a) => {
            a.int64Big(); // ProducerId
            a.int64Big(); // FirstOffset
            a.tags();
          }); // AbortedTransactions (nullable)
          if (version >= 11) p.int32(); // PreferredReadReplica
          const records = p.nullableBytes();
          p.tags();
          return { partition, errorCode, highWatermark, lastStableOffset, logStartOffset, records };
        });
        t.tags();
        return { name, partitions: parts };
      });
      r.tags();
      return { errorCode, topics };
    },
  };
}

// ------------------------------------------------------------------------------------------------
// FindCoordinator (10)

export interface CoordinatorResult {
  errorCode: number;
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
}

export function findCoordinatorRequest(version: number, group: string): Request<CoordinatorResult> {
  return {
    api: APIS.FindCoordinator,
    version,
    encode(w) {
      if (version <= 3) w.string(group);
      w.int8(0); // KeyType (v1+): GROUP
      if (version >= 4) w.array([group], (kw, k) => kw.string(k));
      w.tags();
    },
    decode(r) {
      r.int32(); // ThrottleTimeMs (v1+)
      if (version <= 3) {
        const errorCode = r.int16();
        const errorMessage = r.nullableString();
        const result = { errorCode, errorMessage, nodeId: r.int32(), host: r.string(), port: r.int32() };
        r.tags();
        return result;
      }
      const coordinators = r.array((c) => {
        c.string(); // Key
        const nodeId = c.int32();
        const host = c.string();
        const port = c.int32();
        const errorCode = c.int16();
        const errorMessage = c.nullableString();
        c.tags();
        return { errorCode, errorMessage, nodeId, host, port };
      });
      r.tags();
      if (coordinators.length !== 1) {
        return {
          errorCode: -1,
          errorMessage: `${coordinators.length} coordinators returned for one key`,
          nodeId: -1,
          host: "",
          port: -1,
        };
      }
      return coordinators[0];
    },
  };
}

// ------------------------------------------------------------------------------------------------
// DescribeGroups (15)

export interface GroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  /** `Empty`, `Stable`, `PreparingRebalance`, `CompletingRebalance`, `Dead`. */
  state: string;
  protocolType: string;
  protocol: string;
  members: GroupMember[];
}

export function describeGroupsRequest(version: number, groups: string[]): Request<DescribedGroup[]> {
  return {
    api: APIS.DescribeGroups,
    version,
    encode(w) {
      w.array(groups, (gw, g) => gw.string(g));
      if (version >= 3) w.bool(false); // IncludeAuthorizedOperations
      w.tags();
    },
    decode(r) {
      if (version >= 1) r.int32(); // ThrottleTimeMs
      const described = r.array((g) => {
        const errorCode = g.int16();
        const groupId = g.string();
        const state = g.string();
        const protocolType = g.string();
        const protocol = g.string();
        const members = g.array((m) => {
          const memberId = m.string();
          const groupInstanceId = version >= 4 ? m.nullableString() : null;
          const clientId = m.string();
          const clientHost = m.string();
          m.bytes(); // MemberMetadata
          m.bytes(); // MemberAssignment
          m.tags();
          return { memberId, groupInstanceId, clientId, clientHost };
        });
        if (version >= 3) g.int32(); // AuthorizedOperations
        g.tags();
        return { errorCode, groupId, state, protocolType, protocol, members };
      });
      r.tags();
      return described;
    },
  };
}

// ------------------------------------------------------------------------------------------------
// ListGroups (16)

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  /** v4+ only; null when the broker's version does not report it. */
  state: string | null;
}

export function listGroupsRequest(version: number): Request<{ errorCode: number; groups: ListedGroup[] }> {
  return {
    api: APIS.ListGroups,
    version,
    encode(w) {
      if (version >= 4) w.array([], () => undefined); // StatesFilter: all
      w.tags();
    },
    decode(r) {
      if (version >= 1) r.int32(); // ThrottleTimeMs
      const errorCode = r.int16();
      const groups = r.array((g) => {
        const groupId = g.string();
        const protocolType = g.string();
        const state = version >= 4 ? g.string() : null;
        g.tags();
        return { groupId, protocolType, state };
      });
      r.tags();
      return { errorCode, groups };
    },
  };
}

// ------------------------------------------------------------------------------------------------
// OffsetFetch (9)

export interface OffsetFetchPartition {
  partition: number;
  /** -1 when the group has no committed offset for the partition. */
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
  errorCode: number;
}

export interface OffsetFetchResult {
  errorCode: number;
  topics: { name: string; partitions: OffsetFetchPartition[] }[];
}

/** `topics` null (v2+): every partition the group has committed. */
export function offsetFetchRequest(
  version: number,
  group: string,
  topics: { name: string; partitions: number[] }[] | null,
): Request<OffsetFetchResult> {
  return {
    api: APIS.OffsetFetch,
    version,
    encode(w) {
      w.string(group);
      w.array(topics, (tw, t) => {
        tw.string(t.name);
        tw.array(t.partitions, (pw, p) => pw.int32(p));
        tw.tags();
      });
      if (version >= 7) w.bool(false); // RequireStable
      w.tags();
    },
    decode(r) {
      if (version >= 3) r.int32(); // ThrottleTimeMs
      const result = r.array((t) => {
        const name = t.string();
        const partitions = t.array((p) => {
          const partition = p.int32();
          const offset = p.int64("committedOffset");
          const leaderEpoch = version >= 5 ? p.int32() : -1;
          const metadata = p.nullableString();
          const errorCode = p.int16();
          p.tags();
          return { partition, offset, leaderEpoch, metadata, errorCode };
        });
        t.tags();
        return { name, partitions };
      });
      const errorCode = version >= 2 ? r.int16() : 0;
      r.tags();
      return { errorCode, topics: result };
    },
  };
}

// ------------------------------------------------------------------------------------------------
// OffsetCommit (8)

export interface OffsetCommitResult {
  topics: { name: string; partitions: { partition: number; errorCode: number }[] }[];
}

/**
 * A standalone commit (no group membership): generation -1, member id "", as Kafka's
 * `Admin.alterConsumerGroupOffsets` does. The broker accepts it only while the group has no
 * active members.
 */
export function offsetCommitRequest(
  version: number,
  group: string,
  topics: { name: string; partitions: { partition: number; offset: number; metadata: string | null }[] }[],
): Request<OffsetCommitResult> {
  return {
    api: APIS.OffsetCommit,
    version,
    encode(w) {
      w.string(group);
      w.int32(-1); // GenerationIdOrMemberEpoch (v1+)
      w.string(""); // MemberId (v1+)
      if (version >= 7) w.nullableString(null); // GroupInstanceId
      if (version >= 2 && version <= 4) w.int64(-1); // RetentionTimeMs: broker default
      w.array(topics, (tw, t) => {
        tw.string(t.name);
        tw.array(t.partitions, (pw, p) => {
          pw.int32(p.partition);
          pw.int64(p.offset);
          if (version >= 6) pw.int32(-1); // CommittedLeaderEpoch
          pw.nullableString(p.metadata);
          pw.tags();
        });
        tw.tags();
      });
      w.tags();
    },
    decode(r) {
      if (version >= 3) r.int32(); // ThrottleTimeMs
      const result = r.array((t) => {
        const name = t.string();
        const partitions = t.array((p) => {
          const part = { partition: p.int32(), errorCode: p.int16() };
          p.tags();
          return part;
        });
        t.tags();
        return { name, partitions };
      });
      r.tags();
      return { topics: result };
    },
  };
}
