/**
 * One connection to one broker: TCP or TLS, size-prefixed framing, correlation ids, a timeout
 * on every request, ApiVersions negotiation and SASL/PLAIN authentication.
 *
 * Request header v1 (`apiKey int16, apiVersion int16, correlationId int32, clientId
 * nullable_string`) for non-flexible versions, v2 (the same plus tagged fields) for flexible ones;
 * response header v0 (`correlationId`) or v1 (plus tagged fields) accordingly — except ApiVersions,
 * whose response header is always v0. The client id stays a classic (int16-length) string in both.
 */
import * as net from "node:net";
import * as tls from "node:tls";

import {
  KafkaAuthenticationError,
  KafkaClientError,
  KafkaConnectionError,
  KafkaProtocolError,
  KafkaUnsupportedVersionError,
} from "./errors";
import {
  APIS,
  apiVersionsRequest,
  isFlexible,
  saslAuthenticateRequest,
  saslHandshakeRequest,
  type ApiName,
  type ApiSpec,
  type ApiVersionRange,
  type Request,
} from "./protocol";
import { KafkaWireError, Reader, Writer } from "./wire";

export interface SaslPlainCredentials {
  username: string;
  password: string;
}

export interface ConnectionOptions {
  host: string;
  port: number;
  /** Node id from Metadata, or undefined for a bootstrap connection. */
  nodeId?: number;
  clientId: string;
  /** false: plaintext; an object: TLS, trusting `caPem` (PEM text) or else the system CAs. */
  tls: { caPem?: string } | false;
  sasl?: SaslPlainCredentials;
  requestTimeoutMs: number;
  /** Lower the highest version used per API (tests; brokers with a buggy newer version). */
  maxVersions?: Partial<Record<ApiName, number>>;
}

/** Largest response accepted (Kafka's default `fetch.max.bytes` is 50 MiB). */
const MAX_RESPONSE_BYTES = 128 * 1024 * 1024;

