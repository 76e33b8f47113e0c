/**
 * A minimal Kafka client for what failover needs: topic metadata, offsets, reading a topic from
 * beginning to end, and consumer-group inspection and standalone offset commits. It speaks to OCI
 * Streaming (SASL_SSL + PLAIN on port 9092) and to Apache Kafka 2.x–4.x; no producer, no group
 * membership.
 */
import { BrokerConnection, type SaslPlainCredentials } from "./connection";
import { KafkaClientError, KafkaConnectionError, KafkaProtocolError, needsRediscovery } from "./errors";
import {
  describeGroupsRequest,
  EARLIEST_TIMESTAMP,
  fetchRequest,
  findCoordinatorRequest,
  LATEST_TIMESTAMP,
  listGroupsRequest,
  listOffsetsRequest,
  metadataRequest,
  offsetCommitRequest,
  offsetFetchRequest,
  type ApiName,
  type BrokerInfo,
  type GroupMember,
  type MetadataResult,
} from "./protocol";
import { decodeRecordBatches, type RecordHeader } from "./records";

export interface KafkaClientOptions {
  /** `host:port[,host:port…]` or a list. OCI: the stream pool's `kafkaSettings.bootstrapServers` (FQDN). */
  bootstrapServers: string | string[];
  /** SASL/PLAIN. OCI: username `<tenancy>/<user>/<streamPoolOCID>`, password an auth token. */
  sasl?: SaslPlainCredentials;
  /**
   * TLS (`{}` trusts the system CAs; `caPem` a PEM bundle instead) or `false` for plaintext.
   * Default: TLS when `sasl` is set (credentials never travel in clear by default), else plaintext.
   */
  tls?: { caPem?: string } | false;
  clientId?: string;
  /** Timeout of every request and connection attempt. Default 30 s. */
  requestTimeoutMs?: number;
  /** Attempts for retriable errors (leader/coordinator moved, loading, connection lost). Default 6. */
  retries?: number;
  /** Cap the API versions used (tests, or a broker with a faulty newer version). */
  maxVersions?: Partial<Record<ApiName, number>>;
}

