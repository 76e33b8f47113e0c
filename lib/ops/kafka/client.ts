/**
 * The Kafka operations the operator tools (failover, failback, the drill) need, on
 * @platformatic/kafka: topic metadata, earliest/latest offsets, reading a topic or a partition
 * range (every codec: none, gzip, snappy, lz4, zstd), consumer-group inspection and standalone
 * offset commits for a group with no members. No producer, no group membership.
 *
 * Security: PLAINTEXT, SSL (optionally with a client certificate: mutual TLS), SASL_PLAINTEXT and
 * SASL_SSL with PLAIN (OCI Streaming), SCRAM-SHA-256 or SCRAM-SHA-512.
 *
 * Only this package's own types appear in the signatures: the library's declarations need
 * `moduleResolution` node16/bundler-aware ESM typings (a consumer compiling with node16 would hit
 * TS1479 if they leaked into ours), and the tools should not depend on them anyway.
 */
import * as net from "node:net";
import type { ConnectionOptions as TlsConnectionOptions } from "node:tls";

import { Admin, Consumer, findErrorBy } from "@platformatic/kafka";

import { KafkaClientError } from "./errors";
import { recordsInRange, type ConsumedRecord } from "./records";

export { KafkaClientError, type KafkaErrorKind } from "./errors";
export type { ConsumedRecord, RecordHeader } from "./records";

export type SaslMechanism = "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";

export interface SaslCredentials {
  /** Default PLAIN (OCI Streaming's). */
  mechanism?: SaslMechanism;
  /** OCI: `<tenancy>/<user>/<streamPoolOCID>`. */
  username: string;
  /** OCI: an auth token. */
  password: string;
}

export interface TlsSettings {
  /** PEM CA bundle trusted INSTEAD of the system CAs (as a Kafka truststore is); default the system CAs. */
  caPem?: string;
  /** Client certificate chain (PEM), for mutual TLS; needs {@link keyPem}. */
  certPem?: string;
  /** The client certificate's private key (PEM). */
  keyPem?: string;
  /** Passphrase of an encrypted {@link keyPem}. */
  keyPassword?: string;
}

export interface KafkaClientOptions {
  /** `host:port[,host:port…]` or a list. OCI: the stream pool's `kafkaSettings.bootstrapServers` (FQDN). */
  bootstrapServers: string | string[];
  sasl?: SaslCredentials;
  /** TLS settings, or `false` for plaintext. Default: TLS when `sasl` is set, else plaintext. */
  tls?: TlsSettings | false;
  clientId?: string;
  /** Timeout of every request. Default 30 s (connection attempts: at most 10 s). */
  requestTimeoutMs?: number;
  /** Attempts after a retriable failure (leader moved, connection lost…). Default 6. */
  retries?: number;
}

export interface PartitionInfo {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface GroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
}

export interface GroupDescription {
  groupId: string;
  /** `Empty`, `Stable`, `PreparingRebalance`, `CompletingRebalance`, `Dead` (also: no such group). */
  state: string;
  protocolType: string;
  protocol: string;
  members: GroupMember[];
  memberCount: number;
}

export interface ListedGroupInfo {
  groupId: string;
  protocolType: string;
  state: string | null;
}

/** topic → partition → offset */
export type TopicPartitionOffsets = Map<string, Map<number, number>>;

const DEFAULT_PORT = 9092;
const PARTITION_MAX_BYTES = 1024 * 1024;

/** `host:port` entries (default port 9092; `[v6]:port` accepted). */
export function parseBootstrap(servers: string | string[]): { host: string; port: number }[] {
  const list = (Array.isArray(servers) ? servers : servers.split(","))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (list.length === 0) throw new KafkaClientError("bootstrapServers is empty", "client");
  return list.map((entry) => {
    const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(entry);
    if (!m || (entry.split(":").length > 2 && !entry.startsWith("["))) {
      throw new KafkaClientError(`bootstrapServers: "${entry}" is not host:port`, "client");
    }
    return { host: m[1], port: m[2] ? Number(m[2]) : DEFAULT_PORT };
  });
}