interface Pending {
  api: string;
  flexibleResponseHeader: boolean;
  resolve(body: Reader): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class BrokerConnection {
  /** `<nodeId>@host:port`, or `host:port` for a bootstrap connection: used in every error. */
  readonly label: string;
  private socket: net.Socket | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextCorrelationId = 1;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private closedError: Error | undefined;
  private readonly versions = new Map<number, ApiVersionRange>();

  private constructor(private readonly options: ConnectionOptions) {
    this.label = `${options.nodeId !== undefined ? `${options.nodeId}@` : ""}${options.host}:${options.port}`;
  }

  /** Connects, negotiates API versions and authenticates. */
  static async open(options: ConnectionOptions): Promise<BrokerConnection> {
    const connection = new BrokerConnection(options);
    try {
      await connection.connectSocket();
      await connection.negotiateVersions();
      if (options.sasl) await connection.authenticate(options.sasl);
      return connection;
    } catch (error) {
      connection.close();
      throw error;
    }
  }

  get closed(): boolean {
    return this.closedError !== undefined;
  }

  /** The API versions the broker advertised (for diagnostics and tests). */
  brokerVersions(): ApiVersionRange[] {
    return [...this.versions.values()];
  }

  /** Highest version of `api` supported by both sides (within `maxVersions`). */
  version(name: ApiName): number {
    const api: ApiSpec = APIS[name];
    const cap = Math.min(api.max, this.options.maxVersions?.[name] ?? api.max);
    const broker = this.versions.get(api.key);
    if (!broker) throw new KafkaUnsupportedVersionError(name, this.label, `does not support the ${name} API`);
    const chosen = Math.min(cap, broker.maxVersion);
    if (chosen < api.min || chosen < broker.minVersion) {
      throw new KafkaUnsupportedVersionError(
        name,
        this.label,
        `supports ${name} v${broker.minVersion}-v${broker.maxVersion}; this client implements v${api.min}-v${cap}`,
      );
    }
    return chosen;
  }

  private connectSocket(): Promise<void> {
    const { host, port, requestTimeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      };
      const timer = setTimeout(() => {
        fail(
          new KafkaConnectionError(
            `connecting to broker ${this.label} timed out after ${requestTimeoutMs} ms`,
            this.label,
          ),
        );
        socket.destroy();
      }, requestTimeoutMs);
      const tlsOptions = this.options.tls;
      const socket: net.Socket = tlsOptions
        ? tls.connect({
            host,
            port,
            ...(tlsOptions.caPem ? { ca: tlsOptions.caPem } : {}),
            // SNI and certificate host check by name (OCI: connect by the pool's FQDN); for an IP
            // address Node checks the certificate's IP SANs against `host`.
            ...(net.isIP(host) ? {} : { servername: host }),
            minVersion: "TLSv1.2",
          })
        : net.connect({ host, port });
      socket.setNoDelay(true);
      this.socket = socket;
      socket.once(tlsOptions ? "secureConnect" : "connect", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve();
      });
      socket.on("data", (chunk: Buffer) => this.onData(chunk));
      socket.on("error", (error) => {
        const wrapped = new KafkaConnectionError(
          `connection to broker ${this.label} failed: ${error.message}`,
          this.label,
          undefined,
          error,
        );
        fail(wrapped);
        this.fail(wrapped);
      });
      socket.on("close", () => {
        const error = new KafkaConnectionError(`broker ${this.label} closed the connection`, this.label);
        fail(error);
        this.fail(error);
      });
    });
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4) {
      if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
      const buf = this.chunks[0];
      const size = buf.readInt32BE(0);
      if (size < 4 || size > MAX_RESPONSE_BYTES) {
        this.fail(
          new KafkaConnectionError(`broker ${this.label} sent a frame of invalid size ${size}`, this.label),
        );
        return;
      }
      if (buf.length < 4 + size) return;
      const frame = buf.subarray(4, 4 + size);
      const rest = buf.subarray(4 + size);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      this.onFrame(frame);
    }
  }

  private onFrame(frame: Buffer): void {
    const correlationId = frame.readInt32BE(0);
    const pending = this.pending.get(correlationId);
    if (!pending) return; // a late answer to a request that already timed out
    this.pending.delete(correlationId);
    clearTimeout(pending.timer);
    const reader = new Reader(frame, false, 4);
    try {
      if (pending.flexibleResponseHeader) {
        reader.flexible = true;
        reader.tags();
      }
      pending.resolve(reader);
    } catch (error) {
      pending.reject(error as Error);
    }
  }

  /** Fails every outstanding request and closes the socket. */
  private fail(error: Error): void {
    if (!this.closedError) this.closedError = error;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(
        error instanceof KafkaConnectionError
          ? new KafkaConnectionError(`${p.api}: ${error.message}`, this.label, p.api, error)
          : error,
      );
    }
    this.socket?.destroy();
  }

  /** Sends a request and decodes its response; rejects after `timeoutMs` (default: the client's). */
  request<T>(req: Request<T>, timeoutMs = this.options.requestTimeoutMs): Promise<T> {
    const apiLabel = `${req.api.name} v${req.version}`;
    const socket = this.socket;
    if (this.closedError || !socket) {
      return Promise.reject(
        new KafkaConnectionError(
          `${apiLabel}: connection to broker ${this.label} is closed${this.closedError ? ` (${this.closedError.message})` : ""}`,
          this.label,
          apiLabel,
        ),
      );
    }
    const flexible = isFlexible(req.api, req.version);
    const correlationId = this.nextCorrelationId;
    this.nextCorrelationId = this.nextCorrelationId >= 0x7fffffff ? 1 : this.nextCorrelationId + 1;
    const header = new Writer(false, 64)
      .int32(0) // size, patched below
      .int16(req.api.key)
      .int16(req.version)
      .int32(correlationId)
      .nullableString(this.options.clientId);
    if (flexible) header.uvarint(0); // request header v2: no tagged fields
    const body = new Writer(flexible, 256);
    req.encode(body);
    const frame = Buffer.concat([header.toBuffer(), body.toBuffer()]);
    frame.writeInt32BE(frame.length - 4, 0);

    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(
          new KafkaConnectionError(
            `${apiLabel} to broker ${this.label} timed out after ${timeoutMs} ms`,
            this.label,
            apiLabel,
          ),
        );
        // The connection's state is unknown now: drop it (and whatever else is outstanding).
        this.fail(new KafkaConnectionError(`an earlier ${apiLabel} timed out`, this.label));
      }, timeoutMs);
      this.pending.set(correlationId, {
        api: apiLabel,
        // ApiVersions responses always use response header v0 (so old brokers can answer).
        flexibleResponseHeader: flexible && req.api.key !== APIS.ApiVersions.key,
        timer,
        reject,
        resolve: (reader) => {
          try {
            reader.flexible = flexible;
            resolve(req.decode(reader));
          } catch (error) {
            reject(
              error instanceof KafkaWireError
                ? new KafkaClientError(
                    `${apiLabel} from broker ${this.label}: malformed response: ${error.message}`,
                  )
                : error,
            );
          }
        },
      });
      socket.write(frame);
    });
  }

  private async negotiateVersions(): Promise<void> {
    const ours = Math.min(
      APIS.ApiVersions.max,
      this.options.maxVersions?.ApiVersions ?? APIS.ApiVersions.max,
    );
    let result = await this.request(apiVersionsRequest(ours));
    if (result.errorCode === 35) {
      // The broker does not know our version; its v0 answer lists what it does support.
      const theirs = result.apiKeys.find((k) => k.apiKey === APIS.ApiVersions.key);
      const retry = Math.min(ours, theirs?.maxVersion ?? 0);
      if (retry >= ours) {
        throw new KafkaProtocolError(`ApiVersions v${ours}`, this.label, 35);
      }
      result = await this.request(apiVersionsRequest(retry));
    }
    if (result.errorCode !== 0) throw new KafkaProtocolError("ApiVersions", this.label, result.errorCode);
    for (const range of result.apiKeys) this.versions.set(range.apiKey, range);
  }

  private async authenticate(sasl: SaslPlainCredentials): Promise<void> {
    const handshake = await this.request(saslHandshakeRequest("PLAIN"));
    if (handshake.errorCode !== 0) {
      throw new KafkaAuthenticationError(
        "SaslHandshake v1",
        this.label,
        handshake.errorCode,
        `mechanism PLAIN; the broker enables: ${handshake.mechanisms.join(", ") || "none"}`,
      );
    }
    const version = this.version("SaslAuthenticate");
    // RFC 4616: [authzid] NUL authcid NUL passwd. The token never appears in an error message.
    const token = Buffer.concat([
      Buffer.from([0]),
      Buffer.from(sasl.username, "utf8"),
      Buffer.from([0]),
      Buffer.from(sasl.password, "utf8"),
    ]);
    let result;
    try {
      result = await this.request(saslAuthenticateRequest(version, token));
    } finally {
      token.fill(0);
    }
    if (result.errorCode !== 0) {
      throw new KafkaAuthenticationError(
        `SaslAuthenticate v${version}`,
        this.label,
        result.errorCode,
        `SASL/PLAIN refused${result.errorMessage ? `: ${result.errorMessage}` : ""}`,
      );
    }
  }

  /** Closes the socket; outstanding requests fail. Idempotent. */
  close(): void {
    if (!this.closedError) {
      this.closedError = new KafkaConnectionError(
        `connection to broker ${this.label} was closed by the client`,
        this.label,
      );
    }
    this.fail(this.closedError);
  }
}