export interface PartitionInfo {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface ConsumedRecord {
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  timestamp: number;
}

export interface ReadAllOptions {
  /** Start at the earliest offsets (default) or, when false, at the latest ones observed at start. */
  fromBeginning?: boolean;
  /**
   * Stop at the end offsets observed at start (default). When false, keep going until caught up
   * with the high watermark reported by the last fetch of each partition.
   */
  untilEnd?: boolean;
  /** Bytes asked per partition per fetch (default 1 MiB, OCI's maximum message size). */
  partitionMaxBytes?: number;
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

function parseBootstrap(servers: string | string[]): { host: string; port: number }[] {
  const list = (Array.isArray(servers) ? servers : servers.split(","))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (list.length === 0) throw new KafkaClientError("bootstrapServers is empty");
  return list.map((entry) => {
    const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(entry);
    if (!m || (entry.split(":").length > 2 && !entry.startsWith("["))) {
      throw new KafkaClientError(`bootstrapServers: "${entry}" is not host:port`);
    }
    return { host: m[1], port: m[2] ? Number(m[2]) : DEFAULT_PORT };
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class KafkaClient {
  private readonly bootstrap: { host: string; port: number }[];
  private bootstrapConnection: BrokerConnection | undefined;
  private readonly connections = new Map<string, Promise<BrokerConnection>>();
  private brokers = new Map<number, BrokerInfo>();
  private readonly coordinators = new Map<string, BrokerInfo>();
  private readonly requestTimeoutMs: number;
  private readonly retries: number;
  private readonly clientId: string;
  private readonly tls: { caPem?: string } | false;
  private closed = false;

  private constructor(private readonly options: KafkaClientOptions) {
    this.bootstrap = parseBootstrap(options.bootstrapServers);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.retries = options.retries ?? 6;
    this.clientId = options.clientId ?? "oci-geo-streaming";
    this.tls = options.tls ?? (options.sasl ? {} : false);
  }

  /** Connects to the first reachable bootstrap server (negotiating versions, authenticating). */
  static async connect(options: KafkaClientOptions): Promise<KafkaClient> {
    const client = new KafkaClient(options);
    try {
      await client.anyBroker();
      return client;
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  private open(host: string, port: number, nodeId?: number): Promise<BrokerConnection> {
    return BrokerConnection.open({
      host,
      port,
      nodeId,
      clientId: this.clientId,
      tls: this.tls,
      sasl: this.options.sasl,
      requestTimeoutMs: this.requestTimeoutMs,
      maxVersions: this.options.maxVersions,
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new KafkaClientError("the Kafka client is closed");
  }

  /** A live connection to some broker (the bootstrap one, re-established if lost). */
  private async anyBroker(): Promise<BrokerConnection> {
    this.assertOpen();
    if (this.bootstrapConnection && !this.bootstrapConnection.closed) return this.bootstrapConnection;
    const errors: string[] = [];
    for (const { host, port } of this.bootstrap) {
      try {
        this.bootstrapConnection = await this.open(host, port);
        return this.bootstrapConnection;
      } catch (error) {
        // Authentication and TLS verification failures are not cured by another bootstrap server.
        if (!(error instanceof KafkaConnectionError)) throw error;
        errors.push((error as Error).message);
      }
    }
    throw new KafkaConnectionError(
      `no bootstrap server reachable: ${errors.join("; ")}`,
      this.bootstrap.map((b) => `${b.host}:${b.port}`).join(","),
    );
  }

  /** A live connection to `broker` (cached per host:port). */
  private async brokerConnection(broker: BrokerInfo): Promise<BrokerConnection> {
    this.assertOpen();
    const key = `${broker.host}:${broker.port}`;
    const cached = this.connections.get(key);
    if (cached) {
      const connection = await cached.catch(() => undefined);
      if (connection && !connection.closed) return connection;
      this.connections.delete(key);
    }
    const opening = this.open(broker.host, broker.port, broker.nodeId);
    this.connections.set(key, opening);
    opening.catch(() => this.connections.delete(key));
    return opening;
  }

  private async leaderConnection(nodeId: number): Promise<BrokerConnection> {
    const broker = this.brokers.get(nodeId);
    if (!broker) throw new KafkaClientError(`broker ${nodeId} is not in the cluster metadata`);
    return this.brokerConnection(broker);
  }

  /** Runs `attempt`, retrying retriable protocol errors and lost connections with backoff. */
  private async withRetries<T>(attempt: (n: number) => Promise<T>): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        return await attempt(n);
      } catch (error) {
        const retriable =
          (error instanceof KafkaProtocolError && error.retriable) ||
          (error instanceof KafkaConnectionError && !this.closed);
        if (!retriable || n + 1 >= this.retries) throw error;
        await sleep(Math.min(2000, 100 * 2 ** n));
      }
    }
  }

  private async metadata(topics: string[] | null): Promise<MetadataResult> {
    const connection = await this.anyBroker();
    const version = connection.version("Metadata");
    const result = await connection.request(metadataRequest(version, topics));
    this.brokers = new Map(result.brokers.map((b) => [b.nodeId, b]));
    return result;
  }

  /** Topic names, sorted; internal topics (`__consumer_offsets`…) only when asked. */
  async listTopics(options: { includeInternal?: boolean } = {}): Promise<string[]> {
    const result = await this.withRetries(() => this.metadata(null));
    return result.topics
      .filter((t) => t.errorCode === 0 && (options.includeInternal || !t.isInternal))
      .map((t) => t.name)
      .sort();
  }

  /** Partitions of `topic` with their leaders, sorted by partition. */
  async partitionsFor(topic: string): Promise<PartitionInfo[]> {
    return this.withRetries(async () => {
      const connection = await this.anyBroker();
      const result = await this.metadata([topic]);
      const t = result.topics.find((x) => x.name === topic);
      const api = `Metadata v${connection.version("Metadata")}`;
      if (!t)
        throw new KafkaProtocolError(api, connection.label, 3, `topic ${topic} missing from the response`);
      if (t.errorCode !== 0)
        throw new KafkaProtocolError(api, connection.label, t.errorCode, `topic ${topic}`);
      const withoutLeader = t.partitions.find((p) => p.errorCode === 5 || p.leader < 0);
      if (withoutLeader) {
        throw new KafkaProtocolError(
          api,
          connection.label,
          5,
          `topic ${topic} partition ${withoutLeader.partition}`,
        );
      }
      return t.partitions
        .map((p) => ({ partition: p.partition, leader: p.leader, replicas: p.replicas, isr: p.isr }))
        .sort((a, b) => a.partition - b.partition);
    });
  }

  /** Earliest (log start) or latest (high watermark) offset of every partition of `topic`. */
  async offsets(topic: string, which: "earliest" | "latest"): Promise<Map<number, number>> {
    const partitions = await this.partitionsFor(topic);
    return this.listOffsets(
      topic,
      partitions.map((p) => p.partition),
      which,
    );
  }

  private async listOffsets(
    topic: string,
    partitions: number[],
    which: "earliest" | "latest",
  ): Promise<Map<number, number>> {
    const timestamp = which === "earliest" ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP;
    return this.withRetries(async () => {
      const infos = await this.partitionsFor(topic);
      const byLeader = groupBy(
        infos.filter((p) => partitions.includes(p.partition)),
        (p) => p.leader,
      );
      const out = new Map<number, number>();
      await Promise.all(
        [...byLeader].map(async ([leader, parts]) => {
          const connection = await this.leaderConnection(leader);
          const version = connection.version("ListOffsets");
          const result = await connection.request(
            listOffsetsRequest(
              version,
              topic,
              parts.map((p) => p.partition),
              timestamp,
              this.requestTimeoutMs,
            ),
          );
          for (const t of result.topics) {
            for (const p of t.partitions) {
              if (p.errorCode !== 0) {
                throw new KafkaProtocolError(
                  `ListOffsets v${version}`,
                  connection.label,
                  p.errorCode,
                  `topic ${topic} partition ${p.partition} (${which})`,
                );
              }
              out.set(p.partition, p.offset);
            }
          }
        }),
      );
      for (const p of partitions) {
        if (!out.has(p)) throw new KafkaClientError(`ListOffsets: no answer for ${topic} partition ${p}`);
      }
      return new Map([...out].sort((a, b) => a[0] - b[0]));
    });
  }

  /**
   * Reads every record of `topic` from the earliest offsets up to the end offsets observed at the
   * start (see {@link ReadAllOptions}). Records come grouped by partition in ascending partition
   * order, each partition in offset order. Control records (transaction markers) are skipped.
   */
  async readAll(topic: string, options: ReadAllOptions = {}): Promise<ConsumedRecord[]> {
    const fromBeginning = options.fromBeginning ?? true;
    const untilEnd = options.untilEnd ?? true;
    const partitionMaxBytes = options.partitionMaxBytes ?? 1024 * 1024;
    const infos = await this.partitionsFor(topic);
    const all = infos.map((p) => p.partition);
    const end = await this.listOffsets(topic, all, "latest");
    const position = fromBeginning ? await this.listOffsets(topic, all, "earliest") : new Map(end);
    const records = new Map<number, ConsumedRecord[]>(all.map((p) => [p, []]));
    const done = (p: number): boolean => position.get(p)! >= end.get(p)!;

    let leaders = new Map(infos.map((p) => [p.partition, p.leader]));
    let round = 0;
    let idleRounds = 0;
    const maxWaitMs = Math.max(10, Math.min(500, Math.floor(this.requestTimeoutMs / 3)));
    for (;;) {
      const pendingParts = all.filter((p) => !done(p));
      if (pendingParts.length === 0) break;
      // Rotate so that every partition is sometimes first (a batch larger than the per-partition
      // limit is only guaranteed to be returned for the first partition of a fetch).
      const shift = round++ % pendingParts.length;
      const ordered = [...pendingParts.slice(shift), ...pendingParts.slice(0, shift)];
      let progressed = false;
      let refreshLeaders = false;
      await this.withRetries(async () => {
        await Promise.all(
          [...groupBy(ordered, (p) => leaders.get(p)!)].map(async ([leader, parts]) => {
            const connection = await this.leaderConnection(leader);
            const version = connection.version("Fetch");
            const api = `Fetch v${version}`;
            const result = await connection.request(
              fetchRequest(
                version,
                topic,
                parts.map((p) => ({
                  partition: p,
                  fetchOffset: position.get(p)!,
                  maxBytes: partitionMaxBytes,
                })),
                { maxWaitMs, minBytes: 1, maxBytes: Math.max(partitionMaxBytes, 8 * 1024 * 1024) },
              ),
              this.requestTimeoutMs + maxWaitMs,
            );
            if (result.errorCode !== 0) throw new KafkaProtocolError(api, connection.label, result.errorCode);
            for (const t of result.topics) {
              for (const p of t.partitions) {
                if (p.errorCode === 1) {
                  // OFFSET_OUT_OF_RANGE: retention removed what we were about to read.
                  const earliest = (await this.listOffsets(topic, [p.partition], "earliest")).get(
                    p.partition,
                  )!;
                  if (earliest > position.get(p.partition)!) {
                    position.set(p.partition, earliest);
                    progressed = true;
                    continue;
                  }
                }
                if (needsRediscovery(p.errorCode) || p.errorCode === 3) {
                  refreshLeaders = true;
                  continue;
                }
                if (p.errorCode !== 0) {
                  throw new KafkaProtocolError(
                    api,
                    connection.label,
                    p.errorCode,
                    `topic ${topic} partition ${p.partition}`,
                  );
                }
                if (!untilEnd && p.highWatermark > end.get(p.partition)!)
                  end.set(p.partition, p.highWatermark);
                const target = records.get(p.partition)!;
                for (const batch of decodeRecordBatches(p.records ?? Buffer.alloc(0))) {
                  const pos = position.get(p.partition)!;
                  if (batch.lastOffset < pos) continue;
                  if (!batch.isControl) {
                    for (const r of batch.records) {
                      if (r.offset < pos || r.offset >= end.get(p.partition)!) continue;
                      target.push({ partition: p.partition, ...r });
                    }
                  }
                  position.set(p.partition, Math.max(pos, batch.lastOffset + 1));
                  progressed = true;
                }
                // Nothing more exists below the high watermark (e.g. the log was truncated).
                if (
                  p.highWatermark <= position.get(p.partition)! &&
                  p.highWatermark < end.get(p.partition)!
                ) {
                  end.set(p.partition, p.highWatermark);
                  progressed = true;
                }
              }
            }
          }),
        );
      });
      if (refreshLeaders) {
        const fresh = await this.partitionsFor(topic);
        leaders = new Map(fresh.map((p) => [p.partition, p.leader]));
      }
      idleRounds = progressed ? 0 : idleRounds + 1;
      if (idleRounds > 20 + all.length) {
        const stuck = all.filter((p) => !done(p)).map((p) => `${p}@${position.get(p)}<${end.get(p)}`);
        throw new KafkaClientError(`readAll(${topic}): no progress on partitions ${stuck.join(", ")}`);
      }
    }
    return all.flatMap((p) => records.get(p)!);
  }

  // ---------------------------------------------------------------------------------------------
  // Consumer groups

  private async coordinator(group: string, refresh: boolean): Promise<BrokerConnection> {
    let broker = refresh ? undefined : this.coordinators.get(group);
    if (!broker) {
      const connection = await this.anyBroker();
      const version = connection.version("FindCoordinator");
      const result = await connection.request(findCoordinatorRequest(version, group));
      if (result.errorCode !== 0) {
        throw new KafkaProtocolError(
          `FindCoordinator v${version}`,
          connection.label,
          result.errorCode,
          `group ${group}${result.errorMessage ? `: ${result.errorMessage}` : ""}`,
        );
      }
      broker = { nodeId: result.nodeId, host: result.host, port: result.port, rack: null };
      this.coordinators.set(group, broker);
    }
    return this.brokerConnection(broker);
  }

  /** Runs `fn` against the group's coordinator, rediscovering it when it moved. */
  private withCoordinator<T>(group: string, fn: (c: BrokerConnection) => Promise<T>): Promise<T> {
    return this.withRetries(async (attempt) => {
      try {
        return await fn(await this.coordinator(group, attempt > 0));
      } catch (error) {
        if (error instanceof KafkaProtocolError && needsRediscovery(error.code))
          this.coordinators.delete(group);
        throw error;
      }
    });
  }

  /** State and members of a classic consumer group (state `Dead` and no members when unknown). */
  async describeGroup(group: string): Promise<GroupDescription> {
    return this.withCoordinator(group, async (connection) => {
      const version = connection.version("DescribeGroups");
      const [described] = await connection.request(describeGroupsRequest(version, [group]));
      if (!described) throw new KafkaClientError(`DescribeGroups v${version}: no answer for group ${group}`);
      if (described.errorCode === 69) {
        return { groupId: group, state: "Dead", protocolType: "", protocol: "", members: [], memberCount: 0 };
      }
      if (described.errorCode !== 0) {
        throw new KafkaProtocolError(
          `DescribeGroups v${version}`,
          connection.label,
          described.errorCode,
          `group ${group}`,
        );
      }
      return {
        groupId: described.groupId,
        state: described.state,
        protocolType: described.protocolType,
        protocol: described.protocol,
        members: described.members,
        memberCount: described.members.length,
      };
    });
  }

  /**
   * Committed offsets of `group`: for the given topics/partitions, or (null) every partition the
   * group has committed. Partitions without a commit are left out.
   */
  async fetchOffsets(
    group: string,
    partitions: Map<string, number[]> | null,
  ): Promise<TopicPartitionOffsets> {
    return this.withCoordinator(group, async (connection) => {
      const version = connection.version("OffsetFetch");
      const api = `OffsetFetch v${version}`;
      if (partitions === null && version < 2) {
        throw new KafkaClientError(`${api}: fetching all of a group's offsets needs OffsetFetch v2+`);
      }
      const topics =
        partitions === null ? null : [...partitions].map(([name, parts]) => ({ name, partitions: parts }));
      const result = await connection.request(offsetFetchRequest(version, group, topics));
      if (result.errorCode !== 0)
        throw new KafkaProtocolError(api, connection.label, result.errorCode, `group ${group}`);
      const out: TopicPartitionOffsets = new Map();
      for (const t of result.topics) {
        for (const p of t.partitions) {
          if (p.errorCode !== 0) {
            throw new KafkaProtocolError(
              api,
              connection.label,
              p.errorCode,
              `group ${group} topic ${t.name} partition ${p.partition}`,
            );
          }
          if (p.offset < 0) continue;
          if (!out.has(t.name)) out.set(t.name, new Map());
          out.get(t.name)!.set(p.partition, p.offset);
        }
      }
      return out;
    });
  }

  /**
   * Commits offsets for `group` without joining it (generation -1, member id ""): the broker
   * accepts this only while the group has no active members (else UNKNOWN_MEMBER_ID or
   * ILLEGAL_GENERATION / REBALANCE_IN_PROGRESS). Throws on the first partition the broker refused.
   */
  async commitOffsets(
    group: string,
    offsets: TopicPartitionOffsets,
    options: { metadata?: string } = {},
  ): Promise<void> {
    const topics = [...offsets]
      .filter(([, parts]) => parts.size > 0)
      .map(([name, parts]) => ({
        name,
        partitions: [...parts].map(([partition, offset]) => {
          if (!Number.isSafeInteger(offset) || offset < 0) {
            throw new KafkaClientError(
              `commitOffsets(${group}): ${name} partition ${partition}: invalid offset ${offset}`,
            );
          }
          return { partition, offset, metadata: options.metadata ?? "" };
        }),
      }));
    if (topics.length === 0) return;
    await this.withCoordinator(group, async (connection) => {
      const version = connection.version("OffsetCommit");
      const result = await connection.request(offsetCommitRequest(version, group, topics));
      const failures: { topic: string; partition: number; code: number }[] = [];
      for (const t of result.topics) {
        for (const p of t.partitions)
          if (p.errorCode !== 0) failures.push({ topic: t.name, partition: p.partition, code: p.errorCode });
      }
      if (failures.length > 0) {
        const first = failures[0];
        throw new KafkaProtocolError(
          `OffsetCommit v${version}`,
          connection.label,
          first.code,
          `group ${group} topic ${first.topic} partition ${first.partition}` +
            (failures.length > 1 ? ` (and ${failures.length - 1} more partitions)` : ""),
        );
      }
    });
  }

  /** Every group known to any broker (each broker lists the groups it coordinates). */
  async listGroups(): Promise<ListedGroupInfo[]> {
    const result = await this.withRetries(() => this.metadata([]));
    const groups = new Map<string, ListedGroupInfo>();
    await Promise.all(
      result.brokers.map((broker) =>
        this.withRetries(async () => {
          const connection = await this.brokerConnection(broker);
          const version = connection.version("ListGroups");
          const listed = await connection.request(listGroupsRequest(version));
          if (listed.errorCode !== 0)
            throw new KafkaProtocolError(`ListGroups v${version}`, connection.label, listed.errorCode);
          for (const g of listed.groups) groups.set(g.groupId, g);
        }),
      ),
    );
    return [...groups.values()].sort((a, b) => a.groupId.localeCompare(b.groupId));
  }

  /** The API version the client uses with the bootstrap broker (diagnostics, tests). */
  async apiVersion(api: ApiName): Promise<number> {
    return (await this.anyBroker()).version(api);
  }

  /** Raw fetch of one partition at `offset`: the broker's record-batch bytes, undecoded (tests). */
  async fetchRaw(topic: string, partition: number, offset: number, maxBytes = 1024 * 1024): Promise<Buffer> {
    const infos = await this.partitionsFor(topic);
    const info = infos.find((p) => p.partition === partition);
    if (!info) throw new KafkaClientError(`topic ${topic} has no partition ${partition}`);
    const connection = await this.leaderConnection(info.leader);
    const version = connection.version("Fetch");
    const result = await connection.request(
      fetchRequest(version, topic, [{ partition, fetchOffset: offset, maxBytes }], {
        maxWaitMs: 100,
        minBytes: 1,
        maxBytes,
      }),
    );
    const p = result.topics[0]?.partitions[0];
    if (!p) throw new KafkaClientError(`Fetch v${version}: no answer for ${topic} partition ${partition}`);
    if (p.errorCode !== 0)
      throw new KafkaProtocolError(
        `Fetch v${version}`,
        connection.label,
        p.errorCode,
        `topic ${topic} partition ${partition}`,
      );
    return p.records ?? Buffer.alloc(0);
  }

  /** Closes every connection. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    this.bootstrapConnection?.close();
    const pending = [...this.connections.values()];
    this.connections.clear();
    for (const c of await Promise.allSettled(pending)) if (c.status === "fulfilled") c.value.close();
  }
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