/** The library's connection options for ours (exported for the unit tests). */
export function libraryOptions(options: KafkaClientOptions): {
  clientId: string;
  bootstrapBrokers: string[];
  tls?: TlsConnectionOptions;
  tlsServerName?: boolean;
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
  connectTimeout: number;
  requestTimeout: number;
  timeout: number;
  retries: number;
  retryDelay: (client: unknown, operationId: string, attempt: number) => number;
} {
  const brokers = parseBootstrap(options.bootstrapServers);
  const tlsSettings = options.tls ?? (options.sasl ? {} : false);
  if (tlsSettings && (tlsSettings.certPem === undefined) !== (tlsSettings.keyPem === undefined)) {
    throw new KafkaClientError("a client certificate needs both certPem and keyPem", "client");
  }
  const tls: TlsConnectionOptions | undefined = tlsSettings
    ? {
        ...(tlsSettings.caPem !== undefined ? { ca: tlsSettings.caPem } : {}),
        ...(tlsSettings.certPem !== undefined ? { cert: tlsSettings.certPem, key: tlsSettings.keyPem } : {}),
        ...(tlsSettings.keyPassword !== undefined ? { passphrase: tlsSettings.keyPassword } : {}),
      }
    : undefined;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  return {
    clientId: options.clientId ?? "oci-geo-streaming",
    bootstrapBrokers: brokers.map((b) => `${b.host.includes(":") ? `[${b.host}]` : b.host}:${b.port}`),
    ...(tls ? { tls } : {}),
    // SNI with host names (OCI's FQDNs); RFC 6066 forbids it for IP addresses (Node warns).
    ...(tls && brokers.every((b) => net.isIP(b.host) === 0) ? { tlsServerName: true } : {}),
    ...(options.sasl
      ? {
          sasl: {
            mechanism: options.sasl.mechanism ?? "PLAIN",
            username: options.sasl.username,
            password: options.sasl.password,
          },
        }
      : {}),
    connectTimeout: Math.min(requestTimeout, 10_000),
    requestTimeout,
    timeout: requestTimeout,
    retries: options.retries ?? 6,
    retryDelay: (_client, _op, attempt) => Math.min(2000, 100 * 2 ** attempt),
  };
}

export class KafkaClient {
  private readonly admin: Admin;
  private consumer: Consumer | undefined;
  /** How errors name the cluster: its bootstrap servers. */
  readonly cluster: string;
  private closed = false;

  private constructor(private readonly options: ReturnType<typeof libraryOptions>) {
    this.cluster = options.bootstrapBrokers.join(",");
    this.admin = new Admin(options);
  }

  /** Connects to the cluster (TLS, authentication, metadata); throws a {@link KafkaClientError}. */
  static async connect(options: KafkaClientOptions): Promise<KafkaClient> {
    const client = new KafkaClient(libraryOptions(options));
    try {
      await client.run("connect", () => client.admin.metadata({ topics: [] }));
      return client;
    } catch (error) {
      await client.close();
      // A broker that requires a client certificate accepts the TLS 1.3 handshake and then closes
      // the connection: the library sees only "Connection closed". Say what it most likely means.
      const tls = options.tls ?? (options.sasl ? {} : false);
      if (
        error instanceof KafkaClientError &&
        tls &&
        !tls.certPem &&
        /Connection closed/.test(error.message)
      ) {
        throw new KafkaClientError(
          `${error.message} (over TLS without a client certificate: does the broker require a client certificate?)`,
          "tls",
        );
      }
      throw error;
    }
  }

  private async run<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    if (this.closed) throw new KafkaClientError(`${operation}: the Kafka client is closed`, "client");
    try {
      return await fn();
    } catch (error) {
      throw KafkaClientError.from(operation, this.cluster, error);
    }
  }

  /** Topic names, sorted; internal topics (`__consumer_offsets`…) only when asked. */
  listTopics(options: { includeInternal?: boolean } = {}): Promise<string[]> {
    return this.run("listTopics", () =>
      this.admin.listTopics({ includeInternals: options.includeInternal ?? false }),
    );
  }

  /** Partitions of `topic` with their leaders, sorted by partition. */
  partitionsFor(topic: string): Promise<PartitionInfo[]> {
    return this.run(`partitionsFor(${topic})`, async () => {
      const metadata = await this.admin.metadata({ topics: [topic], forceUpdate: true });
      const t = metadata.topics.get(topic);
      if (!t) throw new KafkaClientError(`topic ${topic} missing from the metadata`, "unknown-topic");
      return t.partitions
        .map((p, partition) => ({ partition, leader: p.leader, replicas: p.replicas, isr: p.isr }))
        .filter((p) => p !== undefined)
        .sort((a, b) => a.partition - b.partition);
    });
  }

  /** Earliest (log start) or latest (high watermark) offset of every partition of `topic`. */
  async offsets(topic: string, which: "earliest" | "latest"): Promise<Map<number, number>> {
    const partitions = (await this.partitionsFor(topic)).map((p) => p.partition);
    return this.listOffsets(topic, partitions, which);
  }

  private listOffsets(
    topic: string,
    partitions: number[],
    which: "earliest" | "latest",
  ): Promise<Map<number, number>> {
    const timestamp = which === "earliest" ? -2n : -1n;
    return this.run(`listOffsets(${topic}, ${which})`, async () => {
      const listed = await this.admin.listOffsets({
        topics: [
          { name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })) },
        ],
      });
      const out = new Map<number, number>();
      for (const t of listed) for (const p of t.partitions) out.set(p.partitionIndex, Number(p.offset));
      for (const p of partitions) {
        if (!out.has(p)) throw new KafkaClientError(`no answer for partition ${p}`, "client");
      }
      return new Map([...out].sort((a, b) => a[0] - b[0]));
    });
  }

  /**
   * For each partition, the first offset whose record's timestamp is at or after the given time
   * (ListOffsets by timestamp, as Kafka's `offsetsForTimes`); undefined where no record is that late.
   */
  offsetsForTimes(topic: string, times: Map<number, number>): Promise<Map<number, number | undefined>> {
    return this.run(`offsetsForTimes(${topic})`, async () => {
      const listed = await this.admin.listOffsets({
        topics: [
          {
            name: topic,
            partitions: [...times].map(([partitionIndex, t]) => ({ partitionIndex, timestamp: BigInt(t) })),
          },
        ],
      });
      const out = new Map<number, number | undefined>();
      for (const t of listed) {
        for (const p of t.partitions) out.set(p.partitionIndex, p.offset < 0n ? undefined : Number(p.offset));
      }
      return out;
    });
  }

  /**
   * Every record of `topic` from the earliest offsets up to the end offsets observed at the start,
   * grouped by partition in ascending order, each partition in offset order.
   */
  async readAll(topic: string): Promise<ConsumedRecord[]> {
    const partitions = (await this.partitionsFor(topic)).map((p) => p.partition);
    const [earliest, latest] = [
      await this.listOffsets(topic, partitions, "earliest"),
      await this.listOffsets(topic, partitions, "latest"),
    ];
    const out: ConsumedRecord[] = [];
    for (const p of partitions)
      out.push(...(await this.readRange(topic, p, earliest.get(p)!, latest.get(p)!)));
    return out;
  }

  /**
   * The records of `topic`-`partition` with `from <= offset < to`, without joining a group (Fetch
   * from the leader; no commit). Records removed by retention are skipped; reading stops at the
   * high watermark when `to` lies beyond it.
   */
  readRange(topic: string, partition: number, from: number, to: number): Promise<ConsumedRecord[]> {
    return this.run(`read(${topic}:${partition} [${from}, ${to}))`, async () => {
      const consumer = this.readerConsumer();
      // The consumer's fetch maps topic names and ids from the metadata of the topics it tracks.
      consumer.topics.track(topic);
      try {
        const records: ConsumedRecord[] = [];
        let next = from;
        let idle = 0;
        while (next < to) {
          const metadata = await consumer.metadata({ topics: [topic] });
          const t = metadata.topics.get(topic);
          const leader = t?.partitions[partition]?.leader;
          if (!t || leader === undefined) {
            throw new KafkaClientError(
              `topic ${topic} has no partition ${partition}`,
              "unknown-topic",
              "UNKNOWN_TOPIC_OR_PARTITION",
            );
          }
          let response;
          try {
            response = await consumer.fetch({
              node: leader,
              maxWaitTime: 100,
              minBytes: 1,
              maxBytes: 8 * PARTITION_MAX_BYTES,
              isolationLevel: 0,
              topics: [
                {
                  topicId: t.id,
                  partitions: [
                    {
                      partition,
                      fetchOffset: BigInt(next),
                      currentLeaderEpoch: -1,
                      lastFetchedEpoch: -1,
                      partitionMaxBytes: PARTITION_MAX_BYTES,
                    },
                  ],
                },
              ],
            });
          } catch (error) {
            if (!findErrorBy(error as Error, "apiId", "OFFSET_OUT_OF_RANGE")) throw error;
            // Retention removed what we were about to read: go on from the log start.
            const earliest = (await this.listOffsets(topic, [partition], "earliest")).get(partition)!;
            if (earliest <= next) throw error;
            next = earliest;
            continue;
          }
          const p = response.responses
            .flatMap((r) => r.partitions)
            .find((x) => x.partitionIndex === partition);
          const got = recordsInRange(partition, p?.records ?? [], next, to);
          records.push(...got.records);
          if (got.next > next) {
            next = got.next;
            idle = 0;
            continue;
          }
          // Nothing more below the high watermark (`to` beyond it, or the log was truncated). A fetch
          // session may leave an unchanged partition without data out of the answer: ask then.
          const end = p
            ? Number(p.highWatermark)
            : (await this.listOffsets(topic, [partition], "latest")).get(partition)!;
          if (end <= next) break;
          if (++idle > 20) {
            throw new KafkaClientError(`no progress at offset ${next} (high watermark ${end})`, "client");
          }
        }
        return records;
      } finally {
        consumer.topics.untrack(topic);
      }
    });
  }

  /** The consumer whose Fetch the range reads use; it never joins its group. */
  private readerConsumer(): Consumer {
    this.consumer ??= new Consumer({ ...this.options, groupId: `${this.options.clientId}-reader` });
    return this.consumer;
  }

  /** State and members of a classic consumer group (state `Dead` and no members when unknown). */
  describeGroup(group: string): Promise<GroupDescription> {
    return this.run(`describeGroup(${group})`, async () => {
      const dead = {
        groupId: group,
        state: "Dead",
        protocolType: "",
        protocol: "",
        members: [],
        memberCount: 0,
      };
      let described;
      try {
        described = (await this.admin.describeGroups({ groups: [group] })).get(group);
      } catch (error) {
        if (findErrorBy(error as Error, "apiId", "GROUP_ID_NOT_FOUND")) return dead;
        throw error;
      }
      if (!described) return dead;
      const members = [...described.members.values()].map((m) => ({
        memberId: m.id,
        groupInstanceId: m.groupInstanceId ?? null,
        clientId: m.clientId,
        clientHost: m.clientHost,
      }));
      return {
        groupId: described.id,
        state: String(described.state),
        protocolType: described.protocolType,
        protocol: described.protocol,
        members,
        memberCount: members.length,
      };
    });
  }

  /**
   * Committed offsets of `group`: for the given topics/partitions, or (null) every partition the
   * group has committed. Partitions without a commit are left out.
   */
  fetchOffsets(group: string, partitions: Map<string, number[]> | null): Promise<TopicPartitionOffsets> {
    return this.run(`fetchOffsets(${group})`, async () => {
      const request =
        partitions === null
          ? group
          : {
              groupId: group,
              topics: [...partitions].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
            };
      const listed = await this.admin.listConsumerGroupOffsets({ groups: [request] });
      const out: TopicPartitionOffsets = new Map();
      for (const g of listed) {
        for (const t of g.topics) {
          for (const p of t.partitions) {
            if (p.committedOffset < 0n) continue;
            if (!out.has(t.name)) out.set(t.name, new Map());
            out.get(t.name)!.set(p.partitionIndex, Number(p.committedOffset));
          }
        }
      }
      return out;
    });
  }

  /**
   * Commits offsets for `group` without joining it (generation -1, member id ""): the broker
   * accepts this only while the group has no active members (else UNKNOWN_MEMBER_ID or
   * ILLEGAL_GENERATION, in {@link KafkaClientError.kafkaCode}).
   */
  async commitOffsets(group: string, offsets: TopicPartitionOffsets): Promise<void> {
    const topics = [...offsets]
      .filter(([, parts]) => parts.size > 0)
      .map(([name, parts]) => ({
        name,
        partitionOffsets: [...parts].map(([partition, offset]) => {
          if (!Number.isSafeInteger(offset) || offset < 0) {
            throw new KafkaClientError(
              `commitOffsets(${group}): ${name} partition ${partition}: invalid offset ${offset}`,
              "client",
            );
          }
          return { partition, offset: BigInt(offset) };
        }),
      }));
    if (topics.length === 0) return;
    await this.run(`commitOffsets(${group})`, () =>
      this.admin.alterConsumerGroupOffsets({ groupId: group, topics }),
    );
  }

  /** Every group known to any broker. */
  listGroups(): Promise<ListedGroupInfo[]> {
    return this.run("listGroups", async () => {
      const groups = await this.admin.listGroups();
      return [...groups.values()]
        .map((g) => ({
          groupId: g.id,
          protocolType: g.protocolType,
          state: g.state === undefined || String(g.state) === "Unknown" ? null : String(g.state),
        }))
        .sort((a, b) => a.groupId.localeCompare(b.groupId));
    });
  }

  /** Closes every connection. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([this.admin.close(), this.consumer?.close(true)]);
  }
}
